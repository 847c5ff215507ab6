import { assertFinite, assertFiniteArray } from './validate.js';

/** Options for {@link singleChangePoint}. */
export interface SingleChangePointOptions {
  /** Minimum number of observations on each side (integer >= 1); default 1. */
  minSegment?: number;
}

/** Result of {@link singleChangePoint}. */
export interface SingleChangePoint {
  /** 0-based index of the first observation after the change. */
  index: number;
  /**
   * max over splits of n₁n₂/n · (ȳ₂ − ȳ₁)² / s², where s² is the sample
   * variance of the whole series: the reduction of the residual sum of
   * squares by the split, in units of the total variance (0 for a constant series).
   * Permuting the series leaves s² unchanged, so it is a valid permutation statistic.
   */
  statistic: number;
  meanBefore: number;
  meanAfter: number;
  /** meanAfter − meanBefore. */
  shift: number;
}

/**
 * The single most likely change in mean: the split maximising the two-sample
 * mean-shift statistic n₁n₂/n (ȳ₂ − ȳ₁)², i.e. the L2 cost reduction.
 *
 * Why: "did this rep's scores jump at some point?" — with the statistic's
 * null distribution from {@link permutationPValue} (shuffle the series,
 * recompute), this is an exact test of no change with an unknown change time.
 *
 * How: one pass with cumulative sums over all admissible splits; ties go to
 * the earliest split.
 *
 * Reference: D. V. Hinkley (1970), "Inference about the change-point in a
 * sequence of random variables", Biometrika 57:1–17; A. J. Scott & M. Knott
 * (1974) for the binary-segmentation criterion.
 *
 * Cost: O(n).
 *
 * @throws {TypeError} when series is not an array of finite numbers.
 * @throws {RangeError} when minSegment is not an integer >= 1 or series has fewer than 2·minSegment values.
 *
 * @example
 * singleChangePoint([1, 1, 1, 4, 4, 4]).index; // 3
 */
export function singleChangePoint(
  series: readonly number[],
  options: SingleChangePointOptions = {},
): SingleChangePoint {
  const fn = 'singleChangePoint';
  assertFiniteArray(fn, 'series', series);
  const { minSegment = 1 } = options;
  assertFinite(fn, 'minSegment', minSegment);
  if (!Number.isInteger(minSegment) || minSegment < 1) {
    throw new RangeError(`${fn}: minSegment must be an integer >= 1, got ${minSegment}`);
  }
  const n = series.length;
  if (n < 2 * minSegment) {
    throw new RangeError(
      `${fn}: series needs at least ${2 * minSegment} values for minSegment ${minSegment}, got ${n}`,
    );
  }
  const mean = series.reduce((s, v) => s + v, 0) / n;
  const centred = series.map((v) => v - mean);
  const total = centred.reduce((s, v) => s + v * v, 0);
  const variance = total / (n - 1);
  const totalSum = centred.reduce((s, v) => s + v, 0);
  let prefix = 0;
  for (let i = 0; i < minSegment - 1; i++) prefix += centred[i];
  let best = Number.NEGATIVE_INFINITY;
  let bestIndex = minSegment;
  let bestPrefix = 0;
  for (let tau = minSegment; tau <= n - minSegment; tau++) {
    prefix += centred[tau - 1];
    const n1 = tau;
    const n2 = n - tau;
    const m1 = prefix / n1;
    const m2 = (totalSum - prefix) / n2;
    const gain = ((n1 * n2) / n) * (m2 - m1) * (m2 - m1);
    if (gain > best) {
      best = gain;
      bestIndex = tau;
      bestPrefix = prefix;
    }
  }
  const meanBefore = mean + bestPrefix / bestIndex;
  const meanAfter = mean + (totalSum - bestPrefix) / (n - bestIndex);
  return {
    index: bestIndex,
    statistic: variance > 0 ? best / variance : 0,
    meanBefore,
    meanAfter,
    shift: meanAfter - meanBefore,
  };
}
