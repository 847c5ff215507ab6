import { describe, expect, it } from 'vitest';
import { packStrings, unpackStrings } from '../../src/ledger/load-in-worker.js';

// strings cross to and from worker threads packed: the round trip must be exact for any text
describe('packStrings', () => {
  it('round-trips ASCII ids as one latin1 byte per character', () => {
    const ids = ['S0000001', '', 'C-42', 'x'.repeat(300)];
    const packed = packStrings(ids);
    expect(packed.chunks.map((c) => c.wide)).toEqual([false]);
    expect(packed.chunks[0].bytes.length).toBe(ids.join('').length);
    expect(unpackStrings(packed)).toEqual(ids);
  });

  it('round-trips accented, non-Latin and astral characters (a chunk with any of them is packed as UTF-16)', () => {
    const ids = ['Zoë', 'ASCII', '東京-7', '🙂rep', 'ÿ'];
    const packed = packStrings(ids);
    expect(packed.chunks.map((c) => c.wide)).toEqual([true]);
    expect(unpackStrings(packed)).toEqual(ids);
  });

  it('splits more than 2^20 strings into chunks and keeps their order', () => {
    const ids = Array.from({ length: (1 << 20) + 5 }, (_, i) => `K${i}`);
    ids[(1 << 20) + 2] = 'é';
    const packed = packStrings(ids);
    expect(packed.chunks.map((c) => c.wide)).toEqual([false, true]);
    expect(unpackStrings(packed)).toEqual(ids);
  });

  it('decodes a chunk too long for one string id by id, with the same result', () => {
    const ids = ['S1', 'Zoë', '', 'K-9'];
    for (const chunk of [ids.slice(0, 2), ids]) {
      expect(unpackStrings(packStrings(chunk), 3)).toEqual(chunk);
      expect(unpackStrings(packStrings(chunk), 0)).toEqual(chunk);
    }
    expect(unpackStrings(packStrings(['AB', 'CD']), 1)).toEqual(['AB', 'CD']);
  });
});
