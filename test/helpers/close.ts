import { expect } from 'vitest';

/**
 * The one tolerance check for numerical tests: passes when
 * |actual − expected| <= max(absTol, relTol · |expected|).
 * Infinities and NaN must match exactly. `label` (e.g. the R call that
 * produced `expected`) is shown on failure.
 */
export function expectClose(
  actual: number,
  expected: number,
  relTol = 1e-8,
  absTol = 1e-12,
  label = '',
): void {
  const where = label ? ` (${label})` : '';
  if (typeof expected === 'number' && Number.isNaN(expected)) {
    expect(Number.isNaN(actual), `expected NaN, got ${actual}${where}`).toBe(true);
    return;
  }
  if (!Number.isFinite(expected)) {
    expect(actual, `expected ${expected}${where}`).toBe(expected);
    return;
  }
  expect(
    typeof actual === 'number' && Number.isFinite(actual),
    `expected a finite number, got ${actual}${where}`,
  ).toBe(true);
  const error = Math.abs(actual - expected);
  const allowed = Math.max(absTol, relTol * Math.abs(expected));
  expect(
    error <= allowed,
    `${actual} is not within ${allowed.toExponential(2)} of ${expected} (error ${error.toExponential(2)})${where}`,
  ).toBe(true);
}

/** Element-wise {@link expectClose} for arrays of equal length. */
export function expectAllClose(
  actual: readonly number[],
  expected: readonly number[],
  relTol = 1e-8,
  absTol = 1e-12,
  label = '',
): void {
  expect(actual.length, `length${label ? ` (${label})` : ''}`).toBe(expected.length);
  actual.forEach((value, i) => {
    expectClose(value, expected[i], relTol, absTol, `${label}[${i}]`);
  });
}
