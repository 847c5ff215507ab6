import { incompleteBetaTails } from './betaCdf.js';
import { assertCount, assertFinite, assertProbability } from './validate.js';

/** Options for {@link binomialCdf}. */
export interface BinomialCdfOptions {
  /** P(X <= k) when true (default); P(X > k) when false, computed directly. */
  lowerTail?: boolean;
}

/**
 * The binomial distribution function P(X <= k) for X ~ Binomial(n, p)
 * (or P(X > k) with `lowerTail: false`).
 *
 * Why: one-sided exact binomial p-values, computed without summing up to n
 * terms and without 1 − p cancellation in the tails.
 *
 * How: P(X <= k) = 1 − I_p(k + 1, n − k), the regularized incomplete beta
 * function (see {@link betaCdf}); each tail is evaluated directly.
 *
 * Reference: Abramowitz & Stegun 26.5.24. Compare R `pbinom(k, n, p, lower.tail)`.
 *
 * Cost: O(√n) at worst (continued fraction).
 *
 * @throws {TypeError} when an argument is not a finite number.
 * @throws {RangeError} when n is not a non-negative integer or p is outside [0, 1].
 * Non-integer k is floored (as R does); k < 0 gives 0 and k >= n gives 1.
 *
 * @example
 * binomialCdf(3, 10, 0.5); // 0.171875
 */
export function binomialCdf(k: number, n: number, p: number, options: BinomialCdfOptions = {}): number {
  assertFinite('binomialCdf', 'k', k);
  assertCount('binomialCdf', 'n', n);
  assertProbability('binomialCdf', 'p', p);
  const { lowerTail = true } = options;
  return binomialLowerUnchecked(Math.floor(k), n, p, lowerTail);
}

/** P(X <= k) (or P(X > k)) for integer k, without argument checks. */
export function binomialLowerUnchecked(k: number, n: number, p: number, lowerTail: boolean): number {
  if (k < 0) return lowerTail ? 0 : 1;
  if (k >= n) return lowerTail ? 1 : 0;
  const tails = incompleteBetaTails(p, k + 1, n - k);
  return lowerTail ? tails.upper : tails.lower;
}
