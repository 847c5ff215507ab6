import { describe, expect, it } from 'vitest';
import { leaveOutMeans, leaveOutPlan, nestedKeys } from '../../src/detectors/scorePeers.js';
import { createRandom } from '../../src/stats/index.js';

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
