import { betaFrontFactor, incompleteBetaTails } from './betaCdf.js';
import { logBetaUnchecked } from './logBeta.js';
import { safeguardedNewton } from './safeguardedNewton.js';
import { assertPositive, assertProbability } from './validate.js';

/** Options for {@link betaQuantile}. */
export interface BetaQuantileOptions {
  /** When true (default) p is P(X <= x); when false p is P(X > x). */
  lowerTail?: boolean;
}

/**
 * The beta quantile function: the x with P(X <= x) = p for X ~ Beta(a, b).
 *
 * Why: exact (Clopper–Pearson) binomial intervals and beta posterior credible
 * intervals are beta quantiles.
 *
 * How: Newton's method on the logarithm of the smaller tail probability of
 * {@link betaCdf} (derivative from the beta density), in ln x when the
 * quantile is below ½ and in ln(1 − x) above, safeguarded by bisection in a
 * shrinking bracket; started from the power-law behaviour of the tail. So
 * quantiles near 0 (qbeta(1e-300, 2, 5) = 2.58e-151) and near 1 keep their
 * relative accuracy (~1e-14).
 *
 * Reference: Press et al., Numerical Recipes (3rd ed.), §6.14 and §9.4.
 * Compare R `qbeta(p, a, b, lower.tail)`.
 *
 * Cost: ~5–15 incomplete-beta evaluations.
 *
 * @throws {TypeError} when an argument is not a finite number.
 * @throws {RangeError} when p is outside [0, 1] or a, b <= 0.
 *
 * @example
 * betaQuantile(0.6875, 2, 3); // 0.5 (to ~1e-15)
 */
export function betaQuantile(p: number, a: number, b: number, options: BetaQuantileOptions = {}): number {
  assertProbability('betaQuantile', 'p', p);
  assertPositive('betaQuantile', 'a', a);
  assertPositive('betaQuantile', 'b', b);
  const { lowerTail = true } = options;
  const pLower = lowerTail ? p : 1 - p;
  const pUpper = lowerTail ? 1 - p : p;
  if (pLower <= 0) return 0;
  if (pUpper <= 0) return 1;
  // Newton on the log of the smaller tail probability, in u = ln x when the root
  // is below 1/2 and in v = ln(1 − x) above, so that quantiles as small as
  // 1e-300 (or as close to 1 as doubles allow) keep their relative accuracy.
  const useLower = pLower <= pUpper;
  const logTarget = Math.log(useLower ? pLower : pUpper);
  const half = incompleteBetaTails(0.5, a, b);
  const rootBelowHalf = useLower ? half.lower >= pLower : half.upper <= pUpper;
  const MIN_LOG = Math.log(Number.MIN_VALUE); // ln of the smallest positive double
  const logTail = (x: number): [number, number] => {
    const tails = incompleteBetaTails(x, a, b);
    const tail = useLower ? tails.lower : tails.upper;
    // d/dx ln(tail) = ±density / tail; density · x(1 − x) is the front factor
    return [Math.log(tail), betaFrontFactor(x, a, b) / tail];
  };
  if (rootBelowHalf) {
    // r(u) increasing in u = ln x; front / (x (1 − x)) · x = front / (1 − x)
    const residual = (u: number): [number, number] => {
      const x = Math.exp(u);
      const [logT, frontOverTail] = logTail(x);
      return useLower
        ? [logT - logTarget, frontOverTail / (1 - x)]
        : [logTarget - logT, frontOverTail / (1 - x)];
    };
    if (residual(MIN_LOG)[0] >= 0) return 0; // the quantile underflows
    const start = useLower ? (logTarget + Math.log(a) + logBetaUnchecked(a, b)) / a : Math.log(a / (a + b));
    return Math.exp(safeguardedNewton(residual, MIN_LOG, -Math.LN2, start));
  }
  // r(v) increasing in v = ln(1 − x): x decreases as v grows
  const residual = (v: number): [number, number] => {
    const x = -Math.expm1(v);
    const [logT, frontOverTail] = logTail(x);
    return useLower ? [logTarget - logT, frontOverTail / x] : [logT - logTarget, frontOverTail / x];
  };
  if (residual(MIN_LOG)[0] >= 0) return 1; // 1 − quantile underflows
  const start = useLower ? Math.log(b / (a + b)) : (logTarget + Math.log(b) + logBetaUnchecked(a, b)) / b;
  return -Math.expm1(safeguardedNewton(residual, MIN_LOG, -Math.LN2, start));
}
