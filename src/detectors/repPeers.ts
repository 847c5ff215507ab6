import { betaBinomialUpperTail, exactBinomialInterval, fitBetaBinomial } from '../stats/index.js';

/**
 * Peer comparison of a per-entity rate (a rep's share of instant responses,
 * of detractors followed up …) shared by the fabricated-responses and
 * detractor-follow-up detectors.
 *
 * Why a beta-binomial and not a binomial against the pooled rate: honest reps
 * differ (channel mix, customer mix, team habits), so their rates scatter more
 * than binomial noise. Fitting Beta(α, β) to the peers' counts
 * (empirical Bayes, Griffiths 1973) and testing each entity's count against
 * the beta-binomial marginal makes that honest spread part of the null, so
 * the p-value is valid for a rep drawn from the peer distribution; when peers
 * show no over-dispersion the fit degenerates to the binomial.
 *
 * The fit is trimmed so that a few gaming reps do not widen the null they are
 * tested against (masking): it starts without the 10% most extreme entities
 * in the tested direction, then keeps exactly the entities whose tail p-value
 * under the current fit is at least `trimP` (default 0.001) and refits until
 * that set is stable. Under the null this leaves out about one entity in a
 * thousand, a negligible bias.
 */

/** The direction of a one-sided peer comparison: too many successes or too few. */
export type Tail = 'upper' | 'lower';

/** A fitted peer prior Beta(alpha, beta). */
export interface PeerPrior {
  alpha: number;
  beta: number;
  /** prior mean α / (α + β): the typical peer rate */
  mean: number;
  /** intra-class correlation 1 / (α + β + 1); 0 = peers look binomial */
  overdispersion: number;
  /** entities used in the final fit */
  fitted: number;
  /** entities trimmed from the fit as extreme in the tested direction */
  trimmed: number;
}

/** The Test pieces of one entity's peer comparison. */
export interface PeerComparison {
  rate: number;
  /** empirical-Bayes shrunken rate (k + α) / (n + α + β) */
  shrunkRate: number;
  /** one-sided beta-binomial tail probability in the tested direction */
  pValue: number;
  /** 95% Clopper–Pearson interval of the entity's own rate */
  rateCi: [number, number];
}

const MAX_CONCENTRATION = 1e7;

/** P(K >= k) (upper) or P(K <= k) (lower) for K ~ BetaBinomial(n, α, β). */
export function betaBinomialTail(k: number, n: number, alpha: number, beta: number, tail: Tail): number {
  return tail === 'upper'
    ? betaBinomialUpperTail(k, n, alpha, beta)
    : betaBinomialUpperTail(n - k, n, beta, alpha);
}

/**
 * Fit the peer prior to the entities' counts (`k[i]` successes of `n[i]`),
 * robust to the gaming entities it is meant to find (see the module comment):
 * a start fitted without the most extreme 10% of entities by rate in the
 * `tail` direction, then refits on every entity whose tail p-value under the
 * current fit is at least `trimP`, until the kept set no longer changes (at
 * most 10 rounds). Needs at least 2 entities with n > 0. When all kept peers
 * sit at 0 (or at 1), the mean is moved half an observation inside (0, 1) so
 * the prior stays proper.
 */
export function fitPeerPrior(
  k: readonly number[],
  n: readonly number[],
  tail: Tail,
  trimP = 0.001,
): PeerPrior {
  const units = k.map((_, i) => i).filter((i) => n[i] > 0);
  const sign = tail === 'upper' ? 1 : -1;
  const byRate = [...units].sort((a, b) => sign * (k[b] / n[b] - k[a] / n[a]));
  const start = new Set(byRate.slice(Math.min(Math.ceil(units.length * 0.1), units.length - 2)));
  let keep = k.map((_, i) => start.has(i));
  let prior = fitKept(k, n, keep);
  for (let round = 0; round < 10; round++) {
    const next = k.map(
      (_, i) => n[i] > 0 && betaBinomialTail(k[i], n[i], prior.alpha, prior.beta, tail) >= trimP,
    );
    if (next.filter(Boolean).length < 2 || next.every((x, i) => x === keep[i])) break;
    keep = next;
    prior = fitKept(k, n, keep);
  }
  return { ...prior, trimmed: units.length - prior.fitted };
}

function fitKept(
  k: readonly number[],
  n: readonly number[],
  keep: readonly boolean[],
): Omit<PeerPrior, 'trimmed'> {
  const ks: number[] = [];
  const ns: number[] = [];
  let totalK = 0;
  let totalN = 0;
  keep.forEach((kept, i) => {
    if (!kept) return;
    ks.push(k[i]);
    ns.push(n[i]);
    totalK += k[i];
    totalN += n[i];
  });
  const fitted = ks.length;
  if (totalK === 0 || totalK === totalN) {
    const mean = totalK === 0 ? 0.5 / (totalN + 1) : 1 - 0.5 / (totalN + 1);
    return {
      alpha: MAX_CONCENTRATION * mean,
      beta: MAX_CONCENTRATION * (1 - mean),
      mean,
      overdispersion: 1 / (MAX_CONCENTRATION + 1),
      fitted,
    };
  }
  const fit = fitBetaBinomial(ks, ns, { maxConcentration: MAX_CONCENTRATION });
  return { alpha: fit.alpha, beta: fit.beta, mean: fit.mean, overdispersion: fit.overdispersion, fitted };
}

/** Compare one entity's k of n with the peer prior, one-sided in the `tail` direction. */
export function compareWithPeers(k: number, n: number, prior: PeerPrior, tail: Tail): PeerComparison {
  return {
    rate: k / n,
    shrunkRate: (k + prior.alpha) / (n + prior.alpha + prior.beta),
    pValue: betaBinomialTail(k, n, prior.alpha, prior.beta, tail),
    rateCi: exactBinomialInterval(k, n),
  };
}

/** Median of a numeric list (NaN for an empty list: callers check before emitting). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
