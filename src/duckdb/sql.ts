/**
 * The SQL of the DuckDB scale path: canonical typed tables from files or
 * tables, then the per-rep aggregates behind `concession-before-survey`
 * (peer-share basis) and `concession-during-survey`. Statistics run in JS on
 * the aggregated rows (`src/duckdb/tests.ts`).
 *
 * Portable by construction: timestamps are read as TIMESTAMPTZ and compared
 * as integer microseconds (`epoch_us`), joins are equi-joins plus a filter,
 * no engine-specific window frames. docs/warehouse-sql.md lists what changes
 * for PostgreSQL, Spark SQL, BigQuery and Snowflake.
 */

import { gunzipSync, constants as zlibConstants } from 'node:zlib';
import { categoryKey } from '../features/concessionKinds.js';
import { compressionOf, fileHead } from '../files/byte-source.js';
import { MISSING_IDS } from '../ledger/cells.js';
import { sniffDelimiterBytes } from '../ledger/csv-stream.js';
import { filesOf } from '../ledger/file-set.js';
import { PLAUSIBLE_TIMESTAMPS } from '../ledger/timestamp.js';

export const DAY_US = 86_400_000_000;

/** How the window features join concessions to surveys. */
export type JoinStrategy = 'bucket' | 'range';

/** Where a ledger comes from: a CSV/TSV/Parquet file, or a table (or view) of the connected database. */
export type SqlSource = { file: string } | { table: string };

/** A SQL string literal. */
export const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;
/** A SQL identifier (quoted). */
export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Whether a source is read with `read_csv` (not a table, not Parquet). */
export const isCsvSource = (source: SqlSource): boolean =>
  !('table' in source) && !(filesOf(source.file)?.[0] ?? source.file).toLowerCase().endsWith('.parquet');

/**
 * The relation a source reads from. A CSV record with another number of fields than the header
 * is left out (as the loader quarantines it as malformed): counted in `rejects` (DuckDB's
 * `store_rejects`, a table of the rejected lines) when given, else only skipped; a table or
 * Parquet source has no rejects. A CSV record longer than `maxRecordBytes` (default: DuckDB's
 * 2 MB; the loader's is 64 MiB) is refused.
 */
export function relationOf(source: SqlSource, rejects?: string, maxRecordBytes?: number): string {
  if ('table' in source) return source.table.split('.').map(ident).join('.');
  // a set of files (a directory or pattern) as the list of the files the in-memory path reads, in its order
  const files = filesOf(source.file);
  const from = files ? `[${files.map(literal).join(', ')}]` : literal(source.file);
  const first = files?.[0] ?? source.file;
  const lower = first.toLowerCase();
  if (lower.endsWith('.parquet')) return `read_parquet(${from})`;
  const delimiter = /\.tsv(\.gz)?$/.test(lower) ? '\t' : headerDelimiter(first);
  // every column as text: the casts below decide what is valid, as the in-memory loader does;
  // the delimiter is the loader's (DuckDB's own sniffing read a file with a short row as one
  // column), and so are the quotes, RFC 4180's (left to its sniffing, DuckDB read a quote that
  // never closes as a letter of the cell, where the loader refuses the file); DuckDB decompresses
  // a .gz file itself
  const bad = rejects
    ? `store_rejects = true, rejects_table = ${literal(rejects)}, rejects_scan = ${literal(`${rejects}_scans`)}`
    : 'ignore_errors = true';
  // DuckDB's larger line limit costs it time on every file (1M concessions: 0.40 → 0.74 s at
  // 64 MiB): only when asked for
  const longest = maxRecordBytes === undefined ? '' : `, max_line_size = ${Math.round(maxRecordBytes)}`;
  return `read_csv(${from}, header = true, all_varchar = true, delim = ${literal(delimiter)}, quote = '"', escape = '"', ${bad}${longest})`;
}

/**
 * The delimiter the in-memory loader would sniff from the file's header line (`sniffDelimiterBytes`),
 * gzip or not; `,` when the file cannot be read (DuckDB then reports it).
 */
function headerDelimiter(path: string): string {
  let head: Buffer;
  try {
    head = fileHead(path, 1 << 16);
    // the first bytes of a gzip file: as much of the content as they hold
    if (compressionOf(head) === 'gzip') head = gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  } catch {
    return ',';
  }
  const from = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  return sniffDelimiterBytes(head, from, head.length);
}

/**
 * Canonical column → the source's column name: one flat mapping for both ledgers (a canonical
 * name not in it is its own name), or one per ledger as `analyzeWithDuckDb` resolves them from
 * the sources' columns, where `null` marks an optional column the ledger does not have (read as
 * NULL, as the in-memory loader reads it as empty).
 */
export type SqlColumns =
  | Record<string, string>
  | { surveys: Record<string, string | null>; concessions: Record<string, string | null> };

/**
 * An id as the loader reads it: trimmed, NFC-normalised, empty or a MISSING_IDS spelling → NULL.
 * `list_contains`, not `IN (…)`: DuckDB plans a long IN list as a join, which gave up the file's
 * order of the rows (see `stageSql`).
 */
const text = (column: string | null) => {
  if (column === null) return 'CAST(NULL AS VARCHAR)';
  const trimmed = `trim(CAST(${ident(column)} AS VARCHAR))`;
  const missing = [...MISSING_IDS].map(literal).join(', ');
  return `CASE WHEN list_contains([${missing}], ${trimmed}) THEN NULL ELSE NULLIF(nfc_normalize(${trimmed}), '') END`;
};
/**
 * A timestamp as the loader reads it. DuckDB's cast reads ISO-8601 with or without `T`, `Z`,
 * `±HH[:MM]` and ` UTC`, but not a space before a numeric offset, as SQL Server writes a
 * datetimeoffset (`2025-03-01 10:00:00.0000000 +00:00`): such a value is cast again without
 * the space (only where the first cast failed, so ISO text pays nothing).
 */
const timestamp = (column: string | null) => {
  if (column === null) return 'CAST(NULL AS TIMESTAMPTZ)';
  const spaced = `regexp_replace(trim(CAST(${ident(column)} AS VARCHAR)), '\\s+([+-]\\d{2}(:?\\d{2})?)$', '\\1')`;
  return `COALESCE(TRY_CAST(${ident(column)} AS TIMESTAMPTZ), TRY_CAST(${spaced} AS TIMESTAMPTZ))`;
};
const number = (column: string | null) =>
  column === null ? 'CAST(NULL AS DOUBLE)' : `TRY_CAST(${ident(column)} AS DOUBLE)`;
/** `categoryKey` in SQL: lower case, runs of spaces, hyphens and underscores as one underscore. */
const categoryKeySql = (column: string) => `regexp_replace(lower(${column}), '[\\s_-]+', '_', 'g')`;
/** The loader's plausible range (PLAUSIBLE_TIMESTAMPS): 1980 to the end of 2099, in epoch microseconds. */
const plausible = (column: string) =>
  `epoch_us(${column}) >= ${PLAUSIBLE_TIMESTAMPS.from * 1000} AND epoch_us(${column}) < ${PLAUSIBLE_TIMESTAMPS.to * 1000}`;

/**
 * `surveys` and `concessions` as typed temp tables with a `row` number (file
 * order, 1-based, as the in-memory ledgers' `sourceRow`) and epoch
 * microseconds. Rows the loader would quarantine for a missing id, customer
 * or timestamp, a timestamp outside 1980–2099, or a bad amount or category,
 * are left out; the SQL path does not re-implement the rest of the
 * validation (duplicate ids, score scales):
 * validate the ledgers first (`nps-gaming validate`, or warehouse constraints).
 * `columns` maps a canonical name to the source's name.
 *
 * Each ledger is read and typed once, into `ng_<ledger>_raw` with a `kept` flag; `ng_surveys`,
 * `ng_concessions` and `ng_given` are views of it. Measured against a table each (the same
 * findings): 1M surveys + 2M concessions 2.27–2.43 → 1.98–2.05 s, and at 10M + 20M under a 4 GB
 * memory limit 29.8–33.9 → 18.6–20.0 s, where the copies had spilled to disk.
 *
 * `row` is the raw table's `rowid + 1`: the order the rows were stored in, which is the scan's,
 * since staging keeps the order of the files (per-row casts and checks, no join;
 * `analyzeWithDuckDb` stages with `preserve_insertion_order` on). Numbering with
 * `row_number() OVER ()` in the staging scan gave the same numbers but held the casts up on one
 * thread (1M + 2M: staging 3.3 s → 1.5 s; test/duckdb/staging-order.test.ts).
 */
export function stageSql(
  surveys: SqlSource,
  concessions: SqlSource,
  columns: SqlColumns = {},
  nonRecoveryReasons: readonly string[],
  maxRecordBytes?: number,
): string[] {
  const perLedger = typeof columns.surveys === 'object' && columns.surveys !== null;
  const name = (ledger: 'surveys' | 'concessions', canonical: string): string | null => {
    if (!perLedger) return (columns as Record<string, string>)[canonical] ?? canonical;
    const named = (columns as Extract<SqlColumns, { surveys: object }>)[ledger][canonical];
    return named === undefined ? canonical : named;
  };
  const s = (canonical: string) => name('surveys', canonical);
  const k = (canonical: string) => name('concessions', canonical);
  const plain = nonRecoveryReasons.map((r) => literal(r.toLowerCase())).join(', ');
  // DuckDB appends to a rejects table: a connection's earlier run must not count here
  const drops = (['surveys', 'concessions'] as const)
    .filter((ledger) => isCsvSource({ surveys, concessions }[ledger]))
    .flatMap((ledger) => [
      `DROP TABLE IF EXISTS ${rejectsTable(ledger)}`,
      `DROP TABLE IF EXISTS ${rejectsTable(ledger)}_scans`,
    ]);
  return [
    ...drops,
    `CREATE OR REPLACE TEMP TABLE ng_surveys_raw AS
SELECT *, epoch_us(sent_at) AS sent, epoch_us(responded_at) AS responded,
  survey_id IS NOT NULL AND customer_id IS NOT NULL AND sent_at IS NOT NULL
  AND (responded_at IS NULL OR responded_at >= sent_at) AND ${plausible('sent_at')}
  AND (responded_at IS NULL OR ${plausible('responded_at')}) AS kept
FROM (SELECT ${text(s('survey_id'))} AS survey_id, ${text(s('customer_id'))} AS customer_id,
  ${text(s('rep_id'))} AS rep_id, ${timestamp(s('sent_at'))} AS sent_at, ${timestamp(s('responded_at'))} AS responded_at
  FROM ${relationOf(surveys, rejectsTable('surveys'), maxRecordBytes)})`,
    malformedSql('surveys', surveys),
    `CREATE OR REPLACE TEMP VIEW ng_surveys AS
SELECT rowid + 1 AS row, survey_id, customer_id, rep_id, sent_at, responded_at, sent, responded
FROM ng_surveys_raw WHERE kept`,
    `CREATE OR REPLACE TEMP TABLE ng_concessions_raw AS
SELECT *, epoch_us(granted_at) AS granted, (reason IS NOT NULL AND NOT list_contains([${plain}], lower(reason))) AS recovery,
  concession_id IS NOT NULL AND customer_id IS NOT NULL AND granted_at IS NOT NULL AND ${plausible('granted_at')}
  AND amount IS NOT NULL AND amount >= 0 AND amount <= 1e12 AND category IS NOT NULL AS kept
FROM (SELECT ${text(k('concession_id'))} AS concession_id,
  ${text(k('customer_id'))} AS customer_id, ${text(k('rep_id'))} AS rep_id, ${timestamp(k('granted_at'))} AS granted_at,
  ${number(k('amount'))} AS amount, ${text(k('category'))} AS category,
  ${text(k('reason'))} AS reason
  FROM ${relationOf(concessions, rejectsTable('concessions'), maxRecordBytes)})`,
    malformedSql('concessions', concessions),
    `CREATE OR REPLACE TEMP VIEW ng_concessions AS
SELECT rowid + 1 AS row, concession_id, customer_id, rep_id, granted_at, amount, category, reason, granted, recovery
FROM ng_concessions_raw WHERE kept`,
    // non-recovery concessions with a rep: the ones timing tests look at
    `CREATE OR REPLACE TEMP VIEW ng_given AS
SELECT row, concession_id, customer_id, rep_id, granted_at, granted, amount, category
FROM ng_concessions WHERE rep_id IS NOT NULL AND NOT recovery`,
  ];
}

/** The table of a ledger's rejected CSV records (DuckDB's `store_rejects`); its scans are in `<name>_scans`. */
export const rejectsTable = (ledger: 'surveys' | 'concessions') => `ng_${ledger}_rejects`;

/** The rejected CSV records the loader would quarantine as malformed (another number of fields). */
export const FIELD_COUNT_ERRORS = "error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS')";

/**
 * `ng_<ledger>_malformed(n)`: the CSV records left out for another number of fields (one line
 * can be rejected once per missing column: counted once), 0 for a table or Parquet. Records
 * rejected for another reason (text that is not UTF-8, a stray quote) are not counted here:
 * `analyzeWithDuckDb` stops on them, since the loader would read them.
 */
function malformedSql(ledger: 'surveys' | 'concessions', source: SqlSource): string {
  const count = isCsvSource(source)
    ? `SELECT CAST(count(DISTINCT (file_id, line)) AS DOUBLE) AS n FROM ${rejectsTable(ledger)} WHERE ${FIELD_COUNT_ERRORS}`
    : 'SELECT CAST(0 AS DOUBLE) AS n';
  return `CREATE OR REPLACE TEMP TABLE ng_${ledger}_malformed AS ${count}`;
}

/** Reps in the order the in-memory loader codes them: first seen in surveys, then in concessions. */
export const repOrderSql = `
SELECT rep_id, CAST(min(k) AS DOUBLE) AS k FROM (
  SELECT rep_id, row AS k FROM ng_surveys WHERE rep_id IS NOT NULL
  UNION ALL
  SELECT rep_id, row + (SELECT count(*) FROM ng_surveys_raw) AS k FROM ng_concessions WHERE rep_id IS NOT NULL
) GROUP BY rep_id ORDER BY k`;

/**
 * Each non-recovery concession with the first invitation by the same rep to
 * the same customer in (granted, granted + window]: `ng_before(row, sent, survey_id)`.
 *
 * - `bucket`: integer epochs, and an equi-join on customer, rep and a
 *   window-wide time bucket (the invitation's bucket is the concession's or
 *   the next), then the exact filter; no pair outside the window's two
 *   buckets is ever formed. Pays off when the equality keys are coarse.
 * - `range` (the way an analyst first writes it, and the default): a join on
 *   customer and rep with a timestamp range ± INTERVAL. With customer and rep
 *   as keys few pairs remain per key, and DuckDB measured it as fast or
 *   faster (docs/benchmarks.md).
 */
export function beforeSurveySql(windowUs: number, strategy: JoinStrategy): string {
  const pairs =
    strategy === 'bucket'
      ? `WITH g AS (SELECT row, customer_id, rep_id, granted, CAST(floor(granted / ${windowUs}) AS BIGINT) AS b FROM ng_given),
s AS (SELECT row, survey_id, customer_id, rep_id, sent, CAST(floor(sent / ${windowUs}) AS BIGINT) AS b
      FROM ng_surveys WHERE rep_id IS NOT NULL),
pairs AS (
  SELECT g.row AS grow, s.row AS srow, s.sent, s.survey_id FROM g JOIN s
    ON s.customer_id = g.customer_id AND s.rep_id = g.rep_id AND s.b = g.b
  WHERE s.sent > g.granted AND s.sent - g.granted <= ${windowUs}
  UNION ALL
  SELECT g.row, s.row, s.sent, s.survey_id FROM g JOIN s
    ON s.customer_id = g.customer_id AND s.rep_id = g.rep_id AND s.b = g.b + 1
  WHERE s.sent > g.granted AND s.sent - g.granted <= ${windowUs})`
      : `WITH pairs AS (
  SELECT g.row AS grow, s.row AS srow, s.sent, s.survey_id
  FROM ng_given g JOIN ng_surveys s ON s.customer_id = g.customer_id AND s.rep_id = g.rep_id
  WHERE s.sent_at > g.granted_at AND s.sent_at <= g.granted_at + to_microseconds(${Math.round(windowUs)}))`;
  return `CREATE OR REPLACE TEMP TABLE ng_before AS
${pairs}
SELECT grow AS row, min(sent) AS sent, arg_min(survey_id, [sent, srow]) AS survey_id FROM pairs GROUP BY grow`;
}

/** Per rep: the counts and evidence of `concession-before-survey` (run after {@link beforeSurveySql}). */
export function beforeSurveyAggregatesSql(
  windowDays: number,
  nonRevenueCategories: readonly string[],
  maxExamples = 20,
): string {
  const lastBin = Math.ceil(windowDays);
  const nonRevenue = nonRevenueCategories.map((c) => literal(categoryKey(c))).join(', ') || 'NULL';
  return `WITH c AS (
  SELECT g.*, b.sent, b.survey_id, b.sent IS NOT NULL AS before,
    least(${lastBin}, CAST(floor((b.sent - g.granted) / ${DAY_US}) AS BIGINT)) AS lag_day
  FROM ng_given g LEFT JOIN ng_before b ON b.row = g.row),
ranked AS (SELECT *, row_number() OVER (PARTITION BY rep_id, before ORDER BY row) AS k FROM c),
lags AS (SELECT rep_id, list([CAST(lag_day AS DOUBLE), CAST(n AS DOUBLE)]) AS lags
  FROM (SELECT rep_id, lag_day, count(*) AS n FROM c WHERE before GROUP BY rep_id, lag_day) GROUP BY rep_id),
mix AS (SELECT rep_id, list([category, CAST(n AS VARCHAR)] ORDER BY first) AS mix
  FROM (SELECT rep_id, category, count(*) AS n, min(row) AS first FROM c WHERE before GROUP BY rep_id, category)
  GROUP BY rep_id),
recovery AS (SELECT rep_id, CAST(count(*) AS DOUBLE) AS recovery
  FROM ng_concessions WHERE rep_id IS NOT NULL AND recovery GROUP BY rep_id),
agg AS (SELECT rep_id,
  CAST(count(*) AS DOUBLE) AS concessions,
  CAST(count(*) FILTER (WHERE before) AS DOUBLE) AS before_survey,
  coalesce(sum(amount) FILTER (WHERE before), 0) AS amount_before,
  coalesce(sum(amount) FILTER (WHERE NOT before), 0) AS amount_other,
  CAST(count(*) FILTER (WHERE before AND ${categoryKeySql('category')} IN (${nonRevenue})) AS DOUBLE) AS non_revenue_before,
  list(concession_id || '→' || survey_id ORDER BY row) FILTER (WHERE before AND k <= ${maxExamples}) AS examples
  FROM ranked GROUP BY rep_id)
SELECT coalesce(agg.rep_id, recovery.rep_id) AS rep_id, coalesce(concessions, 0) AS concessions,
  coalesce(before_survey, 0) AS before_survey, coalesce(amount_before, 0) AS amount_before,
  coalesce(amount_other, 0) AS amount_other, coalesce(non_revenue_before, 0) AS non_revenue_before,
  coalesce(recovery.recovery, 0) AS recovery, examples, lags.lags, mix.mix
FROM agg FULL JOIN recovery ON recovery.rep_id = agg.rep_id
LEFT JOIN lags ON lags.rep_id = coalesce(agg.rep_id, recovery.rep_id)
LEFT JOIN mix ON mix.rep_id = coalesce(agg.rep_id, recovery.rep_id)`;
}

/**
 * Per rep: answered invitations, the days they stood open (each capped at
 * maxOpenDays; overlapping ones of the same customer merged into one span, by
 * gaps and islands), the non-recovery concessions it granted the customer
 * within such a span (each once) with the first examples, its non-recovery
 * concessions and the customers it served; plus the period (one row, rep
 * NULL) over all invitations and those concessions.
 *
 * `bucket` expands each answered invitation into the days it stood open and
 * equi-joins on customer, rep and day; `range` joins on customer and rep with
 * a range condition on the epoch microseconds.
 */
export function duringSurveySql(maxOpenDays: number, strategy: JoinStrategy, maxExamples = 20): string {
  const pairs =
    strategy === 'bucket'
      ? `days AS (SELECT srow, survey_id, customer_id, rep_id, sent, until,
    unnest(range(CAST(floor(sent / ${DAY_US}) AS BIGINT), CAST(floor(until / ${DAY_US}) AS BIGINT) + 1)) AS b FROM spans),
g AS (SELECT *, CAST(floor(granted / ${DAY_US}) AS BIGINT) AS b FROM ng_given),
pairs AS (SELECT d.rep_id, d.srow, d.survey_id, g.row AS grow, g.granted, g.concession_id
  FROM days d JOIN g ON g.customer_id = d.customer_id AND g.rep_id = d.rep_id AND g.b = d.b
  WHERE g.granted > d.sent AND g.granted <= d.until)`
      : `pairs AS (SELECT m.rep_id, m.srow, m.survey_id, g.row AS grow, g.granted, g.concession_id
  FROM spans m JOIN ng_given g ON g.customer_id = m.customer_id AND g.rep_id = m.rep_id
  WHERE g.granted > m.sent AND g.granted <= m.until)`;
  return `WITH answered AS (SELECT * FROM ng_surveys WHERE rep_id IS NOT NULL AND responded IS NOT NULL),
capped AS (SELECT row, survey_id, customer_id, rep_id, sent, least(responded, sent + ${maxOpenDays} * ${DAY_US}) AS until FROM answered),
marked AS (SELECT *, CASE WHEN sent < max(until) OVER (PARTITION BY customer_id, rep_id ORDER BY sent, row
  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) THEN 0 ELSE 1 END AS starts FROM capped),
islands AS (SELECT *, sum(starts) OVER (PARTITION BY customer_id, rep_id ORDER BY sent, row ROWS UNBOUNDED PRECEDING) AS island FROM marked),
spans AS (SELECT customer_id, rep_id, min(sent) AS sent, max(until) AS until,
  max(CASE WHEN starts = 1 THEN row END) AS srow, max(CASE WHEN starts = 1 THEN survey_id END) AS survey_id
  FROM islands GROUP BY customer_id, rep_id, island),
${pairs},
ranked AS (SELECT *, row_number() OVER (PARTITION BY rep_id ORDER BY srow, granted, grow) AS k FROM pairs),
during AS (SELECT rep_id, CAST(count(*) AS DOUBLE) AS during,
  list(concession_id || ' in ' || survey_id ORDER BY k) FILTER (WHERE k <= ${maxExamples}) AS examples
  FROM ranked GROUP BY rep_id),
open AS (SELECT a.rep_id, a.responses, o.open_days FROM
  (SELECT rep_id, CAST(count(*) AS DOUBLE) AS responses FROM answered GROUP BY rep_id) a
  JOIN (SELECT rep_id, CAST(sum(until - sent) AS DOUBLE) / ${DAY_US} AS open_days FROM spans GROUP BY rep_id) o
  ON o.rep_id = a.rep_id),
given AS (SELECT rep_id, CAST(count(*) AS DOUBLE) AS given FROM ng_given GROUP BY rep_id),
served AS (SELECT rep_id, CAST(count(DISTINCT customer_id) AS DOUBLE) AS customers FROM (
  SELECT rep_id, customer_id FROM ng_surveys WHERE rep_id IS NOT NULL
  UNION ALL SELECT rep_id, customer_id FROM ng_given) GROUP BY rep_id),
period AS (SELECT CAST(min(t) AS DOUBLE) AS start_us, CAST(max(t) AS DOUBLE) AS end_us FROM (
  SELECT sent AS t FROM ng_surveys UNION ALL SELECT granted FROM ng_given))
SELECT served.rep_id, coalesce(responses, 0) AS responses, coalesce(open_days, 0) AS open_days,
  coalesce(during.during, 0) AS during, during.examples, coalesce(given.given, 0) AS given, served.customers,
  period.start_us, period.end_us
FROM served CROSS JOIN period
LEFT JOIN open ON open.rep_id = served.rep_id
LEFT JOIN during ON during.rep_id = served.rep_id
LEFT JOIN given ON given.rep_id = served.rep_id`;
}
