import { betaQuantile } from './betaQuantile.js';
import { assertCount, assertOpenUnit, assertPositive } from './validate.js';

/** A Beta(α, β) prior, e.g. from {@link fitBetaBinomial}. */
export interface BetaPrior {
  alpha: number;
  beta: number;
}

/** Options for {@link shrinkRate}. */
export interface ShrinkRateOptions {
  /** Credible level of the equal-tailed interval, in (0, 1); default 0.95. */
  level?: number;
}

/** Result of {@link shrinkRate}. */
export interface ShrunkRate {
  /** Posterior mean (α + k) / (α + β + n). */
  mean: number;
  /** Equal-tailed posterior credible interval (beta quantiles). */
  ci: [number, number];
  /** Posterior parameters α + k and β + n − k. */
  alpha: number;
  beta: number;
  /** Weight of the unit's own rate k/n in the posterior mean: n / (α + β + n). */
  weight: number;
}

/**
 * Empirical-Bayes shrinkage of one unit's rate k/n toward its peers: the
 * Beta(α + k, β + n − k) posterior under the peers' Beta(α, β) prior.
 *
 * Why: a rep with 8 responses and 8 top-box scores has a raw rate of 100%;
 * its posterior mean says how high its rate plausibly is given how much reps
 * vary, which is the number to rank on and plot.
 *
 * How: conjugate update; the interval is [qbeta(α/2), qbeta(1 − α/2)] of the
 * posterior, with α = 1 − level.
 *
 * Reference: B. Efron & C. Morris (1975), JASA 70:311–319; compare R
 * `qbeta(c(0.025, 0.975), alpha + k, beta + n - k)`.
 *
 * Cost: two beta quantiles.
 *
 * @throws {TypeError} when an argument is not a finite number.
 * @throws {RangeError} when k, n are not non-negative integers, k > n, α, β <= 0 or level outside (0, 1).
 *
 * @example
 * shrinkRate(8, 8, { alpha: 6, beta: 14 }).mean; // 14 / 28 = 0.5
 */
export function shrinkRate(
  k: number,
  n: number,
  prior: BetaPrior,
  options: ShrinkRateOptions = {},
): ShrunkRate {
  assertCount('shrinkRate', 'k', k);
  assertCount('shrinkRate', 'n', n);
  if (k > n) throw new RangeError(`shrinkRate: k must be <= n, got k = ${k}, n = ${n}`);
  if (prior === null || typeof prior !== 'object')
    throw new TypeError('shrinkRate: prior must be { alpha, beta }');
  assertPositive('shrinkRate', 'prior.alpha', prior.alpha);
  assertPositive('shrinkRate', 'prior.beta', prior.beta);
  const { level = 0.95 } = options;
  assertOpenUnit('shrinkRate', 'level', level);
  const alpha = prior.alpha + k;
  const beta = prior.beta + n - k;
  const tail = (1 - level) / 2;
  return {
    mean: alpha / (alpha + beta),
    ci: [betaQuantile(tail, alpha, beta), betaQuantile(tail, alpha, beta, { lowerTail: false })],
    alpha,
    beta,
    weight: n / (prior.alpha + prior.beta + n),
  };
}
