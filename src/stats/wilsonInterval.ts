import { normalQuantile } from './normalQuantile.js';
import { type Alternative, assertCount, assertOpenUnit, checkAlternative } from './validate.js';

/** Options for {@link wilsonInterval}. */
export interface WilsonIntervalOptions {
  /** Confidence level in (0, 1); default 0.95. */
  level?: number;
  /** 'two-sided' (default), 'less' ([0, upper]) or 'greater' ([lower, 1]). */
  alternative?: Alternative;
}

/**
 * The Wilson score confidence interval for a binomial proportion k/n.
 *
 * Why: a good default interval for rates in reports: close to nominal
 * coverage, never outside [0, 1], and not as conservative as Clopper–Pearson.
 *
 * How: (p̂ + z²/2n ± z √(p̂(1 − p̂)/n + z²/4n²)) / (1 + z²/n) with
 * z = qnorm((1 + level)/2) (qnorm(level) one-sided); the bound is exactly 0
 * when k = 0 and exactly 1 when k = n, as in R's `prop.test`.
 *
 * Reference: E. B. Wilson (1927), JASA 22:209–212. Compare R
 * `prop.test(k, n, conf.level = level, correct = FALSE)$conf.int`.
 *
 * Cost: O(1).
 *
 * @throws {TypeError} when an argument is not a finite number or alternative is unknown.
 * @throws {RangeError} when k, n are not non-negative integers, n = 0, k > n, or level is outside (0, 1).
 *
 * @example
 * wilsonInterval(7, 20); // [0.1811918…, 0.5671457…]
 */
export function wilsonInterval(k: number, n: number, options: WilsonIntervalOptions = {}): [number, number] {
  assertCount('wilsonInterval', 'k', k);
  assertCount('wilsonInterval', 'n', n);
  if (n === 0) throw new RangeError('wilsonInterval: n must be >= 1, got 0');
  if (k > n) throw new RangeError(`wilsonInterval: k must be <= n, got k = ${k}, n = ${n}`);
  const { level = 0.95 } = options;
  assertOpenUnit('wilsonInterval', 'level', level);
  const alternative = checkAlternative('wilsonInterval', options.alternative);
  const z = normalQuantile(alternative === 'two-sided' ? (1 + level) / 2 : level);
  const estimate = k / n;
  const z22n = (z * z) / (2 * n);
  const spread = z * Math.sqrt((estimate * (1 - estimate)) / n + z22n / (2 * n));
  const upper = estimate >= 1 ? 1 : (estimate + z22n + spread) / (1 + 2 * z22n);
  const lower = estimate <= 0 ? 0 : (estimate + z22n - spread) / (1 + 2 * z22n);
  if (alternative === 'less') return [0, upper];
  if (alternative === 'greater') return [lower, 1];
  return [lower, upper];
}
