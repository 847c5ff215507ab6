// Special functions against R. Every case's `call` (used as the test name) is
// the exact R expression that produced the reference value in
// test/reference/stats.json (regenerate: Rscript test/reference/stats.R > test/reference/stats.json).
import { describe, expect, it } from 'vitest';
import { digamma } from '../../src/stats/digamma.js';
import { logBeta } from '../../src/stats/logBeta.js';
import { logChoose } from '../../src/stats/logChoose.js';
import { logGamma } from '../../src/stats/logGamma.js';
import { trigamma } from '../../src/stats/trigamma.js';
import { expectClose } from '../helpers/close.js';
import ref from '../reference/stats.json';

describe('logGamma', () => {
  it.each(ref.lgamma)('$call', ({ call, x, value }) => {
    // R: lgamma(x)
    expectClose(logGamma(x), value, 1e-13, 1e-14, call);
  });
  it('throws on x <= 0 and non-numbers', () => {
    expect(() => logGamma(0)).toThrow(RangeError);
    expect(() => logGamma(-1)).toThrow(RangeError);
    expect(() => logGamma(Number.NaN)).toThrow(TypeError);
  });
});

describe('logBeta', () => {
  it.each(ref.lbeta)('$call', ({ call, a, b, value }) => {
    // R: lbeta(a, b)
    expectClose(logBeta(a, b), value, 1e-13, 1e-14, call);
  });
  it('throws on non-positive arguments', () => {
    expect(() => logBeta(0, 1)).toThrow(RangeError);
  });
});

describe('logChoose', () => {
  it.each(ref.lchoose)('$call', ({ call, n, k, value }) => {
    // R: lchoose(n, k)
    expectClose(logChoose(n, k), value, 1e-13, 1e-14, call);
  });
  it('throws on k > n and non-integers', () => {
    expect(() => logChoose(3, 4)).toThrow(RangeError);
    expect(() => logChoose(3.5, 1)).toThrow(RangeError);
  });
});

describe('digamma and trigamma', () => {
  it.each(ref.digamma)('$call', ({ call, x, value }) => {
    // R: digamma(x)
    expectClose(digamma(x), value, 1e-13, 1e-14, call);
  });
  it.each(ref.trigamma)('$call', ({ call, x, value }) => {
    // R: trigamma(x)
    expectClose(trigamma(x), value, 1e-13, 1e-14, call);
  });
  it('throws on x <= 0', () => {
    expect(() => digamma(0)).toThrow(RangeError);
    expect(() => trigamma(-2)).toThrow(RangeError);
  });
});
