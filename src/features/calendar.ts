/** Milliseconds in a day and an hour (timestamps are epoch ms everywhere). */
export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

/** `t` moved by `months` calendar months (same day of month, clamped to the month's end; same time of day, UTC). */
export function addMonths(t: number, months: number): number {
  const d = new Date(t);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}
