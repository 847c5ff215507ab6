import { createRandom, type Random } from './random.js';
import { type Alternative, assertFinite, checkAlternative } from './validate.js';

/** Options for {@link permutationPValue}. */
export interface PermutationOptions {
  /** Number of null draws B (integer >= 1); default 999. */
  permutations?: number;
  /** Seed of the generator handed to `nullStatistic`; default 1. */
  seed?: number;
  /** 'greater' (default: large statistics are extreme), 'less' or 'two-sided'. */
  alternative?: Alternative;
}

/** Result of {@link permutationPValue} and {@link placeboPValue}. */
export interface PermutationResult {
  /** (1 + #extreme null values) / (1 + B). */
  pValue: number;
  /** Mean of the null values. */
  nullMean: number;
  /** Standard deviation of the null values (n − 1 denominator; 0 when B = 1). */
  nullSd: number;
  /** Number of null values B. */
  permutations: number;
}

/** Tolerance for treating a null value as equal to the observed one (floating-point ties). */
const TIE = 1e-12;

/** Counts the null values at least / at most as extreme as `observed` (internal, shared with placeboPValue). */
export function summarizeNull(
  observed: number,
  nulls: readonly number[],
  alternative: Alternative,
): PermutationResult {
  const B = nulls.length;
  const tolerance = TIE * Math.max(1, Math.abs(observed));
  let atLeast = 0;
  let atMost = 0;
  let sum = 0;
  for (const value of nulls) {
    if (value >= observed - tolerance) atLeast++;
    if (value <= observed + tolerance) atMost++;
    sum += value;
  }
  const nullMean = sum / B;
  let squares = 0;
  for (const value of nulls) squares += (value - nullMean) ** 2;
  const greater = (1 + atLeast) / (1 + B);
  const less = (1 + atMost) / (1 + B);
  const pValue =
    alternative === 'greater'
      ? greater
      : alternative === 'less'
        ? less
        : Math.min(1, 2 * Math.min(greater, less));
  return { pValue, nullMean, nullSd: B > 1 ? Math.sqrt(squares / (B - 1)) : 0, permutations: B };
}

/**
 * A Monte Carlo permutation (or randomization) p-value: the observed
 * statistic against B statistics computed on data re-drawn under the null
 * hypothesis by `nullStatistic(rng)` (typically: shuffle labels or shift
 * concession dates with `rng`, recompute the statistic).
 *
 * Why: timing-clustering statistics (concessions just before invitations)
 * have no tractable null distribution; re-randomizing the timing gives one
 * that respects each rep's own volumes and calendar.
 *
 * How: p = (1 + #{b : Tᵦ >= T_obs}) / (1 + B), which counts the observed
 * data as one of the permutations, so p is never 0 and the test is exact
 * (valid at every level) for exchangeable draws. 'less' counts Tᵦ <= T_obs;
 * 'two-sided' is min(1, 2·min(p_greater, p_less)). Values within 1e-12
 * (relative) of T_obs count as ties. The generator is `createRandom(seed)`,
 * so the result is the same on every run and platform.
 *
 * Reference: B. V. North, D. Curtis & P. C. Sham (2002), "A note on the
 * calculation of empirical p values from Monte Carlo procedures", AJHG
 * 71:439–441; Phipson & Smyth (2010), SAGMB 9(1):39.
 *
 * Cost: B calls of `nullStatistic`.
 *
 * @throws {TypeError} when observed is not a finite number, nullStatistic is
 * not a function or returns a non-finite value, or alternative is unknown.
 * @throws {RangeError} when permutations is not an integer >= 1.
 *
 * @example
 * const x = [5, 7, 9], y = [1, 2, 3];
 * const diff = (a: number[], b: number[]) => a.reduce((s, v) => s + v, 0) / a.length - b.reduce((s, v) => s + v, 0) / b.length;
 * permutationPValue(diff(x, y), (rng) => { const all = rng.shuffle([...x, ...y]); return diff(all.slice(0, 3), all.slice(3)); }).pValue; // ≈ 0.05
 */
export function permutationPValue(
  observed: number,
  nullStatistic: (rng: Random) => number,
  options: PermutationOptions = {},
): PermutationResult {
  const fn = 'permutationPValue';
  assertFinite(fn, 'observed', observed);
  if (typeof nullStatistic !== 'function') throw new TypeError(`${fn}: nullStatistic must be a function`);
  const { permutations = 999, seed = 1 } = options;
  assertFinite(fn, 'permutations', permutations);
  if (!Number.isInteger(permutations) || permutations < 1) {
    throw new RangeError(`${fn}: permutations must be an integer >= 1, got ${permutations}`);
  }
  assertFinite(fn, 'seed', seed);
  const alternative = checkAlternative(fn, options.alternative, 'greater');
  const rng = createRandom(seed);
  const nulls: number[] = [];
  for (let b = 0; b < permutations; b++) {
    const value = nullStatistic(rng);
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new TypeError(
        `${fn}: nullStatistic returned ${String(value)} on draw ${b}; expected a finite number`,
      );
    }
    nulls.push(value);
  }
  return summarizeNull(observed, nulls, alternative);
}
