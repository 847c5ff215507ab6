import { binomialDensity } from './saddlePoint.js';
import { type Alternative, assertCount, assertOpenUnit, checkAlternative } from './validate.js';

/** Options for {@link fisherExact}. */
export interface FisherExactOptions {
  /**
   * 'two-sided' (default), 'greater' (odds ratio > 1: the top-left cell `a` is
   * larger than expected) or 'less'.
   */
  alternative?: Alternative;
  /** Confidence level of the odds-ratio interval, in (0, 1); default 0.95. */
  level?: number;
}

/** Result of {@link fisherExact}. */
export interface FisherExactResult {
  /** Exact conditional p-value. */
  pValue: number;
  /**
   * Conditional maximum-likelihood estimate of the odds ratio (not the sample
   * odds ratio ad/bc): 0 when `a` is at its smallest possible value given the
   * margins, Infinity at its largest.
   */
  oddsRatio: number;
  /**
   * Exact conditional confidence interval for the odds ratio (matching the
   * alternative: [0, upper] for 'less', [lower, Infinity] for 'greater').
   */
  ci: [number, number];
}

/** Log-density of the hypergeometric counts of cell `a` over its support, and the support bounds. */
function hypergeometricSupport(a: number, b: number, c: number, d: number) {
  const m = a + c; // first column total
  const n = b + d; // second column total
  const k = a + b; // first row total
  const lo = Math.max(0, k - n);
  const hi = Math.min(k, m);
  const p = k / (m + n);
  const denominator = binomialDensity(k, m + n, p);
  const density: number[] = [];
  for (let x = lo; x <= hi; x++) {
    density.push((binomialDensity(x, m, p) * binomialDensity(k - x, n, p)) / denominator);
  }
  return { lo, hi, density };
}

/** Mean and variance of the non-central hypergeometric distribution with log odds ratio t. */
function noncentralMoments(density: number[], lo: number, t: number): { mean: number; variance: number } {
  let max = Number.NEGATIVE_INFINITY;
  const logs = density.map((dens, i) => {
    const value = Math.log(dens) + t * (lo + i);
    if (value > max) max = value;
    return value;
  });
  let total = 0;
  let first = 0;
  let second = 0;
  logs.forEach((value, i) => {
    const w = Math.exp(value - max);
    total += w;
    first += w * i;
    second += w * i * i;
  });
  const mean = first / total;
  return { mean: lo + mean, variance: Math.max(0, second / total - mean * mean) };
}

/** P(X <= x) (or P(X >= x) when `upper`) under the non-central hypergeometric distribution with log odds ratio t. */
function noncentralTail(density: number[], lo: number, x: number, t: number, upper: boolean): number {
  let max = Number.NEGATIVE_INFINITY;
  const logs = density.map((dens, i) => {
    const value = Math.log(dens) + t * i;
    if (value > max) max = value;
    return value;
  });
  let total = 0;
  let tail = 0;
  logs.forEach((value, i) => {
    const w = Math.exp(value - max);
    total += w;
    if (upper ? lo + i >= x : lo + i <= x) tail += w;
  });
  return tail / total;
}

/**
 * The odds ratio ψ at which the tail probability of the observed `x` equals
 * alpha: P(X >= x; ψ) = alpha (`upper`, a lower confidence bound; increasing
 * in ψ) or P(X <= x; ψ) = alpha (an upper bound; decreasing in ψ). Bisection
 * in ln ψ to 1e-13.
 */
function oddsRatioBound(density: number[], lo: number, x: number, alpha: number, upper: boolean): number {
  // f(t) increasing in t, root where f = 0
  const f = (t: number) => (upper ? 1 : -1) * (noncentralTail(density, lo, x, t, upper) - alpha);
  let tLo = -1;
  let tHi = 1;
  while (f(tLo) > 0 && tLo > -1e4) tLo *= 2;
  while (f(tHi) < 0 && tHi < 1e4) tHi *= 2;
  for (let i = 0; i < 200 && tHi - tLo > 1e-13 * Math.max(1, Math.abs(tLo)); i++) {
    const mid = (tLo + tHi) / 2;
    if (f(mid) < 0) tLo = mid;
    else tHi = mid;
  }
  return Math.exp((tLo + tHi) / 2);
}

function conditionalMle(density: number[], lo: number, hi: number, x: number): number {
  if (x === lo) return 0;
  if (x === hi) return Number.POSITIVE_INFINITY;
  let t = 0;
  let tLo = Number.NEGATIVE_INFINITY;
  let tHi = Number.POSITIVE_INFINITY;
  for (let iteration = 0; iteration < 200; iteration++) {
    const { mean, variance } = noncentralMoments(density, lo, t);
    const r = mean - x;
    if (r === 0) break;
    if (r < 0) tLo = t;
    else tHi = t;
    let next = t - r / variance;
    if (!(next > tLo && next < tHi) || !Number.isFinite(next)) {
      next =
        Number.isFinite(tLo) && Number.isFinite(tHi)
          ? (tLo + tHi) / 2
          : Number.isFinite(tLo)
            ? tLo + 2
            : tHi - 2;
    }
    if (Math.abs(next - t) < 1e-14 * Math.max(1, Math.abs(t))) {
      t = next;
      break;
    }
    t = next;
  }
  return Math.exp(t);
}

/** {@link noncentralHypergeometric}: tails and the odds-ratio interval of cell `a` given the table's margins. */
export interface NoncentralHypergeometric {
  /** P(X ≤ x) at odds ratio ψ = e^`logOddsRatio`. */
  lowerTail(x: number, logOddsRatio: number): number;
  /** P(X ≥ x) at odds ratio ψ = e^`logOddsRatio`. */
  upperTail(x: number, logOddsRatio: number): number;
  /** The exact conditional interval of the odds ratio at an observed `x`, two-sided at `level` (as R's `conf.int`). */
  oddsRatioInterval(x: number, level: number): [number, number];
}

/**
 * Fisher's non-central hypergeometric distribution of the top-left cell of a
 * 2×2 table (`a b; c d`, as {@link fisherExact}) given its margins: the
 * conditional distribution of `a` when the odds ratio is ψ, P(X = x) ∝
 * C(a + b, x)·C(c + d, a + c − x)·ψˣ.
 *
 * Why: testing a table against an odds ratio other than 1 — "fewer
 * invitations after failed interactions than the peers' odds ratio predicts"
 * (survey-suppression) — conditions on the margins as Fisher's test does, and
 * a random-effects null averages these tails over ψ. The support's densities
 * are computed once; each tail at another ψ costs one pass over the support.
 *
 * Reference: R `fisher.test(matrix(c(a, c, b, d), 2), or = ψ, alternative =
 * "less")$p.value` is `lowerTail(a, log ψ)` (checked in test/stats/exactTests.test.ts).
 *
 * Cost: O(support) to build and per tail; the interval ~50 bisection steps of O(support).
 * Internal: arguments are not checked (non-negative integer counts, no empty margin).
 *
 * @example
 * // R: fisher.test(matrix(c(3, 1, 1, 3), 2), or = 2, alternative = "less")$p.value
 * noncentralHypergeometric(3, 1, 1, 3).lowerTail(3, Math.log(2)); // 0.9501557632398755
 */
export function noncentralHypergeometric(
  a: number,
  b: number,
  c: number,
  d: number,
): NoncentralHypergeometric {
  const { lo, hi, density } = hypergeometricSupport(a, b, c, d);
  return {
    lowerTail: (x, t) => Math.min(1, noncentralTail(density, lo, x, t, false)),
    upperTail: (x, t) => Math.min(1, noncentralTail(density, lo, x, t, true)),
    oddsRatioInterval(x, level) {
      const alpha = (1 - level) / 2;
      return [
        x <= lo ? 0 : oddsRatioBound(density, lo, x, alpha, true),
        x >= hi ? Number.POSITIVE_INFINITY : oddsRatioBound(density, lo, x, alpha, false),
      ];
    },
  };
}

/**
 * Fisher's exact test for a 2×2 table of counts
 *
 * ```
 *            col 1   col 2
 *   row 1      a       b
 *   row 2      c       d
 * ```
 *
 * e.g. rows = this rep / other reps, columns = survey preceded by a
 * concession / not.
 *
 * Why: the exact conditional test of independence (odds ratio 1) when counts
 * are small, as they are per rep.
 *
 * How: conditioning on the margins, `a` is hypergeometric; one-sided
 * p-values are its tails, the two-sided p-value sums the probabilities of all
 * tables no more likely than the observed one (relative tolerance 1e-7, as R).
 * The odds ratio is the conditional MLE: the root of E[a; ψ] = a under the
 * non-central hypergeometric distribution, found by Newton's method in log ψ.
 * The interval inverts the two one-sided tests (as R does): its lower bound
 * is the ψ with P(X >= a; ψ) = α/2, its upper bound the ψ with P(X <= a; ψ) = α/2.
 *
 * Reference: R. A. Fisher (1935), JRSS 98:39–82. Compare R
 * `fisher.test(matrix(c(a, c, b, d), 2), alternative = …)`: note R's
 * column-major fill, `matrix(c(a, c, b, d), 2)` is the table above.
 * (R solves the MLE and the interval with `uniroot`'s default tolerance, so
 * its `estimate` and `conf.int` are only good to ~1e-4; these are solved to ~1e-12.)
 *
 * Cost: O(min(a + b, a + c)) density evaluations per p-value; the MLE and
 * the interval add O(support) per Newton or bisection step (~50 steps each).
 *
 * @throws {TypeError} when a count is not a finite number or alternative is unknown.
 * @throws {RangeError} when a count is not a non-negative integer.
 * @throws {RangeError} when level is outside (0, 1).
 * A table with an empty row or column has pValue 1, oddsRatio NaN and ci [0, Infinity].
 *
 * @example
 * fisherExact(3, 1, 1, 3).pValue; // 0.4857142857142857
 */
export function fisherExact(
  a: number,
  b: number,
  c: number,
  d: number,
  options: FisherExactOptions = {},
): FisherExactResult {
  assertCount('fisherExact', 'a', a);
  assertCount('fisherExact', 'b', b);
  assertCount('fisherExact', 'c', c);
  assertCount('fisherExact', 'd', d);
  const alternative = checkAlternative('fisherExact', options.alternative);
  const { level = 0.95 } = options;
  assertOpenUnit('fisherExact', 'level', level);
  if (a + b === 0 || c + d === 0 || a + c === 0 || b + d === 0) {
    return { pValue: 1, oddsRatio: Number.NaN, ci: [0, Number.POSITIVE_INFINITY] };
  }
  const { lo, hi, density } = hypergeometricSupport(a, b, c, d);
  const pValue = tailOf(density, a - lo, alternative);
  const alpha = alternative === 'two-sided' ? (1 - level) / 2 : 1 - level;
  const lowerBound = a === lo ? 0 : oddsRatioBound(density, lo, a, alpha, true);
  const upperBound = a === hi ? Number.POSITIVE_INFINITY : oddsRatioBound(density, lo, a, alpha, false);
  const ci: [number, number] =
    alternative === 'less'
      ? [0, upperBound]
      : alternative === 'greater'
        ? [lowerBound, Number.POSITIVE_INFINITY]
        : [lowerBound, upperBound];
  return { pValue: Math.min(1, pValue), oddsRatio: conditionalMle(density, lo, hi, a), ci };
}

/** The p-value of the table's count at `density[at]` (the conditional null over the support). */
function tailOf(density: Float64Array | number[], at: number, alternative: string): number {
  let pValue = 0;
  if (alternative === 'less') {
    for (let i = 0; i <= at; i++) pValue += density[i];
  } else if (alternative === 'greater') {
    for (let i = density.length - 1; i >= at; i--) pValue += density[i];
  } else {
    const bound = density[at] * (1 + 1e-7);
    let total = 0;
    for (let i = 0; i < density.length; i++) {
      total += density[i];
      if (density[i] <= bound) pValue += density[i];
    }
    pValue /= total;
  }
  return pValue;
}

/**
 * `fisherExact(a, b, c, d, { alternative }).pValue` without the conditional MLE and the confidence
 * interval (two root searches that took most of account-extraction's ~1 s in Fisher tests at 1M
 * surveys, which uses only the p-value). Internal: arguments are not checked.
 */
export function fisherExactPValue(
  a: number,
  b: number,
  c: number,
  d: number,
  alternative: 'two-sided' | 'less' | 'greater',
): number {
  if (a + b === 0 || c + d === 0 || a + c === 0 || b + d === 0) return 1;
  const { lo, density } = hypergeometricSupport(a, b, c, d);
  return Math.min(1, tailOf(density, a - lo, alternative));
}
