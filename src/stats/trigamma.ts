import { assertFinite } from './validate.js';

/**
 * The trigamma function ψ₁(x) = d²/dx² ln Γ(x), for x > 0.
 *
 * Why: the Hessian of the beta-binomial likelihood ({@link fitBetaBinomial}),
 * for Newton steps.
 *
 * How: the recurrence ψ₁(x) = ψ₁(x + 1) + 1/x² up to x >= 10, then the
 * asymptotic series 1/x + 1/(2x²) + Σ B₂ₖ/x²ᵏ⁺¹; ~1e-15 relative accuracy.
 *
 * Reference: Abramowitz & Stegun 6.4.12. Compare R `trigamma(x)`.
 *
 * Cost: O(1).
 *
 * @throws {TypeError} when x is not a finite number.
 * @throws {RangeError} when x <= 0.
 *
 * @example
 * trigamma(1); // π²/6 = 1.6449340668482264
 */
export function trigamma(x: number): number {
  assertFinite('trigamma', 'x', x);
  if (x <= 0) throw new RangeError(`trigamma: x must be > 0, got ${x}`);
  let shift = 0;
  while (x < 10) {
    shift += 1 / (x * x);
    x += 1;
  }
  const r = 1 / (x * x);
  const series =
    1 / x +
    r / 2 +
    (r / x) *
      (1 / 6 - r * (1 / 30 - r * (1 / 42 - r * (1 / 30 - r * (5 / 66 - r * (691 / 2730 - (r * 7) / 6))))));
  return shift + series;
}

/**
 * ψ₁(a + k) − ψ₁(a) for an integer k >= 0, without cancellation for small k
 * (−Σ_{j<k} 1/(a + j)² for k <= 64). Internal: arguments are not checked.
 */
export function trigammaDifference(a: number, k: number): number {
  if (k <= 64) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum -= 1 / ((a + j) * (a + j));
    return sum;
  }
  return trigamma(a + k) - trigamma(a);
}
