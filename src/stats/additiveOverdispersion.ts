import { normalQuantile } from './normalQuantile.js';
import { quantileType7 } from './quantileType7.js';

/** Over-dispersion estimate of {@link additiveOverdispersion}. */
export interface Overdispersion {
  /** mean winsorized z² (1 under no over-dispersion) */
  phi: number;
  /** additive between-entity variance τ² (0 when φ does not exceed its expectation) */
  tau2: number;
  /** entities that entered the estimate */
  units: number;
}

/**
 * Spiegelhalter's additive random-effects over-dispersion of per-entity
 * excesses dᵢ (target 0) with within-entity variances vᵢ: zᵢ = dᵢ/√vᵢ,
 * winsorized at the `winsorize` and 1 − `winsorize` quantiles so that the
 * gamers themselves do not inflate it; φ = Σ z_w²/(I·c), where c is E[z_w²]
 * for a standard normal z (0.68 at 10%): without this consistency factor the
 * winsorized φ underestimates honest heterogeneity by a third, and ordinary
 * reps in the tail of the spread get flagged; with wᵢ = 1/vᵢ,
 * τ² = max(0, (Iφ − (I − 1)) / (Σw − Σw²/Σw)). Fewer than 5 entities: τ² = 0
 * (too few to estimate a spread).
 *
 * Reference: D. J. Spiegelhalter (2005), "Funnel plots for comparing
 * institutional performance", Stat Med 24:1185–1202, §3.3
 * (doi:10.1002/sim.1970); the formulas of `funnelAnalysis`,
 * generalised from proportions against one target to any excess with its
 * own variance, and with the consistency factor. Checked against the same
 * formulas in R (test/reference/stats.R: `additive_od`), c against R's
 * numerical integral.
 *
 * Cost: O(I log I). Internal: arguments are not checked.
 *
 * @example
 * // R: additive_od(c(0.1, -0.2, 0.05, 0.3, -0.1, 0), c(0.01, 0.02, 0.01, 0.03, 0.02, 0.01), 0.1)$tau2 (stats.R)
 * additiveOverdispersion([0.1, -0.2, 0.05, 0.3, -0.1, 0], [0.01, 0.02, 0.01, 0.03, 0.02, 0.01], 0.1).tau2; // 0.005674052710997441
 */
export function additiveOverdispersion(
  excess: readonly number[],
  variance: readonly number[],
  winsorize: number,
): Overdispersion {
  const z: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < excess.length; i++) {
    if (variance[i] > 0 && Number.isFinite(excess[i])) {
      z.push(excess[i] / Math.sqrt(variance[i]));
      w.push(1 / variance[i]);
    }
  }
  const units = z.length;
  if (units < 5) return { phi: 1, tau2: 0, units };
  const sorted = [...z].sort((a, b) => a - b);
  const lo = quantileType7(sorted, winsorize);
  const hi = quantileType7(sorted, 1 - winsorize);
  let phi = 0;
  for (const v of z) phi += Math.min(hi, Math.max(lo, v)) ** 2;
  // consistency: winsorizing shrinks E[z²] below 1 + τ²/v even for normal z; divide by its normal expectation
  phi /= units * winsorizedSecondMoment(winsorize);
  let sw = 0;
  let sw2 = 0;
  for (const v of w) {
    sw += v;
    sw2 += v * v;
  }
  const denominator = sw - sw2 / sw;
  const tau2 = denominator > 0 ? Math.max(0, (units * phi - (units - 1)) / denominator) : 0;
  return { phi, tau2, units };
}

/** E[z_w²] for z ~ N(0, 1) winsorized at its `w` and 1 − `w` quantiles: (1 − 2w) − 2cφ(c) + 2wc², c = Φ⁻¹(1 − w). */
export function winsorizedSecondMoment(w: number): number {
  if (w <= 0) return 1;
  const c = normalQuantile(1 - w);
  const density = Math.exp(-0.5 * c * c) / Math.sqrt(2 * Math.PI);
  return 1 - 2 * w - 2 * c * density + 2 * w * c * c;
}
