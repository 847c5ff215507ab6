/**
 * Idiomatic arquero engine of the benchmark: load both CSVs whole
 * (`aq.loadCSV`), then the per-rep features of `concession-during-survey` and
 * `concession-before-survey` as arquero verbs: an equi-join on customer and
 * rep, a window filter on epoch milliseconds, group-by roll-ups. The join
 * materialises every (concession, invitation) pair of a customer and rep, as
 * an analyst's first version would. Writes the per-rep aggregates as JSON.
 * Usage: node arquero.mjs <surveys.csv> <concessions.csv> <out.json>
 */
import { writeFileSync } from 'node:fs';
import * as aq from 'arquero';

const { op } = aq;

const [surveysPath, concessionsPath, out] = process.argv.slice(2);
const DAY = 86_400_000;
const WINDOW = 7 * DAY;
const PLAIN = ['goodwill', 'retention', 'loyalty', 'other', 'none', 'n/a', 'unknown'];

// ids stay text; timestamps become epoch ms while parsing (arquero's parse option)
const epoch = (v) => (v ? Date.parse(v) : null);
const text = { parse: { sent_at: epoch, responded_at: epoch, granted_at: epoch, amount: Number } };
const id = (v) => (v == null || v === '' ? null : String(v));
for (const c of ['survey_id', 'customer_id', 'rep_id', 'concession_id', 'category', 'reason'])
  text.parse[c] = id;
const surveys = (await aq.loadCSV(surveysPath, { ...text, autoType: false }))
  .select('survey_id', 'customer_id', 'rep_id', 'sent_at', 'responded_at')
  .filter((d) => d.rep_id != null)
  .rename({ sent_at: 'sent', responded_at: 'responded' });
const concessions = (await aq.loadCSV(concessionsPath, { ...text, autoType: false }))
  .params({ plain: PLAIN })
  .filter((d, $) => d.rep_id != null && (d.reason == null || op.includes($.plain, op.lower(d.reason))))
  .select('concession_id', 'customer_id', 'rep_id', 'granted_at', 'amount', 'category')
  .rename({ granted_at: 'granted' });

const keys = ['customer_id', 'rep_id'];
const pairs = concessions.join(surveys, [keys, keys], [aq.all(), aq.not('customer_id', 'rep_id')]);
const before = pairs
  .params({ w: WINDOW })
  .filter((d, $) => d.sent > d.granted && d.sent - d.granted <= $.w)
  .groupby('concession_id')
  .rollup({ rep_id: op.any('rep_id'), first: op.min('sent'), granted: op.any('granted') });
const beforeByRep = before
  .groupby('rep_id')
  .rollup({ before_survey: op.count() })
  .join_right(concessions.groupby('rep_id').rollup({ concessions: op.count() }), 'rep_id');
const during = pairs
  .filter((d) => d.responded != null && d.granted > d.sent && d.granted <= d.responded)
  .groupby('rep_id')
  .rollup({ during: op.count() });
const open = surveys
  .filter((d) => d.responded != null)
  .params({ day: DAY })
  .derive({ open: (d, $) => Math.min((d.responded - d.sent) / $.day, 30) })
  .groupby('rep_id')
  .rollup({ responses: op.count(), open_days: op.sum('open') });
const reps = beforeByRep.join_full(during, 'rep_id').join_full(open, 'rep_id');
writeFileSync(out, `${JSON.stringify(reps.objects())}\n`);
