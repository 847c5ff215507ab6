// Permutation and placebo p-values: no R reference (R's generator differs);
// checked by exact counting on constructed null values and by determinism.
import { describe, expect, it } from 'vitest';
import { permutationPValue } from '../../src/stats/permutationPValue.js';
import { placeboPValue } from '../../src/stats/placeboPValue.js';
import { singleChangePoint } from '../../src/stats/singleChangePoint.js';
import { expectClose } from '../helpers/close.js';

describe('permutationPValue', () => {
  it('counts (1 + #null >= observed) / (1 + B) exactly', () => {
    // null draws 0, 1, ..., 98 in turn: 10 of them are >= 89
    let i = 0;
    const r = permutationPValue(89, () => i++, { permutations: 99 });
    expect(r.pValue).toBe((1 + 10) / 100);
    expectClose(r.nullMean, 49, 1e-15);
    expectClose(r.nullSd, Math.sqrt((99 * 100) / 12), 1e-12);
    let j = 0;
    expect(permutationPValue(9, () => j++, { permutations: 99, alternative: 'less' }).pValue).toBe(11 / 100);
    let l = 0;
    expect(permutationPValue(9, () => l++, { permutations: 99, alternative: 'two-sided' }).pValue).toBe(
      22 / 100,
    );
  });
  it('is deterministic for a seed and differs between seeds', () => {
    const stat = (rng: { uniform(): number }) => rng.uniform();
    const a = permutationPValue(0.9, stat, { seed: 5 });
    const b = permutationPValue(0.9, stat, { seed: 5 });
    const c = permutationPValue(0.9, stat, { seed: 6 });
    expect(a).toEqual(b);
    expect(c.nullMean).not.toBe(a.nullMean);
    expect(a.permutations).toBe(999);
    // U(0,1) null: P(U >= 0.9) = 0.1
    expect(Math.abs(a.pValue - 0.1)).toBeLessThan(0.03);
  });
  it('tests a change point by shuffling (a real shift gives a small p, noise does not)', () => {
    const shifted = [3, 4, 3, 5, 4, 3, 4, 8, 9, 8, 9, 10, 8, 9];
    const observed = singleChangePoint(shifted).statistic;
    const r = permutationPValue(observed, (rng) => singleChangePoint(rng.shuffle([...shifted])).statistic, {
      permutations: 499,
      seed: 3,
    });
    expect(r.pValue).toBeLessThan(0.01);
    const flat = [5, 4, 6, 5, 4, 6, 5, 5, 4, 6, 5, 6, 4, 5];
    const obsFlat = singleChangePoint(flat).statistic;
    const rf = permutationPValue(obsFlat, (rng) => singleChangePoint(rng.shuffle([...flat])).statistic, {
      permutations: 499,
      seed: 3,
    });
    expect(rf.pValue).toBeGreaterThan(0.2);
  });
  it('throws on invalid arguments', () => {
    expect(() => permutationPValue(1, () => 0, { permutations: 0 })).toThrow(RangeError);
    expect(() => permutationPValue(1, () => 0, { permutations: 2.5 })).toThrow(RangeError);
    expect(() => permutationPValue(Number.NaN, () => 0)).toThrow(TypeError);
    expect(() => permutationPValue(1, () => Number.NaN, { permutations: 3 })).toThrow(TypeError);
  });
});

describe('placeboPValue', () => {
  it('ranks the observed value among the placebo values', () => {
    expect(placeboPValue(10, [1, 2, 3, 11]).pValue).toBe(2 / 5);
    expect(placeboPValue(10, [1, 2, 3, 10]).pValue).toBe(2 / 5); // ties count as extreme
    expect(placeboPValue(0, [1, 2, 3, 11], { alternative: 'less' }).pValue).toBe(1 / 5);
    expect(placeboPValue(12, [1, 2, 3, 11]).pValue).toBe(1 / 5);
  });
  it('throws on empty or invalid placebo values', () => {
    expect(() => placeboPValue(1, [])).toThrow(RangeError);
    expect(() => placeboPValue(1, [1, Number.POSITIVE_INFINITY])).toThrow(TypeError);
  });
});
