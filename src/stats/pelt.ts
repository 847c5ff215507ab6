import { assertFinite, assertFiniteArray } from './validate.js';

/** Options for {@link pelt}. */
export interface PeltOptions {
  /**
   * Cost added per change point (β >= 0). Default 2·σ̂²·ln(n), the BIC-type
   * penalty of a unit-variance change in mean scaled by the difference-based
   * noise variance σ̂² = Σ(xᵢ − xᵢ₋₁)² / (2(n − 1)) (von Neumann; a few mean
   * shifts barely inflate it, and unlike a MAD it is not 0 for integer scores
   * with many repeats); 1 when that is 0.
   */
  penalty?: number;
  /** Minimum number of observations per segment (integer >= 1); default 5. */
  minSegment?: number;
}

/** One segment of a {@link PeltResult}. */
export interface Segment {
  /** First index (inclusive). */
  start: number;
  /** Last index + 1 (exclusive). */
  end: number;
  mean: number;
}

/** Result of {@link pelt}. */
export interface PeltResult {
  /**
   * 0-based indices where a new segment starts, ascending. These equal R
   * changepoint's `cpts()` (1-based index of the last point of each segment
   * but the last).
   */
  changePoints: number[];
  segments: Segment[];
  /** Penalty used. */
  penalty: number;
  /** Minimised Σ segment cost + penalty × #changes. */
  cost: number;
}

/** Default penalty, see {@link PeltOptions.penalty}. */
function defaultPenalty(series: readonly number[]): number {
  const n = series.length;
  let squares = 0;
  for (let i = 1; i < n; i++) squares += (series[i] - series[i - 1]) ** 2;
  const variance = n > 1 ? squares / (2 * (n - 1)) : 0;
  return 2 * (variance > 0 ? variance : 1) * Math.log(Math.max(n, 2));
}

/**
 * Optimal segmentation of a series into pieces of constant mean by PELT
 * (Pruned Exact Linear Time): minimises Σ over segments of Σ (yᵢ − ȳ_seg)²
 * plus `penalty` per change point, with every segment at least `minSegment`
 * long.
 *
 * Why: the `score-shift` detector looks for the onset of a sudden change in
 * a rep's scores; PELT finds all changes exactly (the same optimum as
 * optimal partitioning) in about linear time.
 *
 * How: the optimal-partitioning recursion F(t) = min_τ F(τ) + C(τ, t] + β
 * over admissible last change points τ, with Killick et al.'s pruning
 * (K = 0 for this cost). Because of the minimum segment length, a candidate
 * found prunable at time t is dropped only from t + minSegment on, which keeps
 * the result exactly optimal. Ties go to the earliest change point.
 * Segment costs come from cumulative sums in O(1).
 *
 * Reference: R. Killick, P. Fearnhead & I. A. Eckley (2012), "Optimal
 * detection of changepoints with a linear computational cost", JASA
 * 107:1590–1598, doi:10.1080/01621459.2012.737745. Same cost as R
 * `changepoint::cpt.mean(x, method = "PELT", test.stat = "Normal",
 * penalty = "Manual", pen.value = penalty, minseglen = minSegment)`.
 *
 * Cost: about O(n·L) for typical segment length L (O(n) when changes keep
 * coming, ~5 s for n = 10^5 with L = 10^4), O(n²) worst case; O(n) memory.
 *
 * @throws {TypeError} when series is not an array of finite numbers.
 * @throws {RangeError} when penalty < 0 or minSegment is not an integer >= 1.
 *
 * @example
 * pelt([1, 1, 1, 1, 1, 5, 5, 5, 5, 5], { penalty: 1, minSegment: 2 }).changePoints; // [5]
 */
export function pelt(series: readonly number[], options: PeltOptions = {}): PeltResult {
  const fn = 'pelt';
  assertFiniteArray(fn, 'series', series);
  const { minSegment = 5 } = options;
  assertFinite(fn, 'minSegment', minSegment);
  if (!Number.isInteger(minSegment) || minSegment < 1) {
    throw new RangeError(`${fn}: minSegment must be an integer >= 1, got ${minSegment}`);
  }
  const n = series.length;
  if (n === 0) return { changePoints: [], segments: [], penalty: options.penalty ?? 0, cost: 0 };
  const penalty = options.penalty ?? defaultPenalty(series);
  assertFinite(fn, 'penalty', penalty);
  if (penalty < 0) throw new RangeError(`${fn}: penalty must be >= 0, got ${penalty}`);

  // centre the series so that the cumulative sums keep their precision
  const centre = series.reduce((s, v) => s + v, 0) / n;
  const s1 = new Float64Array(n + 1);
  const s2 = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const v = series[i] - centre;
    s1[i + 1] = s1[i] + v;
    s2[i + 1] = s2[i] + v * v;
  }
  const cost = (from: number, to: number) => {
    const sum = s1[to] - s1[from];
    return Math.max(0, s2[to] - s2[from] - (sum * sum) / (to - from));
  };
  if (n < 2 * minSegment) {
    return {
      changePoints: [],
      segments: [{ start: 0, end: n, mean: centre }],
      penalty,
      cost: cost(0, n),
    };
  }

  const F = new Float64Array(n + 1).fill(Number.POSITIVE_INFINITY);
  const last = new Int32Array(n + 1);
  // pruneAt[τ] > 0: the step from which candidate τ may be dropped
  const pruneAt = new Int32Array(n + 1);
  F[0] = -penalty;
  let candidates = new Int32Array(n + 1);
  let next = new Int32Array(n + 1);
  const values = new Float64Array(n + 1);
  let count = 1; // candidates[0] = 0
  for (let t = minSegment; t <= n; t++) {
    const newcomer = t - minSegment;
    if (newcomer >= minSegment) candidates[count++] = newcomer;
    let best = Number.POSITIVE_INFINITY;
    let bestTau = 0;
    for (let i = 0; i < count; i++) {
      const tau = candidates[i];
      const sum = s1[t] - s1[tau];
      const value = F[tau] + Math.max(0, s2[t] - s2[tau] - (sum * sum) / (t - tau)) + penalty;
      values[i] = value;
      if (value < best) {
        best = value;
        bestTau = tau;
      }
    }
    F[t] = best;
    last[t] = bestTau;
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const tau = candidates[i];
      if (pruneAt[tau] === 0 && values[i] - penalty > best) pruneAt[tau] = t + minSegment;
      if (pruneAt[tau] === 0 || pruneAt[tau] > t + 1) next[kept++] = tau;
    }
    [candidates, next] = [next, candidates];
    count = kept;
  }
  const changePoints: number[] = [];
  for (let t = n; last[t] > 0; t = last[t]) changePoints.unshift(last[t]);
  const bounds = [0, ...changePoints, n];
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const start = bounds[i];
    const end = bounds[i + 1];
    segments.push({ start, end, mean: centre + (s1[end] - s1[start]) / (end - start) });
  }
  return { changePoints, segments, penalty, cost: F[n] };
}
