import { logGammaUnchecked } from './logGamma.js';

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);
const LOG_TWO_PI = Math.log(2 * Math.PI);
const TWO_PI = 2 * Math.PI;

/**
 * Stirling's error term, δ(n) = ln Γ(n + 1) − [(n + ½) ln n − n + ½ ln 2π],
 * for n > 0 (not only integers).
 *
 * Why: together with {@link devianceTerm} it lets binomial, Poisson,
 * hypergeometric and beta densities be computed without subtracting large
 * ln Γ values, which loses ~1e-9 relative accuracy for counts near 10^6.
 *
 * How: for n > 15 the asymptotic series 1/(12n) − 1/(360n³) + … (as in R's
 * `stirlerr.c`); for smaller n the definition with {@link logGamma}.
 *
 * Reference: C. Loader (2000), "Fast and accurate computation of binomial
 * probabilities"; R `src/nmath/stirlerr.c`.
 *
 * Cost: O(1). Internal: arguments are not checked.
 *
 * @example
 * stirlingError(20); // 0.004166319691996...
 */
export function stirlingError(n: number): number {
  const S0 = 1 / 12;
  const S1 = 1 / 360;
  const S2 = 1 / 1260;
  const S3 = 1 / 1680;
  const S4 = 1 / 1188;
  if (n <= 15) return logGammaUnchecked(n + 1) - (n + 0.5) * Math.log(n) + n - HALF_LOG_TWO_PI;
  const nn = n * n;
  if (n > 500) return (S0 - S1 / nn) / n;
  if (n > 80) return (S0 - (S1 - S2 / nn) / nn) / n;
  if (n > 35) return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
  return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

/**
 * The deviance term bd0(x, np) = x ln(x / np) + np − x, computed without
 * cancellation when x is close to np (a series in v = (x − np)/(x + np)).
 *
 * Reference: Loader (2000); R `src/nmath/bd0.c`. Cost: O(1) (series, few terms).
 * Internal: arguments are not checked (x >= 0, np > 0).
 *
 * @example
 * devianceTerm(10, 10); // 0
 */
export function devianceTerm(x: number, np: number): number {
  if (Math.abs(x - np) < 0.1 * (x + np)) {
    let v = (x - np) / (x + np);
    let s = (x - np) * v;
    if (Math.abs(s) < Number.MIN_VALUE) return s;
    let ej = 2 * x * v;
    v *= v;
    for (let j = 1; j < 1000; j++) {
      ej *= v;
      const s1 = s + ej / (2 * j + 1);
      if (s1 === s) return s1;
      s = s1;
    }
  }
  const ratio = x / np;
  // the ratio overflows for np near the smallest doubles: take the logs apart
  return x * (Number.isFinite(ratio) ? Math.log(ratio) : Math.log(x) - Math.log(np)) + np - x;
}

/**
 * Binomial density C(n, x) pᵡ qⁿ⁻ᵡ by Loader's saddle-point formula, for real
 * 0 <= x <= n (non-integer values give the smooth extension used by the beta
 * density). `q` is passed separately so that 1 − p need not be rounded, and
 * `nMinusX` so that n − x need not be (for real x, n = x + (n − x) rounds when
 * one part is ~10^7 and the other ~0.1).
 *
 * Reference: Loader (2000); R `dbinom_raw` in `src/nmath/dbinom.c`.
 * Cost: O(1). Internal: arguments are not checked.
 *
 * @example
 * binomialDensityRaw(3, 10, 0.5, 0.5); // 0.1171875
 */
export function binomialDensityRaw(x: number, n: number, p: number, q: number, nMinusX = n - x): number {
  if (p === 0) return x === 0 ? 1 : 0;
  if (q === 0) return nMinusX === 0 ? 1 : 0;
  if (x === 0) {
    if (n === 0) return 1;
    return Math.exp(p < 0.1 ? -devianceTerm(n, n * q) - n * p : n * Math.log(q));
  }
  if (nMinusX === 0) return Math.exp(q < 0.1 ? -devianceTerm(n, n * p) - n * q : n * Math.log(p));
  if (x < 0 || nMinusX < 0) return 0;
  const lc =
    stirlingError(n) -
    stirlingError(x) -
    stirlingError(nMinusX) -
    devianceTerm(x, n * p) -
    devianceTerm(nMinusX, n * q);
  // ln(x (n − x) / n) from the three logs: log1p(−x/n) would lose ~1e-9 when n − x << n ~ 10^7
  const lf = LOG_TWO_PI + Math.log(x) + Math.log(nMinusX) - Math.log(n);
  return Math.exp(lc - 0.5 * lf);
}

/**
 * Poisson density λˣ e^{−λ} / Γ(x + 1) by Loader's saddle-point formula, for
 * real x >= 0 (the smooth extension is used by the gamma density).
 *
 * Reference: Loader (2000); R `dpois_raw` in `src/nmath/dpois.c`.
 * Cost: O(1). Internal: arguments are not checked.
 *
 * @example
 * poissonDensityRaw(2, 3); // 0.22404180765538775
 */
export function poissonDensityRaw(x: number, lambda: number): number {
  if (lambda === 0) return x === 0 ? 1 : 0;
  if (!Number.isFinite(lambda) || x < 0) return 0;
  if (x <= lambda * Number.MIN_VALUE) return Math.exp(-lambda);
  if (lambda < x * Number.MIN_VALUE) {
    return Math.exp(-lambda + x * Math.log(lambda) - logGammaUnchecked(x + 1));
  }
  return Math.exp(-stirlingError(x) - devianceTerm(x, lambda)) / Math.sqrt(TWO_PI * x);
}

/**
 * Binomial density C(n, x) pˣ (1 − p)ⁿ⁻ˣ for real 0 <= x <= n, correcting for
 * the rounding of q = 1 − p in floating point: with q̃ = fl(1 − p) and its
 * exactly computable error δ = (1 − p) − q̃ = (1 − q̃) − p, the saddle-point
 * density evaluated at (p, q̃) is multiplied by exp(δ((n − x)/q̃ − n)), which
 * restores the ~n·1e-16 relative accuracy otherwise lost when n is in the
 * millions and p is small.
 *
 * Cost: O(1). Internal: arguments are not checked.
 *
 * @example
 * binomialDensity(0, 1e6, 1e-6); // exp(1e6 · log1p(−1e-6)) = 0.3678792572316451…
 */
export function binomialDensity(x: number, n: number, p: number, nMinusX = n - x): number {
  const q = 1 - p;
  const delta = 1 - q - p;
  const raw = binomialDensityRaw(x, n, p, q, nMinusX);
  if (delta === 0 || q === 0) return raw;
  return raw * Math.exp(delta * (nMinusX / q - n));
}
