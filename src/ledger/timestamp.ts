import { messages, OptionError } from '../log/errors.js';

/**
 * Parse one timestamp cell to epoch milliseconds.
 *
 * Accepts ISO-8601 with `Z` or an offset (`2025-03-04T10:15:00+02:00`), a
 * space instead of `T`, optional seconds and fractions, date-only values
 * (midnight), `Date` objects and finite numbers (taken as epoch ms, as Arrow
 * and Parquet hand them over). Values without an offset are read in `zone`
 * (an IANA name; daylight-saving gaps resolve to the later offset).
 *
 * @returns epoch ms, `undefined` for an empty cell, `null` when unparseable
 * @example parseTimestamp('2025-03-04', 'Europe/Berlin') // 1741042800000
 */
export function parseTimestamp(value: unknown, zone: string): number | null | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) return Number.isFinite(value.getTime()) ? value.getTime() : null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (text === '') return undefined;
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
  if (offset === 'Z' || offset === 'z') return wall;
  const sign = offset[0] === '-' ? -1 : 1;
  const digits = offset.slice(1).replace(':', '');
  const offsetMinutes = +digits.slice(0, 2) * 60 + +digits.slice(2, 4);
  if (+digits.slice(0, 2) > 23 || +digits.slice(2, 4) > 59) return null;
  return wall - sign * offsetMinutes * 60_000;
}

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2}))?$/;

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
function zoneOffset(t: number, zone: string): number {
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

function fromZone(wall: number, zone: string): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return wall;
  const first = wall - zoneOffset(wall, zone);
  const second = wall - zoneOffset(first, zone);
  return Math.max(first, second);
}
