import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteTable } from '../../src/ledger/byte-table.js';
import { createDictionary, DictionaryCache, encode } from '../../src/ledger/dictionary.js';
import { IdSet } from '../../src/ledger/id-set.js';
import { compareNatural, compareTokens } from '../../src/ledger/natural-order.js';

describe('ByteTable', () => {
  it('finds every key it was given, across many growths (values and key arena)', () => {
    const table = new ByteTable(4);
    const keys = Array.from({ length: 100_000 }, (_, i) =>
      Buffer.from(`K${i.toString(36)}${'x'.repeat(i % 7)}`),
    );
    keys.forEach((key, i) => {
      expect(table.get(key, 0, key.length)).toBe(-1);
      table.set(key, 0, key.length, i);
    });
    expect(table.size).toBe(100_000);
    keys.forEach((key, i) => {
      expect(table.get(key, 0, key.length)).toBe(i);
    });
    expect(table.get(Buffer.from('K'), 0, 1)).toBe(-1);
  });

  it('reads keys inside a larger buffer and tells apart prefixes and the empty key', () => {
    const table = new ByteTable();
    const b = Buffer.from('abc,ab,,abcd');
    expect(table.get(b, 0, 3)).toBe(-1);
    table.set(b, 0, 3, 1);
    expect(table.get(b, 4, 6)).toBe(-1);
    table.set(b, 4, 6, 2);
    expect(table.get(b, 7, 7)).toBe(-1);
    table.set(b, 7, 7, 3);
    expect([table.get(b, 0, 3), table.get(b, 4, 6), table.get(b, 7, 7), table.get(b, 8, 12)]).toEqual([
      1, 2, 3, -1,
    ]);
  });

  it('refuses a set that does not follow a missed get', () => {
    const table = new ByteTable();
    const b = Buffer.from('a');
    expect(() => table.set(b, 0, 1, 0)).toThrow();
  });

  it('property: behaves as a Map of the keys', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 6 }), { maxLength: 300 }), (keys) => {
        const table = new ByteTable(2);
        const map = new Map<string, number>();
        keys.forEach((key, i) => {
          const b = Buffer.from(key);
          const name = b.toString('hex');
          expect(table.get(b, 0, b.length)).toBe(map.get(name) ?? -1);
          if (!map.has(name)) {
            map.set(name, i);
            table.set(b, 0, b.length, i);
          }
        });
      }),
    );
  });
});

describe('ByteTable: longer keys (hashed 4 bytes a step, compared byte by byte)', () => {
  it('property: behaves as a Map of keys of 0 to 50 bytes that share long prefixes', () => {
    const hex = '0123456789abcdef'.repeat(3);
    fc.assert(
      fc.property(
        fc.array(fc.record({ id: fc.integer({ min: 0, max: 40 }), pad: fc.integer({ min: 0, max: 48 }) }), {
          maxLength: 400,
        }),
        (cells) => {
          const table = new ByteTable(2);
          const map = new Map<string, number>();
          cells.forEach(({ id, pad }, i) => {
            const name = `${hex.slice(0, pad)}${id}`;
            const b = Buffer.from(`,${name},`); // the key inside a larger buffer, as a CSV cell
            expect(table.get(b, 1, b.length - 1)).toBe(map.get(name) ?? -1);
            if (!map.has(name)) {
              map.set(name, i);
              table.set(b, 1, b.length - 1, i);
            }
          });
        },
      ),
    );
  });
});

describe('ByteTable: keys shaped as the first one (prefix + fixed number of digits) index a table directly', () => {
  it('tells apart keys that share a number but not the shape, and numbers past the direct table', () => {
    const table = new ByteTable();
    const keys = [
      'C035721',
      'C35721',
      'C0357210',
      'D035721',
      'C03572a',
      'C000000',
      'C999999',
      'C035722',
      'c035721',
    ];
    const wide = new ByteTable();
    const wideKeys = ['K0000001', 'K9999999', 'K2097151', 'K2097152', 'K0000001x'];
    for (const [t, list] of [
      [table, keys],
      [wide, wideKeys],
    ] as const) {
      list.forEach((key, i) => {
        const b = Buffer.from(key);
        expect(t.get(b, 0, b.length)).toBe(-1);
        t.set(b, 0, b.length, i);
      });
      list.forEach((key, i) => {
        const b = Buffer.from(`,${key},`);
        expect(t.get(b, 1, b.length - 1)).toBe(i);
      });
      expect(t.size).toBe(list.length);
    }
    expect(() => table.set(Buffer.from('C035721'), 0, 7, 0)).toThrow(); // a hit is not a miss
  });

  it('property: behaves as a Map of numbered keys, whichever path each takes', () => {
    const key = fc
      .tuple(
        fc.constantFrom('C', 'CC', '', 'R-'),
        fc.stringMatching(/^[0-9]{0,10}$/),
        fc.constantFrom('', '', '', 'x'),
      )
      .map(([prefix, digits, suffix]) => `${prefix}${digits}${suffix}`);
    fc.assert(
      fc.property(fc.array(key, { maxLength: 200 }), (keys) => {
        const table = new ByteTable(2);
        const map = new Map<string, number>();
        keys.forEach((k, i) => {
          const b = Buffer.from(k);
          expect(table.get(b, 0, b.length)).toBe(map.get(k) ?? -1);
          if (!map.has(k)) {
            map.set(k, i);
            table.set(b, 0, b.length, i);
          }
        });
        expect(table.size).toBe(map.size);
      }),
      { numRuns: 300 },
    );
  });
});

describe('IdSet', () => {
  it('finds an id again whether it comes as bytes or as a string, ASCII or not', () => {
    const seen = new IdSet();
    const b = Buffer.from('S1,S2');
    expect(seen.claimBytes(b, 0, 2, 1)).toBe(0);
    expect(seen.claim('S1', 5)).toBe(1);
    expect(seen.claim('S2', 6)).toBe(0);
    expect(seen.claimBytes(b, 3, 5, 7)).toBe(6);
    expect(seen.claim('Sé', 8)).toBe(0);
    expect(seen.claim('Sé', 9)).toBe(8);
    expect(seen.claim('x'.repeat(500), 10)).toBe(0);
    expect(seen.claim('x'.repeat(500), 11)).toBe(10);
  });

  it('sorted ids (logged, not hashed) then a break in the order: earlier ids are still found', () => {
    const seen = new IdSet();
    const ids = Array.from({ length: 5000 }, (_, i) => `K${String(i).padStart(6, '0')}`);
    ids.forEach((id, i) => {
      expect(seen.claimBytes(Buffer.from(id), 0, id.length, i + 1)).toBe(0);
    });
    // the order breaks: a repeat of the first id, then of the last, then ids never seen
    expect(seen.claim('K000000', 9001)).toBe(1);
    expect(seen.claim('K004999', 9002)).toBe(5000);
    expect(seen.claim('K000000x', 9003)).toBe(0);
    expect(seen.claim('A', 9004)).toBe(0);
    expect(seen.claim('A', 9005)).toBe(9004);
  });

  it('naturally numbered ids ("K9" < "K10") are logged too, and a repeat still found', () => {
    const seen = new IdSet();
    const ids = Array.from({ length: 1200 }, (_, i) => `KB0_${i}`);
    ids.forEach((id, i) => {
      expect(seen.claim(id, i + 1)).toBe(0);
    });
    expect(seen.claim('KB0_10', 9001)).toBe(11);
    expect(seen.claim('KB0_010', 9002)).toBe(0);
    // "01" < "1" by bytes only, "1" < "01" naturally only: no order holds for all three
    for (const [a, b] of [
      ['01', '1'],
      ['1', '01'],
    ]) {
      const mixed = new IdSet();
      expect([a, b, a].map((id, i) => mixed.claim(id, i + 1))).toEqual([0, 0, 1]);
    }
  });

  it('property: claims as a Map would, whatever the order (runs of sorted ids, prefixes, repeats)', () => {
    const id = fc.stringMatching(/^[a01/]{0,4}$/);
    const naturalSort = (a: string[]) =>
      a.sort((x, y) => compareNatural(Buffer.from(x), 0, x.length, Buffer.from(y), 0, y.length));
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            id,
            fc.array(id, { maxLength: 20 }).map((a) => a.sort()),
            fc.array(id, { maxLength: 20 }).map(naturalSort),
          ),
          { maxLength: 60 },
        ),
        (parts) => {
          const seen = new IdSet();
          const map = new Map<string, number>();
          parts.flat().forEach((x, i) => {
            const b = Buffer.from(`,${x},`);
            expect(seen.claimBytes(b, 1, b.length - 1, i + 1)).toBe(map.get(x) ?? 0);
            if (!map.has(x)) map.set(x, i + 1);
          });
        },
      ),
      { seed: 7, numRuns: 300 },
    );
  });
});

describe('compareNatural', () => {
  const sign = (a: string, b: string) =>
    Math.sign(compareNatural(Buffer.from(`,${a}`), 1, a.length + 1, Buffer.from(b), 0, b.length));

  it('orders numbered ids by number, then by bytes', () => {
    const pairs = [
      ['K9', 'K10'],
      ['KB0_99', 'KB0_100'],
      ['1', '01'],
      ['0', '00'],
      ['01', '2'],
      ['/', '1'],
      ['1', 'a'],
      ['K1', 'K1a'],
      ['K1', 'K1/'],
      ['', '0'],
      ['a9b', 'a10a'],
      ['A', 'a'],
    ];
    for (const [a, b] of pairs) {
      expect([a, b, sign(a, b), sign(b, a)]).toEqual([a, b, -1, 1]);
    }
    expect(sign('K007', 'K007')).toBe(0);
  });

  it('property: a total order in which only equal strings compare equal', () => {
    const id = fc.stringMatching(/^[a01/9]{0,5}$/);
    fc.assert(
      fc.property(id, id, id, (a, b, c) => {
        expect(sign(a, b) + sign(b, a)).toBe(0);
        expect(sign(a, b) === 0).toBe(a === b);
        if (sign(a, b) < 0 && sign(b, c) < 0) expect(sign(a, c)).toBe(-1);
      }),
      { seed: 11, numRuns: 20_000 },
    );
  });

  it('property: its fast path gives the sign of the token-by-token definition', () => {
    const id = fc.stringMatching(/^[ab01259/_]{0,7}$/);
    const bytes = (x: string) => Buffer.from(x);
    fc.assert(
      fc.property(id, id, (a, b) => {
        const [x, y] = [bytes(a), bytes(b)];
        expect(Math.sign(compareNatural(x, 0, x.length, y, 0, y.length))).toBe(
          Math.sign(compareTokens(x, 0, x.length, y, 0, y.length)),
        );
      }),
      { seed: 12, numRuns: 50_000 },
    );
    // neighbours of a sequence, where the fast path decides most pairs
    for (const [a, b] of [
      ['KB0_99', 'KB0_100'],
      ['KB0_1234', 'KB0_1235'],
      ['a1b', 'a01'],
      ['x012', 'x102'],
      ['K9a', 'K9b'],
    ]) {
      const [x, y] = [bytes(a), bytes(b)];
      expect(Math.sign(compareNatural(x, 0, x.length, y, 0, y.length))).toBe(
        Math.sign(compareTokens(x, 0, x.length, y, 0, y.length)),
      );
    }
  });
});

describe('DictionaryCache', () => {
  it('gives the codes of encode, in the order of calls, whichever path an id takes', () => {
    const dict = createDictionary();
    encode(dict, 'C9');
    const cache = new DictionaryCache(dict);
    const b = Buffer.from('C1,C9,C1');
    expect(cache.text('C2')).toBe(1);
    expect(cache.bytes(b, 0, 2)).toBe(2);
    expect(cache.bytes(b, 3, 5)).toBe(0);
    expect(cache.bytes(b, 6, 8)).toBe(2);
    expect(cache.text('C1')).toBe(2);
    expect(dict.values).toEqual(['C9', 'C2', 'C1']);
    expect(dict.index.get('C1')).toBe(2);
  });

  it('keeps the lazy index of createDictionary and the Map of a plain dictionary up to date', () => {
    const lazy = createDictionary();
    const plain = { values: [] as string[], index: new Map<string, number>() };
    for (const dict of [lazy, plain]) {
      encode(dict, 'é');
      const cache = new DictionaryCache(dict);
      const b = Buffer.from('C1,C2');
      expect([cache.bytes(b, 0, 2), cache.text('é'), cache.bytes(b, 3, 5), cache.text('C1')]).toEqual([
        1, 0, 2, 1,
      ]);
      encode(dict, 'C3');
      expect(cache.text('C3')).toBe(3);
      expect(dict.values).toEqual(['é', 'C1', 'C2', 'C3']);
      expect([...dict.index]).toEqual([
        ['é', 0],
        ['C1', 1],
        ['C2', 2],
        ['C3', 3],
      ]);
      expect({ ...dict }.index.get('C2')).toBe(2);
    }
  });
});
