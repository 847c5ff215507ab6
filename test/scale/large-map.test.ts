import { describe, expect, it } from 'vitest';
import { LargeMap } from '../../src/ledger/large-map.js';

describe('LargeMap', () => {
  it('gets what was set, across shards, and counts every entry', () => {
    const map = new LargeMap<number>();
    for (let i = 0; i < 50_000; i++) map.set(`K${i}`, i);
    map.set('K7', -7);
    expect(map.size).toBe(50_000);
    expect(map.get('K7')).toBe(-7);
    expect(map.get('K49999')).toBe(49_999);
    expect(map.get('K50000')).toBeUndefined();
    expect(map.get('ü€😀')).toBeUndefined();
    map.set('ü€😀', 1);
    expect(map.get('ü€😀')).toBe(1);
  });

  it('spreads sequential ids over its shards (so that each stays far below 2^24 entries)', () => {
    const map = new LargeMap<number>();
    for (let i = 0; i < 16_000; i++) map.set(`S${String(i).padStart(7, '0')}`, i);
    const sizes = (map as unknown as { shards: Map<string, number>[] }).shards.map((m) => m.size);
    expect(Math.max(...sizes)).toBeLessThan(2 * Math.min(...sizes));
  });
});
