import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/stats/index.js';
import {
  fitTopShift,
  fitTruncatedShift,
  linkFunctions,
  type ShiftLink,
} from '../../src/stats/ordinalShift.js';
import { expectClose } from '../helpers/close.js';
import ref from '../reference/stats.json';

/**
 * fitTopShift as it was before it grouped its terms (src/detectors/scorePeers.ts at commit 025b335, the
 * constants inlined): one score and information term per response.
 */
function fitTopShiftPerResponse(
  baseTop: readonly number[],
  isTop: readonly boolean[],
  link: ShiftLink,
): { shift: number; information: number } {
  const { cdf, density, quantile: inverse } = linkFunctions(link);
  const eta = baseTop.map((p) => inverse(Math.min(1 - 1e-9, Math.max(1e-9, p))));
  const precision = 1 / 9;
  const evaluate = (d: number) => {
    let score = -d * precision;
    let information = 0;
    for (let i = 0; i < eta.length; i++) {
      const x = eta[i] + d;
      const p = Math.min(1 - 1e-12, Math.max(1e-12, cdf(x)));
      const f = density(x);
      score += ((isTop[i] ? 1 : 0) - p) * (f / (p * (1 - p)));
      information += (f * f) / (p * (1 - p));
    }
    return { score, information };
  };
  let d = 0;
  let lo = -10;
  let hi = 10;
  for (let iteration = 0; iteration < 100; iteration++) {
    const { score, information } = evaluate(d);
    if (score > 0) lo = d;
    else hi = d;
    let next = d + score / (information + precision);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - d) < 1e-9 || hi - lo < 1e-9) {
      d = next;
      break;
    }
    d = next;
  }
  return { shift: d, information: evaluate(d).information };
}

/** A rep's responses in a few strata (peers' rows of L level probabilities, repeated) at random levels. */
function repResponses(seed: number, strata: number, n: number, levels: number) {
  const rng = createRandom(seed);
  const rowsOfStratum = Array.from({ length: strata }, () => {
    const raw = Array.from({ length: levels }, () => 0.05 + rng.uniform());
    const total = raw.reduce((a, b) => a + b, 0);
    return raw.map((v) => v / total);
  });
  const stratum = Int32Array.from({ length: n }, () => rng.int(strata));
  const base = new Float64Array(n * levels);
  stratum.forEach((g, j) => {
    base.set(rowsOfStratum[g], j * levels);
  });
  const level = Int32Array.from({ length: n }, () => (rng.uniform() < 0.4 ? levels - 1 : rng.int(levels)));
  return { base, stratum, level, rows: Array.from({ length: n }, (_, j) => j) };
}

describe('the rep shift fits with repeated terms', () => {
  it('fitTruncatedShift gives the same shift and information to the last bit with strata as without', () => {
    for (let seed = 1; seed <= 20; seed++) {
      for (const link of ['probit', 'logit'] as ShiftLink[]) {
        const { base, stratum, level, rows } = repResponses(seed, 1 + (seed % 7), 12 + 5 * seed, 10);
        const prior = { mean: 0, sd: 3 };
        const each = fitTruncatedShift(base, 10, rows, level, link, prior);
        const grouped = fitTruncatedShift(base, 10, rows, level, link, prior, stratum);
        expect(Object.is(grouped.shift, each.shift), `seed ${seed} ${link}`).toBe(true);
        expect(Object.is(grouped.dataInformation, each.dataInformation), `seed ${seed} ${link}`).toBe(true);
        expect(grouped.pTop).toEqual(each.pTop);
      }
    }
  });

  it('fitTruncatedShift does not merge rows of one stratum whose peers differ', () => {
    const { base, level, rows } = repResponses(3, 4, 40, 5);
    const prior = { mean: 0, sd: 3 };
    const each = fitTruncatedShift(base, 5, rows, level, 'probit', prior);
    // every response claims the same stratum: only rows with equal peers' probabilities may share terms
    const oneKey = fitTruncatedShift(base, 5, rows, level, 'probit', prior, new Int32Array(40));
    expect(Object.is(oneKey.shift, each.shift)).toBe(true);
    expect(Object.is(oneKey.dataInformation, each.dataInformation)).toBe(true);
  });

  it('fitTopShift gives the same shift and information to the last bit as per-response terms', () => {
    for (let seed = 1; seed <= 20; seed++) {
      for (const link of ['probit', 'logit'] as ShiftLink[]) {
        const { base, level } = repResponses(seed, 1 + (seed % 7), 12 + 5 * seed, 10);
        const baseTop = Array.from(level, (_, j) => base[j * 10 + 9]);
        const isTop = Array.from(level, (k) => k === 9);
        const expected = fitTopShiftPerResponse(baseTop, isTop, link);
        const actual = fitTopShift(baseTop, isTop, link);
        expect(Object.is(actual.shift, expected.shift), `seed ${seed} ${link}`).toBe(true);
        expect(Object.is(actual.information, expected.information), `seed ${seed} ${link}`).toBe(true);
      }
    }
  });
});

// References from test/reference/stats.R (`top_shift`, `trunc_shift`): the same posterior modes found by
// R's optimize() (tol 1e-12) and the information written out (the truncated fit's by numerical
// differentiation of each score's log-probability), on four simulated reps of 12-75 responses.
describe('the rep shift fits against R', () => {
  it.each(ref.topShift)('$call', (c) => {
    const fit = fitTopShift(
      c.p,
      c.top.map((t) => t === 1),
      c.link as ShiftLink,
    );
    expectClose(fit.shift, c.shift, 1e-6, 1e-8, `${c.call}$shift`);
    expectClose(fit.information, c.information, 1e-6, 0, `${c.call}$information`);
  });
  it.each(ref.truncatedShift)('$call', (c) => {
    const fit = fitTruncatedShift(
      Float64Array.from(c.base),
      c.levels,
      c.level.map((_, i) => i),
      Int32Array.from(c.level),
      c.link as ShiftLink,
      { mean: c.priorMean, sd: c.priorSd },
    );
    expectClose(fit.shift, c.shift, 1e-6, 1e-8, `${c.call}$shift`);
    expectClose(fit.dataInformation, c.dataInformation, 1e-6, 0, `${c.call}$dataInformation`);
    expectClose(
      fit.information,
      c.dataInformation + 1 / c.priorSd ** 2,
      1e-6,
      0,
      `${c.call}: + prior precision`,
    );
  });
});
