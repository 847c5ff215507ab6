// Change points. r-cran-changepoint is not packaged in Debian bookworm, so PELT
// is checked against exact optimal partitioning written in R (`op_mean` in
// test/reference/stats.R, same L2 cost and minimum segment length as
// changepoint::cpt.mean(method = "PELT", test.stat = "Normal")) and against a
// brute-force enumeration of all segmentations here. Every case's `call` (used
// as the test name) is the exact R expression.
import { describe, expect, it } from 'vitest';
import { cusum } from '../../src/stats/cusum.js';
import { pelt } from '../../src/stats/pelt.js';
import { createRandom } from '../../src/stats/random.js';
import { singleChangePoint } from '../../src/stats/singleChangePoint.js';
import { expectAllClose, expectClose } from '../helpers/close.js';
import ref from '../reference/stats.json';

/** Minimum penalised L2 cost over every segmentation with segments >= minSegment (exponential; n <= 16). */
function bruteForce(
  x: number[],
  penalty: number,
  minSegment: number,
): { cost: number; changePoints: number[] } {
  const n = x.length;
  const segCost = (a: number, b: number) => {
    const seg = x.slice(a, b);
    const m = seg.reduce((s, v) => s + v, 0) / seg.length;
    return seg.reduce((s, v) => s + (v - m) ** 2, 0);
  };
  let best = { cost: Number.POSITIVE_INFINITY, changePoints: [] as number[] };
  for (let mask = 0; mask < 1 << (n - 1); mask++) {
    const cps: number[] = [];
    for (let i = 1; i < n; i++) if (mask & (1 << (i - 1))) cps.push(i);
    const bounds = [0, ...cps, n];
    let ok = true;
    let cost = penalty * cps.length;
    for (let j = 0; j + 1 < bounds.length; j++) {
      if (bounds[j + 1] - bounds[j] < minSegment) ok = false;
      else cost += segCost(bounds[j], bounds[j + 1]);
    }
    if (ok && cost < best.cost - 1e-9) best = { cost, changePoints: cps };
  }
  return best;
}

describe('pelt', () => {
  it.each(ref.pelt)('$call', (c) => {
    // R: op_mean(x, pen, minseg) — exact optimal partitioning; cpts are 1-based segment ends = 0-based starts
    const r = pelt(c.series, { penalty: c.penalty, minSegment: c.minSegment });
    expect(r.changePoints).toEqual(c.changePoints);
    expectClose(r.cost, c.cost, 1e-9, 1e-9, `${c.call}$cost`);
    expect(r.segments.every((s) => s.end - s.start >= c.minSegment)).toBe(true);
  });
  it('equals brute-force enumeration of all segmentations on random short series', () => {
    const rng = createRandom(11);
    for (let trial = 0; trial < 40; trial++) {
      const n = 8 + rng.int(7);
      const x = Array.from({ length: n }, (_, i) => rng.normal(i > n / 2 ? 2 : 0, 1));
      const penalty = 0.5 + 3 * rng.uniform();
      const minSegment = 1 + rng.int(3);
      const expected = bruteForce(x, penalty, minSegment);
      const r = pelt(x, { penalty, minSegment });
      expectClose(r.cost, expected.cost, 1e-9, 1e-9, `trial ${trial}`);
      expect(r.changePoints).toEqual(expected.changePoints);
    }
  });
  it('finds an obvious shift with the default penalty and reports segment means', () => {
    const x = [...Array(20).fill(1), ...Array(20).fill(4)].map((v, i) => v + (i % 3) * 0.1);
    const r = pelt(x);
    expect(r.changePoints).toEqual([20]);
    // means 1 + (0 + 0.1 + 0.2) pattern averages: 1.095 over the first 20, 4.1 over the last 20
    expectClose(r.segments[0].mean, 1.095, 1e-12);
    expectClose(r.segments[1].mean, 4.1, 1e-12);
  });
  it('handles short and empty series and throws on bad options', () => {
    expect(pelt([]).changePoints).toEqual([]);
    expect(pelt([1, 2, 3], { minSegment: 2 }).segments).toHaveLength(1);
    expect(() => pelt([1, 2], { penalty: -1 })).toThrow(RangeError);
    expect(() => pelt([1, 2], { minSegment: 0 })).toThrow(RangeError);
    expect(() => pelt([1, Number.NaN])).toThrow(TypeError);
  });
});

describe('cusum', () => {
  it.each(ref.cusum)('$call', (c) => {
    // R: cusum_upper(x, target, k, h); alarm index converted to 0-based
    const r = cusum(c.series, c.target, { k: c.k, h: c.h });
    expectAllClose(r.path, c.path, 1e-12, 1e-12, c.call);
    expect(r.alarmIndex).toBe(c.alarmIndex ?? null);
  });
  it('reports the onset of the run that raised the alarm', () => {
    const r = cusum([0, 0, 3, 3, 3], 0, { k: 0.5, h: 4 });
    expect(r.path).toEqual([0, 0, 2.5, 5, 7.5]);
    expect(r.alarmIndex).toBe(3);
    expect(r.onsetIndex).toBe(2);
    expect(cusum([0, 0, 0], 0).alarmIndex).toBeNull();
    expect(() => cusum([1], 0, { h: 0 })).toThrow(RangeError);
  });
});

describe('singleChangePoint', () => {
  it.each(ref.singleChangePoint)('$call', (c) => {
    // R: single_cp(x, minseg); index is the 0-based first index after the split (= R's t)
    const r = singleChangePoint(c.series, { minSegment: c.minSegment });
    expect(r.index).toBe(c.index);
    expectClose(r.statistic, c.statistic, 1e-10, 1e-12, c.call);
    expectClose(r.meanBefore, c.meanBefore, 1e-12, 1e-12, 'meanBefore');
    expectClose(r.meanAfter, c.meanAfter, 1e-12, 1e-12, 'meanAfter');
  });
  it('throws when the series is too short', () => {
    expect(() => singleChangePoint([1, 2, 3], { minSegment: 2 })).toThrow(RangeError);
  });
});
