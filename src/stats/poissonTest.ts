import { incompleteGammaTails } from './gammaCdf.js';
import { gammaQuantile } from './gammaQuantile.js';
import { poissonDensityRaw } from './saddlePoint.js';
import {
  type Alternative,
  assertCount,
  assertNonNegative,
  assertOpenUnit,
  assertPositive,
  checkAlternative,
} from './validate.js';

/** Options for {@link poissonTest}. */
export interface PoissonTestOptions {
  /** 'two-sided' (default), 'less' or 'greater' (true rate greater than `rate`). */
  alternative?: Alternative;
  /** Confidence level of the exact interval, in (0, 1); default 0.95. */
  level?: number;
}

/** Result of {@link poissonTest}. */
export interface PoissonTestResult {
  /** Exact p-value. */
  pValue: number;
  /** The observed rate x / exposure. */
  estimate: number;
  /** Exact (Garwood) interval for the rate, matching the alternative. */
  ci: [number, number];
}

/** P(X <= x) (or P(X > x)) for X ~ Poisson(mean), integer x, without checks. */
function poissonLower(x: number, mean: number, lowerTail: boolean): number {
  if (x < 0) return lowerTail ? 0 : 1;
  if (mean === 0) return lowerTail ? 1 : 0;
  const tails = incompleteGammaTails(x + 1, mean);
  return lowerTail ? tails.upper : tails.lower;
}

/**
 * The exact one-sample Poisson test of H0: the event rate per unit of
 * exposure equals `rate`, having seen `x` events in `exposure` units.
 *
 * Why: concession counts per customer-month or per invitation window are
 * counts over an exposure, not successes out of trials.
 *
 * How: with m = rate·exposure, one-sided p-values are Poisson tails (via
 * the incomplete gamma function); the two-sided p-value is R's: the
 * probability of all counts no more likely than x (relative tolerance 1e-7),
 * the far side counted by bisection since the pmf is monotone there. The
 * interval is Garwood's: [qgamma(α/2, x), qgamma(1 − α/2, x + 1)] / exposure
 * (lower bound 0 when x = 0).
 *
 * Reference: F. Garwood (1936), Biometrika 28:437–442. Compare R
 * `poisson.test(x, exposure, rate, alternative, conf.level)`.
 *
 * Cost: O(log x) pmf evaluations plus a few incomplete-gamma evaluations.
 *
 * @throws {TypeError} when an argument is not a finite number or alternative is unknown.
 * @throws {RangeError} when x is not a non-negative integer, exposure <= 0, rate < 0 or level outside (0, 1).
 *
 * @example
 * poissonTest(10, 2, 3).pValue; // 0.1013… (two-sided; R poisson.test(10, 2, 3))
 */
export function poissonTest(
  x: number,
  exposure: number,
  rate = 1,
  options: PoissonTestOptions = {},
): PoissonTestResult {
  assertCount('poissonTest', 'x', x);
  assertPositive('poissonTest', 'exposure', exposure);
  assertNonNegative('poissonTest', 'rate', rate);
  const { level = 0.95 } = options;
  assertOpenUnit('poissonTest', 'level', level);
  const alternative = checkAlternative('poissonTest', options.alternative);
  const m = rate * exposure;
  let pValue: number;
  if (alternative === 'less') pValue = poissonLower(x, m, true);
  else if (alternative === 'greater') pValue = poissonLower(x - 1, m, false);
  else pValue = twoSided(x, m);
  const lowerBound = (alpha: number) => (x === 0 ? 0 : gammaQuantile(alpha, x));
  const upperBound = (alpha: number) => gammaQuantile(alpha, x + 1, { lowerTail: false });
  let ci: [number, number];
  if (alternative === 'less') ci = [0, upperBound(1 - level)];
  else if (alternative === 'greater') ci = [lowerBound(1 - level), Number.POSITIVE_INFINITY];
  else ci = [lowerBound((1 - level) / 2), upperBound((1 - level) / 2)];
  return { pValue, estimate: x / exposure, ci: [ci[0] / exposure, ci[1] / exposure] };
}

function twoSided(x: number, m: number): number {
  if (m === 0) return x === 0 ? 1 : 0;
  const relErr = 1 + 1e-7;
  const d = poissonDensityRaw(x, m);
  if (x === m) return 1;
  const bound = d * relErr;
  if (x < m) {
    let N = Math.ceil(2 * m - x);
    while (poissonDensityRaw(N, m) > d) N *= 2;
    // dpois is non-increasing on [ceil(m), N]: the qualifying i form a suffix
    let lo = Math.ceil(m);
    let hi = N + 1;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (poissonDensityRaw(mid, m) <= bound) hi = mid;
      else lo = mid + 1;
    }
    const y = N + 1 - lo;
    return Math.min(1, poissonLower(x, m, true) + poissonLower(N - y, m, false));
  }
  // dpois is non-decreasing on [0, floor(m)]: the qualifying i form a prefix
  let lo = 0;
  let hi = Math.floor(m) + 1;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (poissonDensityRaw(mid, m) <= bound) lo = mid + 1;
    else hi = mid;
  }
  const y = lo;
  return Math.min(1, poissonLower(y - 1, m, true) + poissonLower(x - 1, m, false));
}
