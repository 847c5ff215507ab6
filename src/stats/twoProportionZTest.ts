import { normalCdf } from './normalCdf.js';
import { normalQuantile } from './normalQuantile.js';
import { type Alternative, assertCount, assertOpenUnit, checkAlternative } from './validate.js';

/** Options for {@link twoProportionZTest}. */
export interface TwoProportionZTestOptions {
  /** 'two-sided' (default), 'less' or 'greater' (p1 greater than p2). */
  alternative?: Alternative;
  /** Confidence level of the interval for p1 − p2, in (0, 1); default 0.95. */
  level?: number;
}

/** Result of {@link twoProportionZTest}. */
export interface TwoProportionZTestResult {
  /** z = (p̂1 − p̂2) / √(p̄(1 − p̄)(1/n1 + 1/n2)) with the pooled p̄. */
  z: number;
  pValue: number;
  /** p̂1 − p̂2. */
  estimate: number;
  /** Wald interval for p1 − p2 (unpooled variance), clipped to [−1, 1]. */
  ci: [number, number];
}

/**
 * The two-sample z-test for equal proportions, k1/n1 against k2/n2, without
 * continuity correction.
 *
 * Why: a fast large-sample comparison (a rep against the rest of the team)
 * where exact tests would be needlessly slow.
 *
 * How: pooled-variance z statistic; two-sided p = P(χ²₁ > z²) = 2Φ(−|z|),
 * one-sided p from Φ. The interval uses the unpooled variance, as R does.
 *
 * Reference: compare R `prop.test(c(k1, k2), c(n1, n2), correct = FALSE,
 * alternative, conf.level)` (its statistic is z²).
 *
 * Cost: O(1).
 *
 * @throws {TypeError} when an argument is not a finite number or alternative is unknown.
 * @throws {RangeError} when counts are not non-negative integers, n1 or n2 = 0, k > n,
 * level outside (0, 1), or both samples are all successes or all failures (z undefined).
 *
 * @example
 * twoProportionZTest(30, 100, 20, 100).z; // 1.6329931618554523
 */
export function twoProportionZTest(
  k1: number,
  n1: number,
  k2: number,
  n2: number,
  options: TwoProportionZTestOptions = {},
): TwoProportionZTestResult {
  const fn = 'twoProportionZTest';
  assertCount(fn, 'k1', k1);
  assertCount(fn, 'n1', n1);
  assertCount(fn, 'k2', k2);
  assertCount(fn, 'n2', n2);
  if (n1 === 0 || n2 === 0) throw new RangeError(`${fn}: n1 and n2 must be >= 1, got ${n1} and ${n2}`);
  if (k1 > n1 || k2 > n2) throw new RangeError(`${fn}: k must be <= n, got ${k1}/${n1} and ${k2}/${n2}`);
  const { level = 0.95 } = options;
  assertOpenUnit(fn, 'level', level);
  const alternative = checkAlternative(fn, options.alternative);
  const pooled = (k1 + k2) / (n1 + n2);
  if (pooled === 0 || pooled === 1) {
    throw new RangeError(
      `${fn}: z is undefined when all observations are ${pooled === 0 ? 'failures' : 'successes'}`,
    );
  }
  const p1 = k1 / n1;
  const p2 = k2 / n2;
  const estimate = p1 - p2;
  const z = estimate / Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  let pValue: number;
  if (alternative === 'two-sided') pValue = 2 * normalCdf(-Math.abs(z));
  else pValue = normalCdf(z, { lowerTail: alternative === 'less' });
  const width = normalQuantile(alternative === 'two-sided' ? (1 + level) / 2 : level);
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  const lower = Math.max(estimate - width * se, -1);
  const upper = Math.min(estimate + width * se, 1);
  let ci: [number, number] = [lower, upper];
  if (alternative === 'less') ci = [-1, upper];
  if (alternative === 'greater') ci = [lower, 1];
  return { z, pValue: Math.min(1, pValue), estimate, ci };
}
