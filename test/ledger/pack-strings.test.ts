import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  defineLazyStrings,
  packedStringsOf,
  packStrings,
  StringPacker,
  stringAt,
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

describe('defineLazyStrings', () => {
  /** Ids in three chunks of 4, the last one UTF-16. */
  const ids = ['S1', 'S2', '', 'S4', 'S5', 'S6', 'S7', 'S8', 'Zoë', '東京-7', '🙂rep'];
  const packed = () => {
    const packer = new StringPacker(4);
    for (const id of ids) packer.push(id);
    return packer.finish();
  };
  const ledger = (source = packed(), longestWhole?: number) =>
    defineLazyStrings({ length: ids.length, surveyId: [] as string[] }, 'surveyId', source, longestWhole);

  it('stringAt reads each string across chunks from the packed source, decoding nothing else', () => {
    const source = packed();
    const last = source.chunks[2];
    source.chunks[2] = {
      ends: last.ends,
      wide: last.wide,
      get bytes(): Uint8Array {
        throw new Error('the last chunk was decoded');
      },
    };
    const l = ledger(source);
    expect([0, 2, 3, 4, 7].map((i) => stringAt(l, 'surveyId', i))).toEqual(
      [0, 2, 3, 4, 7].map((i) => ids[i]),
    );
    expect([11, -1, 1.5].map((i) => stringAt(l, 'surveyId', i))).toEqual([undefined, undefined, undefined]);
    expect(packedStringsOf(l, 'surveyId')).toBe(source); // still its packed source, not a new pack
    expect(() => stringAt(l, 'surveyId', 8)).toThrow('the last chunk was decoded');
    expect(() => l.surveyId).toThrow('the last chunk was decoded');
  });

  it('reads the same strings from a chunk too long for one string', () => {
    const l = ledger(packed(), 3);
    expect(ids.map((_, i) => stringAt(l, 'surveyId', i))).toEqual(ids);
    expect(l.surveyId).toEqual(ids);
  });

  it('is a plain array once read: cloned, posted and spread as one, in its place among the keys', () => {
    const l = ledger();
    expect(Object.keys(l)).toEqual(['length', 'surveyId']);
    expect(structuredClone(l)).toEqual({ length: ids.length, surveyId: ids });
    expect(Object.getOwnPropertyDescriptor(l, 'surveyId')).toMatchObject({ value: ids, writable: true });
    expect(Array.isArray(l.surveyId) && JSON.stringify(l.surveyId) === JSON.stringify(ids)).toBe(true);
    expect(stringAt(l, 'surveyId', 9)).toBe('東京-7');
  });

  it('reads and packs the array as it is once changed, not its source', () => {
    const l = ledger();
    l.surveyId[1] = 'changed';
    l.surveyId.push('added');
    const expected = [ids[0], 'changed', ...ids.slice(2), 'added'];
    expect(stringAt(l, 'surveyId', 1)).toBe('changed');
    expect(unpackStrings(packedStringsOf(l, 'surveyId'))).toEqual(expected);
    const replaced = ledger();
    replaced.surveyId = ['only'];
    expect([stringAt(replaced, 'surveyId', 0), replaced.surveyId]).toEqual(['only', ['only']]);
  });
});
