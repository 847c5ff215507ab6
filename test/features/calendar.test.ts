import { describe, expect, it } from 'vitest';
import {
  addMonths,
  addMonthsIn,
  DAY_MS,
  isoTimestamps,
  localDate,
  monthShift,
} from '../../src/features/calendar.js';
import { createRandom } from '../../src/stats/random.js';

/** The Date-object form that `addMonths`' integer arithmetic replaced (and still falls back to). */
function addMonthsWithDate(t: number, months: number): number {
  const d = new Date(t);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

describe('addMonths', () => {
  it('equals the Date-object form on every day of 1900–2200 (random time of day), ±1..±14 months', () => {
    const rng = createRandom(3);
    const first = Date.UTC(1900, 0, 1) / DAY_MS;
    const last = Date.UTC(2200, 0, 1) / DAY_MS;
    let differ = 0;
    for (let day = first; day < last; day++) {
      const t = day * DAY_MS + rng.int(DAY_MS);
      const k = 1 + rng.int(14);
      for (const months of [k, -k, 0]) if (addMonths(t, months) !== addMonthsWithDate(t, months)) differ++;
    }
    expect(differ).toBe(0);
  });

  it('clamps to the month end and keeps the time of day', () => {
    expect(new Date(addMonths(Date.UTC(2024, 0, 31, 13, 5), 1)).toISOString()).toBe(
      '2024-02-29T13:05:00.000Z',
    );
    expect(new Date(addMonths(Date.UTC(2023, 2, 31), -1)).toISOString()).toBe('2023-02-28T00:00:00.000Z');
    expect(new Date(addMonths(Date.UTC(2023, 11, 15), 2)).toISOString()).toBe('2024-02-15T00:00:00.000Z');
  });

  it('truncates fractional milliseconds as Date does, and handles times before 1970 through Date', () => {
    expect(addMonths(1.7, 1)).toBe(addMonthsWithDate(1.7, 1));
    expect(addMonths(-86_400_001.5, 3)).toBe(addMonthsWithDate(-86_400_001.5, 3));
  });
});

describe('addMonthsIn', () => {
  it('keeps the wall-clock day and time of the zone, across daylight saving', () => {
    // 1 March 00:30 in Tokyo is 28 February in UTC; a month on is 1 April 00:30 in Tokyo
    expect(addMonthsIn(Date.parse('2025-03-01T00:30:00+09:00'), 1, 'Asia/Tokyo')).toBe(
      Date.parse('2025-04-01T00:30:00+09:00'),
    );
    expect(addMonthsIn(Date.parse('2025-03-01T00:30:00+09:00'), -2, 'Asia/Tokyo')).toBe(
      Date.parse('2025-01-01T00:30:00+09:00'),
    );
    // Berlin switches to summer time on 30 March 2025: noon stays noon
    expect(addMonthsIn(Date.parse('2025-03-15T12:00:00+01:00'), 1, 'Europe/Berlin')).toBe(
      Date.parse('2025-04-15T12:00:00+02:00'),
    );
    // the month's end is clamped as in UTC: 31 January + 1 month is 28 February, local
    expect(addMonthsIn(Date.parse('2025-01-31T23:00:00-05:00'), 1, 'America/New_York')).toBe(
      Date.parse('2025-02-28T23:00:00-05:00'),
    );
  });

  it('is addMonths in UTC and without a zone', () => {
    const t = Date.parse('2024-01-31T10:00:00Z');
    expect(addMonthsIn(t, 1)).toBe(addMonths(t, 1));
    expect(addMonthsIn(t, 1, 'UTC')).toBe(addMonths(t, 1));
  });
});

describe('monthShift', () => {
  it('is addMonthsIn, its days computed once (repeated days, fractions, before 1970, zones)', () => {
    const rng = createRandom(5);
    const times = Array.from({ length: 20_000 }, () => Date.UTC(2024, 0, 1) + rng.int(400) * DAY_MS);
    times.push(...times.slice(0, 500).map((t) => t + rng.int(DAY_MS) + 0.5), -86_400_001.5, 0, 7.9e15);
    for (const zone of [undefined, 'UTC', 'Asia/Tokyo']) {
      for (const months of [-2, -1, 1, 2, 14]) {
        const shift = monthShift(months, zone);
        expect(times.map(shift)).toEqual(times.map((t) => addMonthsIn(t, months, zone)));
      }
    }
  });
});

describe('isoTimestamps', () => {
  it('is toISOString: random times 1970–9999, fractions, repeated days, the edges and beyond', () => {
    const rng = createRandom(7);
    const last = 253_402_300_800_000; // 10000-01-01
    const times = Array.from({ length: 20_000 }, () => rng.int(last / DAY_MS) * DAY_MS + rng.int(DAY_MS));
    times.push(
      ...times.slice(0, 1000).map((t) => t + 0.75),
      0,
      0.5,
      last - 1,
      last - 0.5,
      last,
      -0.5,
      -1,
      8.64e15,
    );
    const iso = isoTimestamps();
    expect(times.map(iso)).toEqual(times.map((t) => new Date(t).toISOString()));
    expect(() => iso(Number.NaN)).toThrow(RangeError);
  });
});

describe('localDate', () => {
  it('is the date on the calendar of the zone', () => {
    const t = Date.parse('2025-03-01T12:00:00Z');
    expect(localDate(t)).toBe('2025-03-01');
    expect(localDate(t, 'Pacific/Kiritimati')).toBe('2025-03-02'); // UTC+14
    expect(localDate(Date.parse('2025-03-01T03:00:00Z'), 'America/Los_Angeles')).toBe('2025-02-28');
  });
});
