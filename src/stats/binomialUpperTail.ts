import { binomialLowerUnchecked } from './binomialCdf.js';
import { assertCount, assertProbability } from './validate.js';

/**
 * The upper tail P(X >= k) for X ~ Binomial(n, p): the one-sided exact
 * p-value of observing k or more successes.
 *
 * Why: "this rep had k of n surveys preceded by a concession; how surprising
 * is that at the peer rate p?" is exactly this tail, and it is easy to get
 * off by one with `binomialCdf` (P(X >= k) = P(X > k − 1)).
 *
 * How: I_p(k, n − k + 1) (regularized incomplete beta), computed directly.
 *
 * Reference: compare R `pbinom(k - 1, n, p, lower.tail = FALSE)`.
 *
 * Cost: O(√n) at worst.
 *
 * @throws {TypeError} when an argument is not a finite number.
 * @throws {RangeError} when k or n is not a non-negative integer, k > n, or p is outside [0, 1].
 *
 * @example
 * binomialUpperTail(8, 10, 0.5); // 0.0546875
 */
export function binomialUpperTail(k: number, n: number, p: number): number {
  assertCount('binomialUpperTail', 'k', k);
  assertCount('binomialUpperTail', 'n', n);
  assertProbability('binomialUpperTail', 'p', p);
  if (k > n) throw new RangeError(`binomialUpperTail: k must be <= n, got k = ${k}, n = ${n}`);
  return binomialLowerUnchecked(k - 1, n, p, false);
}
