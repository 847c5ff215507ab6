/**
 * The `p` quantile of values sorted ascending, as R's default
 * `quantile(x, p, type = 7)`: linear interpolation between the order
 * statistics at (n − 1)·p. NaN for no values.
 *
 * Cost: O(1). Internal: arguments are not checked (sorted, p in [0, 1]).
 *
 * @example
 * quantileType7([1, 2, 4, 8], 0.5); // 3 (R: quantile(c(1, 2, 4, 8), 0.5))
 */
export function quantileType7(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}
