// The @example lines of the doc comments in src/stats, run, so that the docs
// cannot drift from the code. Values with a source are from R (call beside them).
import { describe, expect, it } from 'vitest';
import { additiveOverdispersion } from '../../src/stats/additiveOverdispersion.js';
import { discreteSumUpperTail } from '../../src/stats/discreteSumUpperTail.js';
import * as s from '../../src/stats/index.js';
import { quantileType7 } from '../../src/stats/quantileType7.js';
import { binomialDensity } from '../../src/stats/saddlePoint.js';
import { expectAllClose, expectClose } from '../helpers/close.js';

describe('doc examples', () => {
  it('special functions and distributions', () => {
    expectClose(s.logGamma(5), Math.log(24), 1e-15);
    expectClose(s.logBeta(2, 3), Math.log(1 / 12), 1e-15);
    expectClose(s.logChoose(5, 2), Math.log(10), 1e-15);
    expectClose(s.digamma(1), -0.5772156649015329, 1e-14);
    expectClose(s.trigamma(1), Math.PI ** 2 / 6, 1e-15);
    expectClose(s.betaCdf(0.5, 2, 3), 0.6875, 1e-15);
    expectClose(s.betaCdf(0.5, 2, 3, { lowerTail: false }), 0.3125, 1e-15);
    expectClose(s.betaQuantile(0.6875, 2, 3), 0.5, 1e-14);
    expectClose(s.gammaCdf(2, 1), 1 - Math.exp(-2), 1e-15);
    expectClose(s.gammaQuantile(1 - Math.exp(-2), 1), 2, 1e-14);
    expectClose(s.normalCdf(1.959963984540054), 0.975, 1e-15);
    expectClose(s.normalCdf(10, { lowerTail: false }), 7.619853024160527e-24, 1e-13); // R: pnorm(10, lower.tail = FALSE)
    expectClose(s.normalQuantile(0.975), 1.959963984540054, 1e-15);
    expectClose(s.binomialPmf(3, 10, 0.5), 0.1171875, 1e-14);
    expectClose(s.binomialCdf(3, 10, 0.5), 0.171875, 1e-14);
    expectClose(s.binomialUpperTail(8, 10, 0.5), 0.0546875, 1e-14);
    expectClose(binomialDensity(0, 1e6, 1e-6), 0.3678792572316451, 1e-14); // R: exp(1e6 * log1p(-1e-6))
    // R: pbinom(1, 3, 0.3, lower.tail = FALSE)
    expectClose(
      discreteSumUpperTail(Float64Array.of(-0.3, 0.7), Float64Array.of(0.7, 0.3), 2, 0, 1, new Int32Array(3)),
      0.216,
      0.01,
    );
  });
  it('tests and intervals', () => {
    expectAllClose(s.exactBinomialInterval(7, 20), [0.15390920478454115, 0.59218853453282816], 1e-12); // R: binom.test(7, 20)$conf.int
    expectAllClose(s.wilsonInterval(7, 20), [0.1811918, 0.5671457], 1e-6); // R: prop.test(7, 20, correct = FALSE)$conf.int
    expectClose(s.binomialTest(7, 20, 0.2).pValue, 0.09822, 1e-3); // R: binom.test(7, 20, 0.2)$p.value
    expectClose(s.binomialTest(7, 20, 0.2, { alternative: 'greater' }).pValue, 0.08669, 1e-3);
    expectClose(s.fisherExact(3, 1, 1, 3).pValue, 0.4857142857142857, 1e-13); // R: fisher.test(matrix(c(3, 1, 1, 3), 2))$p.value
    expectClose(s.poissonTest(10, 2, 3).pValue, 0.1013, 1e-3); // R: poisson.test(10, 2, 3)$p.value
    expect(s.poissonRateRatioTest(20, 10, 10, 10).estimate).toBe(2);
    expectClose(s.twoProportionZTest(30, 100, 20, 100).z, 1.6329931618554523, 1e-14);
    expectAllClose(s.benjaminiHochberg([0.01, 0.04, 0.03, 0.2]), [0.04, 0.16 / 3, 0.16 / 3, 0.2], 1e-15);
  });
  it('empirical Bayes, funnel, change points, resampling', () => {
    expect(quantileType7([1, 2, 4, 8], 0.5)).toBe(3); // R: quantile(c(1, 2, 4, 8), 0.5)
    // R: additive_od(c(0.1, -0.2, 0.05, 0.3, -0.1, 0), c(0.01, 0.02, 0.01, 0.03, 0.02, 0.01), 0.1)$tau2 (stats.R)
    expectClose(
      additiveOverdispersion([0.1, -0.2, 0.05, 0.3, -0.1, 0], [0.01, 0.02, 0.01, 0.03, 0.02, 0.01], 0.1).tau2,
      0.0056740527109974412,
      1e-10,
    );
    expectClose(s.fitBetaBinomial([3, 10, 2, 7, 9], [20, 25, 18, 22, 30]).mean, 0.267, 1e-3);
    expect(s.shrinkRate(8, 8, { alpha: 6, beta: 14 }).mean).toBe(0.5);
    expectClose(s.posteriorExceedance(9, 10, 0.5, { alpha: 1, beta: 1 }), 0.994140625, 1e-14);
    expectClose(s.betaBinomialUpperTail(8, 10, 2, 3), 0.09491, 1e-3);
    expectClose(s.funnelAnalysis([12, 30, 8, 25], [100, 150, 90, 110]).phi, 2.047, 1e-3);
    const [l95] = s.funnelLimits(100, { p0: 0.2 });
    expectAllClose([l95.lower, l95.upper], [0.1216, 0.2784], 1e-3);
    expect(s.pelt([1, 1, 1, 1, 1, 5, 5, 5, 5, 5], { penalty: 1, minSegment: 2 }).changePoints).toEqual([5]);
    expect(s.cusum([0, 0, 3, 3, 3], 0, { k: 0.5, h: 4 }).alarmIndex).toBe(3);
    expect(s.singleChangePoint([1, 1, 1, 4, 4, 4]).index).toBe(3);
    expect(s.placeboPValue(10, [1, 2, 3, 11]).pValue).toBe(0.4);
    const x = [5, 7, 9];
    const y = [1, 2, 3];
    const mean = (a: number[]) => a.reduce((t, v) => t + v, 0) / a.length;
    const r = s.permutationPValue(mean(x) - mean(y), (rng) => {
      const all = rng.shuffle([...x, ...y]);
      return mean(all.slice(0, 3)) - mean(all.slice(3));
    });
    // exact permutation p = 1/20; the Monte Carlo estimate with B = 999 is close
    expect(Math.abs(r.pValue - 0.05)).toBeLessThan(0.02);
  });
});
