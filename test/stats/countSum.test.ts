import { describe, expect, it } from 'vitest';
import { binomialPmfs, countSumUpperTail, hypergeometricPmf, poissonPmf } from '../../src/stats/countSum.js';
import { expectClose } from '../helpers/close.js';

// R reference for the sum of independent counts (direct convolution, then the upper tail):
// tail_sum <- function(pmfs, obs) { p <- Reduce(function(a, b) { out <- numeric(length(a) + length(b) - 1);
//   for (i in seq_along(a)) out[i:(i + length(b) - 1)] <- out[i:(i + length(b) - 1)] + a[i] * b; out }, pmfs);
//   sum(p[(obs + 1):length(p)]) }
describe('countSumUpperTail', () => {
  it('matches R on the convolution of hypergeometric, Poisson and binomial nulls', () => {
    // R: tail_sum(list(dhyper(0:4, 5, 18, 4), dpois(0:200, 0.277)), 6)
    expectClose(
      countSumUpperTail([hypergeometricPmf(5, 18, 4), poissonPmf(0.277)], 6),
      0.00011577462202748884,
      1e-10,
    );
    // R: tail_sum(list(dhyper(0:10, 10, 36, 12), dpois(0:200, 1.32), dbinom(0:5, 5, 0.08)), 9)
    expectClose(
      countSumUpperTail([hypergeometricPmf(10, 36, 12), poissonPmf(1.32), binomialPmfs(5, 0.08)], 9),
      0.01601698123114869,
      1e-10,
    );
    // one strand is its own test — R: ppois(6, 2.5, lower.tail = FALSE)
    expectClose(countSumUpperTail([poissonPmf(2.5)], 7), 0.014187311990913351, 1e-12);
    // R: tail_sum(list(dbinom(0:12, 12, 0.3), dbinom(0:7, 7, 0.6)), 0)
    expectClose(countSumUpperTail([binomialPmfs(12, 0.3), binomialPmfs(7, 0.6)], 0), 1, 1e-12);
  });

  it('gives 0 beyond the support and rejects what is not a count', () => {
    expect(countSumUpperTail([binomialPmfs(3, 0.5), hypergeometricPmf(2, 2, 1)], 5)).toBe(0);
    expect(() => countSumUpperTail([], 1)).toThrow(RangeError);
    expect(() => countSumUpperTail([poissonPmf(1)], 1.5)).toThrow(RangeError);
  });
});

describe('the strand distributions', () => {
  it('match R dhyper, dbinom and dpois', () => {
    // R: dhyper(0:4, 4, 6, 5)
    const hyper = [
      0.023809523809523815, 0.23809523809523822, 0.47619047619047616, 0.23809523809523833,
      0.023809523809523815,
    ];
    for (const [x, p] of hypergeometricPmf(4, 6, 5).entries()) expectClose(p, hyper[x], 1e-12);
    // R: dbinom(0:3, 3, 0.2)
    for (const [k, p] of [0.512, 0.384, 0.096, 0.008].entries())
      expectClose(binomialPmfs(3, 0.2)[k], p, 1e-12);
    // R: dpois(0:3, 0.7)
    const pois = [0.49658530379140953, 0.34760971265398666, 0.12166339942889534, 0.028388126533409];
    for (const [k, p] of pois.entries()) expectClose(poissonPmf(0.7)[k], p, 1e-12);
    expect(poissonPmf(0)[0]).toBe(1);
    expect(hypergeometricPmf(3, 1, 3)[1]).toBe(0); // at least 2 of the 3 drawn must be from the first 3
  });
});
