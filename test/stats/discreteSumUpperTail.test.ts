import { describe, expect, it } from 'vitest';
import { discreteSumUpperTail } from '../../src/stats/discreteSumUpperTail.js';
import { createRandom } from '../../src/stats/index.js';
import { expectClose } from '../helpers/close.js';
import ref from '../reference/stats.json';

/**
 * Distinct two-point terms as top-box-inflation builds them (a coaching weight w, negative for some,
 * times the top-box indicator, centred at its mean), and which distinct term each of `n` terms is.
 */
function groupedTerms(seed: number, distinct: number, n: number) {
  const rng = createRandom(seed);
  const values = new Float64Array(2 * distinct);
  const probs = new Float64Array(2 * distinct);
  for (let g = 0; g < distinct; g++) {
    const p = 0.02 + 0.96 * rng.uniform();
    const w = 1 / Math.max(p, 0.05) - 2 * rng.uniform();
    values[2 * g] = -w * p;
    values[2 * g + 1] = w * (1 - p);
    probs[2 * g] = 1 - p;
    probs[2 * g + 1] = p;
  }
  const group = Int32Array.from({ length: n }, (_, i) => (i < distinct ? i : rng.int(distinct)));
  rng.shuffle(group as unknown as number[]);
  return { values, probs, group };
}

/** The same terms written out one by one. */
function expanded(t: ReturnType<typeof groupedTerms>) {
  const values = new Float64Array(2 * t.group.length);
  const probs = new Float64Array(2 * t.group.length);
  t.group.forEach((g, i) => {
    values.set(t.values.subarray(2 * g, 2 * g + 2), 2 * i);
    probs.set(t.probs.subarray(2 * g, 2 * g + 2), 2 * i);
  });
  return { values, probs };
}

describe('discreteSumUpperTail with repeated terms', () => {
  it('gives the same tail to the last bit as the terms written out, from the centre to the far tail', () => {
    let compared = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const terms = groupedTerms(seed, 2 + (seed % 17), 10 + 3 * seed);
      const { values, probs } = expanded(terms);
      let variance = 0;
      for (let i = 0; i < terms.group.length; i++) {
        const g = terms.group[i];
        variance +=
          terms.probs[2 * g + 1] * (terms.values[2 * g + 1] - terms.values[2 * g]) ** 2 * terms.probs[2 * g];
      }
      for (const sigma2 of [0, 0.3 * variance]) {
        for (const z of [-1, 0.005, 0.02, 0.5, 1, 2, 4, 7, 1e3]) {
          const x = z * Math.sqrt(variance);
          const written = discreteSumUpperTail(values, probs, 2, sigma2, x);
          const grouped = discreteSumUpperTail(terms.values, terms.probs, 2, sigma2, x, terms.group);
          expect(
            Object.is(grouped, written),
            `seed ${seed}, sigma2 ${sigma2}, z ${z}: ${grouped} vs ${written}`,
          ).toBe(true);
          compared++;
        }
      }
    }
    expect(compared).toBe(540);
  });

  it('gives the exact probability of the largest attainable sum', () => {
    // 9 tens out of 9 from customers who give tens with probability 0.8: 0.8⁹ (R: dbinom(9, 9, 0.8))
    const values = Float64Array.of(-0.8, 0.2);
    const probs = Float64Array.of(0.2, 0.8);
    const group = new Int32Array(9);
    expectClose(discreteSumUpperTail(values, probs, 2, 0, 9 * 0.2, group), 0.134217728, 1e-12);
    expect(discreteSumUpperTail(values, probs, 2, 0, 9 * 0.2 + 0.1, group)).toBe(0);
    // one step below the top: P(X >= 8) (R: pbinom(7, 9, 0.8, lower.tail = FALSE)), a lattice sum
    expectClose(discreteSumUpperTail(values, probs, 2, 0, 8 * 0.2 - 0.8, group), 0.4362076, 0.01);
  });
});

interface TwoPointCase {
  call: string;
  lo: number[];
  hi: number[];
  p: number[];
  m: number[];
  sigma2: number;
  x: number;
  value: number;
}

/** The case's terms as discreteSumUpperTail takes them: two values and probabilities per stratum, a stratum per term. */
function tailOf(c: TwoPointCase): number {
  const values = Float64Array.from(c.lo.flatMap((lo, g) => [lo, c.hi[g]]));
  const probs = Float64Array.from(c.p.flatMap((p) => [1 - p, p]));
  const group = Int32Array.from(c.m.flatMap((m, g) => Array<number>(m).fill(g)));
  return discreteSumUpperTail(values, probs, 2, c.sigma2, c.x, group);
}

// Exact tails from R (test/reference/stats.R: the convolution over strata of scaled binomials) at the
// attained sums where the tail falls to 1e-2, 1e-4, 1e-6 and 1e-8. Measured: within 6% on ten strata
// (with and without a normal term), within 19% on the skewed sum (larger, the safe side), within 2% on
// the lattice.
describe('discreteSumUpperTail against exact tails from R', () => {
  const within = (cases: TwoPointCase[], tolerance: number) => {
    for (const c of cases) {
      const ratio = tailOf(c) / c.value;
      expect(Math.abs(ratio - 1), `${c.call}: ${tailOf(c)} vs ${c.value}`).toBeLessThanOrEqual(tolerance);
    }
  };
  it("ten strata of unequal weights, as a rep's coaching score has", () => {
    within(ref.twoPointSum.strata, 0.1);
    within(ref.twoPointSum.strataWithNormal, 0.1);
  });
  it('a skewed sum: three heavy terms (a top score from a detractor) among light ones', () => {
    within(ref.twoPointSum.skewed, 0.2);
  });
  it('a lattice (one stratum): the continuity-corrected tail P(S >= x), not P(S > x) or between', () => {
    within(ref.twoPointSum.lattice, 0.03);
  });
});
