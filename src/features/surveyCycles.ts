import type { Ledgers } from '../ledger/types.js';
import { DAY_MS } from './calendar.js';
import type { CustomerIndex } from './customerIndex.js';

/**
 * A customer's survey cycles: its invitations within a day of the cycle's
 * first one (the contacts of one account are invited together; counting them
 * separately would count one cycle many times and overstate the evidence).
 * A day from the first invitation rather than a calendar day, so that
 * midnight (UTC or any zone) does not split a cycle.
 *
 * Cycle `i` of the `length` is at position `i` of each array. The arrays are
 * reused from one customer to the next: at 1M surveys a cycle object each
 * (~1M, most of them never reported) were ~130 MB of the ~1 GB account-extraction allocated.
 */
export interface SurveyCycles {
  length: number;
  /** the cycle's first invitation time */
  t: Float64Array;
  /** the cycle's first invitation (survey row) */
  survey: Int32Array;
  /** the first score given in the cycle, -1 when nobody answered */
  ltr: Int8Array;
  /** filled by the caller */
  concessionAmount: Float64Array;
}

/** Room for the cycles of any customer of `invited` (at most one a invitation). */
export function surveyCyclesFor(invited: CustomerIndex): SurveyCycles {
  let most = 0;
  for (let c = 0; c + 1 < invited.offsets.length; c++)
    most = Math.max(most, invited.offsets[c + 1] - invited.offsets[c]);
  return {
    length: 0,
    t: new Float64Array(most),
    survey: new Int32Array(most),
    ltr: new Int8Array(most),
    concessionAmount: new Float64Array(most),
  };
}

/** Fills `cycles` with those of `customer` (`invited`: the survey ledger indexed by `sentAt`). */
export function cyclesOf(
  invited: CustomerIndex,
  customer: number,
  surveys: Ledgers['surveys'],
  cycles: SurveyCycles,
): void {
  let n = 0;
  for (let j = invited.offsets[customer]; j < invited.offsets[customer + 1]; j++) {
    const t = invited.times[j];
    const survey = invited.order[j];
    if (n > 0 && t - cycles.t[n - 1] < DAY_MS) {
      if (cycles.ltr[n - 1] < 0) cycles.ltr[n - 1] = surveys.ltr[survey];
      continue;
    }
    cycles.t[n] = t;
    cycles.survey[n] = survey;
    cycles.ltr[n] = surveys.ltr[survey];
    cycles.concessionAmount[n] = 0;
    n++;
  }
  cycles.length = n;
}
