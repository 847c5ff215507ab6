import { betaCdf } from './betaCdf.js';

/**
 * Nodes and weights for E[g(T)], T a Student-t(ν) variable scaled to unit
 * variance, as Σₖ wₖ g(zₖ): the midpoints (in T's cumulative probability) of
 * `strata` equal strata, each of weight 1/strata, except the top one, which
 * is halved `refine` times (strata of weight 1/(2·strata), 1/(4·strata), …,
 * and the rest beyond, each at its midpoint).
 *
 * Why the refinement: top-box-inflation's p-value averages a tail
 * probability over a rep's unknown honest shift, and that tail grows by
 * orders of magnitude with the shift. With equal strata alone the largest
 * node (32 strata: the 98.4% quantile, 2.9 standard deviations for ν = 4)
 * stands for the whole top 3%, and an honest rep far better than its
 * prediction got too small a p-value: on the simulator's gaming-free worlds
 * 13 of 140 runs flagged a rep at q ≤ 0.05 (5% is the promise). Halving the
 * top stratum 12 times puts the last node at the 1 − 2⁻¹⁸ quantile; E[g(T)] for such a g
 * is then within a few percent of R's `integrate()` (test/stats/studentTNodes.test.ts).
 *
 * Cost: strata + refine quantiles, each a bisection on the t cdf (regularized incomplete beta).
 * Internal: arguments are not checked (ν > 2, strata ≥ 1, refine ≥ 0).
 *
 * @example
 * const { nodes, weights } = studentTNodes(8, 32, 12); // 44 nodes, weights summing to 1
 */
export function studentTNodes(
  df: number,
  strata: number,
  refine: number,
): { nodes: number[]; weights: number[] } {
  const scale = Math.sqrt((df - 2) / df);
  const nodes: number[] = [];
  const weights: number[] = [];
  const node = (from: number, mass: number) => {
    nodes.push(scale * studentQuantile(from + mass / 2, df));
    weights.push(mass);
  };
  for (let k = 0; k < strata - 1; k++) node(k / strata, 1 / strata);
  let from = 1 - 1 / strata;
  let mass = 1 / strata;
  for (let j = 0; j < refine; j++) {
    node(from, mass / 2);
    from += mass / 2;
    mass /= 2;
  }
  node(from, mass);
  return { nodes, weights };
}

/** Quantile of Student's t by bisection on its cdf (regularized incomplete beta). */
function studentQuantile(p: number, df: number): number {
  const cdf = (t: number) => {
    const tail = 0.5 * betaCdf(df / (df + t * t), df / 2, 0.5);
    return t >= 0 ? 1 - tail : tail;
  };
  let lo = -1e3;
  let hi = 1e3;
  for (let i = 0; i < 200 && hi - lo > 1e-10; i++) {
    const mid = (lo + hi) / 2;
    if (cdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
