import type { Ledgers } from '../ledger/types.js';
import { DAY_MS } from './calendar.js';
import { indexByCustomer, windowOf } from './customerIndex.js';

/**
 * Per customer: on how many days it obtained a concession, and how many of
 * those days fell just after one of its low scores (within `span`, before its
 * next response): the first half of a score-hostage sequence. Counting days,
 * not concessions, keeps a bundle granted together from counting several times.
 *
 * Under chance placement, a concession day falls in the post-low-score windows
 * with probability (their total length) / (the period). Legitimate detractor
 * recovery (a credit when the loop is closed) and concessions clustering near
 * surveys raise that for everyone: `uplift` is the population's observed over
 * expected count of such days, so an account is compared with the peers' habit,
 * not with pure chance.
 */
export interface ConcessionsAfterLowScores {
  days: Int32Array;
  daysAfterLow: Int32Array;
  lowScores: Int32Array;
  /** per customer: the share of the period its post-low-score windows cover */
  lowCoverage: Float64Array;
  /** per concession: 1 when it falls in the window after any response of its customer */
  afterResponse: Uint8Array;
  uplift: number;
}

/**
 * @param keep the concessions that count
 * @param period the observed period [start, end] (epoch ms)
 */
export function concessionsAfterLowScores(
  ledgers: Ledgers,
  keep: (g: number) => boolean,
  options: { span: number; lowScore: number; period: [number, number] },
): ConcessionsAfterLowScores {
  const { surveys, concessions } = ledgers;
  const customers = ledgers.ids.customer.values.length;
  const [start, end] = options.period;
  const out: ConcessionsAfterLowScores = {
    days: new Int32Array(customers),
    daysAfterLow: new Int32Array(customers),
    lowScores: new Int32Array(customers),
    lowCoverage: new Float64Array(customers),
    afterResponse: new Uint8Array(concessions.length),
    uplift: 1,
  };
  const responses = indexByCustomer(surveys.customer, surveys.respondedAt, customers, (s) =>
    Number.isFinite(surveys.respondedAt[s]),
  );
  const granted = indexByCustomer(concessions.customer, concessions.grantedAt, customers, keep);
  const afterLow = new Uint8Array(concessions.length);
  for (let c = 0; c < customers; c++) {
    const to = responses.offsets[c + 1];
    for (let j = responses.offsets[c]; j < to; j++) {
      const from = responses.times[j];
      const until = Math.min(from + options.span, j + 1 < to ? responses.times[j + 1] : Infinity, end);
      if (until <= from) continue;
      const ltr = surveys.ltr[responses.order[j]];
      const low = ltr >= 0 && ltr <= options.lowScore;
      if (low) {
        out.lowScores[c]++;
        out.lowCoverage[c] += (until - from) / (end - start);
      }
      // (from, until]: a concession at the very moment of the response does not follow it
      const [gFrom, gTo] = windowOf(granted, c, from + 1, until + 1);
      for (let x = gFrom; x < gTo; x++) {
        out.afterResponse[granted.order[x]] = 1;
        if (low) afterLow[granted.order[x]] = 1;
      }
    }
    let lastDay = Number.NaN;
    let dayAfterLow = false;
    for (let x = granted.offsets[c]; x < granted.offsets[c + 1]; x++) {
      const day = Math.floor(granted.times[x] / DAY_MS);
      if (day !== lastDay) {
        [lastDay, dayAfterLow] = [day, false];
        out.days[c]++;
      }
      if (!dayAfterLow && afterLow[granted.order[x]]) {
        dayAfterLow = true;
        out.daysAfterLow[c]++;
      }
    }
  }
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < customers; c++) {
    observed += out.daysAfterLow[c];
    expected += out.days[c] * Math.min(1, out.lowCoverage[c]);
  }
  if (expected > 0 && observed > expected) out.uplift = observed / expected;
  return out;
}
