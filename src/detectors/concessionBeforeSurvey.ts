import {
  DEFAULT_NON_RECOVERY_REASONS,
  DEFAULT_NON_REVENUE_CATEGORIES,
  nonRevenueCodes,
  recoveryMask,
} from '../features/concessionKinds.js';
import { indexByCustomer, windowOf } from '../features/customerIndex.js';
import {
  type CycleTable,
  type SurveyTimedConcessions,
  surveyTimedConcessions,
} from '../features/surveyTimedConcessions.js';
import type { Test } from '../findings/types.js';
import { stringAt } from '../ledger/packed-strings.js';
import type { Ledgers } from '../ledger/types.js';
import { numberOption, stringListOption } from '../options.js';
import { betaBinomialUpperTail } from '../stats/betaBinomialUpperTail.js';
import { binomialTest } from '../stats/binomialTest.js';
import { fitBetaBinomial } from '../stats/fitBetaBinomial.js';
import { wilsonInterval } from '../stats/wilsonInterval.js';
import { DAY_MS, percent, round } from './format.js';
import { compareWithPeers, fitPeerPrior } from './repPeers.js';
import type { Detector, DetectorResult } from './types.js';

/** Options of {@link detectConcessionBeforeSurvey}. */
export interface ConcessionBeforeSurveyOptions {
  /** Days before an invitation in which a concession counts as "before the survey". Default 7. */
  windowDays?: number;
  /** Without interactions: reps with fewer non-recovery concessions are listed but not tested. Default 5. */
  minConcessions?: number;
  /** Reasons that do not mark service recovery (case ignored). Default {@link DEFAULT_NON_RECOVERY_REASONS}. */
  nonRecoveryReasons?: string[];
  /** Categories reported as non-revenue in the evidence (case and separators ignored: "Free Product" is free_product). Default {@link DEFAULT_NON_REVENUE_CATEGORIES}. */
  nonRevenueCategories?: string[];
  /** With interactions: an invitation by the same rep within this many days after an interaction is "its" survey. Default 3. */
  surveyLagDays?: number;
  /** With interactions: reps need this many surveyed and this many unsurveyed interactions to be tested. Default 5. */
  minInteractions?: number;
}

/**
 * `concession-before-survey` (rep): reps whose concessions are timed to the
 * surveys of the customers they serve.
 *
 * Service-recovery concessions (with a failure/complaint reason) are left
 * out everywhere and counted in the evidence. Two tests, by what the data
 * allows:
 *
 * - With an interaction ledger, each rep is its own control: among its
 *   contact episodes, is a concession (from the contact until the survey
 *   invitation, or the typical contact-to-invitation lag when none followed)
 *   more frequent when a survey followed than when none did? The surveyed
 *   count is tested against the beta-binomial posterior predictive of the
 *   rep's unsurveyed rate, with the peers' rate as a weak prior; and its
 *   cycle surveys against the same windows shifted by whole months (a sign
 *   test over customers); see `ownControlTests`. Honest concessions — however
 *   generous, at billing time or not — are granted before anyone knows
 *   whether a survey will follow, so they are equally frequent in both rows;
 *   bought ones are not. Effect: the surveyed rate minus the expected rate
 *   (Wilson interval).
 * - Without interactions: the share of the rep's concessions followed within
 *   `windowDays` by its invitation of the same customer, against its peers
 *   through a beta-binomial fitted across reps (ordinary variation between
 *   reps is not flagged). This basis compares timing with peers only: a rep
 *   who surveys its customers more often has more concessions followed by a
 *   survey. `minConcessions` applies to this basis only.
 *
 * Evidence: counts, the peers' rates, the lag histogram (days from concession
 * to invitation), amounts and the category mix (non-revenue items stand out).
 * Cost: O((surveys + concessions + interactions) log n).
 */
export function detectConcessionBeforeSurvey(
  ledgers: Ledgers,
  options: ConcessionBeforeSurveyOptions = {},
): DetectorResult {
  const settings = settingsOf(options);
  const { windowDays, minConcessions, nonRecovery, nonRevenueList, surveyLagDays, minInteractions } =
    settings;
  const { surveys, concessions, ids } = ledgers;
  if (concessions.length === 0) return { ran: false, reason: 'the concession ledger is empty' };
  if (!concessions.columns.has('rep_id') || !surveys.columns.has('rep_id')) {
    return { ran: false, reason: 'rep_id is missing from the survey or concession ledger' };
  }

  const window = windowDays * DAY_MS;
  const recovery = recoveryMask(concessions, ids, nonRecovery);
  const nonRevenue = nonRevenueCodes(ids, nonRevenueList);
  const reps = ids.rep.values.length;
  const invitations = indexByCustomer(
    surveys.customer,
    surveys.sentAt,
    ids.customer.values.length,
    (i) => surveys.rep[i] >= 0,
  );

  const stats = Array.from({ length: reps }, () => ({
    concessions: 0,
    beforeSurvey: 0,
    recovery: 0,
    amountBefore: 0,
    amountOther: 0,
    nonRevenueBefore: 0,
    categories: new Map<number, number>(),
    lagDays: new Array<number>(Math.ceil(windowDays) + 1).fill(0),
    examples: [] as string[],
  }));

  for (let g = 0; g < concessions.length; g++) {
    const rep = concessions.rep[g];
    if (rep < 0) continue;
    const s = stats[rep];
    if (recovery[g]) {
      s.recovery++;
      continue;
    }
    s.concessions++;
    const granted = concessions.grantedAt[g];
    const [from, to] = windowOf(invitations, concessions.customer[g], granted, granted + window + 1);
    let lag = -1;
    for (let j = from; j < to; j++) {
      const survey = invitations.order[j];
      const sent = invitations.times[j];
      if (surveys.rep[survey] === rep && sent > granted && sent - granted <= window) {
        lag = sent - granted;
        if (s.examples.length < 20)
          s.examples.push(
            `${stringAt(concessions, 'concessionId', g)}→${stringAt(surveys, 'surveyId', survey)}`,
          );
        break;
      }
    }
    if (lag >= 0) {
      s.beforeSurvey++;
      s.amountBefore += concessions.amount[g];
      s.nonRevenueBefore += nonRevenue[concessions.category[g]];
      s.categories.set(concessions.category[g], (s.categories.get(concessions.category[g]) ?? 0) + 1);
      s.lagDays[Math.min(s.lagDays.length - 1, Math.floor(lag / DAY_MS))]++;
    } else s.amountOther += concessions.amount[g];
  }

  const withInteractions = ledgers.interactions?.columns.has('rep_id') === true;
  const timed = withInteractions
    ? surveyTimedConcessions(ledgers, recovery, {
        surveyLag: surveyLagDays * DAY_MS,
        window,
        placeboMonths: 2,
      })
    : undefined;
  const results = timed
    ? ownControlTests(timed, minInteractions)
    : peerShareTests(
        stats.map((s) => ({ k: s.beforeSurvey, n: s.concessions })),
        minConcessions,
      );
  const testedReps = results.flatMap((r, rep) => (r ? [{ r, rep, s: stats[rep] }] : []));
  if (testedReps.length < 3) {
    const needed = timed
      ? `${minInteractions} surveyed interactions or cycle surveys`
      : `${minConcessions} non-recovery concessions`;
    return { ran: false, reason: `fewer than 3 reps have at least ${needed}` };
  }

  const pValues = new Float64Array(reps).fill(Number.NaN);
  for (const { r, rep } of testedReps) pValues[rep] = r.pValue;
  const memo = repPValueMemo.get(ledgers) ?? new Map<string, Float64Array>();
  memo.set(JSON.stringify(settings), pValues);
  repPValueMemo.set(ledgers, memo);

  const tests: Test[] = testedReps.map(({ r, rep, s }) => {
    const id = ids.rep.values[rep];
    const otherCount = s.concessions - s.beforeSurvey;
    const nonRevenueShare = s.beforeSurvey ? s.nonRevenueBefore / s.beforeSurvey : 0;
    return {
      detector: 'concession-before-survey',
      entity: { type: 'rep', id },
      effect: round(r.rate - r.expected),
      effectLabel: r.basis === 'concessions' ? CONCESSIONS_LABEL(windowDays) : OWN_CONTROL_LABEL,
      ci: [round(r.ci[0] - r.expected), round(r.ci[1] - r.expected)],
      pValue: r.pValue,
      evidence: {
        basis: r.basis,
        // on the concessions basis the counts are concessions (below), not invitations
        ...(r.basis === 'concessions' ? {} : { invitations: r.n, precededByConcession: r.k }),
        share: round(r.rate),
        expectedShare: round(r.expected),
        otherTimesShare: round(r.otherTimes),
        peerShare: round(r.peers),
        ...r.counts,
        concessions: s.concessions,
        concessionsBeforeSurvey: s.beforeSurvey,
        recoveryExcluded: s.recovery,
        meanAmountBefore: round(s.beforeSurvey ? s.amountBefore / s.beforeSurvey : 0, 2),
        meanAmountOther: round(otherCount ? s.amountOther / otherCount : 0, 2),
        nonRevenueShareBefore: round(nonRevenueShare),
        categoryMixBefore: Object.fromEntries([...s.categories].map(([c, n]) => [ids.category.values[c], n])),
        lagHistogramDays: s.lagDays,
        examples: s.examples,
      },
      summary:
        (r.basis === 'concessions'
          ? `${id}: ${percent(r.rate)} of its ${r.n} concessions came in the ${windowDays} days before it surveyed ` +
            `the same customer, vs ${percent(r.peers)} for peers`
          : `${id} granted a concession before ${percent(r.rate)} of its ${r.n} ${r.basis === 'cycles' ? 'cycle surveys' : 'surveyed interactions'} ` +
            `vs ${percent(r.otherTimes)} at other times and ${percent(r.peers)} for peers`) +
        (s.beforeSurvey ? `; ${percent(nonRevenueShare)} of those were non-revenue items.` : '.'),
    };
  });

  const table = stats.map((s, rep) => ({
    rep: ids.rep.values[rep],
    concessions: s.concessions,
    beforeSurvey: s.beforeSurvey,
    share: round(s.concessions ? s.beforeSurvey / s.concessions : 0),
    recoveryExcluded: s.recovery,
    tested: testedReps.some((t) => t.rep === rep),
  }));
  return { ran: true, tests, table };
}

/**
 * Each rep's p-value (NaN where untested) from the last run on these ledgers with these settings:
 * account-extraction asks for the test that the run has usually just computed (~0.4 s at 1M
 * surveys). Handed out as copies, so that no caller can change another's.
 */
const repPValueMemo = new WeakMap<Ledgers, Map<string, Float64Array>>();

/**
 * Each rep's `concession-before-survey` p-value by rep code (NaN: not tested), or undefined when
 * the detector does not run: from a run with the same settings on the same ledgers, else a run.
 */
export function concessionTimingPValues(
  ledgers: Ledgers,
  options: ConcessionBeforeSurveyOptions,
): Float64Array | undefined {
  const key = JSON.stringify(settingsOf(options));
  if (!repPValueMemo.get(ledgers)?.has(key) && !detectConcessionBeforeSurvey(ledgers, options).ran)
    return undefined;
  return repPValueMemo.get(ledgers)?.get(key)?.slice();
}

/** The options with their defaults, checked. */
function settingsOf(options: ConcessionBeforeSurveyOptions) {
  const o = options as Record<string, unknown>;
  return {
    windowDays: numberOption(o, 'windowDays', 7, { min: 0.01, max: 365 }),
    minConcessions: numberOption(o, 'minConcessions', 5, { min: 1, integer: true }),
    nonRecovery: stringListOption(o, 'nonRecoveryReasons', DEFAULT_NON_RECOVERY_REASONS),
    nonRevenueList: stringListOption(o, 'nonRevenueCategories', DEFAULT_NON_REVENUE_CATEGORIES),
    surveyLagDays: numberOption(o, 'surveyLagDays', 3, { min: 0.01, max: 60 }),
    minInteractions: numberOption(o, 'minInteractions', 5, { min: 1, integer: true }),
  };
}

/** One rep's test, whatever its basis. */
interface RepTest {
  basis: 'interactions' | 'cycles' | 'concessions';
  /** opportunities (invitations, or concessions for the peer-share basis) and hits among them */
  n: number;
  k: number;
  rate: number;
  /** what the null predicts for `rate` */
  expected: number;
  /** the rep's own rate at other times (unsurveyed interactions, placebo windows); the peers' rate without interactions */
  otherTimes: number;
  peers: number;
  ci: [number, number];
  pValue: number;
  counts: Record<string, number>;
}

/**
 * With interactions, each rep is its own control, in two strata:
 * - invitations its interactions triggered: the number preceded by its
 *   concession, against the posterior predictive of its concession rate after
 *   interactions that were NOT surveyed, with the peers' rate as a weak
 *   prior (a beta fitted across reps, worth at most 4 interactions):
 *   P(X ≥ k | Beta-binomial(n, α + c, β + m − c)). A generous rep concedes
 *   as often after unsurveyed interactions, so it is not flagged; a rep with
 *   few unsurveyed interactions borrows a little of its peers' rate.
 * - invitations no interaction triggered (cycle surveys): for each of the
 *   rep's customers, the share of windows before them with the rep's
 *   concession versus the share of the same windows shifted by whole months
 *   (billing-cycle phase kept); one-sided sign test over customers. Counting
 *   customers, not windows, demands breadth: one account that extracts
 *   concessions from its manager cycle after cycle is `account-extraction`,
 *   not the manager's pattern. (Placebo windows outnumber real ones, so
 *   under the null "below" is the likelier tie-break: the test is conservative.)
 * The rep's p-value is the smaller of the two, Bonferroni-doubled when both exist.
 */
function ownControlTests(timed: SurveyTimedConcessions, minInteractions: number): (RepTest | undefined)[] {
  const eligible = timed.interactions.filter((t) => t.surveyed >= minInteractions && t.unsurveyed > 0);
  const prior =
    eligible.length >= 3
      ? fitBetaBinomial(
          eligible.map((t) => t.unsurveyedConceded),
          eligible.map((t) => t.unsurveyed),
        )
      : undefined;
  const totalCycleHits = timed.cycles.reduce((a, c) => a + c.hits, 0);
  const totalCycleWindows = timed.cycles.reduce((a, c) => a + c.windows, 0);
  return timed.interactions.map((t, rep) => {
    const cycle = timed.cycles[rep];
    const candidates: RepTest[] = [];
    const counts = { ...t, cycleSurveys: cycle.windows, cycleHits: cycle.hits, ...placeboCounts(cycle) };
    // its own control needs both rows: a rep that surveys every contact has only the peers' weak prior,
    // which would flag a rep that is generous at every contact (the audit measured p = 1.2e-4)
    if (prior && t.surveyed >= minInteractions && t.unsurveyed >= minInteractions) {
      // Peers enter as a weak prior worth at most PEER_WEIGHT interactions: a strong one would
      // pull a legitimately generous rep's expected rate down toward its peers and flag it.
      // Each side of the prior keeps at least half an observation (Jeffreys): when no peer ever
      // conceded after an unsurveyed interaction, a rate of exactly 0 is not taken as certain.
      const weight = Math.min(PEER_WEIGHT, prior.alpha + prior.beta);
      const a = Math.max(0.5, prior.mean * weight) + t.unsurveyedConceded;
      const b = Math.max(0.5, (1 - prior.mean) * weight) + t.unsurveyed - t.unsurveyedConceded;
      candidates.push({
        basis: 'interactions',
        n: t.surveyed,
        k: t.surveyedConceded,
        rate: t.surveyedConceded / t.surveyed,
        expected: a / (a + b),
        otherTimes: t.unsurveyed ? t.unsurveyedConceded / t.unsurveyed : 0,
        peers: prior.mean,
        ci: wilsonInterval(t.surveyedConceded, t.surveyed),
        pValue: clamp01(betaBinomialUpperTail(t.surveyedConceded, t.surveyed, a, b)),
        counts,
      });
    }
    const discordant = cycle.customersAbove + cycle.customersBelow;
    if (cycle.windows >= minInteractions && discordant > 0) {
      const placebo = cycle.placeboWindows ? cycle.placeboHits / cycle.placeboWindows : 0;
      const peerCycles = totalCycleWindows - cycle.windows;
      candidates.push({
        basis: 'cycles',
        n: cycle.windows,
        k: cycle.hits,
        rate: cycle.hits / cycle.windows,
        expected: placebo,
        otherTimes: placebo,
        peers: peerCycles > 0 ? (totalCycleHits - cycle.hits) / peerCycles : 0,
        ci: wilsonInterval(cycle.hits, cycle.windows),
        pValue: binomialTest(cycle.customersAbove, discordant, 0.5, { alternative: 'greater' }).pValue,
        counts,
      });
    }
    if (candidates.length === 0) return undefined;
    const best = candidates.reduce((x, y) => (y.pValue < x.pValue ? y : x));
    return { ...best, pValue: Math.min(1, best.pValue * candidates.length) };
  });
}

/** What the effect measures: with interactions (its own control) and without (its concessions, against peers). */
export const OWN_CONTROL_LABEL =
  "excess share of the rep's survey invitations preceded by its own concession, over other times";
export const CONCESSIONS_LABEL = (windowDays: number) =>
  `excess share of the rep's concessions followed within ${windowDays} days by its invitation of the same customer, over peers`;

/** How many interactions' worth of evidence the peers' rate carries in a rep's null (see ownControlTests). */
const PEER_WEIGHT = 4;

const placeboCounts = (c: CycleTable) => ({ placeboWindows: c.placeboWindows, placeboHits: c.placeboHits });
const clamp01 = (p: number) => Math.min(1, Math.max(0, p));

/**
 * Without interactions: the share of each rep's concessions followed within
 * the window by its own invitation of the same customer, against peers
 * through a beta-binomial fitted across reps, robustly (the reps it is meant
 * to find are trimmed from the fit; see `fitPeerPrior`), so that ordinary
 * variation between reps is not flagged and a few gamers do not hide.
 */
function peerShareTests(units: { k: number; n: number }[], minConcessions: number): (RepTest | undefined)[] {
  const out: (RepTest | undefined)[] = new Array(units.length).fill(undefined);
  const eligible = units.map((u, rep) => ({ ...u, rep })).filter((u) => u.n >= minConcessions);
  if (eligible.length < 3) return out;
  const prior = fitPeerPrior(
    eligible.map((u) => u.k),
    eligible.map((u) => u.n),
    'upper',
  );
  for (const u of eligible) {
    const r = compareWithPeers(u.k, u.n, prior, 'upper');
    out[u.rep] = {
      basis: 'concessions',
      n: u.n,
      k: u.k,
      rate: r.rate,
      expected: prior.mean,
      otherTimes: prior.mean,
      peers: prior.mean,
      ci: wilsonInterval(u.k, u.n),
      pValue: Math.min(1, Math.max(0, r.pValue)),
      counts: { shrunkShare: round(r.shrunkRate) },
    };
  }
  return out;
}

export const concessionBeforeSurveyDetector: Detector = {
  id: 'concession-before-survey',
  reads: ['surveys', 'concessions', 'interactions'],
  options: [
    'windowDays',
    'minConcessions',
    'nonRecoveryReasons',
    'nonRevenueCategories',
    'surveyLagDays',
    'minInteractions',
  ],
  description:
    'Reps whose concessions are timed to just before they survey the same customer, beyond their peers.',
  run: (ledgers, options) => detectConcessionBeforeSurvey(ledgers, options),
};
