import { addMonths } from '../features/calendar.js';
import { DEFAULT_NON_RECOVERY_REASONS, recoveryMask } from '../features/concessionKinds.js';
import { type CustomerIndex, indexByCustomer, windowOf } from '../features/customerIndex.js';
import type { Test } from '../findings/types.js';
import type { Ledgers } from '../ledger/types.js';
import { numberOption, stringListOption } from '../options.js';
import { fisherExact } from '../stats/fisherExact.js';
import { wilsonInterval } from '../stats/wilsonInterval.js';
import { DAY_MS, percent, round } from './format.js';
import type { Detector, DetectorResult } from './types.js';

/** Options of {@link detectAccountExtraction}. */
export interface AccountExtractionOptions {
  /** Days before an invitation in which a concession counts as "before the survey". Default 7. */
  windowDays?: number;
  /** Customers with fewer invitations (survey cycles) are not tested. Default 4. */
  minSurveys?: number;
  /** Placebo windows: the same window shifted by ±1..±placeboMonths calendar months. Default 2. */
  placeboMonths?: number;
  /** Reasons that do not mark service recovery. Default {@link DEFAULT_NON_RECOVERY_REASONS}. */
  nonRecoveryReasons?: string[];
  /** ltr at or below this is a low score in score-hostage sequences. Default 6. */
  lowScore?: number;
  /** ltr at or above this is a high score in score-hostage sequences. Default 9. */
  highScore?: number;
}

const hasAny = (index: CustomerIndex, customer: number, start: number, end: number) => {
  const [from, to] = windowOf(index, customer, start, end);
  return to > from;
};

/**
 * `account-extraction` (customer): accounts that receive concessions before
 * survey after survey, more than chance given their own concession rate.
 *
 * For each customer with at least `minSurveys` invitations, count the
 * invitations preceded by a (non-recovery) concession within `windowDays`,
 * and the same for placebo windows: each invitation's window shifted by whole
 * calendar months (so that the billing-cycle phase, where billing credits and
 * billing-triggered surveys cluster, is the same), inside the observed period
 * and not overlapping any real pre-survey window. A one-sided Fisher exact
 * test compares the two hit rates. Evidence: the amounts cycle by cycle
 * (escalation) and score-hostage sequences (a low score, then a concession,
 * then a high score on the next survey).
 */
export function detectAccountExtraction(
  ledgers: Ledgers,
  options: AccountExtractionOptions = {},
): DetectorResult {
  const o = options as Record<string, unknown>;
  const windowDays = numberOption(o, 'windowDays', 7, { min: 0.01, max: 120 });
  const minSurveys = numberOption(o, 'minSurveys', 4, { min: 2, integer: true });
  const placeboMonths = numberOption(o, 'placeboMonths', 2, { min: 1, max: 12, integer: true });
  const lowScore = numberOption(o, 'lowScore', 6, { min: 0, max: 10 });
  const highScore = numberOption(o, 'highScore', 9, { min: 0, max: 10 });
  const nonRecovery = stringListOption(o, 'nonRecoveryReasons', DEFAULT_NON_RECOVERY_REASONS);
  const { surveys, concessions, ids } = ledgers;
  if (concessions.length === 0) return { ran: false, reason: 'the concession ledger is empty' };

  const window = windowDays * DAY_MS;
  const customers = ids.customer.values.length;
  const recovery = recoveryMask(concessions, ids, nonRecovery);
  const granted = indexByCustomer(
    concessions.customer,
    concessions.grantedAt,
    customers,
    (g) => recovery[g] === 0,
  );
  const invited = indexByCustomer(surveys.customer, surveys.sentAt, customers);
  let periodStart = Infinity;
  let periodEnd = -Infinity;
  for (const t of surveys.sentAt)
    [periodStart, periodEnd] = [Math.min(periodStart, t), Math.max(periodEnd, t)];
  for (const t of concessions.grantedAt)
    [periodStart, periodEnd] = [Math.min(periodStart, t), Math.max(periodEnd, t)];

  const tests: Test[] = [];
  const table: Record<string, unknown>[] = [];
  for (let c = 0; c < customers; c++) {
    const from = invited.offsets[c];
    const to = invited.offsets[c + 1];
    if (to - from < minSurveys) continue;
    let hits = 0;
    let placeboHits = 0;
    let placeboWindows = 0;
    const cycles: { survey: string; sentAt: string; concessionAmount: number; ltr: number }[] = [];
    for (let j = from; j < to; j++) {
      const t = invited.times[j];
      const survey = invited.order[j];
      const [gFrom, gTo] = windowOf(granted, c, t - window, t);
      let amount = 0;
      for (let x = gFrom; x < gTo; x++) amount += concessions.amount[granted.order[x]];
      if (gTo > gFrom) hits++;
      cycles.push({
        survey: surveys.surveyId[survey],
        sentAt: new Date(t).toISOString(),
        concessionAmount: round(amount, 2),
        ltr: surveys.ltr[survey],
      });
      for (let k = -placeboMonths; k <= placeboMonths; k++) {
        if (k === 0) continue;
        const end = addMonths(t, k);
        const start = end - window;
        if (start < periodStart || end > periodEnd) continue;
        placeboWindows++;
        if (hasAny(granted, c, start, end)) placeboHits++;
      }
    }
    const n = to - from;
    const row = {
      customer: ids.customer.values[c],
      surveys: n,
      hits,
      placeboWindows,
      placeboHits,
      tested: placeboWindows > 0,
    };
    table.push(row);
    if (placeboWindows === 0) continue;

    const id = ids.customer.values[c];
    const rate = hits / n;
    const placeboRate = placeboHits / placeboWindows;
    const fisher = fisherExact(hits, n - hits, placeboHits, placeboWindows - placeboHits, {
      alternative: 'greater',
    });
    const [low, high] = wilsonInterval(hits, n);
    const amounts = cycles.filter((x) => x.concessionAmount > 0).map((x) => x.concessionAmount);
    let hostage = 0;
    for (let i = 1; i < cycles.length; i++) {
      const before = cycles[i - 1].ltr;
      const after = cycles[i].ltr;
      if (before >= 0 && before <= lowScore && cycles[i].concessionAmount > 0 && after >= highScore)
        hostage++;
    }
    tests.push({
      detector: 'account-extraction',
      entity: { type: 'customer', id },
      effect: round(rate - placeboRate),
      effectLabel: `excess share of the account's surveys preceded by a concession within ${windowDays} days, vs other times`,
      ci: [round(low - placeboRate), round(high - placeboRate)],
      pValue: fisher.pValue,
      evidence: {
        surveys: n,
        surveysPrecededByConcession: hits,
        placeboWindows,
        placeboHits,
        escalating: amounts.length >= 3 && amounts.every((a, i) => i === 0 || a >= amounts[i - 1]),
        hostageSequences: hostage,
        cycles: cycles.slice(0, 24),
      },
      summary:
        `${id} received a concession before ${hits} of its ${n} surveys (${percent(rate)}) vs ${placeboHits} of ` +
        `${placeboWindows} comparable windows at other times (${percent(placeboRate)})` +
        (amounts.length >= 2 ? `; amounts went from ${amounts[0]} to ${amounts[amounts.length - 1]}` : '') +
        (hostage ? `; ${hostage} low score → concession → high score sequence(s).` : '.'),
    });
  }
  if (table.length === 0) return { ran: false, reason: `no customer has ${minSurveys} or more invitations` };
  return { ran: true, tests, table };
}

export const accountExtractionDetector: Detector = {
  id: 'account-extraction',
  description:
    'Accounts that receive concessions before survey after survey, beyond their concessions at other times.',
  run: (ledgers, options) => detectAccountExtraction(ledgers, options),
};
