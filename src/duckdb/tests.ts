import { CONCESSIONS_LABEL } from '../detectors/concessionBeforeSurvey.js';
import { DAY_MS, percent, round } from '../detectors/format.js';
import { compareWithPeers, fitPeerPrior } from '../detectors/repPeers.js';
import type { DetectorResult } from '../detectors/types.js';
import type { Test } from '../findings/types.js';
import { poissonRateRatioTest } from '../stats/poissonRateRatioTest.js';
import { poissonTest } from '../stats/poissonTest.js';
import { wilsonInterval } from '../stats/wilsonInterval.js';

/**
 * The statistics of the SQL path, on the per-rep aggregates of `sql.ts`: the
 * same tests, effects and evidence as `detectConcessionBeforeSurvey` (its
 * peer-share basis, used when there is no interaction ledger) and
 * `detectConcessionDuringSurvey`. test/duckdb checks that both paths give
 * identical findings on simulated worlds, so a change to either detector's
 * statistics that is not mirrored here fails there.
 */

/** One rep's `concession-before-survey` aggregates (from `beforeSurveyAggregatesSql`). */
export interface BeforeSurveyAggregate {
  rep: string;
  concessions: number;
  beforeSurvey: number;
  recovery: number;
  amountBefore: number;
  amountOther: number;
  nonRevenueBefore: number;
  /** category → concessions before a survey, in first-seen order */
  categories: [string, number][];
  /** lag in whole days (capped at ceil(windowDays)) → count */
  lags: [number, number][];
  examples: string[];
}

/** `concession-before-survey` without interactions, from aggregates given in rep-code order. */
export function beforeSurveyTests(
  reps: BeforeSurveyAggregate[],
  { windowDays, minConcessions }: { windowDays: number; minConcessions: number },
): DetectorResult {
  const eligible = reps.filter((r) => r.concessions >= minConcessions);
  if (eligible.length < 3) {
    return {
      ran: false,
      reason: `fewer than 3 reps have at least ${minConcessions} non-recovery concessions`,
    };
  }
  const prior = fitPeerPrior(
    eligible.map((r) => r.beforeSurvey),
    eligible.map((r) => r.concessions),
    'upper',
  );
  const tests: Test[] = eligible.map((s) => {
    const k = s.beforeSurvey;
    const n = s.concessions;
    const c = compareWithPeers(k, n, prior, 'upper');
    const ci = wilsonInterval(k, n);
    const expected = prior.mean;
    const otherCount = n - k;
    const nonRevenueShare = k ? s.nonRevenueBefore / k : 0;
    const lagHistogramDays = new Array<number>(Math.ceil(windowDays) + 1).fill(0);
    for (const [day, count] of s.lags) lagHistogramDays[day] += count;
    return {
      detector: 'concession-before-survey',
      entity: { type: 'rep', id: s.rep },
      effect: round(c.rate - expected),
      effectLabel: CONCESSIONS_LABEL(windowDays),
      ci: [round(ci[0] - expected), round(ci[1] - expected)],
      pValue: Math.min(1, Math.max(0, c.pValue)),
      evidence: {
        basis: 'concessions',
        share: round(c.rate),
        expectedShare: round(expected),
        otherTimesShare: round(expected),
        peerShare: round(expected),
        shrunkShare: round(c.shrunkRate),
        concessions: n,
        concessionsBeforeSurvey: k,
        recoveryExcluded: s.recovery,
        meanAmountBefore: round(k ? s.amountBefore / k : 0, 2),
        meanAmountOther: round(otherCount ? s.amountOther / otherCount : 0, 2),
        nonRevenueShareBefore: round(nonRevenueShare),
        categoryMixBefore: Object.fromEntries(s.categories),
        lagHistogramDays,
        examples: s.examples,
      },
      summary:
        `${s.rep}: ${percent(c.rate)} of its ${n} concessions came in the ${windowDays} days before it surveyed ` +
        `the same customer, vs ${percent(expected)} for peers` +
        (k ? `; ${percent(nonRevenueShare)} of those were non-revenue items.` : '.'),
    };
  });
  const tested = new Set(eligible.map((r) => r.rep));
  const table = reps.map((s) => ({
    rep: s.rep,
    concessions: s.concessions,
    beforeSurvey: s.beforeSurvey,
    share: round(s.concessions ? s.beforeSurvey / s.concessions : 0),
    recoveryExcluded: s.recovery,
    tested: tested.has(s.rep),
  }));
  return { ran: true, tests, table };
}

/** One rep's `concession-during-survey` aggregates (from `duringSurveySql`). */
export interface DuringSurveyAggregate {
  rep: string;
  responses: number;
  openDays: number;
  during: number;
  examples: string[];
  /** non-recovery concessions it granted */
  given: number;
  /** customers it surveyed or granted a non-recovery concession */
  customers: number;
}

/** `concession-during-survey`, from aggregates in rep-code order and the period (epoch ms). */
export function duringSurveyTests(
  reps: DuringSurveyAggregate[],
  period: { start: number; end: number },
  { minResponses }: { minResponses: number },
): DetectorResult {
  const periodDays = Math.max(1, (period.end - period.start) / DAY_MS);
  const expected = reps.map((r) => (r.customers ? (r.given / (r.customers * periodDays)) * r.openDays : 0));
  const tested = reps.flatMap((r, i) => (r.responses >= minResponses && expected[i] > 0 ? [i] : []));
  if (tested.length < 3) {
    return { ran: false, reason: `fewer than 3 reps have ${minResponses} answered surveys and concessions` };
  }
  const totalDuring = tested.reduce((a, i) => a + reps[i].during, 0);
  const totalExpected = tested.reduce((a, i) => a + expected[i], 0);
  const tests: Test[] = tested.map((i) => {
    const r = reps[i];
    const peersDuring = totalDuring - r.during;
    const peersExpected = totalExpected - expected[i];
    // With no concession during any open survey at all there is nothing to test: p = 1 exactly.
    const pValue =
      r.during + peersDuring === 0
        ? 1
        : poissonRateRatioTest(r.during, expected[i], peersDuring, peersExpected, { alternative: 'greater' })
            .pValue;
    const peerRatio = peersExpected > 0 ? peersDuring / peersExpected : 0;
    const ratio = r.during / expected[i];
    // effect: excess concessions per 100 answered surveys over the rep's own rate times the peers' uplift
    const predicted = expected[i] * peerRatio;
    const per100 = 100 / r.responses;
    const [low, high] = poissonTest(r.during, 1, 1, { alternative: 'two-sided' }).ci;
    return {
      detector: 'concession-during-survey',
      entity: { type: 'rep', id: r.rep },
      effect: round((r.during - predicted) * per100),
      effectLabel:
        'excess concessions while its surveys were open, per 100 answered surveys, over its own rate and peers',
      ci: [round((low - predicted) * per100), round((high - predicted) * per100)],
      pValue,
      evidence: {
        concessionsDuring: r.during,
        expectedFromOwnRate: round(expected[i], 3),
        observedOverExpected: round(ratio, 3),
        peersObservedOverExpected: round(peerRatio, 3),
        predictedFromPeers: round(predicted, 3),
        answeredSurveys: r.responses,
        surveyOpenDays: round(r.openDays, 2),
        examples: r.examples,
      },
      summary:
        `${r.rep} granted ${r.during} concession(s) to customers while their survey was open (between invitation and ` +
        `response), ${round(ratio, 1)}× what its own concession rate predicts vs ${round(peerRatio, 1)}× for peers.`,
    };
  });
  const isTested = new Set(tested);
  const table = reps.map((r, i) => ({
    rep: r.rep,
    answeredSurveys: r.responses,
    concessionsDuring: r.during,
    expected: round(expected[i], 3),
    tested: isTested.has(i),
  }));
  return { ran: true, tests, table };
}
