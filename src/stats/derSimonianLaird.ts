/**
 * DerSimonian–Laird method-of-moments estimate of the between-unit variance
 * τ² of effects `y` with within-unit variances `v`: with wᵢ = 1/vᵢ, the
 * weighted mean ȳ, Cochran's Q = Σ wᵢ(yᵢ − ȳ)², τ² = max(0, (Q − (k − 1)) /
 * (Σw − Σw²/Σw)). 0 with fewer than 2 units (or when the estimate is not finite).
 *
 * Why: honest units (reps' log odds ratios) differ beyond their sampling
 * noise; τ² turns a test against one common value into one against a
 * distribution of values (a random-effects null).
 *
 * Reference: DerSimonian & Laird (1986), Control Clin Trials 7:177–188;
 * R `metafor::rma(y, v, method = "DL")$tau2` (checked against the formula
 * written out in test/reference/stats.R: `dl_tau2`).
 *
 * Cost: O(k). Internal: arguments are not checked (v > 0).
 *
 * @example
 * derSimonianLaird([0.1, 0.9, -0.4, 0.5], [0.04, 0.05, 0.06, 0.04]); // 0.22298507462686565 (R: dl_tau2, stats.R)
 */
export function derSimonianLaird(y: readonly number[], v: readonly number[]): number {
  if (y.length < 2) return 0;
  let sw = 0;
  let swy = 0;
  let sw2 = 0;
  for (let i = 0; i < y.length; i++) {
    const w = 1 / v[i];
    sw += w;
    swy += w * y[i];
    sw2 += w * w;
  }
  const mean = swy / sw;
  let q = 0;
  for (let i = 0; i < y.length; i++) q += (y[i] - mean) ** 2 / v[i];
  const tau2 = (q - (y.length - 1)) / (sw - sw2 / sw);
  return Number.isFinite(tau2) && tau2 > 0 ? tau2 : 0;
}
