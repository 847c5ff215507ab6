// Benjamini–Hochberg q-values against R. Every case's `call` (used as the test
// name) is the exact R expression that produced the reference in test/reference/stats.json.
import { describe, expect, it } from 'vitest';
import { benjaminiHochberg } from '../../src/stats/benjaminiHochberg.js';
import { expectAllClose } from '../helpers/close.js';
import ref from '../reference/stats.json';

describe('benjaminiHochberg', () => {
  it.each(ref.bh)('$call', ({ call, p, value }) => {
    // R: p.adjust(p, method = "BH")
    expectAllClose(benjaminiHochberg(p), value, 1e-14, 1e-300, call);
  });
  it('returns an empty array for no p-values', () => {
    expect(benjaminiHochberg([])).toEqual([]);
  });
  it('gives tied p-values the same q-value and keeps input order', () => {
    const q = benjaminiHochberg([0.03, 0.01, 0.03]);
    expect(q[0]).toBe(q[2]);
    expect(q[1]).toBeLessThanOrEqual(q[0]);
  });
  it('throws on NaN, out-of-range values and non-arrays', () => {
    expect(() => benjaminiHochberg([0.1, Number.NaN])).toThrow(TypeError);
    expect(() => benjaminiHochberg([0.1, 1.2])).toThrow(RangeError);
    expect(() => benjaminiHochberg([-0.1])).toThrow(RangeError);
    // @ts-expect-error not an array
    expect(() => benjaminiHochberg('0.1')).toThrow(TypeError);
  });
});
