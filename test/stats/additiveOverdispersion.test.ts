import { describe, expect, it } from 'vitest';
import { additiveOverdispersion, winsorizedSecondMoment } from '../../src/stats/additiveOverdispersion.js';
import { expectClose } from '../helpers/close.js';
import ref from '../reference/stats.json';

// References from test/reference/stats.R: `additive_od` writes the estimator's formulas out in R (R's own
// type-7 quantiles), and the consistency factor is checked against R's numerical integral of the
// winsorized normal's second moment.
describe('additiveOverdispersion', () => {
  it.each(ref.additiveOverdispersion)('$call', (c) => {
    const od = additiveOverdispersion(c.excess, c.variance, c.winsorize);
    expect(od.units).toBe(c.excess.length);
    expectClose(od.phi, c.phi, 1e-12, 0, `${c.call}$phi`);
    expectClose(od.tau2, c.tau2, 1e-10, 1e-15, `${c.call}$tau2`);
  });
  it('leaves out units without a variance or an excess, and needs 5 units', () => {
    const od = additiveOverdispersion([1, 2, Number.NaN, 3], [1, 0, 1, 1], 0.1);
    expect(od).toEqual({ phi: 1, tau2: 0, units: 2 });
  });
});

describe('winsorizedSecondMoment', () => {
  it.each(ref.winsorizedSecondMoment)('$call', (c) => {
    expectClose(winsorizedSecondMoment(c.w), c.value, 1e-10, 0, c.call);
  });
  it('is 1 without winsorizing', () => {
    expect(winsorizedSecondMoment(0)).toBe(1);
  });
});
