import { assertFinite, assertFiniteArray, assertNonNegative } from './validate.js';

/** Options for {@link cusum}. */
export interface CusumOptions {
  /** Allowance (reference value) k >= 0, in the series' units; default 0.5 (half a standard deviation for standardized data). */
  k?: number;
  /** Decision interval h > 0, in the series' units; default 5 (for standardized data: in-control ARL ≈ 930). */
  h?: number;
}

/** Result of {@link cusum}. */
export interface CusumResult {
  /** S₁ … Sₙ. */
  path: number[];
  /** First index i with Sᵢ > h, or null when the chart never signals. */
  alarmIndex: number | null;
  /**
   * The index where the run that led to the alarm started (the last time S
   * was 0, plus one): the CUSUM estimate of the change onset; null without alarm.
   */
  onsetIndex: number | null;
}

/**
 * The one-sided upper CUSUM chart: S₀ = 0, Sᵢ = max(0, Sᵢ₋₁ + xᵢ − target − k),
 * signalling at the first Sᵢ > h.
 *
 * Why: monitors a rep's score series for an upward shift (e.g. coaching
 * starts) with the shortest detection delay for a given false-alarm rate
 * among sequential rules for a shift of size 2k.
 *
 * Reference: E. S. Page (1954), "Continuous inspection schemes", Biometrika
 * 41:100–115; D. C. Montgomery, Introduction to Statistical Quality Control, §9.1.
 *
 * Cost: O(n).
 *
 * @throws {TypeError} when series is not an array of finite numbers or target is not finite.
 * @throws {RangeError} when k < 0 or h <= 0.
 *
 * @example
 * cusum([0, 0, 3, 3, 3], 0, { k: 0.5, h: 4 }).alarmIndex; // 3 (S = 0, 0, 2.5, 5, 7.5)
 */
export function cusum(series: readonly number[], target: number, options: CusumOptions = {}): CusumResult {
  const fn = 'cusum';
  assertFiniteArray(fn, 'series', series);
  assertFinite(fn, 'target', target);
  const { k = 0.5, h = 5 } = options;
  assertNonNegative(fn, 'k', k);
  assertFinite(fn, 'h', h);
  if (h <= 0) throw new RangeError(`${fn}: h must be > 0, got ${h}`);
  const path: number[] = [];
  let s = 0;
  let runStart = 0;
  let alarmIndex: number | null = null;
  let onsetIndex: number | null = null;
  series.forEach((x, i) => {
    if (s === 0) runStart = i;
    s = Math.max(0, s + x - target - k);
    path.push(s);
    if (alarmIndex === null && s > h) {
      alarmIndex = i;
      onsetIndex = runStart;
    }
  });
  return { path, alarmIndex, onsetIndex };
}
