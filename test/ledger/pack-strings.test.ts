import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  lazyStrings,
  packedOf,
  packStrings,
  StringPacker,
  unpackStrings,
} from '../../src/ledger/packed-strings.js';

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

describe('StringPacker', () => {
  it('packs what it is given, from bytes or strings, as packStrings does', () => {
    const packer = new StringPacker(3);
    const cell = Buffer.from('x,S0001,y');
    packer.pushAscii(cell, 2, 7);
    packer.push('C-42');
    packer.push('');
    packer.push('Zoë'); // the second chunk becomes UTF-16 from here
    packer.pushAscii(cell, 0, 1);
    expect(packer.length).toBe(5);
    const packed = packer.finish();
    expect(packed.chunks.map((c) => c.wide)).toEqual([false, true]);
    expect(unpackStrings(packed)).toEqual(['S0001', 'C-42', '', 'Zoë', 'x']);
    expect(packer.finish().chunks).toEqual([]);
  });

  it('grows its buffers (64 KiB of bytes, 4096 ends at first)', () => {
    const ids = Array.from({ length: 9000 }, (_, i) => `K${String(i).padStart(30, '0')}`);
    const packer = new StringPacker();
    for (const id of ids) packer.pushAscii(Buffer.from(id), 0, id.length);
    expect(unpackStrings(packer.finish())).toEqual(ids);
  });

  it('property: any mix of ASCII bytes and strings round-trips, across chunks and buffer growth', () => {
    const text = fc.oneof(fc.stringMatching(/^[ -~]{0,40}$/), fc.string({ unit: 'binary', maxLength: 6 }));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, fc.boolean()), { maxLength: 200 }),
        fc.integer({ min: 1, max: 50 }),
        (items, chunkSize) => {
          const packer = new StringPacker(chunkSize);
          for (const [s, asBytes] of items) {
            if (asBytes && /^[ -~]*$/.test(s)) {
              const b = Buffer.from(`[${s}]`, 'latin1');
              packer.pushAscii(b, 1, b.length - 1);
            } else packer.push(s);
          }
          expect(packer.length).toBe(items.length);
          expect(unpackStrings(packer.finish())).toEqual(items.map(([s]) => s));
        },
      ),
      { seed: 5, numRuns: 300 },
    );
  });
});

describe('lazyStrings', () => {
  /** Ids in three chunks of 4, the last one UTF-16. */
  const ids = ['S1', 'S2', '', 'S4', 'S5', 'S6', 'S7', 'S8', 'Zoë', '東京-7', '🙂rep'];
  const packed = () => {
    const packer = new StringPacker(4);
    for (const id of ids) packer.push(id);
    return packer.finish();
  };

  it('reads each string by index across chunks, without decoding the others', () => {
    const lazy = lazyStrings(packed());
    expect(lazy.length).toBe(ids.length);
    expect([0, 2, 3, 4, 8, 9, 10].map((i) => lazy[i])).toEqual([0, 2, 3, 4, 8, 9, 10].map((i) => ids[i]));
    expect([lazy[11], lazy[-1], lazy['01' as unknown as number], lazy[1.5]]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(packedOf(lazy)).toBe(packedOf(lazy)); // still its packed source, not a new pack
  });

  it('decodes nothing that is not read', () => {
    const source = packed();
    const last = source.chunks[2];
    source.chunks[2] = {
      ends: last.ends,
      wide: last.wide,
      get bytes(): Uint8Array {
        throw new Error('the last chunk was decoded');
      },
    };
    const lazy = lazyStrings(source);
    expect([lazy[0], lazy[7], lazy.length]).toEqual(['S1', 'S8', ids.length]);
    expect(() => lazy[8]).toThrow('the last chunk was decoded');
    expect(() => lazy.slice(0, 1)).toThrow('the last chunk was decoded');
  });

  it('reads the same strings id by id from a chunk too long for one string', () => {
    const lazy = lazyStrings(packed(), 3);
    expect(Array.from({ length: ids.length }, (_, i) => lazy[i])).toEqual(ids);
  });

  it('behaves as the plain array for everything else', () => {
    const lazy = lazyStrings(packed());
    expect(Array.isArray(lazy)).toBe(true);
    expect(lazy).toEqual(ids);
    expect([...lazy]).toEqual(ids);
    expect(lazy.slice(7, 9)).toEqual(['S8', 'Zoë']);
    expect(lazy.map((s) => s.length)).toEqual(ids.map((s) => s.length));
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(ids));
    expect(Object.keys(lazy)).toEqual(Object.keys(ids));
    expect(5 in lazy && !(11 in lazy)).toBe(true);
    expect(lazy.indexOf('東京-7')).toBe(9);
  });

  it('hands on a written array packed as it now is, not its source', () => {
    const lazy = lazyStrings(packed());
    lazy[1] = 'changed';
    lazy.push('added');
    const expected = [ids[0], 'changed', ...ids.slice(2), 'added'];
    expect(lazy).toEqual(expected);
    expect(unpackStrings(packedOf(lazy))).toEqual(expected);
    expect(unpackStrings(packedOf(lazyStrings(packed())))).toEqual(ids);
  });
});
