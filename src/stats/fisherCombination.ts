/**
 * Fisher's method: combine k independent p-values testing one hypothesis
 * into one, P(χ²₂ₖ ≥ −2 Σ ln pᵢ), for independent strands of evidence
 * (disjoint data) against the same null (`account-extraction` now tests the
 * strands' total count instead, see `countSumUpperTail`); with discrete
 * tests (Fisher exact, Poisson) the p-values are conservative and so is the
 * combination. The χ² tail with even degrees of freedom has the closed form
 * e^(−x/2) Σ_{j<k} (x/2)^j / j!, summed in log space.
 * Reference: R. A. Fisher (1932), Statistical Methods for Research Workers, §21.1.
 * R: `pchisq(-2 * sum(log(p)), df = 2 * length(p), lower.tail = FALSE)`.
 *
 * Cost: O(k). Throws a RangeError on an empty list or a p-value outside [0, 1].
 *
 * @example fisherCombination([0.01, 0.04]) // ≈ 0.00353
 */
export function fisherCombination(pValues: readonly number[]): number {
  if (pValues.length === 0) throw new RangeError('fisherCombination: needs at least one p-value');
  for (const p of pValues) {
    if (!(p >= 0 && p <= 1)) throw new RangeError(`fisherCombination: p-values must be in [0, 1], got ${p}`);
  }
  if (pValues.some((p) => p === 0)) return 0;
  const half = -pValues.reduce((sum, p) => sum + Math.log(p), 0); // x / 2
  let term = 0; // log of (x/2)^j / j!
  let sum = 1; // j = 0 term, relative to e^(-x/2)
  for (let j = 1; j < pValues.length; j++) {
    term += Math.log(half) - Math.log(j);
    sum += Math.exp(term);
  }
  return Math.min(1, Math.exp(-half) * sum);
}
