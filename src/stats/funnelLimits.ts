import { normalQuantile } from './normalQuantile.js';
import { assertFinite, assertNonNegative, assertOpenUnit, assertPositive } from './validate.js';

/** Options for {@link funnelLimits}. */
export interface FunnelLimitsOptions {
  /** Target proportion θ₀ in (0, 1). Required. */
  p0: number;
  /** Additive between-unit variance τ² (>= 0, from {@link funnelAnalysis}); default 0. */
  tau2?: number;
  /** Multiplicative over-dispersion factor φ (> 0); default 1 (none). Pass φ or τ², not usually both. */
  phi?: number;
  /** Two-sided coverage levels; default [0.95, 0.998] (≈ 2 and 3 standard deviations). */
  levels?: readonly number[];
}

/** One pair of control limits. */
export interface FunnelLimit {
  level: number;
  lower: number;
  upper: number;
}

/**
 * Funnel-plot control limits for a proportion at volume n:
 * θ₀ ± z √(φ θ₀(1 − θ₀)/n + τ²), clipped to [0, 1], with z = qnorm((1 + level)/2).
 *
 * Why: the curves drawn on the funnel plot, and the thresholds a unit's rate
 * is compared with; with τ² > 0 they do not shrink to θ₀ as n grows, because
 * even a very large unit is expected to differ by its random effect.
 *
 * Reference: D. J. Spiegelhalter (2005), Stat Med 24:1185–1202,
 * doi:10.1002/sim.1970 (normal approximation limits, §3; over-dispersed limits, §5).
 *
 * Cost: O(levels).
 *
 * @throws {TypeError} when an argument is not a finite number.
 * @throws {RangeError} when n <= 0, p0 outside (0, 1), τ² < 0, φ <= 0 or a level outside (0, 1).
 *
 * @example
 * funnelLimits(100, { p0: 0.2 }); // [{ level: 0.95, lower: 0.1216…, upper: 0.2784… }, { level: 0.998, … }]
 */
export function funnelLimits(n: number, options: FunnelLimitsOptions): FunnelLimit[] {
  const fn = 'funnelLimits';
  assertPositive(fn, 'n', n);
  if (options === null || typeof options !== 'object')
    throw new TypeError(`${fn}: options with p0 are required`);
  const { p0, tau2 = 0, phi = 1, levels = [0.95, 0.998] } = options;
  assertOpenUnit(fn, 'p0', p0);
  assertNonNegative(fn, 'tau2', tau2);
  assertPositive(fn, 'phi', phi);
  if (!Array.isArray(levels)) throw new TypeError(`${fn}: levels must be an array`);
  const sd = Math.sqrt((phi * p0 * (1 - p0)) / n + tau2);
  return levels.map((level, i) => {
    assertFinite(fn, `levels[${i}]`, level);
    assertOpenUnit(fn, `levels[${i}]`, level);
    const z = normalQuantile((1 + level) / 2);
    return { level, lower: Math.max(0, p0 - z * sd), upper: Math.min(1, p0 + z * sd) };
  });
}
