/**
 * Solve r(x) = 0 for an increasing function r on (lo, hi) by Newton steps
 * kept inside a shrinking bracket, falling back to bisection (geometric
 * when the bracket spans orders of magnitude, so that quantiles near 0 are
 * reached in a few dozen steps) whenever a Newton step would leave it.
 *
 * Why: quantile functions (beta, gamma) are inverses of distribution
 * functions whose derivative (the density) is cheap; Newton gives quadratic
 * convergence near the root, the bracket makes it safe in the tails.
 *
 * Reference: Press et al., Numerical Recipes (3rd ed.), §9.4 (`rtsafe`).
 *
 * Cost: typically 5–15 evaluations of r and its derivative; at most 400.
 *
 * Internal: `residual(x)` must return [r(x), r'(x)] with r increasing;
 * `lo < x0 < hi` and r(lo) <= 0 <= r(hi) are assumed.
 *
 * @example
 * safeguardedNewton((x) => [x * x - 2, 2 * x], 0, 2, 1); // 1.4142135623730951
 */
export function safeguardedNewton(
  residual: (x: number) => [number, number],
  lo: number,
  hi: number,
  x0: number,
  relTol = 1e-15,
): number {
  let x = x0;
  for (let iteration = 0; iteration < 400; iteration++) {
    const [r, dr] = residual(x);
    if (r === 0) return x;
    if (r < 0) lo = x;
    else hi = x;
    let next = x - r / dr;
    if (!(next > lo && next < hi) || !Number.isFinite(next)) {
      next = lo > 0 && hi / lo > 8 ? Math.sqrt(lo * hi) : lo === 0 && hi > 1e-300 ? hi / 8 : (lo + hi) / 2;
      if (lo === 0 && hi <= 1e-300) return hi;
    }
    if (Math.abs(next - x) <= relTol * Math.abs(next) || hi - lo <= relTol * Math.abs(hi)) return next;
    x = next;
  }
  return x;
}
