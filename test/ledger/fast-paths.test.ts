import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPlainId, numberBytes, parseId, parseNumber } from '../../src/ledger/cells.js';
import { daysFromCivil, isoBytes, parseTimestamp } from '../../src/ledger/timestamp.js';

/**
 * The loader's byte-level fast paths for CSV cells (isoBytes, numberBytes, isPlainId) must give
 * exactly what the general parsers give on the decoded text, or decline (NaN / false) so that the
 * general parser runs: never a different value.
 */

const bytes = (text: string) => Buffer.from(text, 'utf8');
const iso = (text: string, zone = 'UTC') => {
  const b = bytes(text);
  return isoBytes(b, 0, b.length, zone);
};

/** The fast path agrees with parseTimestamp or declines. */
function agrees(text: string, zone: string): void {
  const fast = iso(text, zone);
  if (!Number.isNaN(fast)) expect([text, zone, fast]).toEqual([text, zone, parseTimestamp(text, zone)]);
}

const ZONES = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata'];

describe('isoBytes (the timestamp fast path)', () => {
  it('reads the canonical shapes itself, with the values of parseTimestamp', () => {
    for (const text of [
      '2025-03-04T10:15:00Z',
      '2025-03-04T10:15:00z',
      '2025-03-04 10:15:00Z',
      '2025-03-04T10:15Z',
      '2025-03-04T10:15:00.5Z',
      '2025-03-04T10:15:00.25Z',
      '2025-03-04T10:15:00,125Z',
      '2025-03-04T10:15:00+02:00',
      '2025-03-04T10:15:00-0530',
      '2025-03-04T10:15:00-00:00',
      '2025-03-04',
      '2025-03-04T10:15:00',
      '2024-02-29T23:59:59Z',
      '2000-02-29',
      '0001-01-01T00:00:00Z',
      '0099-12-31T00:00:00Z',
      '1969-12-31T23:59:59.999Z',
      '9999-12-31T23:59:59.999+23:59',
      // PostgreSQL's timestamptz text and Python's isoformat: microseconds, an hour-only offset
      '2025-03-04 10:15:00.123456+00',
      '2025-03-04 10:15:00.5+05',
      '2025-03-04 10:15:00-08',
      '2025-03-04T10:15:00.123456+05:30',
      '2025-03-04T10:15:00.1234Z',
      '2025-03-04T10:15:00.999999999Z',
      '2025-03-04T10:15:59.9995Z',
      // BigQuery's exports
      '2025-03-04 10:15:00 UTC',
      '2025-03-04 10:15:00.123456 UTC',
    ]) {
      for (const zone of ZONES) {
        expect(Number.isNaN(iso(text, zone)), text).toBe(false);
        expect(iso(text, zone), `${text} in ${zone}`).toBe(parseTimestamp(text, zone));
      }
    }
  });

  it('declines what parseTimestamp rejects or reads otherwise, so the general path decides', () => {
    for (const text of [
      '2025-02-30',
      '2025-02-29T00:00:00Z',
      '1900-02-29',
      '2025-13-01',
      '2025-00-10',
      '2025-04-31',
      '2025-03-04T24:00:00Z',
      '2025-03-04T10:60:00Z',
      '2025-03-04T10:15:60Z',
      '2025-03-04T10:15:00+24:00',
      '2025-03-04T10:15:00+02:60',
      '2025-03-04T10:15:00+2',
      '2025-03-04T10:15:00+023',
      '2025-03-04T10:15:00+24',
      '2025-03-04T10:15:00.1234567890Z',
      '2025-03-04T10:15:00.Z',
      '2025-03-04T10:15:00 utc',
      '2025-03-04T10:15:00 UTC ',
      '2025-03-04T10:15:00 GMT',
      '2025-03-04T10:15:00 Z',
      '2025-03-04Z',
      ' 2025-03-04T10:15:00Z',
      '2025-03-04T10:15:00Z ',
      '2025-3-04',
      '25-03-04',
      '2025/03/04',
      '2025-03-04t10:15:00Z',
      '2025-03-04T10:1:00Z',
      '+2025-03-04',
      '２０２５-03-04',
      '',
    ]) {
      expect(Number.isNaN(iso(text)), text).toBe(true);
    }
  });

  it('rounds 1 to 3 fraction digits exactly as parseTimestamp does (all of them)', () => {
    for (let n = 1; n <= 3; n++) {
      for (let i = 0; i < 10 ** n; i++) {
        const text = `2025-03-04T10:15:00.${String(i).padStart(n, '0')}Z`;
        expect(iso(text)).toBe(parseTimestamp(text, 'UTC'));
      }
    }
  });

  it('rounds 4 to 9 fraction digits as parseTimestamp does (a random sample of each length)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 9 }), fc.integer({ min: 0, max: 999_999_999 }), (n, value) => {
        const text = `2025-03-04T10:15:59.${String(value % 10 ** n).padStart(n, '0')}Z`;
        expect(Number.isNaN(iso(text))).toBe(false);
        expect(iso(text)).toBe(parseTimestamp(text, 'UTC'));
      }),
      { numRuns: 5000 },
    );
  });

  it('counts days as Date does, in every month of 800 years (leap rules, years 0..99)', () => {
    for (let year = 0; year < 800; year += 1) {
      const y = year < 400 ? year : 1600 + year;
      for (let month = 1; month <= 12; month++) {
        const d = new Date(0);
        d.setUTCFullYear(y, month - 1, 1);
        expect(daysFromCivil(y, month, 1) * 86_400_000).toBe(d.getTime());
      }
    }
  });

  it('reads naive values in the zone as parseTimestamp does, across DST gaps and overlaps', () => {
    for (const zone of ZONES) {
      for (const day of [
        '2025-03-09',
        '2025-03-30',
        '2025-10-05',
        '2025-10-26',
        '2025-11-02',
        '2025-04-06',
      ]) {
        for (let minute = 0; minute < 24 * 60; minute += 15) {
          const hh = String(Math.floor(minute / 60)).padStart(2, '0');
          const mm = String(minute % 60).padStart(2, '0');
          agrees(`${day}T${hh}:${mm}:00`, zone);
          agrees(`${day} ${hh}:${mm}`, zone);
        }
      }
    }
  });

  it('property: on near-ISO text (valid or not) it agrees with parseTimestamp or declines', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const text = fc
      .tuple(
        fc.oneof(
          fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
          fc.constant('2024'),
        ),
        two(13),
        two(32),
        fc.constantFrom('T', ' ', 't', '', 'x'),
        two(25),
        two(61),
        fc.option(two(61), { nil: undefined }),
        fc.option(fc.stringMatching(/^[.,]\d{0,5}$/), { nil: undefined }),
        fc.constantFrom('', 'Z', 'z', '+02:00', '-05:30', '+0100', '+24:00', '-00:60', '+02', ' Z', ' '),
        fc.boolean(),
      )
      .map(([y, mo, d, sep, h, mi, s, frac, offset, dateOnly]) =>
        dateOnly
          ? `${y}-${mo}-${d}${offset}`
          : `${y}-${mo}-${d}${sep}${h}:${mi}${s === undefined ? '' : `:${s}${frac ?? ''}`}${offset}`,
      );
    fc.assert(
      fc.property(text, fc.constantFrom(...ZONES), (t, zone) => {
        agrees(t, zone);
      }),
      { numRuns: 5000 },
    );
  });
});

describe('numberBytes (the amount and score fast path)', () => {
  it('reads plain decimals as Number does, and declines everything else', () => {
    for (const text of [
      '0',
      '7',
      '10',
      '10.00',
      '10.',
      '0.1',
      '12.63',
      '999999999999999',
      '0.30000000000000',
      '007',
    ]) {
      const b = bytes(text);
      expect(numberBytes(b, 0, b.length), text).toBe(parseNumber(text));
    }
    for (const text of [
      '',
      '.5',
      '-1',
      '+1',
      '1e3',
      '1.2.3',
      '1,5',
      ' 1',
      '1 ',
      'ten',
      '9999999999999999',
      'NaN',
    ]) {
      const b = bytes(text);
      expect(Number.isNaN(numberBytes(b, 0, b.length)), text).toBe(true);
    }
  });

  it('property: agrees with parseNumber or declines', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9.]{1,18}$/), (text) => {
        const b = bytes(text);
        const fast = numberBytes(b, 0, b.length);
        if (!Number.isNaN(fast)) expect(fast).toBe(parseNumber(text));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1e12, noNaN: true }), fc.integer({ min: 0, max: 6 }), (x, k) => {
        const text = x.toFixed(k);
        const b = bytes(text);
        const fast = numberBytes(b, 0, b.length);
        if (!Number.isNaN(fast)) expect(fast).toBe(Number(text));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('isPlainId (the id fast path)', () => {
  it('is true exactly when the bytes are their own parseId', () => {
    for (const text of ['C1', 'a b', 'R-0042', '~!', 'x'])
      expect(isPlainId(bytes(text), 0, bytes(text).length)).toBe(true);
    for (const text of ['', ' ', ' C1', 'C1 ', 'C1\t', 'é', 'e\u0301', '\u00a0C1', 'C\u00001']) {
      expect(isPlainId(bytes(text), 0, bytes(text).length), JSON.stringify(text)).toBe(false);
    }
  });

  it('property: whenever it is true, parseId of the text is the text itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 8 }), (text) => {
        const b = bytes(text);
        if (isPlainId(b, 0, b.length)) expect(parseId(b.toString('latin1'))).toBe(text);
      }),
      { numRuns: 5000 },
    );
  });
});
