// Type-level contract of the public stats API (checked by tsc and vitest).
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Alternative, BetaBinomialFit, PermutationResult } from '../../src/stats/index.js';
import * as s from '../../src/stats/index.js';

describe('stats API types', () => {
  it('has the documented signatures', () => {
    expectTypeOf(s.benjaminiHochberg).returns.toEqualTypeOf<number[]>();
    expectTypeOf(s.binomialTest(1, 2, 0.5).ci).toEqualTypeOf<[number, number]>();
    expectTypeOf(s.fitBetaBinomial).returns.toEqualTypeOf<BetaBinomialFit>();
    expectTypeOf(s.permutationPValue).returns.toEqualTypeOf<PermutationResult>();
    expectTypeOf(s.cusum([1], 0).alarmIndex).toEqualTypeOf<number | null>();
    expectTypeOf<Alternative>().toEqualTypeOf<'two-sided' | 'less' | 'greater'>();
  });
  it('rejects wrong option values at compile time and at run time', () => {
    // @ts-expect-error alternative is a closed union (R's "two.sided" is spelled 'two-sided')
    expect(() => s.fisherExact(1, 2, 3, 4, { alternative: 'two.sided' })).toThrow(TypeError);
    // @ts-expect-error funnelLimits requires p0
    expect(() => s.funnelLimits(10, {})).toThrow(TypeError);
  });
});
