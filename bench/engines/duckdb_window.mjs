/**
 * Plain DuckDB SQL engine of the benchmark: issue #8's per-survey window
 * features and their per-rep roll-up, nothing else (no validation beyond
 * DuckDB's CSV sniffing, no statistics). The features, the same in every
 * `*_window` engine (bench/engines/README.md):
 *   for each survey invitation (sent s, answered at r or not: e = r, else s),
 *   the concessions to the same customer in
 *     before [s − 7 d, s), during [s, e), after [e, e + 7 d),
 *   counted by the survey's own rep (`*_same`) and by anyone (`*_any`);
 *   per rep (invitations with a rep): invitations, answered, and the six sums.
 * `bucket` is the fast way (issue #8): integer epoch milliseconds, each
 * survey's span [s − 7 d, e + 7 d) expanded to the 7-day buckets it touches,
 * an equi-join on customer and bucket (one bucket per concession, so each
 * pair meets once), then the exact window as a filter. `range` is the way an
 * analyst first writes it: a join on customer with a TIMESTAMPTZ range
 * ± INTERVAL.
 * Usage: node duckdb_window.mjs <surveys> <concessions> <bucket|range> <out.json> (CSV or .parquet files)
 */
import { writeFileSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';

const [surveysPath, concessionsPath, strategy, out] = process.argv.slice(2);
if (strategy !== 'bucket' && strategy !== 'range')
  throw new Error(`strategy: bucket or range, not ${strategy}`);
const literal = (text) => `'${text.replaceAll("'", "''")}'`;
const read = (path) =>
  path.endsWith('.parquet') ? `read_parquet(${literal(path)})` : `read_csv(${literal(path)}, header = true)`;
const WEEK_MS = 7 * 86_400_000;

const db = await DuckDBInstance.create(':memory:');
const sql = await db.connect();
await sql.run(`CREATE TEMP VIEW s AS SELECT customer_id, rep_id, sent_at, responded_at,
  coalesce(responded_at, sent_at) AS ended_at FROM ${read(surveysPath)}`);
await sql.run(`CREATE TEMP VIEW c AS SELECT customer_id, rep_id, granted_at
  FROM ${read(concessionsPath)}`);

// one row per (survey, concession of its customer) in [s − 7 d, e + 7 d): which window, and whether the survey's rep granted it
const pairs =
  strategy === 'range'
    ? `SELECT s.rep_id, s.sent_at AS s_t, s.ended_at AS e_t, c.granted_at AS g_t,
         s.rep_id = c.rep_id AS same
       FROM s JOIN c ON c.customer_id = s.customer_id
         AND c.granted_at >= s.sent_at - INTERVAL 7 DAY AND c.granted_at < s.ended_at + INTERVAL 7 DAY`
    : `WITH se AS (
         SELECT customer_id, rep_id, epoch_ms(sent_at) AS s_t, epoch_ms(ended_at) AS e_t FROM s),
       sb AS (
         SELECT *, unnest(range((s_t - ${WEEK_MS}) // ${WEEK_MS}, (e_t + ${WEEK_MS} - 1) // ${WEEK_MS} + 1)) AS bucket
         FROM se),
       cb AS (
         SELECT customer_id, rep_id, epoch_ms(granted_at) AS g_t, epoch_ms(granted_at) // ${WEEK_MS} AS bucket FROM c)
       SELECT sb.rep_id, sb.s_t, sb.e_t, cb.g_t, sb.rep_id = cb.rep_id AS same
       FROM sb JOIN cb ON cb.customer_id = sb.customer_id AND cb.bucket = sb.bucket
       WHERE cb.g_t >= sb.s_t - ${WEEK_MS} AND cb.g_t < sb.e_t + ${WEEK_MS}`;
const window = (lo, hi) => `g_t >= ${lo} AND g_t < ${hi}`;
const week = strategy === 'range' ? 'INTERVAL 7 DAY' : WEEK_MS;
const before = window(`s_t - ${week}`, 's_t');
const during = window('s_t', 'e_t');
const after = window('e_t', `e_t + ${week}`);
const count = (where) => `count(*) FILTER (WHERE ${where})`;
const rows = (
  await sql.runAndReadAll(`
  WITH p AS (${pairs}),
  features AS (
    SELECT rep_id,
      ${count(before)} AS before_any, ${count(`${before} AND same`)} AS before_same,
      ${count(during)} AS during_any, ${count(`${during} AND same`)} AS during_same,
      ${count(after)} AS after_any, ${count(`${after} AND same`)} AS after_same
    FROM p WHERE rep_id IS NOT NULL GROUP BY rep_id),
  invitations AS (
    SELECT rep_id, count(*) AS surveys, count(responded_at) AS answered FROM s WHERE rep_id IS NOT NULL GROUP BY rep_id)
  SELECT i.rep_id, i.surveys, i.answered,
    coalesce(before_same, 0) AS before_same, coalesce(before_any, 0) AS before_any,
    coalesce(during_same, 0) AS during_same, coalesce(during_any, 0) AS during_any,
    coalesce(after_same, 0) AS after_same, coalesce(after_any, 0) AS after_any
  FROM invitations i LEFT JOIN features f USING (rep_id) ORDER BY i.rep_id`)
).getRowObjectsJson();
writeFileSync(out, `${JSON.stringify(rows)}\n`);
