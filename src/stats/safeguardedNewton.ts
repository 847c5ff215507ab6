/**
 * Solve r(u) = 0 for an increasing function r on the bracket [lo, hi] by
 * Newton steps kept inside the shrinking bracket, falling back to bisection
 * whenever a Newton step would leave it (or is not finite).
 *
 * Why: quantile functions (beta, gamma) are inverses of distribution
 * functions whose derivative (the density) is cheap; Newton gives quadratic
 * convergence near the root, the bracket makes it safe in the tails. Callers
 * work on a log scale (u = ln x), so bisection halves orders of magnitude.
 *
 * Reference: Press et al., Numerical Recipes (3rd ed.), §9.4 (`rtsafe`).
 *
 * Cost: typically 4–10 evaluations of r and its derivative; at most 400.
 *
 * Internal: `residual(u)` must return [r(u), r'(u)] with r increasing and
 * r(lo) <= 0 <= r(hi); lo <= u0 <= hi. Converged when a step is below
 * `tol`·max(1, |u|).
 *
 * @example
 * safeguardedNewton((x) => [x * x - 2, 2 * x], 0, 2, 1); // 1.4142135623730951
 */
export function safeguardedNewton(
  residual: (u: number) => [number, number],
  lo: number,
  hi: number,
  u0: number,
  tol = 1e-15,
): number {
  let u = Math.min(hi, Math.max(lo, u0));
  for (let iteration = 0; iteration < 400; iteration++) {
    const [r, dr] = residual(u);
    if (r === 0) return u;
    if (r < 0) lo = u;
    else hi = u;
    let next = u - r / dr;
    if (!(next >= lo && next <= hi) || !Number.isFinite(next)) next = (lo + hi) / 2;
    const scale = tol * Math.max(1, Math.abs(next));
    if (Math.abs(next - u) <= scale || hi - lo <= scale) return next;
    u = next;
  }
  return u;
}
