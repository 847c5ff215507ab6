import { describe, expect, it } from 'vitest';
import { indexByCustomer, windowOf } from '../../src/features/customerIndex.js';

/** The index as first written: the builtin sort with a (time, row) comparator on every segment. */
function referenceIndex(
  customer: Int32Array,
  time: Float64Array,
  customers: number,
  keep?: (row: number) => boolean,
) {
  const rows: number[][] = Array.from({ length: customers }, () => []);
  for (let i = 0; i < customer.length; i++) if (!keep || keep(i)) rows[customer[i]].push(i);
  const order = Int32Array.from(
    rows.flatMap((r) => Array.from(Int32Array.from(r).sort((a, b) => time[a] - time[b] || a - b))),
  );
  const offsets = new Int32Array(customers + 1);
  for (let c = 0; c < customers; c++) offsets[c + 1] = offsets[c] + rows[c].length;
  return { offsets, order, times: Float64Array.from(order, (i) => time[i]) };
}

/** A seeded generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('indexByCustomer', () => {
  it('orders each customer by time, then row', () => {
    const customer = Int32Array.from([1, 0, 1, 1, 0]);
    const time = Float64Array.from([30, 5, 10, 10, 5]);
    const index = indexByCustomer(customer, time, 2);
    expect(Array.from(index.offsets)).toEqual([0, 2, 5]);
    expect(Array.from(index.order)).toEqual([1, 4, 2, 3, 0]);
    expect(Array.from(index.times)).toEqual([5, 5, 10, 10, 30]);
    expect(windowOf(index, 1, 10, 30)).toEqual([2, 4]);
  });

  // the fast paths (segment already in order: untouched; short: insertion sort) must give the
  // builtin sort's order, like the long segments and those with a NaN time that still use it
  it.each([
    ['time-ordered rows (already sorted segments)', 1, true],
    ['shuffled rows, short segments (insertion sort)', 2, false],
  ])('agrees with the builtin sort: %s', (_name, seed, ordered) => {
    const rand = random(seed);
    const customers = 300;
    const n = 6000;
    const customer = Int32Array.from({ length: n }, () => {
      const u = rand();
      return u < 0.08 ? 0 : u < 0.16 ? 1 : Math.floor(rand() * customers); // 0 and 1: ~480 rows each
    });
    // few distinct times, so that ties (ordered by row) are common; some infinite
    const time = Float64Array.from({ length: n }, () => Math.floor(rand() * 50));
    if (ordered) time.sort();
    else for (let i = 0; i < n; i += 97) time[i] = rand() < 0.5 ? Infinity : -Infinity;
    const keep = (i: number) => i % 7 !== 3;
    for (const filter of [undefined, keep]) {
      expect(indexByCustomer(customer, time, customers, filter)).toEqual(
        referenceIndex(customer, time, customers, filter),
      );
    }
  });

  it('leaves segments holding a NaN time to the builtin sort', () => {
    const rand = random(3);
    const customer = Int32Array.from({ length: 400 }, () => Math.floor(rand() * 20));
    const time = Float64Array.from({ length: 400 }, (_, i) => (i % 11 === 0 ? Number.NaN : rand()));
    expect(indexByCustomer(customer, time, 20)).toEqual(referenceIndex(customer, time, 20));
  });
});
