import { type PermutationResult, summarizeNull } from './permutationPValue.js';
import { type Alternative, assertFinite, checkAlternative } from './validate.js';

/** Options for {@link placeboPValue}. */
export interface PlaceboOptions {
  /** 'greater' (default), 'less' or 'two-sided'. */
  alternative?: Alternative;
}

/**
 * The p-value of an observed statistic against given placebo values, e.g.
 * the same statistic computed on placebo windows (event-study windows
 * placed where no survey was sent): (1 + #{placebo >= observed}) / (1 + m).
 *
 * Why: when the null draws are not random but enumerated (every other
 * window of a customer), the rank of the observed value among them is the
 * exact p-value under exchangeability of the windows.
 *
 * How: as {@link permutationPValue}, with the placebo values as the null draws.
 *
 * Reference: A. Abadie, A. Diamond & J. Hainmueller (2010), "Synthetic
 * control methods…", JASA 105:493–505 (placebo inference); North et al. (2002).
 *
 * Cost: O(m).
 *
 * @throws {TypeError} when observed or a placebo value is not a finite number, or alternative is unknown.
 * @throws {RangeError} when placeboValues is empty.
 *
 * @example
 * placeboPValue(10, [1, 2, 3, 11]).pValue; // (1 + 1) / 5 = 0.4
 */
export function placeboPValue(
  observed: number,
  placeboValues: readonly number[],
  options: PlaceboOptions = {},
): PermutationResult {
  const fn = 'placeboPValue';
  assertFinite(fn, 'observed', observed);
  if (!Array.isArray(placeboValues)) throw new TypeError(`${fn}: placeboValues must be an array`);
  if (placeboValues.length === 0) throw new RangeError(`${fn}: placeboValues must not be empty`);
  placeboValues.forEach((v, i) => {
    assertFinite(fn, `placeboValues[${i}]`, v);
  });
  const alternative = checkAlternative(fn, options.alternative, 'greater');
  return summarizeNull(observed, placeboValues, alternative);
}
