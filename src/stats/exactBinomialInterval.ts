import { betaQuantile } from './betaQuantile.js';
import { type Alternative, assertCount, assertOpenUnit, checkAlternative } from './validate.js';

/** Options for {@link exactBinomialInterval}. */
export interface ExactBinomialIntervalOptions {
  /** Confidence level in (0, 1); default 0.95. */
  level?: number;
  /** 'two-sided' (default), 'less' (interval [0, upper]) or 'greater' ([lower, 1]). */
  alternative?: Alternative;
}

/**
 * The exact (Clopper–Pearson) confidence interval for a binomial proportion.
 *
 * Why: small samples are the rule per rep (a rep with 8 responses), where
 * normal-approximation intervals undercover; Clopper–Pearson guarantees at
 * least the nominal coverage.
 *
 * How: lower = qbeta(α/2, k, n − k + 1) (0 when k = 0), upper =
 * qbeta(1 − α/2, k + 1, n − k) (1 when k = n), with α = 1 − level; one-sided
 * intervals put all of α on one side.
 *
 * Reference: C. J. Clopper & E. S. Pearson (1934), Biometrika 26:404–413.
 * Compare R `binom.test(k, n, conf.level = level, alternative = …)$conf.int`.
 *
 * Cost: two beta quantiles.
 *
 * @throws {TypeError} when an argument is not a finite number or alternative is unknown.
 * @throws {RangeError} when k, n are not non-negative integers, n = 0, k > n, or level is outside (0, 1).
 *
 * @example
 * exactBinomialInterval(7, 20); // [0.1539092…, 0.5921885…] (R: binom.test(7, 20)$conf.int)
 */
export function exactBinomialInterval(
  k: number,
  n: number,
  options: ExactBinomialIntervalOptions = {},
): [number, number] {
  assertCount('exactBinomialInterval', 'k', k);
  assertCount('exactBinomialInterval', 'n', n);
  if (n === 0) throw new RangeError('exactBinomialInterval: n must be >= 1, got 0');
  if (k > n) throw new RangeError(`exactBinomialInterval: k must be <= n, got k = ${k}, n = ${n}`);
  const { level = 0.95 } = options;
  assertOpenUnit('exactBinomialInterval', 'level', level);
  const alternative = checkAlternative('exactBinomialInterval', options.alternative);
  const alpha = alternative === 'two-sided' ? (1 - level) / 2 : 1 - level;
  const lower = k === 0 ? 0 : betaQuantile(alpha, k, n - k + 1);
  const upper = k === n ? 1 : betaQuantile(alpha, k + 1, n - k, { lowerTail: false });
  if (alternative === 'less') return [0, upper];
  if (alternative === 'greater') return [lower, 1];
  return [lower, upper];
}
