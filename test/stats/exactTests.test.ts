// Exact tests and intervals against R. Every case's `call` (used as the test
// name) is the exact R expression that produced the reference values in
// test/reference/stats.json (regenerate: Rscript test/reference/stats.R > test/reference/stats.json).
import { describe, expect, it } from 'vitest';
import { binomialTest } from '../../src/stats/binomialTest.js';
import { exactBinomialInterval } from '../../src/stats/exactBinomialInterval.js';
import { fisherExact, noncentralHypergeometric } from '../../src/stats/fisherExact.js';
import { poissonRateRatioTest } from '../../src/stats/poissonRateRatioTest.js';
import { poissonTest } from '../../src/stats/poissonTest.js';
import { twoProportionZTest } from '../../src/stats/twoProportionZTest.js';
import type { Alternative } from '../../src/stats/validate.js';
import { wilsonInterval } from '../../src/stats/wilsonInterval.js';
import { expectAllClose, expectClose } from '../helpers/close.js';
import ref from '../reference/stats.json';

const num = (v: number | string): number => (v === 'Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v));
const alt = (r: string): Alternative => (r === 'two.sided' ? 'two-sided' : (r as Alternative));

describe('binomialTest', () => {
  it.each(ref.binomTest)('$call', (c) => {
    // R: binom.test(k, n, p0, alternative, conf.level)
    const r = binomialTest(c.k, c.n, c.p0, { alternative: alt(c.alternative), level: c.level });
    expectClose(r.pValue, c.pValue, 1e-10, 1e-300, `${c.call}$p.value`);
    expectClose(r.estimate, c.estimate, 1e-15, 0, `${c.call}$estimate`);
    expectAllClose(r.ci, c.ci, 1e-10, 1e-300, `${c.call}$conf.int`);
  });
  it('matches exactBinomialInterval for the interval alone', () => {
    // R: print(binom.test(7, 20)$conf.int, digits = 17)
    expectAllClose(exactBinomialInterval(7, 20), [0.15390920478454115, 0.59218853453282816], 1e-12);
  });
  it('throws on invalid arguments', () => {
    expect(() => binomialTest(5, 4, 0.5)).toThrow(RangeError);
    expect(() => binomialTest(0, 0, 0.5)).toThrow(RangeError);
    expect(() => binomialTest(1, 4, 1.2)).toThrow(RangeError);
    expect(() => binomialTest(1, 4, 0.5, { level: 1 })).toThrow(RangeError);
    // @ts-expect-error an unknown alternative is a type error and a TypeError at run time
    expect(() => binomialTest(1, 4, 0.5, { alternative: 'bigger' })).toThrow(TypeError);
  });
});

describe('wilsonInterval', () => {
  it.each(ref.wilson)('$call', (c) => {
    // R: prop.test(k, n, conf.level, alternative, correct = FALSE)$conf.int
    const r = wilsonInterval(c.k, c.n, { level: c.level, alternative: alt(c.alternative) });
    expectAllClose(r, c.value, 1e-12, 1e-15, c.call);
  });
  it('throws on n = 0 and k > n', () => {
    expect(() => wilsonInterval(0, 0)).toThrow(RangeError);
    expect(() => wilsonInterval(3, 2)).toThrow(RangeError);
  });
});

describe('noncentralHypergeometric', () => {
  it.each(ref.fisherOddsRatio)('$call', (c) => {
    const d = noncentralHypergeometric(c.a, c.b, c.c, c.d);
    const tail = c.alternative === 'less' ? d.lowerTail : d.upperTail;
    expectClose(tail(c.a, Math.log(c.oddsRatio)), c.value, 1e-10, 1e-300, c.call);
  });
  it("gives fisherExact's two-sided interval (cond_ci in stats.R)", () => {
    const twoSided = ref.fisher.filter((c) => c.alternative === 'two.sided');
    expect(twoSided.length).toBeGreaterThanOrEqual(5);
    for (const c of twoSided) {
      const interval = noncentralHypergeometric(c.a, c.b, c.c, c.d).oddsRatioInterval(c.a, 0.95);
      expectAllClose(interval, c.ci.map(num), 1e-9, 1e-12, c.ciCall);
    }
  });
});

describe('fisherExact', () => {
  it.each(ref.fisher)('$call', (c) => {
    // R: fisher.test(matrix(c(a, c, b, d), 2), alternative) — column-major fill, table rows (a b; c d)
    const r = fisherExact(c.a, c.b, c.c, c.d, { alternative: alt(c.alternative) });
    expectClose(r.pValue, c.pValue, 1e-10, 1e-300, `${c.call}$p.value`);
    // conditional MLE: cond_mle(a, b, c, d) in stats.R (uniroot, tol 1e-13); R's own estimate to ~1e-4
    expectClose(r.oddsRatio, num(c.oddsRatio), 1e-9, 1e-12, c.mleCall);
    expectClose(r.oddsRatio, num(c.estimateR), 1e-3, 1e-6, `${c.call}$estimate`);
    // interval: cond_ci(a, b, c, d, alternative) in stats.R (uniroot, tol 1e-13); R's own conf.int to ~1e-4
    expectAllClose(r.ci, c.ci.map(num), 1e-9, 1e-12, c.ciCall);
    // R's uniroot works on psi below 1 and on 1/psi above 1, to ~1.2e-4 absolute
    c.ciR.map(num).forEach((bound, i) => {
      if (!Number.isFinite(bound) || bound === 0) expect(r.ci[i]).toBe(bound);
      else if (bound <= 1) expectClose(r.ci[i], bound, 0, 2e-4, `${c.call}$conf.int[${i}]`);
      else expectClose(1 / r.ci[i], 1 / bound, 0, 2e-4, `1 / ${c.call}$conf.int[${i}]`);
    });
  });
  it('gives p = 1 and NaN odds ratio for a table with an empty margin', () => {
    const r = fisherExact(0, 0, 3, 4);
    expect(r.pValue).toBe(1);
    expect(Number.isNaN(r.oddsRatio)).toBe(true);
  });
  it('throws on negative or fractional counts', () => {
    expect(() => fisherExact(-1, 2, 3, 4)).toThrow(RangeError);
    expect(() => fisherExact(1.5, 2, 3, 4)).toThrow(RangeError);
  });
});

describe('poissonTest', () => {
  it.each(ref.poissonTest)('$call', (c) => {
    // R: poisson.test(x, T, r, alternative, conf.level)
    const r = poissonTest(c.x, c.exposure, c.rate, { alternative: alt(c.alternative), level: c.level });
    expectClose(r.pValue, c.pValue, 1e-10, 1e-300, `${c.call}$p.value`);
    expectClose(r.estimate, c.estimate, 1e-15, 0, `${c.call}$estimate`);
    expectAllClose(r.ci, c.ci.map(num), 1e-10, 1e-300, `${c.call}$conf.int`);
  });
  it('throws on invalid arguments', () => {
    expect(() => poissonTest(-1, 1)).toThrow(RangeError);
    expect(() => poissonTest(1, 0)).toThrow(RangeError);
    expect(() => poissonTest(1, 1, -1)).toThrow(RangeError);
  });
});

describe('poissonRateRatioTest', () => {
  it.each(ref.rateRatio)('$call', (c) => {
    // R: poisson.test(c(x1, x2), c(t1, t2), r, alternative)
    const r = poissonRateRatioTest(c.x1, c.t1, c.x2, c.t2, {
      ratio: c.ratio,
      alternative: alt(c.alternative),
    });
    expectClose(r.pValue, c.pValue, 1e-10, 1e-300, `${c.call}$p.value`);
    expectClose(r.estimate, num(c.estimate), 1e-14, 0, `${c.call}$estimate`);
    expectAllClose(r.ci, c.ci.map(num), 1e-9, 1e-300, `${c.call}$conf.int`);
  });
  it('throws when there are no events at all', () => {
    expect(() => poissonRateRatioTest(0, 1, 0, 1)).toThrow(RangeError);
  });
});

describe('twoProportionZTest', () => {
  it.each(ref.twoProportion)('$call', (c) => {
    // R: prop.test(c(k1, k2), c(n1, n2), alternative, correct = FALSE); its statistic is z^2
    const r = twoProportionZTest(c.k1, c.n1, c.k2, c.n2, { alternative: alt(c.alternative) });
    expectClose(r.z * r.z, c.statistic, 1e-12, 1e-15, `${c.call}$statistic`);
    expectClose(r.pValue, c.pValue, 1e-11, 1e-300, `${c.call}$p.value`);
    expectClose(r.estimate, c.estimate, 1e-14, 1e-16, `${c.call}$estimate`);
    expectAllClose(r.ci, c.ci, 1e-12, 1e-15, `${c.call}$conf.int`);
  });
  it('throws when z is undefined', () => {
    expect(() => twoProportionZTest(0, 5, 0, 7)).toThrow(RangeError);
    expect(() => twoProportionZTest(1, 0, 0, 7)).toThrow(RangeError);
  });
});
