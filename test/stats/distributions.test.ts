// Distribution and quantile functions against R. Every case's `call` (used as
// the test name) is the exact R expression that produced the reference value in
// test/reference/stats.json (regenerate: Rscript test/reference/stats.R > test/reference/stats.json).
import * as ss from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { betaCdf } from '../../src/stats/betaCdf.js';
import { betaQuantile } from '../../src/stats/betaQuantile.js';
import { binomialCdf } from '../../src/stats/binomialCdf.js';
import { binomialPmf } from '../../src/stats/binomialPmf.js';
import { binomialUpperTail } from '../../src/stats/binomialUpperTail.js';
import { gammaCdf } from '../../src/stats/gammaCdf.js';
import { gammaQuantile } from '../../src/stats/gammaQuantile.js';
import { normalCdf } from '../../src/stats/normalCdf.js';
import { normalQuantile } from '../../src/stats/normalQuantile.js';
import { expectClose } from '../helpers/close.js';
import ref from '../reference/stats.json';

const num = (v: number | string): number => (v === 'Inf' ? Infinity : v === '-Inf' ? -Infinity : Number(v));

describe('normalCdf', () => {
  it.each(ref.pnorm)('$call', (c) => {
    // R: pnorm(x, mean, sd, lower.tail)
    const mean = 'mean' in c ? c.mean : 0;
    const sd = 'sd' in c ? c.sd : 1;
    // the same algorithm as R's (Cody's): equal to within an ulp or two, down to the last normal double
    expectClose(normalCdf(c.x, { mean, sd, lowerTail: c.lowerTail }), c.value, 1e-15, 0, c.call);
  });
  it('is more accurate than simple-statistics in the tail (why it is hand-written)', () => {
    // R: pnorm(-5) = 2.866515718791939e-07
    expectClose(normalCdf(-5), 2.866515718791939e-7, 1e-13, 0);
    expect(Math.abs(ss.cumulativeStdNormalProbability(-5) - 2.866515718791939e-7)).toBeGreaterThan(1e-9);
  });
  it('handles infinities and rejects bad sd', () => {
    expect(normalCdf(Number.POSITIVE_INFINITY)).toBe(1);
    expect(normalCdf(Number.NEGATIVE_INFINITY)).toBe(0);
    expect(() => normalCdf(0, { sd: 0 })).toThrow(RangeError);
    expect(() => normalCdf(Number.NaN)).toThrow(TypeError);
  });
});

describe('normalQuantile', () => {
  it.each(ref.qnorm)('$call', (c) => {
    // R: qnorm(p, lower.tail)
    expectClose(normalQuantile(c.p, { lowerTail: c.lowerTail }), c.value, 1e-14, 1e-15, c.call);
  });
  it('returns infinities at 0 and 1 and throws outside [0, 1]', () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
    expect(() => normalQuantile(-0.1)).toThrow(RangeError);
  });
  it('applies mean and sd', () => {
    // R: qnorm(0.975, 10, 2) = 13.919927969080108
    expectClose(normalQuantile(0.975, { mean: 10, sd: 2 }), 13.919927969080108, 1e-14);
  });
});

describe('betaCdf', () => {
  it.each(ref.pbeta)('$call', (c) => {
    // R: pbeta(x, a, b, lower.tail); parameters near 1e6 lose ~1e-11 to the rounding of 1 - x
    expectClose(betaCdf(c.x, c.a, c.b, { lowerTail: c.lowerTail }), c.value, 1e-10, 1e-300, c.call);
  });
  it('throws on bad shapes', () => {
    expect(() => betaCdf(0.5, 0, 1)).toThrow(RangeError);
  });
});

describe('betaQuantile', () => {
  it.each(ref.qbeta)('$call', (c) => {
    // R: qbeta(p, a, b, lower.tail)
    expectClose(betaQuantile(c.p, c.a, c.b, { lowerTail: c.lowerTail }), c.value, 1e-10, 1e-300, c.call);
  });
  it('inverts betaCdf and handles the ends', () => {
    expect(betaQuantile(0, 2, 3)).toBe(0);
    expect(betaQuantile(1, 2, 3)).toBe(1);
    expectClose(betaCdf(betaQuantile(0.3, 7, 2), 7, 2), 0.3, 1e-13);
    expect(() => betaQuantile(2, 1, 1)).toThrow(RangeError);
  });
});

describe('gammaCdf and gammaQuantile', () => {
  it.each(ref.pgamma)('$call', (c) => {
    // R: pgamma(x, shape, scale, lower.tail)
    const scale = 'scale' in c ? c.scale : 1;
    expectClose(gammaCdf(c.x, c.shape, { scale, lowerTail: c.lowerTail }), c.value, 1e-11, 1e-300, c.call);
  });
  it.each(ref.qgamma)('$call', (c) => {
    // R: qgamma(p, shape, lower.tail)
    expectClose(gammaQuantile(c.p, c.shape, { lowerTail: c.lowerTail }), c.value, 1e-10, 1e-300, c.call);
  });
  it('throws on bad arguments', () => {
    expect(() => gammaCdf(1, -1)).toThrow(RangeError);
    expect(() => gammaQuantile(0.5, 1, { scale: 0 })).toThrow(RangeError);
    expect(gammaQuantile(1, 2)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('binomial distribution', () => {
  it.each(ref.dbinom)('$call', (c) => {
    // R: dbinom(k, n, p)
    expectClose(binomialPmf(c.k, c.n, c.p), c.value, 1e-11, 1e-300, c.call);
  });
  it.each(ref.pbinom)('$call', (c) => {
    // R: pbinom(k, n, p, lower.tail)
    expectClose(binomialCdf(c.k, c.n, c.p, { lowerTail: c.lowerTail }), num(c.value), 1e-10, 1e-300, c.call);
  });
  it.each(ref.binomUpper)('$call', (c) => {
    // R: pbinom(k - 1, n, p, lower.tail = FALSE) = P(X >= k)
    expectClose(binomialUpperTail(c.k, c.n, c.p), c.value, 1e-10, 1e-300, c.call);
  });
  it('throws on invalid arguments', () => {
    expect(() => binomialPmf(-1, 5, 0.5)).toThrow(RangeError);
    expect(() => binomialPmf(1, 5, 1.5)).toThrow(RangeError);
    expect(() => binomialUpperTail(6, 5, 0.5)).toThrow(RangeError);
    expect(() => binomialCdf(1, 2.5, 0.5)).toThrow(RangeError);
    expect(binomialPmf(6, 5, 0.5)).toBe(0);
  });
});

describe('standardNormalCdf (the hot-loop form of normalCdf)', () => {
  const density = (z: number) => Math.exp(-(z * z) / 2) / Math.sqrt(2 * Math.PI);

  it('is a distribution function at any argument: 0 to 1, ½ at 0, symmetric to the last bit or two', async () => {
    const { standardNormalCdf } = await import('../../src/stats/normalCdf.js');
    const { createRandom } = await import('../../src/stats/random.js');
    const rng = createRandom(5);
    expect([0, -0, Infinity, -Infinity, 1e200, -1e200].map(standardNormalCdf)).toEqual([
      0.5, 0.5, 1, 0, 1, 0,
    ]);
    const zs = [5e-324, 1e-160, Math.sqrt(3), 37.5, 37.52];
    for (let i = 0; i < 200_000; i++) zs.push((rng.uniform() - 0.5) * 2 * 10 ** (3 * rng.uniform() - 1));
    const broken = zs.filter((z) => {
      const [p, q] = [standardNormalCdf(z), standardNormalCdf(-z)];
      return !(p >= 0 && p <= 1 && Math.abs(p + q - 1) <= 2.3e-16);
    });
    expect(broken).toEqual([]);
  });

  it("has no step where Cody's approximations hand over (|z| = 0.67448975, √32)", async () => {
    const { standardNormalCdf } = await import('../../src/stats/normalCdf.js');
    const h = 1e-9;
    // above √32 Φ is within an ulp of 1: its tail is checked at −√32 (the same code, by symmetry)
    for (const b of [0.67448975, -0.67448975, -Math.sqrt(32)]) {
      const rise = standardNormalCdf(b + h) - standardNormalCdf(b - h);
      expectClose(rise, 2 * h * density(b), 1e-6, 0, `Φ(${b} + h) − Φ(${b} − h)`);
    }
  });
});
