import type { Test } from '../findings/types.js';
import type { Ledgers } from '../ledger/types.js';
import { numberOption } from '../options.js';
import { normalCdf, normalQuantile } from '../stats/index.js';
import { percent, round } from './format.js';
import {
  additiveOverdispersion,
  clamp,
  fixed1,
  leaveOutMeans,
  missingScoreColumns,
  nestedKeys,
  rescaledScore,
  scoredResponses,
} from './scorePeers.js';
import type { Detector, DetectorResult } from './types.js';

/** Options of {@link detectTopBoxInflation}. */
export interface TopBoxInflationOptions {
  /** Reps with fewer scored responses are listed in the table but not tested. Default `10`. */
  minResponses?: number;
  /**
   * Pseudo-responses with which a stratum's peer top-box rate is shrunk toward
   * its parent (ltr value × channel × team → ltr value × channel → ltr value).
   * Default `20`.
   */
  cellPrior?: number;
  /** Share of reps' z-scores winsorized in each tail when estimating the between-rep variance. Default `0.1`. */
  winsorize?: number;
  /**
   * Floor of the expected top-box probability in the weights wᵢ = (1 − pᵢ)/pᵢ
   * (caps the weight of one top score from a customer for whom it is rare).
   * Default `0.05`.
   */
  minProbability?: number;
  /** Unused (no randomness); accepted because `analyze` passes it to every detector. Default `1`. */
  seed?: number;
}

/**
 * `top-box-inflation`: reps with more top-box rep scores than their
 * customers' relationship scores explain ("anything less than a 10 is a
 * fail"), with a missing middle and too little spread as evidence.
 *
 * How, per scored response: the expected probability of a top-box rep score
 * (the scale's maximum) is the top-box rate of *other* reps' responses with
 * the same ltr value in the same channel and team, shrunk toward the same ltr
 * value × channel and the same ltr value overall (`cellPrior`
 * pseudo-responses). Conditioning on ltr is what protects the genuinely
 * excellent rep: high rep scores that come with high likelihood-to-recommend
 * are expected.
 *
 * The test is the score test of the coaching alternative "with probability s
 * the rep score is forced to the top, whatever the customer thinks", i.e.
 * P(top) = pᵢ + s(1 − pᵢ): at s = 0 its score is U = Σ wᵢ(topᵢ − pᵢ) with
 * wᵢ = (1 − pᵢ)/pᵢ (pᵢ floored at `minProbability`). It weighs a top score
 * from a customer for whom it is rare (a detractor) far more than one from a
 * promoter, which separates coaching from an honestly better rep (whose
 * whole score distribution shifts a little) about three times better than
 * the plain count O − E. Between-rep variation of U/n beyond chance (τ²) is
 * estimated across tested reps with Spiegelhalter's winsorized additive
 * over-dispersion, and the one-sided p-value P(U₀ + N(0, n²τ²) ≥ U) — U₀ the
 * weighted sum of independent Bernoulli(pᵢ) — is computed by the
 * Lugannani–Rice saddlepoint approximation with a continuity correction,
 * which stays accurate in the far tail and for small reps (9 tens out of 9
 * from happy customers is unremarkable; the normal approximation would not
 * be).
 *
 * effect = (O − E)/n, the excess top-box share (O observed, E = Σ pᵢ expected,
 * p̄ = E/n); ci = Wilson interval of O/n at the effective sample size
 * n/(1 + (n − 1)ρ), ρ = τ²_rate/(p̄(1 − p̄)) from the over-dispersion of the
 * rates, minus p̄.
 * Evidence: top-box among detractors (observed vs expected), the "missing
 * middle" (the values just below the top: 8–9 on 1..10, 4 on 1..5) observed
 * vs expected, the spread (sd of the rescaled rep score vs peers' in the same
 * cells), and the rep's and peers' score distributions.
 *
 * Reference: Spiegelhalter (2005), Stat Med 24:1185–1202 (over-dispersion);
 * Lugannani & Rice (1980), Adv Appl Prob 12:475–490, and Butler (2007),
 * "Saddlepoint Approximations with Applications", §1.2 (tail of a sum).
 *
 * Cost: O(n) plus a few dozen O(n_rep) passes per rep for the saddlepoint.
 *
 * @throws {OptionError} on an invalid option.
 *
 * @example
 * const result = detectTopBoxInflation(ledgers);
 * if (result.ran) result.table.filter((row) => row.tested);
 */
export function detectTopBoxInflation(
  ledgers: Ledgers,
  options: TopBoxInflationOptions = {},
): DetectorResult {
  const o = options as Record<string, unknown>;
  const minResponses = numberOption(o, 'minResponses', 10, { min: 2, integer: true });
  const cellPrior = numberOption(o, 'cellPrior', 20, { min: 0 });
  const winsorize = numberOption(o, 'winsorize', 0.1, { min: 0, max: 0.49 });
  const minProbability = numberOption(o, 'minProbability', 0.05, { min: 1e-4, max: 0.5 });
  numberOption(o, 'seed', 1, { integer: true });

  const missing = missingScoreColumns(ledgers);
  if (missing) return { ran: false, reason: `${missing}: top-box rates given ltr need both scores per rep` };
  const s = ledgers.surveys;
  const rows = scoredResponses(s);
  if (rows.length === 0)
    return { ran: false, reason: 'no answered survey has a rep, an ltr and a rep score' };

  const n = rows.length;
  const { min: scaleMin, max: scaleMax } = s.scale;
  const middleWidth = Math.max(1, Math.ceil(0.2 * (scaleMax - scaleMin)));
  const middleLo = scaleMax - middleWidth;
  const top = new Float64Array(n);
  const middle = new Float64Array(n);
  const score10 = new Float64Array(n);
  const score10sq = new Float64Array(n);
  const rep = new Int32Array(n);
  const ltr = new Int32Array(n);
  const channel = new Int32Array(n);
  const team = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const r = rows[j];
    const v = s.repScore[r];
    top[j] = v === scaleMax ? 1 : 0;
    middle[j] = v >= middleLo && v < scaleMax ? 1 : 0;
    score10[j] = rescaledScore(s, r);
    score10sq[j] = score10[j] ** 2;
    rep[j] = s.rep[r];
    ltr[j] = s.ltr[r];
    channel[j] = s.channel[r];
    team[j] = s.team[r];
  }
  const ids = ledgers.ids;
  const levels = nestedKeys([ltr, channel, team], [11, ids.channel.values.length, ids.team.values.length]);
  const expectedTop = leaveOutMeans(top, levels, rep, cellPrior);
  const expectedMiddle = leaveOutMeans(middle, levels, rep, cellPrior);
  // peers' spread in the same channel×team cells (not conditioned on ltr: a plain comparison for the evidence)
  const cellLevels = nestedKeys([channel, team], [ids.channel.values.length, ids.team.values.length]);
  const peerMean = leaveOutMeans(score10, cellLevels, rep, cellPrior);
  const peerSquare = leaveOutMeans(score10sq, cellLevels, rep, cellPrior);

  const byRep = new Map<number, number[]>();
  for (let j = 0; j < n; j++) {
    const list = byRep.get(rep[j]);
    if (list) list.push(j);
    else byRep.set(rep[j], [j]);
  }
  const reps = [...byRep].sort((a, b) => ids.rep.values[a[0]].localeCompare(ids.rep.values[b[0]]));

  interface RepStat {
    code: number;
    list: number[];
    observed: number;
    expected: number;
    pbar: number;
    /** score statistic U = Σ wᵢ (topᵢ − pᵢ) and its null variance Σ wᵢ² pᵢ(1 − pᵢ) */
    u: number;
    uVariance: number;
  }
  const stats: RepStat[] = [];
  const untested: [number, number[]][] = [];
  for (const [code, list] of reps) {
    if (list.length < minResponses) {
      untested.push([code, list]);
      continue;
    }
    let observed = 0;
    let expected = 0;
    let u = 0;
    let uVariance = 0;
    for (const j of list) {
      const p = clamp(expectedTop[j], 1e-6, 1 - 1e-6);
      const w = weightOf(p, minProbability);
      observed += top[j];
      expected += p;
      u += w * (top[j] - p);
      uVariance += w * w * p * (1 - p);
    }
    stats.push({ code, list, observed, expected, pbar: expected / list.length, u, uVariance });
  }
  // between-rep variation beyond chance: of the score statistic (for the test) and of the rate (for the ci)
  const tau2 = additiveOverdispersion(
    stats.map((r) => r.u / r.list.length),
    stats.map((r) => r.uVariance / r.list.length ** 2),
    winsorize,
  ).tau2;
  const tau2Rate = additiveOverdispersion(
    stats.map((r) => (r.observed - r.expected) / r.list.length),
    stats.map((r) => (r.pbar * (1 - r.pbar)) / r.list.length),
    winsorize,
  ).tau2;
  const z = normalQuantile(0.975);

  const tests: Test[] = [];
  const table: Record<string, unknown>[] = [];
  for (const r of stats) {
    const id = ids.rep.values[r.code];
    const { list, observed, expected, pbar } = r;
    const size = list.length;
    const weights = new Float64Array(size);
    const probs = new Float64Array(size);
    let step = Number.POSITIVE_INFINITY;
    list.forEach((j, k) => {
      probs[k] = clamp(expectedTop[j], 1e-6, 1 - 1e-6);
      weights[k] = weightOf(probs[k], minProbability);
      if (top[j] === 1) step = Math.min(step, weights[k]);
    });
    // continuity correction: half the smallest step by which U could have been lower
    const corrected = r.u - (Number.isFinite(step) ? step / 2 : 0);
    const pValue = clamp(
      observed === 0 ? 1 : weightedBernoulliUpperTail(weights, probs, tau2 * size * size, corrected),
      0,
      1,
    );
    const rate = observed / size;
    const effect = rate - pbar;
    const rho = tau2Rate > 0 ? Math.min(0.5, tau2Rate / (pbar * (1 - pbar))) : 0;
    const effective = size / (1 + (size - 1) * rho);
    const [lo, hi] = wilson(rate, effective, z);

    // evidence
    let detractors = 0;
    let detractorTop = 0;
    let detractorExpected = 0;
    let middleObserved = 0;
    let middleExpected = 0;
    let sum = 0;
    let squares = 0;
    let peerSum = 0;
    let peerSquares = 0;
    const counts = new Map<number, number>();
    for (const j of list) {
      const row = rows[j];
      if (ltr[j] <= 6) {
        detractors++;
        detractorTop += top[j];
        detractorExpected += expectedTop[j];
      }
      middleObserved += middle[j];
      middleExpected += expectedMiddle[j];
      sum += score10[j];
      squares += score10sq[j];
      peerSum += peerMean[j];
      peerSquares += peerSquare[j];
      counts.set(s.repScore[row], (counts.get(s.repScore[row]) ?? 0) + 1);
    }
    const meanScore = sum / size;
    const sd = Math.sqrt(Math.max(0, squares / size - meanScore ** 2) * (size / (size - 1)));
    const peerMeanScore = peerSum / size;
    const peerSd = Math.sqrt(Math.max(0, peerSquares / size - peerMeanScore ** 2));
    const evidence = {
      responses: size,
      topBox: { observed, expected: round(expected), rate: round(rate), expectedRate: round(pbar) },
      topBoxAmongDetractors: {
        detractors,
        observed: detractorTop,
        expected: round(detractorExpected),
      },
      missingMiddle: {
        values: [middleLo, scaleMax - 1],
        observed: middleObserved,
        expected: round(middleExpected),
        rate: round(middleObserved / size),
        expectedRate: round(middleExpected / size),
      },
      spread: { repScoreSd: round(sd), peerRepScoreSd: round(peerSd), scale: '0-10' },
      scoreCounts: [...counts].sort((a, b) => a[0] - b[0]),
      scoreStatistic: {
        value: round(r.u),
        nullSd: round(Math.sqrt(r.uVariance)),
        betweenRepSd: round(Math.sqrt(tau2) * size),
      },
      betweenRepSdOfRate: round(Math.sqrt(tau2Rate)),
    };
    const middleText = `${middleLo === scaleMax - 1 ? `${middleLo}s` : `${middleLo}s and ${scaleMax - 1}s`}`;
    tests.push({
      detector: 'top-box-inflation',
      entity: { type: 'rep', id },
      effect,
      effectLabel:
        'excess share of top-box rep scores over peers with customers of the same likelihood-to-recommend',
      ci: [lo - pbar, hi - pbar],
      pValue,
      evidence,
      summary: `${id} received the top rep score (${scaleMax}) on ${percent(rate)} of ${size} responses vs ${percent(pbar)} expected from peers' customers with the same likelihood-to-recommend; ${middleText} ${percent(middleObserved / size)} vs ${percent(middleExpected / size)} expected, score spread ${fixed1(sd)} vs ${fixed1(peerSd)} for peers.`,
    });
    table.push({
      rep: id,
      tested: true,
      responses: size,
      topBox: observed,
      expectedTopBox: round(expected),
      excessShare: round(effect),
      detractorTopBox: detractorTop,
      expectedDetractorTopBox: round(detractorExpected),
      middle: middleObserved,
      expectedMiddle: round(middleExpected),
      repScoreSd: round(sd),
      peerRepScoreSd: round(peerSd),
      pValue,
    });
  }
  for (const [code, list] of untested) {
    let observed = 0;
    for (const j of list) observed += top[j];
    table.push({
      rep: ids.rep.values[code],
      tested: false,
      responses: list.length,
      topBox: observed,
      reason: `fewer than ${minResponses} scored responses`,
    });
  }
  return { ran: true, tests, table };
}

/** Wilson score interval of a rate at a (possibly fractional) sample size. */
function wilson(rate: number, size: number, z: number): [number, number] {
  const z2 = z * z;
  const denominator = 1 + z2 / size;
  const center = (rate + z2 / (2 * size)) / denominator;
  const half = (z * Math.sqrt((rate * (1 - rate)) / size + z2 / (4 * size * size))) / denominator;
  return [clamp(center - half, 0, 1), clamp(center + half, 0, 1)];
}

/** Weight of one response in the score statistic: (1 − p)/p with p floored. */
function weightOf(p: number, floor: number): number {
  const q = Math.max(p, floor);
  return (1 - q) / q;
}

/**
 * P(Σ wᵢ(Bᵢ − pᵢ) + N(0, σ²) ≥ x) for independent Bᵢ ~ Bernoulli(pᵢ), wᵢ > 0,
 * by the Lugannani–Rice saddlepoint approximation. The cumulant generating
 * function is K(t) = Σ [log(1 − pᵢ + pᵢ e^{t wᵢ}) − t wᵢ pᵢ] + σ² t²/2; the
 * saddlepoint ŝ solves K'(ŝ) = x (K is convex: safeguarded Newton inside a
 * bracket). Near the mean (|r| small) the normal approximation is used.
 * Returns 0 when x is above the largest possible value and σ² = 0.
 */
function weightedBernoulliUpperTail(
  weights: Float64Array,
  probs: Float64Array,
  sigma2: number,
  x: number,
): number {
  const n = weights.length;
  let variance = sigma2;
  let max = 0;
  for (let i = 0; i < n; i++) {
    variance += weights[i] ** 2 * probs[i] * (1 - probs[i]);
    max += weights[i] * (1 - probs[i]);
  }
  if (variance <= 0) return x <= 0 ? 1 : 0;
  const sd = Math.sqrt(variance);
  if (x <= 0.01 * sd) return normalCdf(x / sd, { lowerTail: false });
  if (sigma2 === 0 && x >= max) return 0;
  // K'(t) and K''(t) at t > 0 (stable for large t w)
  const derivatives = (t: number) => {
    let k1 = sigma2 * t;
    let k2 = sigma2;
    let k0 = (sigma2 * t * t) / 2;
    for (let i = 0; i < n; i++) {
      const w = weights[i];
      const p = probs[i];
      const e = Math.exp(-t * w);
      const q = p / (p + (1 - p) * e); // tilted probability
      k1 += w * (q - p);
      k2 += w * w * q * (1 - q);
      k0 += t * w + Math.log(p + (1 - p) * e) - t * w * p;
    }
    return { k0, k1, k2 };
  };
  let lo = 0;
  let hi = 1 / sd;
  while (derivatives(hi).k1 < x && hi < 1e6) {
    lo = hi;
    hi *= 2;
  }
  let t = (lo + hi) / 2;
  for (let iteration = 0; iteration < 100; iteration++) {
    const { k1, k2 } = derivatives(t);
    const f = k1 - x;
    if (f > 0) hi = t;
    else lo = t;
    let next = k2 > 0 ? t - f / k2 : Number.NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - t) <= 1e-12 * Math.max(1, t)) {
      t = next;
      break;
    }
    t = next;
  }
  const { k0, k2 } = derivatives(t);
  const r = Math.sqrt(Math.max(0, 2 * (t * x - k0)));
  const u = t * Math.sqrt(k2);
  if (r < 1e-3 || u <= 0) return normalCdf(x / sd, { lowerTail: false });
  const tail =
    normalCdf(r, { lowerTail: false }) + (Math.exp(-0.5 * r * r) / Math.sqrt(2 * Math.PI)) * (1 / u - 1 / r);
  return clamp(tail, 0, 1);
}

/** The `top-box-inflation` detector for the registry. */
export const topBoxInflationDetector: Detector = {
  id: 'top-box-inflation',
  description:
    "Reps with more top-box rep scores than their customers' likelihood-to-recommend explains (beyond ordinary rep-to-rep variation), with the missing middle and spread as evidence.",
  run: (ledgers, options) => detectTopBoxInflation(ledgers, options),
};
