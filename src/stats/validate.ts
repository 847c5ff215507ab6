/**
 * Shared argument checks for the statistical building blocks, so that every
 * function in `src/stats/` fails the same way: a `TypeError` when an argument
 * has the wrong type or is not a finite number, a `RangeError` when it is a
 * number outside its domain. Each message names the function, the argument,
 * the value received and what was expected.
 *
 * @example
 * assertCount('binomialTest', 'n', 10); // ok
 * assertCount('binomialTest', 'n', -1); // RangeError: binomialTest: n must be a non-negative integer, got -1
 */

/** Which side of the null hypothesis the alternative lies on (R's `alternative`). */
export type Alternative = 'two-sided' | 'less' | 'greater';

const ALTERNATIVES: readonly Alternative[] = ['two-sided', 'less', 'greater'];

/** Throws TypeError unless `value` is a finite number. */
export function assertFinite(fn: string, name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${fn}: ${name} must be a finite number, got ${String(value)}`);
  }
}

/** Throws unless `value` is an integer >= 0. */
export function assertCount(fn: string, name: string, value: unknown): asserts value is number {
  assertFinite(fn, name, value);
  if (value < 0 || !Number.isInteger(value)) {
    throw new RangeError(`${fn}: ${name} must be a non-negative integer, got ${value}`);
  }
}

/** Throws unless `value` is a number in [0, 1]. */
export function assertProbability(fn: string, name: string, value: unknown): asserts value is number {
  assertFinite(fn, name, value);
  if (value < 0 || value > 1) throw new RangeError(`${fn}: ${name} must be in [0, 1], got ${value}`);
}

/** Throws unless `value` is a number in the open interval (0, 1) (confidence levels). */
export function assertOpenUnit(fn: string, name: string, value: unknown): asserts value is number {
  assertFinite(fn, name, value);
  if (value <= 0 || value >= 1) throw new RangeError(`${fn}: ${name} must be in (0, 1), got ${value}`);
}

/** Throws unless `value` is a number > 0. */
export function assertPositive(fn: string, name: string, value: unknown): asserts value is number {
  assertFinite(fn, name, value);
  if (value <= 0) throw new RangeError(`${fn}: ${name} must be > 0, got ${value}`);
}

/** Throws unless `value` is a number >= 0. */
export function assertNonNegative(fn: string, name: string, value: unknown): asserts value is number {
  assertFinite(fn, name, value);
  if (value < 0) throw new RangeError(`${fn}: ${name} must be >= 0, got ${value}`);
}

/** Returns the alternative, defaulting to 'two-sided'; throws on an unknown value. */
export function checkAlternative(
  fn: string,
  value: unknown,
  fallback: Alternative = 'two-sided',
): Alternative {
  if (value === undefined) return fallback;
  if (!ALTERNATIVES.includes(value as Alternative)) {
    throw new TypeError(
      `${fn}: alternative must be one of ${ALTERNATIVES.map((a) => `'${a}'`).join(', ')}, got ${String(value)}`,
    );
  }
  return value as Alternative;
}

/** Throws TypeError unless `value` is an array of finite numbers. */
export function assertFiniteArray(fn: string, name: string, value: unknown): asserts value is number[] {
  if (!Array.isArray(value)) throw new TypeError(`${fn}: ${name} must be an array, got ${typeof value}`);
  for (let i = 0; i < value.length; i++) {
    const v = value[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new TypeError(`${fn}: ${name}[${i}] must be a finite number, got ${String(v)}`);
    }
  }
}
