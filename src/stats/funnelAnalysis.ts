import { normalCdf } from './normalCdf.js';
import { quantileType7 } from './quantileType7.js';
import { type Alternative, assertFinite, assertOpenUnit, checkAlternative } from './validate.js';

/** Options for {@link funnelAnalysis}. */
export interface FunnelAnalysisOptions {
  /** Target proportion θ₀ in (0, 1); default the pooled rate Σk / Σn. */
  p0?: number;
  /** Share winsorized in each tail of the z-scores before estimating φ, in [0, 0.5); default 0.1. */
  winsorize?: number;
  /** Alternative for the per-unit p-values: 'two-sided' (default), 'greater' (unit above target) or 'less'. */
  alternative?: Alternative;
}

/** One unit's row in {@link FunnelAnalysis}. */
export interface FunnelUnit {
  k: number;
  n: number;
  /** k / n. */
  rate: number;
  /** Binomial standard error at the target, √(θ₀(1 − θ₀)/n). */
  se: number;
  /** Naive z-score (rate − θ₀) / se. */
  z: number;
  /** z after winsorizing (the values that enter φ). */
  zWinsorized: number;
  /** z / √φ when φ > 1 (multiplicative over-dispersion), else z. */
  zMultiplicative: number;
  /** (rate − θ₀) / √(se² + τ²) (additive random-effects over-dispersion). */
  zAdditive: number;
  /** p-value of zAdditive under the chosen alternative. */
  pValue: number;
}

/** Result of {@link funnelAnalysis}. */
export interface FunnelAnalysis {
  /** Target θ₀ used. */
  p0: number;
  /** Over-dispersion factor φ = Σ z_w² / I (winsorized z-scores). */
  phi: number;
  /** Additive between-unit variance τ² (0 when I·φ <= I − 1). */
  tau2: number;
  units: FunnelUnit[];
}

/**
 * Funnel-plot statistics for proportions with over-dispersion: per-unit
 * z-scores against a target, the multiplicative over-dispersion factor φ
 * from winsorized z-scores, the additive random-effects variance τ²
 * (DerSimonian–Laird form), and over-dispersion-adjusted z-scores and p-values.
 *
 * Why: reps are compared on a funnel plot (rate against volume); with
 * hundreds of reps the binomial limits flag many for honest heterogeneity.
 * Spiegelhalter's adjustment widens the limits by the observed between-rep
 * spread, estimated robustly so that the gamers themselves do not inflate it.
 *
 * How (Spiegelhalter 2005, §2–3, for proportions): sᵢ = √(θ₀(1 − θ₀)/nᵢ),
 * zᵢ = (yᵢ − θ₀)/sᵢ; zᵢ winsorized to the `winsorize` and 1 − `winsorize`
 * quantiles (R `quantile` type 7); φ = Σ z_w²/I; with wᵢ = 1/sᵢ²,
 * τ² = max(0, (Iφ − (I − 1)) / (Σwᵢ − Σwᵢ²/Σwᵢ)); z_Dᵢ = (yᵢ − θ₀)/√(sᵢ² + τ²).
 *
 * Reference: D. J. Spiegelhalter (2005), "Handling over-dispersion of
 * performance indicators", Qual Saf Health Care 14:347–351, and "Funnel plots
 * for comparing institutional performance", Stat Med 24:1185–1202,
 * doi:10.1002/sim.1970. Checked against the same formulas written in R
 * (test/reference/stats.R).
 *
 * Cost: O(I log I) for I units.
 *
 * @throws {TypeError} when the arguments are not arrays of finite numbers or alternative is unknown.
 * @throws {RangeError} when lengths differ, fewer than 2 units, some nᵢ < 1 or kᵢ outside [0, nᵢ],
 * p0 outside (0, 1) (including a pooled rate of 0 or 1), or winsorize outside [0, 0.5).
 *
 * @example
 * funnelAnalysis([12, 30, 8, 25], [100, 150, 90, 110]).phi; // 2.047… (over-dispersed)
 */
export function funnelAnalysis(
  successes: readonly number[],
  trials: readonly number[],
  options: FunnelAnalysisOptions = {},
): FunnelAnalysis {
  const fn = 'funnelAnalysis';
  if (!Array.isArray(successes) || !Array.isArray(trials))
    throw new TypeError(`${fn}: successes and trials must be arrays`);
  if (successes.length !== trials.length) {
    throw new RangeError(
      `${fn}: successes and trials must have the same length, got ${successes.length} and ${trials.length}`,
    );
  }
  const I = successes.length;
  if (I < 2) throw new RangeError(`${fn}: need at least 2 units, got ${I}`);
  let totalK = 0;
  let totalN = 0;
  successes.forEach((k, i) => {
    const n = trials[i];
    assertFinite(fn, `successes[${i}]`, k);
    assertFinite(fn, `trials[${i}]`, n);
    if (!Number.isInteger(k) || !Number.isInteger(n) || n < 1 || k < 0 || k > n) {
      throw new RangeError(`${fn}: unit ${i} must have integers 0 <= k <= n, n >= 1, got k = ${k}, n = ${n}`);
    }
    totalK += k;
    totalN += n;
  });
  const p0 = options.p0 ?? totalK / totalN;
  assertOpenUnit(fn, 'p0', p0);
  const { winsorize = 0.1 } = options;
  assertFinite(fn, 'winsorize', winsorize);
  if (winsorize < 0 || winsorize >= 0.5)
    throw new RangeError(`${fn}: winsorize must be in [0, 0.5), got ${winsorize}`);
  const alternative = checkAlternative(fn, options.alternative);

  const se = trials.map((n) => Math.sqrt((p0 * (1 - p0)) / n));
  const z = successes.map((k, i) => (k / trials[i] - p0) / se[i]);
  const sorted = [...z].sort((a, b) => a - b);
  const low = quantileType7(sorted, winsorize);
  const high = quantileType7(sorted, 1 - winsorize);
  const zWinsorized = z.map((v) => Math.min(high, Math.max(low, v)));
  const phi = zWinsorized.reduce((s, v) => s + v * v, 0) / I;
  let sumW = 0;
  let sumW2 = 0;
  for (const s of se) {
    const w = 1 / (s * s);
    sumW += w;
    sumW2 += w * w;
  }
  const tau2 = Math.max(0, (I * phi - (I - 1)) / (sumW - sumW2 / sumW));
  const units = successes.map((k, i): FunnelUnit => {
    const n = trials[i];
    const rate = k / n;
    const zAdditive = (rate - p0) / Math.sqrt(se[i] * se[i] + tau2);
    const pValue =
      alternative === 'two-sided'
        ? Math.min(1, 2 * normalCdf(-Math.abs(zAdditive)))
        : normalCdf(zAdditive, { lowerTail: alternative === 'less' });
    return {
      k,
      n,
      rate,
      se: se[i],
      z: z[i],
      zWinsorized: zWinsorized[i],
      zMultiplicative: phi > 1 ? z[i] / Math.sqrt(phi) : z[i],
      zAdditive,
      pValue,
    };
  });
  return { p0, phi, tau2, units };
}
