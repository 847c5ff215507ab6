/** Number formatting for finding summaries: plain, short, the same everywhere. */

export { DAY_MS, HOUR_MS } from '../features/calendar.js';

/** 0.3812 → "38%", 0.004 → "0.4%" */
export function percent(x: number): string {
  const p = x * 100;
  return `${Math.abs(p) < 1 && p !== 0 ? p.toFixed(1) : Math.round(p)}%`;
}

/** Round for evidence objects: keeps JSON small and golden files stable. */
export function round(x: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
