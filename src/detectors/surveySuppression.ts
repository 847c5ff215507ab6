import { episodeEnds } from '../features/contactEpisodes.js';
import type { Test } from '../findings/types.js';
import { stringAt } from '../ledger/packed-strings.js';
import type { Ledgers } from '../ledger/types.js';
import { numberOption } from '../options.js';
import { derSimonianLaird } from '../stats/derSimonianLaird.js';
import { type NoncentralHypergeometric, noncentralHypergeometric } from '../stats/fisherExact.js';
import { DAY_MS, percent, round } from './format.js';
import type { Detector, DetectorResult } from './types.js';

/** Options of {@link detectSurveySuppression}. */
export interface SurveySuppressionOptions {
  /** An interaction counts as invited when the same rep sent the same customer a survey within this many days after it. Default `3`. */
  windowDays?: number;
  /** Reps with fewer unresolved interactions are listed untested. Default `5`. */
  minUnresolved?: number;
  /** Reps with fewer resolved interactions are listed untested. Default `5`. */
  minResolved?: number;
  /** Example interaction ids (unresolved, not invited) per rep in the evidence. Default `20`. */
  maxExamples?: number;
}

/**
 * Find reps who hold back survey invitations after failed (unresolved)
 * interactions: their invitation rate after unresolved interactions is low
 * relative to their own rate after resolved ones, by more than peers'.
 *
 * Method. Each rep's interactions form a 2×2 table: unresolved/resolved ×
 * invited/not (an invitation by the same rep to the same customer within
 * `windowDays` after the interaction). The null is that the rep's odds ratio
 * (unresolved vs resolved invitation odds) equals the peers' Mantel–Haenszel
 * odds ratio ψ₀ (every other tested rep a stratum, so peers' different
 * overall invitation rates do not matter; leave-one-out). The test conditions
 * on the rep's own margins (Fisher's non-central hypergeometric with odds
 * ratio ψ₀, lower tail): the rep's resolved-interaction rate is the covariate,
 * so a rep who invites rarely after everything (channel, role) is not
 * flagged, only one who invites rarely after failures. Why conditional rather
 * than a beta-binomial on the unresolved rate alone: the resolved rate is the
 * rep's own control, which removes rep-level invitation habits exactly.
 *
 * Honest reps may differ in their odds ratio beyond chance. The
 * DerSimonian–Laird between-rep variance τ² of the (Haldane-corrected) log
 * odds ratios of the reps (those with exact p < 0.001 left out, so that
 * suppressing reps do not widen their own null) turns the null into a
 * distribution: log ψ ~ N(log ψ₀, τ²), and the p-value is the exact
 * conditional tail averaged over it (trapezoid rule on 41 points within
 * ±5 τ). When τ² = 0 this is the plain exact conditional test.
 *
 * Effect: the shortfall of the invitation rate after unresolved interactions
 * below the rate expected from the rep's resolved rate and ψ₀; the 95% CI maps
 * the exact conditional interval of the rep's odds ratio onto that scale.
 *
 * Needs the interactions ledger with a `resolved` column.
 * Cost: O(surveys log surveys + interactions log surveys), then O(invitations) per rep.
 *
 * @example
 * const result = detectSurveySuppression(ledgers, { windowDays: 2 });
 */
export function detectSurveySuppression(
  ledgers: Ledgers,
  options: SurveySuppressionOptions = {},
): DetectorResult {
  const o = options as Record<string, unknown>;
  const windowDays = numberOption(o, 'windowDays', 3, { min: 0, max: 365 });
  const minUnresolved = numberOption(o, 'minUnresolved', 5, { min: 1, integer: true });
  const minResolved = numberOption(o, 'minResolved', 5, { min: 1, integer: true });
  const maxExamples = numberOption(o, 'maxExamples', 20, { min: 0, integer: true });

  const it = ledgers.interactions;
  if (!it)
    return { ran: false, reason: 'no interactions ledger: invitation rates after interactions are unknown' };
  if (!it.columns.has('resolved')) {
    return {
      ran: false,
      reason: 'the interactions ledger has no resolved column: failed interactions are unknown',
    };
  }
  if (!it.columns.has('rep_id') || !ledgers.surveys.columns.has('rep_id')) {
    return { ran: false, reason: 'rep_id is missing from the interactions or survey ledger' };
  }

  const invitations = invitationIndex(ledgers);
  const windowMs = windowDays * DAY_MS;
  const reps = new Map<number, Cells>();
  // one trial per contact episode (its last contact): repeat contacts share the invitation that follows
  const ends = episodeEnds(it, ledgers.ids.customer.values.length, windowMs);
  for (let i = 0; i < it.length; i++) {
    const rep = it.rep[i];
    const resolved = it.resolved[i];
    if (rep < 0 || resolved < 0 || !ends[i]) continue;
    let cells = reps.get(rep);
    if (!cells) {
      cells = { a: 0, b: 0, c: 0, d: 0, examples: [] };
      reps.set(rep, cells);
    }
    const t = it.occurredAt[i];
    const invited = hasInvitation(invitations.get(rep, it.customer[i]), t, t + windowMs);
    if (resolved === 0) {
      if (invited) cells.a++;
      else {
        cells.b++;
        if (cells.examples.length < maxExamples) cells.examples.push(stringAt(it, 'interactionId', i));
      }
    } else if (invited) cells.c++;
    else cells.d++;
  }

  const all = [...reps].map(([rep, cells]) => ({ rep, ...cells }));
  const tested = all.filter((r) => r.a + r.b >= minUnresolved && r.c + r.d >= minResolved);
  if (tested.length < 3) {
    return {
      ran: false,
      reason: `only ${tested.length} rep(s) have at least ${minUnresolved} unresolved and ${minResolved} resolved interactions: a peer comparison needs 3 or more`,
    };
  }

  // Mantel–Haenszel sums over tested reps, for leave-one-out peer odds ratios
  let mhNum = 0;
  let mhDen = 0;
  let sumA = 0;
  let sumU = 0;
  let sumC = 0;
  let sumR = 0;
  for (const r of tested) {
    const total = r.a + r.b + r.c + r.d;
    mhNum += (r.a * r.d) / total;
    mhDen += (r.b * r.c) / total;
    sumA += r.a;
    sumU += r.a + r.b;
    sumC += r.c;
    sumR += r.c + r.d;
  }
  const peerOddsRatio = (r: Cells) => {
    const total = r.a + r.b + r.c + r.d;
    const num = mhNum - (r.a * r.d) / total;
    const den = mhDen - (r.b * r.c) / total;
    return num > 0 && den > 0 ? num / den : (num + 0.5) / (den + 0.5);
  };

  const exact = tested.map((r) => {
    const psi0 = peerOddsRatio(r);
    const dist = noncentralHypergeometric(r.a, r.b, r.c, r.d);
    return { r, psi0, dist, p: dist.lowerTail(r.a, Math.log(psi0)) };
  });
  const tau2 = betweenRepVariance(exact.filter((e) => e.p >= 0.001).map((e) => e.r));

  const repNames = ledgers.ids.rep.values;
  const tests: Test[] = [];
  const table: Record<string, unknown>[] = [];
  const byRep = new Map(exact.map((e) => [e.r.rep, e]));
  for (const r of all) {
    const id = repNames[r.rep];
    const unresolved = r.a + r.b;
    const resolved = r.c + r.d;
    const row: Record<string, unknown> = {
      entityType: 'rep',
      entity: id,
      tested: byRep.has(r.rep),
      unresolved,
      unresolvedInvited: r.a,
      resolved,
      resolvedInvited: r.c,
      unresolvedInvitationRate: unresolved ? round(r.a / unresolved) : null,
      resolvedInvitationRate: resolved ? round(r.c / resolved) : null,
    };
    const e = byRep.get(r.rep);
    if (!e) {
      table.push(row);
      continue;
    }
    const pValue = tau2 > 0 ? mixedLowerTail(e.dist, r.a, Math.log(e.psi0), Math.sqrt(tau2)) : e.p;
    const resolvedOdds =
      (r.c + (r.c === 0 || r.d === 0 ? 0.5 : 0)) / (r.d + (r.c === 0 || r.d === 0 ? 0.5 : 0));
    const implied = (psi: number) =>
      Number.isFinite(psi) ? (psi * resolvedOdds) / (1 + psi * resolvedOdds) : 1;
    const expected = implied(e.psi0);
    const observed = r.a / unresolved;
    const [psiLow, psiHigh] = e.dist.oddsRatioInterval(r.a, 0.95);
    const ci: [number, number] = [expected - implied(psiHigh), expected - implied(psiLow)];
    const peerU = sumU - unresolved;
    const peerR = sumR - resolved;
    const peerUnresolvedRate = peerU ? (sumA - r.a) / peerU : 0;
    const peerResolvedRate = peerR ? (sumC - r.c) / peerR : 0;
    row.expectedUnresolvedInvitationRate = round(expected);
    row.pValue = pValue;
    table.push(row);
    tests.push({
      detector: 'survey-suppression',
      entity: { type: 'rep', id },
      effect: expected - observed,
      effectLabel:
        "shortfall of the invitation rate after unresolved interactions below the rate expected from the rep's resolved-interaction rate and peers' odds ratio",
      ci,
      pValue,
      evidence: {
        windowDays,
        unresolved,
        unresolvedInvited: r.a,
        unresolvedInvitationRate: round(observed),
        resolved,
        resolvedInvited: r.c,
        resolvedInvitationRate: round(r.c / resolved),
        expectedUnresolvedInvitationRate: round(expected),
        peerOddsRatio: round(e.psi0),
        peerUnresolvedInvitationRate: round(peerUnresolvedRate),
        peerResolvedInvitationRate: round(peerResolvedRate),
        peers: tested.length - 1,
        exactPValueAtPeerOddsRatio: e.p,
        betweenRepLogOddsRatioVariance: round(tau2, 6),
        exampleUninvitedInteractionIds: r.examples,
      },
      summary: `${id} sent a survey after ${percent(observed)} of ${unresolved} unresolved interactions vs ${percent(r.c / resolved)} of resolved ones (peers: ${percent(peerUnresolvedRate)} vs ${percent(peerResolvedRate)}).`,
    });
  }
  return { ran: true, tests, table };
}

interface Cells {
  /** unresolved, invited */
  a: number;
  /** unresolved, not invited */
  b: number;
  /** resolved, invited */
  c: number;
  /** resolved, not invited */
  d: number;
  examples: string[];
}

/** Survey send times by (rep, customer), sorted. */
function invitationIndex(ledgers: Ledgers) {
  const s = ledgers.surveys;
  const customers = Math.max(1, ledgers.ids.customer.values.length);
  const map = new Map<number, number[]>();
  for (let i = 0; i < s.length; i++) {
    if (s.rep[i] < 0) continue;
    const key = s.rep[i] * customers + s.customer[i];
    const list = map.get(key);
    if (list) list.push(s.sentAt[i]);
    else map.set(key, [s.sentAt[i]]);
  }
  for (const list of map.values()) list.sort((x, y) => x - y);
  return { customers, get: (rep: number, customer: number) => map.get(rep * customers + customer) };
}

/** True when a sorted list holds a time in [from, to]. */
function hasInvitation(times: number[] | undefined, from: number, to: number): boolean {
  if (!times) return false;
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] < from) lo = mid + 1;
    else hi = mid;
  }
  return lo < times.length && times[lo] <= to;
}

/** Log odds ratio (unresolved vs resolved invitation) with Haldane's 0.5 when a cell is 0, and its variance. */
function logOddsRatio(r: Cells): { y: number; v: number } {
  const h = r.a === 0 || r.b === 0 || r.c === 0 || r.d === 0 ? 0.5 : 0;
  const [a, b, c, d] = [r.a + h, r.b + h, r.c + h, r.d + h];
  return { y: Math.log((a * d) / (b * c)), v: 1 / a + 1 / b + 1 / c + 1 / d };
}

/** DerSimonian–Laird between-rep variance of the log odds ratios (0 when fewer than 2 reps). */
function betweenRepVariance(reps: Cells[]): number {
  const ys = reps.map(logOddsRatio);
  return derSimonianLaird(
    ys.map((x) => x.y),
    ys.map((x) => x.v),
  );
}

/**
 * P(X ≤ a) under Fisher's non-central hypergeometric distribution of the rep's table, averaged over
 * log odds ratios t ~ N(mean, sd²): the trapezoid rule on 41 points within ±5 sd.
 */
function mixedLowerTail(dist: NoncentralHypergeometric, a: number, mean: number, sd: number): number {
  let sum = 0;
  let weights = 0;
  for (let j = -20; j <= 20; j++) {
    const z = j / 4;
    const w = Math.exp(-0.5 * z * z) * (Math.abs(j) === 20 ? 0.5 : 1);
    sum += w * dist.lowerTail(a, mean + sd * z);
    weights += w;
  }
  return Math.min(1, sum / weights);
}

/** The `survey-suppression` detector for the registry. */
export const surveySuppressionDetector: Detector = {
  id: 'survey-suppression',
  reads: ['surveys', 'interactions'],
  options: ['windowDays', 'minUnresolved', 'minResolved', 'maxExamples'],
  description:
    'Reps who invite customers to surveys after unresolved interactions less often, relative to resolved ones, than peers (conditional exact test against the peers\u2019 odds ratio).',
  run: (ledgers, options) => detectSurveySuppression(ledgers, options as SurveySuppressionOptions),
};
