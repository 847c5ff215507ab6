import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { customersPerRep } from '../../src/features/customersPerRep.js';

/** The count as first written: a Set of customers per rep. */
function withSets(sources: { customer: number[]; rep: number[]; keep: boolean[] }[], reps: number): number[] {
  const sets = Array.from({ length: reps }, () => new Set<number>());
  for (const s of sources)
    s.customer.forEach((c, i) => {
      if (s.rep[i] >= 0 && s.keep[i]) sets[s.rep[i]].add(c);
    });
  return sets.map((x) => x.size);
}

describe('customersPerRep', () => {
  it('counts each customer once per rep, across ledgers', () => {
    const counts = customersPerRep(
      [
        { customer: Int32Array.of(0, 0, 1, 2, 2), rep: Int32Array.of(0, 0, 0, 1, -1) },
        { customer: Int32Array.of(2, 1, 0), rep: Int32Array.of(0, 1, 1), keep: (g) => g !== 2 },
      ],
      3,
      2,
    );
    // rep 0: customers 0, 1, 2; rep 1: customers 2 and 1 (customer 0's row is filtered out)
    expect(Array.from(counts)).toEqual([3, 2]);
  });

  it('matches a Set per rep on random ledgers', () => {
    const CUSTOMERS = 12;
    const REPS = 5;
    const rows = fc.array(
      fc.record({
        customer: fc.integer({ min: 0, max: CUSTOMERS - 1 }),
        rep: fc.integer({ min: -1, max: REPS - 1 }),
        keep: fc.boolean(),
      }),
      { maxLength: 60 },
    );
    fc.assert(
      fc.property(fc.array(rows, { minLength: 1, maxLength: 3 }), (ledgers) => {
        const sources = ledgers.map((r) => ({
          customer: r.map((x) => x.customer),
          rep: r.map((x) => x.rep),
          keep: r.map((x) => x.keep),
        }));
        const counts = customersPerRep(
          sources.map((s) => ({
            customer: Int32Array.from(s.customer),
            rep: Int32Array.from(s.rep),
            keep: (i: number) => s.keep[i],
          })),
          CUSTOMERS,
          REPS,
        );
        expect(Array.from(counts)).toEqual(withSets(sources, REPS));
      }),
    );
  });
});
