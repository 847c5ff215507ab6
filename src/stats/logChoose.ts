import { logBetaUnchecked } from './logBeta.js';
import { assertCount } from './validate.js';

/**
 * The natural logarithm of the binomial coefficient, ln C(n, k), for integers
 * 0 <= k <= n.
 *
 * Why: counting arguments (binomial and beta-binomial probabilities) for
 * n up to millions, where C(n, k) itself overflows.
 *
 * How: ln C(n, k) = −ln(n + 1) − ln B(n − k + 1, k + 1), via {@link logBeta}
 * (as R's `lchoose`).
 *
 * Cost: O(1).
 *
 * @throws {TypeError} when n or k is not a finite number.
 * @throws {RangeError} when n or k is not a non-negative integer, or k > n.
 *
 * @example
 * logChoose(5, 2); // ln(10) = 2.302585092994046
 */
export function logChoose(n: number, k: number): number {
  assertCount('logChoose', 'n', n);
  assertCount('logChoose', 'k', k);
  if (k > n) throw new RangeError(`logChoose: k must be <= n, got k = ${k}, n = ${n}`);
  if (k === 0 || k === n) return 0;
  if (k === 1 || k === n - 1) return Math.log(n);
  return -Math.log(n + 1) - logBetaUnchecked(n - k + 1, k + 1);
}
