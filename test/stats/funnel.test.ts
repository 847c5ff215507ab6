// Funnel-plot statistics against the formulas of Spiegelhalter (2005) written
// out in R (`funnel` and `funnel_limits` in test/reference/stats.R). Every
// case's `call` (used as the test name) is the exact R expression.
import { describe, expect, it } from 'vitest';
import { funnelAnalysis } from '../../src/stats/funnelAnalysis.js';
import { funnelLimits } from '../../src/stats/funnelLimits.js';
import { expectAllClose, expectClose } from '../helpers/close.js';
import ref from '../reference/stats.json';

describe('funnelAnalysis', () => {
  it.each(ref.funnel)('$call', (c) => {
    const p0 = typeof c.p0Given === 'number' ? c.p0Given : undefined;
    const two = funnelAnalysis(c.k, c.n, { p0 });
    const greater = funnelAnalysis(c.k, c.n, { p0, alternative: 'greater' });
    expectClose(two.p0, c.p0, 1e-15, 0, 'p0');
    expectClose(two.phi, c.phi, 1e-12, 0, 'phi');
    expectClose(two.tau2, c.tau2, 1e-10, 1e-300, 'tau2');
    expectAllClose(
      two.units.map((u) => u.z),
      c.z,
      1e-12,
      1e-14,
      'z',
    );
    expectAllClose(
      two.units.map((u) => u.zWinsorized),
      c.zWinsorized,
      1e-12,
      1e-14,
      'zWinsorized',
    );
    expectAllClose(
      two.units.map((u) => u.zMultiplicative),
      c.zMultiplicative,
      1e-12,
      1e-14,
      'zMultiplicative',
    );
    expectAllClose(
      two.units.map((u) => u.zAdditive),
      c.zAdditive,
      1e-10,
      1e-14,
      'zAdditive',
    );
    expectAllClose(
      two.units.map((u) => u.pValue),
      c.pTwoSided,
      1e-9,
      1e-300,
      '2 * pnorm(-abs(zD))',
    );
    expectAllClose(
      greater.units.map((u) => u.pValue),
      c.pGreater,
      1e-9,
      1e-300,
      'pnorm(zD, lower.tail = FALSE)',
    );
  });
  it('has no additive variance when units are under-dispersed', () => {
    const r = funnelAnalysis([10, 11, 9, 10, 10], [100, 100, 100, 100, 100]);
    expect(r.tau2).toBe(0);
    expect(r.phi).toBeLessThan(1);
    r.units.forEach((u) => {
      expect(u.zAdditive).toBeCloseTo(u.z, 12);
    });
  });
  it('throws on invalid input', () => {
    expect(() => funnelAnalysis([1], [10])).toThrow(RangeError);
    expect(() => funnelAnalysis([1, 2], [10])).toThrow(RangeError);
    expect(() => funnelAnalysis([1, 12], [10, 10])).toThrow(RangeError);
    expect(() => funnelAnalysis([0, 0], [10, 10])).toThrow(RangeError);
    expect(() => funnelAnalysis([1, 2], [10, 10], { winsorize: 0.5 })).toThrow(RangeError);
  });
});

describe('funnelLimits', () => {
  it.each(ref.funnelLimits)('$call', (c) => {
    const [limit] = funnelLimits(c.n, { p0: c.p0, tau2: c.tau2, phi: c.phi, levels: [c.level] });
    expect(limit.level).toBe(c.level);
    expectAllClose([limit.lower, limit.upper], c.value, 1e-13, 1e-15, c.call);
  });
  it('defaults to the 95% and 99.8% limits', () => {
    expect(funnelLimits(50, { p0: 0.3 }).map((l) => l.level)).toEqual([0.95, 0.998]);
  });
  it('throws on invalid arguments', () => {
    expect(() => funnelLimits(0, { p0: 0.2 })).toThrow(RangeError);
    expect(() => funnelLimits(10, { p0: 1 })).toThrow(RangeError);
    expect(() => funnelLimits(10, { p0: 0.2, tau2: -1 })).toThrow(RangeError);
    expect(() => funnelLimits(10, { p0: 0.2, levels: [1.2] })).toThrow(RangeError);
  });
});
