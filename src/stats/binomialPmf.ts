import { binomialDensity } from './saddlePoint.js';
import { assertCount, assertProbability } from './validate.js';

/**
 * The binomial probability mass function P(X = k) for X ~ Binomial(n, p).
 *
 * Why: exact tests of a rep's count of, say, surveys preceded by a concession
 * against a peer rate need point probabilities for n up to millions.
 *
 * How: Loader's saddle-point formula (Stirling error and deviance terms, no
 * subtraction of large log-factorials), with a correction for the rounding of
 * 1 − p; ~1e-14 relative accuracy for n up to 10^7.
 *
 * Reference: C. Loader (2000), "Fast and accurate computation of binomial
 * probabilities". Compare R `dbinom(k, n, p)`.
 *
 * Cost: O(1).
 *
 * @throws {TypeError} when an argument is not a finite number.
 * @throws {RangeError} when n or k is not a non-negative integer, or p is outside [0, 1].
 * k > n is allowed and has probability 0.
 *
 * @example
 * binomialPmf(3, 10, 0.5); // 0.1171875
 */
export function binomialPmf(k: number, n: number, p: number): number {
  assertCount('binomialPmf', 'k', k);
  assertCount('binomialPmf', 'n', n);
  assertProbability('binomialPmf', 'p', p);
  if (k > n) return 0;
  return binomialDensity(k, n, p);
}
