/**
 * Idiomatic arquero engine of the benchmark: issue #8's per-survey window
 * features and their per-rep roll-up (the definition is in
 * bench/engines/duckdb_window.mjs), as an analyst writes them with arquero's
 * verbs: `loadCSV`, an equi-join of the surveys and concessions on customer
 * (every pair of a customer's invitations and concessions is materialised),
 * a filter to the span [s − 7 d, e + 7 d), then group-by roll-ups.
 * Usage: node arquero_window.mjs <surveys.csv> <concessions.csv> <out.json>
 */
import { writeFileSync } from 'node:fs';
import * as aq from 'arquero';

const { op } = aq;
const [surveysPath, concessionsPath, out] = process.argv.slice(2);
const WEEK = 7 * 86_400_000;

const epoch = (v) => (v ? Date.parse(v) : null);
const id = (v) => (v == null || v === '' ? null : String(v));
const parse = { customer_id: id, rep_id: id, sent_at: epoch, responded_at: epoch, granted_at: epoch };
const surveys = (await aq.loadCSV(surveysPath, { parse, autoType: false }))
  .select('customer_id', 'rep_id', 'sent_at', 'responded_at')
  .derive({ ended_at: (d) => (d.responded_at == null ? d.sent_at : d.responded_at) });
const concessions = (await aq.loadCSV(concessionsPath, { parse, autoType: false })).select(
  'customer_id',
  'rep_id',
  'granted_at',
);

const pairs = surveys
  .filter((d) => d.rep_id != null)
  .join(concessions.rename({ rep_id: 'granted_by' }), 'customer_id')
  .params({ week: WEEK })
  .filter((d, $) => d.granted_at >= d.sent_at - $.week && d.granted_at < d.ended_at + $.week)
  .derive({
    same: (d) => (d.granted_by === d.rep_id ? 1 : 0),
    before: (d) => (d.granted_at < d.sent_at ? 1 : 0),
    during: (d) => (d.granted_at >= d.sent_at && d.granted_at < d.ended_at ? 1 : 0),
    after: (d) => (d.granted_at >= d.ended_at ? 1 : 0),
  });
const features = pairs.groupby('rep_id').rollup({
  before_same: (d) => op.sum(d.before * d.same),
  before_any: op.sum('before'),
  during_same: (d) => op.sum(d.during * d.same),
  during_any: op.sum('during'),
  after_same: (d) => op.sum(d.after * d.same),
  after_any: op.sum('after'),
});
const invitations = surveys
  .filter((d) => d.rep_id != null)
  .groupby('rep_id')
  .rollup({ surveys: op.count(), answered: op.valid('responded_at') });
const reps = invitations
  .join_left(features, 'rep_id')
  .orderby('rep_id')
  .objects()
  .map((r) => {
    const row = { ...r };
    for (const k of Object.keys(row)) if (k !== 'rep_id') row[k] = row[k] ?? 0;
    return row;
  });
writeFileSync(out, `${JSON.stringify(reps)}\n`);
