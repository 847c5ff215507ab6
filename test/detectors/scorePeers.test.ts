import { describe, expect, it } from 'vitest';
import {
  fitTopShift,
  fitTruncatedShift,
  leaveOutMeans,
  leaveOutPlan,
  linkFunctions,
  nestedKeys,
  type ShiftLink,
} from '../../src/detectors/scorePeers.js';
import { createRandom } from '../../src/stats/index.js';

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

/** The formula of `leaveOutMeans`, written out with a Map per level: the sums in response order. */
function referenceLeaveOutMeans(
  values: Float64Array,
  levels: Int32Array[],
  group: Int32Array,
  prior: number,
) {
  const n = values.length;
  const sums = (key: (i: number) => string) => {
    const s = new Map<string, { sum: number; count: number }>();
    for (let i = 0; i < n; i++) {
      const cell = s.get(key(i)) ?? { sum: 0, count: 0 };
      cell.sum += values[i];
      cell.count++;
      s.set(key(i), cell);
    }
    return s;
  };
  const all = sums(() => '');
  const byGroup = sums((i) => `${group[i]}`);
  const total = all.get('')!;
  const out = Float64Array.from({ length: n }, (_, i) => {
    const own = byGroup.get(`${group[i]}`)!;
    return total.count > own.count ? (total.sum - own.sum) / (total.count - own.count) : total.sum / n;
  });
  for (const keys of levels) {
    const stratum = sums((i) => `${keys[i]}`);
    const ownShare = sums((i) => `${keys[i]}|${group[i]}`);
    for (let i = 0; i < n; i++) {
      const s = stratum.get(`${keys[i]}`)!;
      const o = ownShare.get(`${keys[i]}|${group[i]}`)!;
      out[i] = (s.sum - o.sum + prior * out[i]) / (s.count - o.count + prior);
    }
  }
  return out;
}

describe('leave-the-group-out peer means', () => {
  it('leaveOutPlan gives the formula to the last bit for every column, including a group with every response of a stratum', () => {
    const rng = createRandom(11);
    const n = 3000;
    const ltr = Int32Array.from({ length: n }, () => rng.int(11));
    const channel = Int32Array.from({ length: n }, () => rng.int(3) - 1); // -1: missing
    const team = Int32Array.from({ length: n }, () => rng.int(7));
    const group = Int32Array.from({ length: n }, () => rng.int(40));
    group[0] = 40; // a group alone in its (rare) stratum: its peers there are none
    ltr[0] = 10;
    team[0] = 6;
    channel[0] = 1;
    const levels = nestedKeys([ltr, channel, team], [11, 2, 7]);
    const plan = leaveOutPlan(levels, group, 20);
    const columns = [
      Float64Array.from({ length: n }, () => (rng.uniform() < 0.3 ? 1 : 0)),
      Float64Array.from({ length: n }, () => 10 * rng.uniform()),
      Float64Array.from(ltr),
    ];
    for (const values of columns) {
      const expected = referenceLeaveOutMeans(values, levels, group, 20);
      expect(Array.from(plan(values))).toEqual(Array.from(expected));
      expect(Array.from(leaveOutMeans(values, levels, group, 20))).toEqual(Array.from(expected));
    }
  });

  it('gives every response the grand mean when one group has them all', () => {
    const values = Float64Array.from([1, 2, 3, 6]);
    const out = leaveOutMeans(values, [Int32Array.from([1, 1, 2, 2])], new Int32Array(4), 5);
    // no peers anywhere: m0 = grand mean 3, and each level keeps it ((0 + 5 * 3) / (0 + 5))
    expect(Array.from(out)).toEqual([3, 3, 3, 3]);
  });
});
