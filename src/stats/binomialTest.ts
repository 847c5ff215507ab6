import { binomialLowerUnchecked } from './binomialCdf.js';
import { exactBinomialInterval } from './exactBinomialInterval.js';
import { binomialDensity } from './saddlePoint.js';
import {
  type Alternative,
  assertCount,
  assertOpenUnit,
  assertProbability,
  checkAlternative,
} from './validate.js';

/** Options for {@link binomialTest}. */
export interface BinomialTestOptions {
  /** 'two-sided' (default), 'less' or 'greater' (true p is greater than p0). */
  alternative?: Alternative;
  /** Confidence level of the Clopper–Pearson interval, in (0, 1); default 0.95. */
  level?: number;
}

/** Result of {@link binomialTest}. */
export interface BinomialTestResult {
  /** Exact p-value. */
  pValue: number;
  /** k / n. */
  estimate: number;
  /** Clopper–Pearson interval matching the alternative. */
  ci: [number, number];
}

/** Number of i in [from, to] with pmf(i) <= bound, for a pmf monotone on that range. */
function countAtMost(
  pmf: (i: number) => number,
  from: number,
  to: number,
  bound: number,
  increasing: boolean,
): number {
  // find the boundary by bisection: on an increasing run the qualifying i form a prefix,
  // on a decreasing run a suffix
  let lo = from;
  let hi = to + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    const ok = pmf(mid) <= bound;
    if (increasing ? !ok : ok) hi = mid;
    else lo = mid + 1;
  }
  return increasing ? lo - from : to + 1 - lo;
}

/**
 * The exact binomial test of H0: p = p0 for k successes out of n.
 *
 * Why: the building block for "this rep's share of X is higher than the peer
 * rate" with small per-rep counts, where normal approximations fail.
 *
 * How: one-sided p-values are binomial tails. The two-sided p-value is R's:
 * the probability of all outcomes no more likely than k, with a relative
 * tolerance of 1e-7 (`relErr = 1 + 1e-7`) so that ties are not lost to
 * rounding. Since the pmf is monotone on each side of the mean n·p0, the
 * outcomes on the far side are counted by bisection instead of a loop over n.
 * The interval is Clopper–Pearson ({@link exactBinomialInterval}).
 *
 * Reference: compare R `binom.test(k, n, p0, alternative, conf.level)`.
 *
 * Cost: O(log n) pmf evaluations plus two incomplete-beta and two beta-quantile evaluations.
 *
 * @throws {TypeError} when an argument is not a finite number or alternative is unknown.
 * @throws {RangeError} when k, n are not non-negative integers, n = 0, k > n, p0 outside [0, 1] or level outside (0, 1).
 *
 * @example
 * binomialTest(7, 20, 0.2).pValue; // 0.09822… (two-sided)
 * binomialTest(7, 20, 0.2, { alternative: 'greater' }).pValue; // 0.08669…
 */
export function binomialTest(
  k: number,
  n: number,
  p0 = 0.5,
  options: BinomialTestOptions = {},
): BinomialTestResult {
  assertCount('binomialTest', 'k', k);
  assertCount('binomialTest', 'n', n);
  if (n === 0) throw new RangeError('binomialTest: n must be >= 1, got 0');
  if (k > n) throw new RangeError(`binomialTest: k must be <= n, got k = ${k}, n = ${n}`);
  assertProbability('binomialTest', 'p0', p0);
  const { level = 0.95 } = options;
  assertOpenUnit('binomialTest', 'level', level);
  const alternative = checkAlternative('binomialTest', options.alternative);
  const ci = exactBinomialInterval(k, n, { level, alternative });
  return { pValue: binomialTestPValue(k, n, p0, alternative), estimate: k / n, ci };
}

/** The p-value part of {@link binomialTest}, without argument checks. */
export function binomialTestPValue(k: number, n: number, p0: number, alternative: Alternative): number {
  if (alternative === 'less') return binomialLowerUnchecked(k, n, p0, true);
  if (alternative === 'greater') return binomialLowerUnchecked(k - 1, n, p0, false);
  const pmf = (i: number) => binomialDensity(i, n, p0);
  const relErr = 1 + 1e-7;
  const d = pmf(k);
  const m = n * p0;
  if (k === m) return 1;
  let pValue: number;
  if (k < m) {
    const y = countAtMost(pmf, Math.ceil(m), n, d * relErr, false);
    pValue = binomialLowerUnchecked(k, n, p0, true) + binomialLowerUnchecked(n - y, n, p0, false);
  } else {
    const y = countAtMost(pmf, 0, Math.floor(m), d * relErr, true);
    pValue = binomialLowerUnchecked(y - 1, n, p0, true) + binomialLowerUnchecked(k - 1, n, p0, false);
  }
  return Math.min(1, pValue);
}
