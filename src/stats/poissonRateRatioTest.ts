import { binomialTestPValue } from './binomialTest.js';
import { exactBinomialInterval } from './exactBinomialInterval.js';
import {
  type Alternative,
  assertCount,
  assertOpenUnit,
  assertPositive,
  checkAlternative,
} from './validate.js';

/** Options for {@link poissonRateRatioTest}. */
export interface PoissonRateRatioTestOptions {
  /** 'two-sided' (default), 'less' or 'greater' (rate 1 / rate 2 greater than `ratio`). */
  alternative?: Alternative;
  /** Rate ratio under the null hypothesis (> 0); default 1. */
  ratio?: number;
  /** Confidence level of the exact interval, in (0, 1); default 0.95. */
  level?: number;
}

/** Result of {@link poissonRateRatioTest}. */
export interface PoissonRateRatioTestResult {
  /** Exact conditional p-value. */
  pValue: number;
  /** (x1 / t1) / (x2 / t2); Infinity when x2 = 0. */
  estimate: number;
  /** Exact conditional interval for the rate ratio. */
  ci: [number, number];
}

/**
 * The exact comparison of two Poisson rates: x1 events in exposure t1 against
 * x2 events in exposure t2, H0: rate1 / rate2 = `ratio`.
 *
 * Why: "this rep grants concessions at a higher rate per survey window than
 * in the same customers' other windows" compares two counts over exposures.
 *
 * How: conditionally on x1 + x2, x1 is binomial with p = ratio·t1 /
 * (ratio·t1 + t2), so the test is {@link binomialTest} and its
 * Clopper–Pearson bounds map to the rate ratio by pp / (1 − pp) · t2 / t1.
 *
 * Reference: Przyborowski & Wilenski (1940), Biometrika 31:313–323.
 * Compare R `poisson.test(c(x1, x2), c(t1, t2), r = ratio, alternative, conf.level)`.
 *
 * Cost: that of one {@link binomialTest}.
 *
 * @throws {TypeError} when an argument is not a finite number or alternative is unknown.
 * @throws {RangeError} when x1, x2 are not non-negative integers, x1 + x2 = 0,
 * t1, t2 or ratio <= 0, or level outside (0, 1).
 *
 * @example
 * poissonRateRatioTest(20, 10, 10, 10).estimate; // 2
 */
export function poissonRateRatioTest(
  x1: number,
  t1: number,
  x2: number,
  t2: number,
  options: PoissonRateRatioTestOptions = {},
): PoissonRateRatioTestResult {
  const fn = 'poissonRateRatioTest';
  assertCount(fn, 'x1', x1);
  assertPositive(fn, 't1', t1);
  assertCount(fn, 'x2', x2);
  assertPositive(fn, 't2', t2);
  if (x1 + x2 === 0) throw new RangeError(`${fn}: x1 + x2 must be >= 1, got 0 events`);
  const { ratio = 1, level = 0.95 } = options;
  assertPositive(fn, 'ratio', ratio);
  assertOpenUnit(fn, 'level', level);
  const alternative = checkAlternative(fn, options.alternative);
  const n = x1 + x2;
  const p0 = (ratio * t1) / (ratio * t1 + t2);
  const pValue = binomialTestPValue(x1, n, p0, alternative);
  const [lo, hi] = exactBinomialInterval(x1, n, { level, alternative });
  const toRatio = (pp: number) => (pp / (1 - pp)) * (t2 / t1);
  return { pValue, estimate: x1 / t1 / (x2 / t2), ci: [toRatio(lo), toRatio(hi)] };
}
