import { betaCdf } from './betaCdf.js';
import type { BetaPrior } from './shrinkRate.js';
import { assertCount, assertPositive, assertProbability } from './validate.js';

/**
 * The posterior probability that a unit's true rate exceeds a threshold,
 * P(p > threshold | k of n, Beta(α, β) prior) = 1 − I_threshold(α + k, β + n − k).
 *
 * Why: "how likely is it that this rep's true top-box rate is above 90%,
 * given its peers?" — a statement analysts can read directly, and robust
 * for small samples.
 *
 * How: the upper tail of the Beta(α + k, β + n − k) posterior, computed
 * directly (no 1 − p cancellation) by {@link betaCdf}.
 *
 * Reference: compare R `pbeta(threshold, alpha + k, beta + n - k, lower.tail = FALSE)`.
 *
 * Cost: one incomplete-beta evaluation.
 *
 * @throws {TypeError} when an argument is not a finite number.
 * @throws {RangeError} when k, n are not non-negative integers, k > n, α, β <= 0 or threshold outside [0, 1].
 *
 * @example
 * posteriorExceedance(9, 10, 0.5, { alpha: 1, beta: 1 }); // 1 − 0.5^11 − 11 · 0.5^11 = 0.994140625
 */
export function posteriorExceedance(k: number, n: number, threshold: number, prior: BetaPrior): number {
  assertCount('posteriorExceedance', 'k', k);
  assertCount('posteriorExceedance', 'n', n);
  if (k > n) throw new RangeError(`posteriorExceedance: k must be <= n, got k = ${k}, n = ${n}`);
  assertProbability('posteriorExceedance', 'threshold', threshold);
  if (prior === null || typeof prior !== 'object')
    throw new TypeError('posteriorExceedance: prior must be { alpha, beta }');
  assertPositive('posteriorExceedance', 'prior.alpha', prior.alpha);
  assertPositive('posteriorExceedance', 'prior.beta', prior.beta);
  return betaCdf(threshold, prior.alpha + k, prior.beta + n - k, { lowerTail: false });
}
