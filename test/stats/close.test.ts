// The tolerance helper must be able to fail, or every numerical test is a tautology.
import { describe, expect, it } from 'vitest';
import { expectAllClose, expectClose } from '../helpers/close.js';

describe('expectClose', () => {
  it('accepts values within tolerance', () => {
    expectClose(1 + 1e-12, 1);
    expectClose(0, 1e-13);
    expectClose(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY);
  });
  it('rejects values outside tolerance, infinities and NaN mismatches', () => {
    expect(() => expectClose(1.001, 1)).toThrow();
    expect(() => expectClose(1e-9, 0)).toThrow();
    expect(() => expectClose(Number.NaN, 1)).toThrow();
    expect(() => expectClose(1, Number.POSITIVE_INFINITY)).toThrow();
    expect(() => expectAllClose([1, 2], [1])).toThrow();
    expect(() => expectAllClose([1, 2], [1, 2.1])).toThrow();
  });
});
