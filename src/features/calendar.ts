import { fromZone, zoneOffset } from '../ledger/timestamp.js';

/** Milliseconds in a day and an hour (timestamps are epoch ms everywhere). */
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** `t` moved by `months` calendar months (same day of month, clamped to the month's end; same time of day, UTC). */
export function addMonths(t: number, months: number): number {
  // integer calendar arithmetic for ordinary times (the Date object version below cost ~25 µs a call
  // in account-extraction's placebo windows, ~1.2 s at 1M surveys); same results, checked against it
  // for every day of 1900–2200 in test/features/calendar.test.ts
  if (t >= 0 && t < 8e15 && Number.isInteger(months) && Math.abs(months) <= 1200) {
    const tt = Math.trunc(t);
    const days = Math.floor(tt / DAY_MS);
    const timeOfDay = tt - days * DAY_MS;
    const [y, m, d] = civilFromDays(days);
    const total = y * 12 + m - 1 + months;
    const year = Math.floor(total / 12);
    const month = total - year * 12 + 1;
    return daysFromCivil(year, month, Math.min(d, daysInMonth(year, month))) * DAY_MS + timeOfDay;
  }
  const d = new Date(t);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

/**
 * `t` moved by `months` months of the calendar of `zone` (IANA; default and
 * 'UTC': {@link addMonths}): the same wall-clock day and time there. Billing
 * runs and batched surveys follow the local calendar, so a placebo window
 * "one billing cycle later" must too: 1 March 00:30 in Tokyo is 28 February
 * in UTC, and a UTC month on is 29 March in Tokyo, not 1 April (every honest
 * rep of a Tokyo ledger was flagged that way).
 */
export function addMonthsIn(t: number, months: number, zone?: string): number {
  if (zone === undefined || zone === 'UTC' || zone === 'Etc/UTC') return addMonths(t, months);
  return fromZone(addMonths(t + zoneOffset(t, zone), months), zone);
}

/**
 * {@link addMonthsIn} by a fixed number of months, for many times: in UTC the
 * shifted start of each distinct day is computed once and the time of day
 * added to it (the same arithmetic as `addMonths`, so the same results).
 * Placebo windows shift every survey cycle by ±1..±2 months: at 1M surveys
 * ~4M calls, ~370 ms in `addMonths` (its date conversions and their tuples),
 * ~110 ms this way (CPU profile, self time). Other zones call `addMonthsIn`.
 */
export function monthShift(months: number, zone?: string): (t: number) => number {
  const utc = zone === undefined || zone === 'UTC' || zone === 'Etc/UTC';
  if (!utc || !Number.isInteger(months) || Math.abs(months) > 1200) {
    return (t) => addMonthsIn(t, months, zone);
  }
  const shiftedDayStarts = new Map<number, number>();
  return (t) => {
    if (!(t >= 0 && t < 8e15)) return addMonths(t, months); // addMonths' Date-object range
    const tt = Math.trunc(t);
    const days = Math.floor(tt / DAY_MS);
    let start = shiftedDayStarts.get(days);
    if (start === undefined) {
      start = addMonths(days * DAY_MS, months);
      shiftedDayStarts.set(days, start);
    }
    return start + (tt - days * DAY_MS);
  };
}

/**
 * `new Date(t).toISOString()` for many times: the `YYYY-MM-DDT` of each
 * distinct day is formatted once, and the string is built in one piece from
 * character codes (a template literal would build a rope of 9 pieces, ~4× the
 * memory of the flat string for as long as the result is kept).
 * account-extraction reports ~250k survey-cycle times at 1M surveys: timed
 * alone over a year of times, 3 runs, ~165-245 ms through `toISOString`,
 * ~50-60 ms this way (a template literal: ~290-350 ms once the collector had
 * moved its ropes). Times before 1970 or after 9999 (and invalid ones, which
 * throw) go to `toISOString`.
 */
export function isoTimestamps(): (t: number) => string {
  const dayPrefixes = new Map<number, number[]>();
  return (t) => {
    if (!(t >= 0 && t < 253_402_300_800_000)) return new Date(t).toISOString();
    const tt = Math.trunc(t); // as Date does with fractional milliseconds
    const days = Math.floor(tt / DAY_MS);
    let p = dayPrefixes.get(days);
    if (p === undefined) {
      p = Array.from(new Date(days * DAY_MS).toISOString().slice(0, 11), (ch) => ch.charCodeAt(0));
      dayPrefixes.set(days, p);
    }
    let ms = tt - days * DAY_MS;
    const h = Math.floor(ms / HOUR_MS);
    ms -= h * HOUR_MS;
    const m = Math.floor(ms / 60_000);
    ms -= m * 60_000;
    const s = Math.floor(ms / 1000);
    ms -= s * 1000;
    // biome-ignore format: one line per part of YYYY-MM-DDTHH:mm:ss.sssZ
    return String.fromCharCode(
      p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9], p[10],
      ZERO + Math.floor(h / 10), ZERO + (h % 10), COLON,
      ZERO + Math.floor(m / 10), ZERO + (m % 10), COLON,
      ZERO + Math.floor(s / 10), ZERO + (s % 10), DOT,
      ZERO + Math.floor(ms / 100), ZERO + (Math.floor(ms / 10) % 10), ZERO + (ms % 10), LETTER_Z,
    );
  };
}

const ZERO = 48;
const COLON = 58;
const DOT = 46;
const LETTER_Z = 90;

/** `YYYY-MM-DD` of an epoch-ms time on the calendar of `zone` (IANA; default UTC). */
export function localDate(t: number, zone = 'UTC'): string {
  const local = zone === 'UTC' || zone === 'Etc/UTC' ? t : t + zoneOffset(t, zone);
  return new Date(Math.floor(local / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1];
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
}

/** Proleptic Gregorian (year, month 1–12, day) of a day count since 1970-01-01 (H. Hinnant's `civil_from_days`). */
function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/** Day count since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's `days_from_civil`). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
