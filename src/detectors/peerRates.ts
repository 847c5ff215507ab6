import { betaBinomialUpperTail } from '../stats/betaBinomialUpperTail.js';
import { fitBetaBinomial } from '../stats/fitBetaBinomial.js';
import { shrinkRate } from '../stats/shrinkRate.js';
import { wilsonInterval } from '../stats/wilsonInterval.js';

/** One entity's count of "suspicious" events out of its opportunities. */
export interface RateUnit {
  k: number;
  n: number;
}

export interface PeerRateTest {
  /** the entity's raw rate k / n */
  rate: number;
  /** the peers' rate: the fitted beta prior's mean */
  peerRate: number;
  /** the entity's empirical-Bayes (shrunken) rate */
  shrunkRate: number;
  /** rate − peerRate */
  excess: number;
  /** 95% Wilson interval of the rate, minus peerRate */
  ci: [number, number];
  /** P(X ≥ k) under the peers' beta-binomial: the over-dispersed one-sided p-value */
  pValue: number;
}

/**
 * Compare each unit's rate with its peers', allowing for honest variation
 * between peers: fit a beta prior to all tested units (beta-binomial maximum
 * likelihood), then each unit's p-value is the upper tail of its count under
 * the beta-binomial with that prior. Over-dispersion (genuinely different
 * reps) widens the null, so only an excess beyond ordinary peer spread is
 * significant. The prior includes the unit itself and any other gamers, which
 * only makes the test conservative.
 *
 * @returns null when fewer than 3 units have opportunities (no peers to compare with)
 */
export function peerRateTests(units: readonly RateUnit[]): PeerRateTest[] | null {
  if (units.filter((u) => u.n > 0).length < 3) return null;
  const prior = fitBetaBinomial(
    units.map((u) => u.k),
    units.map((u) => u.n),
  );
  return units.map(({ k, n }) => {
    const rate = n > 0 ? k / n : 0;
    const [low, high] = n > 0 ? wilsonInterval(k, n) : [0, 1];
    const shrunk = shrinkRate(k, n, prior);
    return {
      rate,
      peerRate: prior.mean,
      shrunkRate: shrunk.mean,
      excess: rate - prior.mean,
      ci: [low - prior.mean, high - prior.mean],
      pValue: Math.min(1, Math.max(0, betaBinomialUpperTail(k, n, prior.alpha, prior.beta))),
    };
  });
}
