import { messages, OptionError } from '../log/errors.js';
import { MISSING_VALUES } from './cells.js';

/**
 * Timestamps outside [1980, 2100) are quarantined: no survey or concession ledger reaches back
 * before 1980 (NPS dates from 2003), and such values are sentinels or typos (epoch 0,
 * 1900-01-01, 9999-12-31). Accepted, one of them would stretch a customer's observed period
 * across centuries, and the placebo windows of the timing tests with it.
 */
export const PLAUSIBLE_TIMESTAMPS = { from: Date.UTC(1980, 0, 1), to: Date.UTC(2100, 0, 1) } as const;

/**
 * Parse one timestamp cell to epoch milliseconds.
 *
 * Accepts ISO-8601 with `Z` or an offset (`2025-03-04T10:15:00+02:00`, `+0200` or
 * `+02`, as PostgreSQL writes `timestamptz`: `2025-03-04 10:15:00.123456+02`; or
 * ` UTC`, as BigQuery's exports end theirs: `2025-03-04 10:15:00.123456 UTC`), a
 * space instead of `T`, optional seconds and fractions, date-only values
 * (midnight), `Date` objects and finite numbers (taken as epoch ms, as Arrow
 * and Parquet hand them over). Values without an offset are read in `zone`
 * (an IANA name; daylight-saving gaps resolve to the later offset).
 *
 * @returns epoch ms, `undefined` for an empty cell (or a missing-value spelling such as `NA`,
 *   `NULL` or `\N`: see `MISSING_VALUES`), `null` when unparseable
 * @example parseTimestamp('2025-03-04', 'Europe/Berlin') // 1741042800000
 */
export function parseTimestamp(value: unknown, zone: string): number | null | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '' || MISSING_VALUES.has(text)) return undefined;
  const m = ISO.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', offset] = m;
  const year = +y;
  const month = +mo;
  const day = +d;
  const hour = +h;
  const minute = +mi;
  const second = +s;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const ms = frac ? Math.round(+`0.${frac}` * 1000) : 0;
  const wall = utc(year, month - 1, day, hour, minute, second, ms);
  if (offset === undefined) return fromZone(wall, zone);
  if (offset === 'Z' || offset === 'z' || offset === 'UTC') return wall;
  const sign = offset[0] === '-' ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const offsetMinutes = +digits.slice(0, 2) * 60 + +digits.slice(2, 4);
  if (+digits.slice(0, 2) > 23 || +digits.slice(2, 4) > 59) return null;
  return wall - sign * offsetMinutes * 60_000;
}

/**
 * The fast path of {@link parseTimestamp} for a cell given as bytes (a CSV
 * field): the common shapes are read straight from the bytes with integer
 * arithmetic — `YYYY-MM-DD`, then optionally `T` or a space, `HH:MM`,
 * `:SS`, a `.`/`,` fraction of 1 to 9 digits, and `Z`/`z`, ` UTC` or `±HH:MM`/`±HHMM`/`±HH`
 * — with nothing around them. Returns NaN for everything else, including
 * values that parseTimestamp rejects (2025-02-30, 24:00, +25:00): the
 * caller then decodes the cell and calls parseTimestamp, so results and
 * quarantine reasons are those of the general path. Values without an offset
 * are read in `zone` by the same code as parseTimestamp's.
 *
 * Measured on the 1M-survey + 2M-concession benchmark files (~4.3M non-empty
 * timestamp cells, `YYYY-MM-DDTHH:MM:SSZ`): ~0.35 s of CPU profile in all, where
 * parseTimestamp (regex, `Date` arithmetic, daysInMonth through `Date`) took
 * ~4.0 s (parseTimestamp 1.8 s + utc 1.4 s + daysInMonth 0.5 s + the regex 0.3 s).
 *
 * @example isoBytes(Buffer.from('2025-03-04T10:15:00Z'), 0, 20, 'UTC') // 1741083300000
 */
export function isoBytes(bytes: Uint8Array, start: number, end: number, zone: string): number {
  const length = end - start;
  if (length < 10 || bytes[start + 4] !== DASH || bytes[start + 7] !== DASH) return Number.NaN;
  const year = digits(bytes, start, 4);
  const month = digits(bytes, start + 5, 2);
  const day = digits(bytes, start + 8, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > monthDays(year, month)) return Number.NaN;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let ms = 0;
  let p = start + 10;
  if (p < end) {
    const separator = bytes[p];
    if ((separator !== 0x54 && separator !== 0x20) || end - p < 6 || bytes[p + 3] !== COLON)
      return Number.NaN;
    hour = digits(bytes, p + 1, 2);
    minute = digits(bytes, p + 4, 2);
    p += 6;
    if (p < end && bytes[p] === COLON) {
      if (end - p < 3) return Number.NaN;
      second = digits(bytes, p + 1, 2);
      p += 3;
      if (p < end && (bytes[p] === 0x2e || bytes[p] === 0x2c)) {
        // parseTimestamp's Math.round(+`0.${frac}` * 1000): 1..3 digits are exact as integers; for
        // 4..9 (microseconds from PostgreSQL or Python) the quotient of two exact doubles is the double
        // nearest the fraction, as +`0.${frac}` is, so the same arithmetic follows
        p++;
        let n = 0;
        while (n < 10 && p + n < end && bytes[p + n] >= 0x30 && bytes[p + n] <= 0x39) n++;
        if (n === 0 || n > 9) return Number.NaN;
        const fraction = digits(bytes, p, n);
        ms = n <= 3 ? fraction * (n === 1 ? 100 : n === 2 ? 10 : 1) : Math.round((fraction / 10 ** n) * 1000);
        p += n;
      }
    }
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return Number.NaN;
  }
  const wall =
    (daysFromCivil(year, month, day) * 24 + hour) * 3_600_000 + minute * 60_000 + second * 1000 + ms;
  if (p === end) return fromZone(wall, zone);
  const b = bytes[p];
  if ((b === 0x5a || b === 0x7a) && p + 1 === end) return wall;
  // " UTC", as BigQuery writes it
  if (b === 0x20 && end - p === 4 && bytes[p + 1] === 0x55 && bytes[p + 2] === 0x54 && bytes[p + 3] === 0x43)
    return wall;
  if (b !== 0x2b && b !== 0x2d) return Number.NaN;
  let offsetHours: number;
  let offsetMinutes: number;
  if (end - p === 6 && bytes[p + 3] === COLON) {
    offsetHours = digits(bytes, p + 1, 2);
    offsetMinutes = digits(bytes, p + 4, 2);
  } else if (end - p === 5) {
    offsetHours = digits(bytes, p + 1, 2);
    offsetMinutes = digits(bytes, p + 3, 2);
  } else if (end - p === 3) {
    offsetHours = digits(bytes, p + 1, 2);
    offsetMinutes = 0;
  } else return Number.NaN;
  if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) return Number.NaN;
  return wall - (b === 0x2d ? -1 : 1) * (offsetHours * 60 + offsetMinutes) * 60_000;
}

const DASH = 0x2d;
const COLON = 0x3a;

/** The decimal number in `bytes[at, at + n)`, or -1 when a byte is not a digit. */
function digits(bytes: Uint8Array, at: number, n: number): number {
  let value = 0;
  for (let i = at; i < at + n; i++) {
    const d = bytes[i] - 0x30;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function monthDays(year: number, month: number): number {
  if (month !== 2) return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

/**
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar (the
 * calendar of `Date`), for any year (H. Hinnant, "chrono-compatible low-level
 * date algorithms", days_from_civil).
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;

/** Date.UTC without its quirk of reading years 0..99 as 1900..1999. */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month, day);
  d.setUTCHours(hour, minute, second, ms);
  return d.getTime();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month, 0)).getUTCDate();
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const offsetCache = new Map<string, Map<number, number>>();

/** Throws an OptionError unless `zone` is a time zone this runtime knows. */
export function checkTimeZone(zone: string): void {
  try {
    formatterFor(zone);
  } catch {
    throw new OptionError(messages.badTimeZone(zone));
  }
}

function formatterFor(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset of `zone` from UTC at instant `t`, in ms; cached per hour (zones change offset on hour marks). */
export function zoneOffset(t: number, zone: string): number {
  const cache = offsetCache.get(zone) ?? new Map<number, number>();
  offsetCache.set(zone, cache);
  const hourKey = Math.floor(t / 3_600_000);
  const hit = cache.get(hourKey);
  if (hit !== undefined) return hit;
  const parts: Record<string, number> = {};
  for (const p of formatterFor(zone).formatToParts(new Date(hourKey * 3_600_000))) {
    if (p.type !== 'literal') parts[p.type] = +p.value;
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  const offset = asUtc - hourKey * 3_600_000;
  cache.set(hourKey, offset);
  return offset;
}

/** The instant at which the clocks of `zone` show `wall` (epoch ms read as if UTC); the later one in an overlap. */
export function fromZone(wall: number, zone: string): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return wall;
  const first = wall - zoneOffset(wall, zone);
  const second = wall - zoneOffset(first, zone);
  return Math.max(first, second);
}

/**
 * A wall-clock time that was read as UTC (an Arrow timestamp without a time zone, or a date, as
 * flechette's `Date`s give them), read in `zone` instead, as a naive text timestamp is. A value
 * outside the plausible range is returned as it is, for the caller to refuse.
 */
export function wallClockIn(ms: number, zone: string): number {
  return ms >= PLAUSIBLE_TIMESTAMPS.from && ms < PLAUSIBLE_TIMESTAMPS.to ? fromZone(ms, zone) : ms;
}
