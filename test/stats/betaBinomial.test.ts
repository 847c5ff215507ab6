// Empirical-Bayes beta-binomial building blocks against R. Every case's `call`
// (used as the test name) is the exact R expression that produced the reference
// values in test/reference/stats.json; `bb_fit`, `bb_tail` are defined in
// test/reference/stats.R (optim BFGS + nlminb on the beta-binomial log-likelihood).
import { describe, expect, it } from 'vitest';
import { betaBinomialUpperTail } from '../../src/stats/betaBinomialUpperTail.js';
import { betaBinomialLogLikelihood, fitBetaBinomial } from '../../src/stats/fitBetaBinomial.js';
import { posteriorExceedance } from '../../src/stats/posteriorExceedance.js';
import { shrinkRate } from '../../src/stats/shrinkRate.js';
import { expectAllClose, expectClose } from '../helpers/close.js';
import ref from '../reference/stats.json';

describe('fitBetaBinomial', () => {
  it.each(ref.betaBinomialFit)('$call', (c) => {
    // R: bb_fit(k, n) = maximum of sum(lchoose(n, k) + lbeta(k + a, n - k + b) - lbeta(a, b))
    const fit = fitBetaBinomial(c.k, c.n);
    expect(fit.degenerate).toBe(false);
    expect(fit.boundary).toBe('none');
    // the maximum itself is sharp; the arg max is flat along the ridge, hence the looser tolerance
    expectClose(fit.logLikelihood, c.logLik, 1e-12, 1e-10, `${c.call} logLik`);
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(c.logLik - 1e-9);
    expectClose(fit.alpha, c.alpha, 1e-6, 0, `${c.call} alpha`);
    expectClose(fit.beta, c.beta, 1e-6, 0, `${c.call} beta`);
    expectClose(fit.mean, c.alpha / (c.alpha + c.beta), 1e-7, 0, `${c.call} mean`);
    expectClose(fit.overdispersion, 1 / (c.alpha + c.beta + 1), 1e-6, 0, `${c.call} rho`);
    expectClose(
      betaBinomialLogLikelihood(
        c.k.map((k, i) => ({ k, n: c.n[i] })),
        c.alpha,
        c.beta,
      ),
      c.logLik,
      1e-13,
    );
  });
  it(`returns a very concentrated prior when peers show no over-dispersion (${ref.betaBinomialDegenerate.call})`, () => {
    const c = ref.betaBinomialDegenerate;
    const fit = fitBetaBinomial(c.k, c.n);
    expect(fit.degenerate).toBe(true);
    expect(fit.alpha + fit.beta).toBeCloseTo(1e7, 0);
    expectClose(fit.mean, c.pooled, 1e-15);
    // the beta-binomial likelihood tends to the binomial one as alpha + beta grows
    expectClose(fit.logLikelihood, c.value, 1e-5, 0, c.call);
    const capped = fitBetaBinomial(c.k, c.n, { maxConcentration: 1e4 });
    expect(capped.alpha + capped.beta).toBeCloseTo(1e4, 6);
  });
  it(`detects no over-dispersion when one large unit dominates (${ref.betaBinomialDegenerate2.call})`, () => {
    // the profile likelihood rises monotonically in alpha + beta (checked in R with optimize over a grid of a + b)
    const c = ref.betaBinomialDegenerate2;
    const fit = fitBetaBinomial(c.k, c.n);
    expect(fit.degenerate).toBe(true);
    expect(fit.boundary).toBe('binomial');
    // at alpha + beta = 1e7 the n = 1e5 unit is still ~5e-3 below the binomial limit, approached from below
    expect(fit.logLikelihood).toBeLessThan(c.value);
    expect(c.value - fit.logLikelihood).toBeLessThan(0.01);
  });
  it('stops at minConcentration under complete separation and treats n <= 1 as not identifiable', () => {
    const separated = fitBetaBinomial([0, 10, 0, 10, 0, 10], [10, 10, 10, 10, 10, 10]);
    expect(separated.boundary).toBe('separated');
    expectClose(separated.alpha + separated.beta, 1e-6, 1e-9);
    expect(separated.mean).toBeCloseTo(0.5, 12);
    const bernoulli = fitBetaBinomial([1, 0, 1, 1, 0, 0, 1], [1, 1, 1, 1, 1, 1, 1]);
    expect(bernoulli.degenerate).toBe(true);
    expect(bernoulli.mean).toBe(4 / 7);
  });
  it('ignores units with no trials and throws on invalid input', () => {
    const a = fitBetaBinomial([3, 10, 2, 7, 9, 0], [20, 25, 18, 22, 30, 0]);
    const b = fitBetaBinomial([3, 10, 2, 7, 9], [20, 25, 18, 22, 30]);
    expect(a.alpha).toBe(b.alpha);
    expect(() => fitBetaBinomial([1, 2], [3])).toThrow(RangeError);
    expect(() => fitBetaBinomial([4, 2], [3, 5])).toThrow(RangeError);
    expect(() => fitBetaBinomial([1], [3])).toThrow(RangeError);
    expect(() => fitBetaBinomial([1, Number.NaN], [3, 4])).toThrow(TypeError);
    expect(() => fitBetaBinomial([1, 2], [3, 4], { minConcentration: 0 })).toThrow(RangeError);
  });
});

describe('shrinkRate', () => {
  it.each(ref.shrink)('$call', (c) => {
    // R: qbeta(c(0.025, 0.975), alpha + k, beta + n - k); mean (alpha + k) / (alpha + beta + n)
    const r = shrinkRate(c.k, c.n, { alpha: c.alpha, beta: c.beta });
    expectClose(r.mean, c.mean, 1e-15, 0, 'posterior mean');
    expectAllClose(r.ci, c.ci, 1e-10, 1e-300, c.call);
    expectClose(r.weight, c.n / (c.alpha + c.beta + c.n), 1e-15);
  });
  it('throws on an invalid prior or counts', () => {
    expect(() => shrinkRate(3, 2, { alpha: 1, beta: 1 })).toThrow(RangeError);
    expect(() => shrinkRate(1, 2, { alpha: 0, beta: 1 })).toThrow(RangeError);
  });
});

describe('posteriorExceedance', () => {
  it.each(ref.posteriorExceedance)('$call', (c) => {
    // R: pbeta(threshold, alpha + k, beta + n - k, lower.tail = FALSE)
    expectClose(
      posteriorExceedance(c.k, c.n, c.threshold, { alpha: c.alpha, beta: c.beta }),
      c.value,
      1e-10,
      1e-300,
      c.call,
    );
  });
  it('throws on a threshold outside [0, 1]', () => {
    expect(() => posteriorExceedance(1, 2, 1.1, { alpha: 1, beta: 1 })).toThrow(RangeError);
  });
});

describe('betaBinomialUpperTail', () => {
  it.each(ref.betaBinomialUpperTail)('$call', (c) => {
    // R: sum(exp(lchoose(n, k:n) + lbeta(k:n + a, n - k:n + b) - lbeta(a, b)))
    expectClose(betaBinomialUpperTail(c.k, c.n, c.alpha, c.beta), c.value, 1e-11, 1e-15, c.call);
  });
  it('throws on k > n and non-positive shapes', () => {
    expect(() => betaBinomialUpperTail(11, 10, 1, 1)).toThrow(RangeError);
    expect(() => betaBinomialUpperTail(1, 10, 0, 1)).toThrow(RangeError);
  });
});
