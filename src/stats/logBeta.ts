import { logGammaUnchecked } from './logGamma.js';
import { stirlingError } from './saddlePoint.js';
import { assertPositive } from './validate.js';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * The natural logarithm of the beta function, ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b).
 *
 * Why: beta-binomial likelihoods and beta densities need it for large
 * arguments, where subtracting three ln Γ values of size ~10^7 would lose
 * about 1e-9 of absolute accuracy. When both arguments are >= 10 the
 * Stirling corrections are combined directly (as R's `lbeta` does), so the
 * result keeps ~1e-15 relative accuracy.
 *
 * Reference: R `src/nmath/lbeta.c` (after TOMS 708). Compare R `lbeta(a, b)`.
 *
 * Cost: O(1).
 *
 * @throws {TypeError} when a or b is not a finite number.
 * @throws {RangeError} when a <= 0 or b <= 0.
 *
 * @example
 * logBeta(2, 3); // ln(1/12) = -2.4849066497880004
 */
export function logBeta(a: number, b: number): number {
  assertPositive('logBeta', 'a', a);
  assertPositive('logBeta', 'b', b);
  return logBetaUnchecked(a, b);
}

/** ln B(a, b) without argument checks (a, b > 0 assumed). */
export function logBetaUnchecked(a: number, b: number): number {
  const p = Math.min(a, b);
  const q = Math.max(a, b);
  if (p >= 10) {
    const corr = stirlingError(p) + stirlingError(q) - stirlingError(p + q);
    return (
      -0.5 * Math.log(q) +
      HALF_LOG_TWO_PI +
      corr +
      (p - 0.5) * Math.log(p / (p + q)) +
      q * Math.log1p(-p / (p + q))
    );
  }
  if (q >= 10) {
    const corr = stirlingError(q) - stirlingError(p + q);
    return logGammaUnchecked(p) + corr + p - p * Math.log(p + q) + (q - 0.5) * Math.log1p(-p / (p + q));
  }
  return logGammaUnchecked(p) + logGammaUnchecked(q) - logGammaUnchecked(p + q);
}
