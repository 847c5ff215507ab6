/**
 * Cell formatting for the simulator's CSVs: ids, ISO-8601 UTC timestamps
 * without milliseconds, 2-decimal amounts and stable hex hashes. Hand-rolled
 * because `Date#toISOString` costs ~0.7 µs a call and the carrier world at
 * scale 20 formats millions of timestamps.
 */

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;

const TWO_DIGITS = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const dayCache = new Map<number, string>();

/** `2025-03-04T10:15:00Z` for epoch milliseconds (seconds truncated toward −∞). */
export function isoTimestamp(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const day = Math.floor(seconds / 86_400);
  let rest = seconds - day * 86_400;
  let date = dayCache.get(day);
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10);
    dayCache.set(day, date);
  }
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  return `${date}T${TWO_DIGITS[h]}:${TWO_DIGITS[m]}:${TWO_DIGITS[rest - m * 60]}Z`;
}

/** `2025-03-04` for epoch milliseconds. */
export function isoDate(ms: number): string {
  return new Date(Math.floor(ms / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** Epoch milliseconds of a `YYYY-MM-DD` date at 00:00 UTC; NaN when malformed. */
export function parseIsoDate(text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return Number.NaN;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return Number.isNaN(ms) || isoDate(ms) !== text ? Number.NaN : ms;
}

/** Epoch milliseconds of the first day of the month `months` after `startMs`'s month. */
export function addMonths(startMs: number, months: number): number {
  const d = new Date(startMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, d.getUTCDate());
}

/** A prefixed zero-padded id: `formatId('R', 42, 4)` → `R0042`. */
export function formatId(prefix: string, n: number, width: number): string {
  return prefix + String(n).padStart(width, '0');
}

/** An amount with two decimals. */
export function formatAmount(amount: number): string {
  return (Math.round(amount * 100) / 100).toFixed(2);
}

/** murmur3's 32-bit finaliser over a running state. */
function mix(h: number, k: number): number {
  h = Math.imul(h ^ (k >>> 0), 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** A 32-bit hash of a few integers (used to seed per customer-month streams). */
export function hashInts(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) h = mix(h, v);
  return h;
}

/** A 16-hex-digit stable hash (contact and device columns). */
export function hashHex(prefix: string, ...values: number[]): string {
  const a = hashInts(...values);
  const b = hashInts(a, ...values, 0x5bd1e995);
  return prefix + a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}
