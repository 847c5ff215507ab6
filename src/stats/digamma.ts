import { assertFinite } from './validate.js';

/**
 * The digamma function ψ(x) = d/dx ln Γ(x), for x > 0.
 *
 * Why: the gradient of the beta-binomial likelihood ({@link fitBetaBinomial}).
 *
 * How: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x >= 10, then the
 * asymptotic series ln x − 1/(2x) − Σ B₂ₖ/(2k x²ᵏ); ~1e-15 absolute accuracy.
 *
 * Reference: Abramowitz & Stegun 6.3.5 and 6.3.18. Compare R `digamma(x)`.
 *
 * Cost: O(1) (at most 10 recurrence steps).
 *
 * @throws {TypeError} when x is not a finite number.
 * @throws {RangeError} when x <= 0.
 *
 * @example
 * digamma(1); // −0.5772156649015329 (minus the Euler–Mascheroni constant)
 */
export function digamma(x: number): number {
  assertFinite('digamma', 'x', x);
  if (x <= 0) throw new RangeError(`digamma: x must be > 0, got ${x}`);
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const r = 1 / (x * x);
  const series =
    r * (1 / 12 - r * (1 / 120 - r * (1 / 252 - r * (1 / 240 - r * (1 / 132 - r * (691 / 32760 - r / 12))))));
  return shift + Math.log(x) - 0.5 / x - series;
}

/**
 * ψ(a + k) − ψ(a) for an integer k >= 0, without cancellation: the sum
 * Σ_{j<k} 1/(a + j) for k <= 64, the difference of digammas otherwise.
 * Internal: arguments are not checked.
 */
export function digammaDifference(a: number, k: number): number {
  if (k <= 64) {
    let sum = 0;
    for (let j = 0; j < k; j++) sum += 1 / (a + j);
    return sum;
  }
  return digamma(a + k) - digamma(a);
}
