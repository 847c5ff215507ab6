/** Cell parsers shared by the three ledgers. Each returns `undefined` for an empty cell. */

const NON_ASCII = /[^\u0020-\u007e]/;

export function parseId(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  // NFC: the same id typed as "é" or as "e" + combining accent is one id (printable ASCII ids, the common
  // case, are already normal: skipping normalize saves ~1 s per million rows)
  const trimmed = (typeof value === 'string' ? value : String(value)).trim();
  const text = NON_ASCII.test(trimmed) ? trimmed.normalize('NFC') : trimmed;
  return text === '' ? undefined : text;
}

export type ScoreCell =
  | { value: number }
  | { problem: 'score-not-integer' | 'score-out-of-scale' }
  | undefined;

/** An integer score within [min, max]; `10.0` counts as 10, `7.5` and `ten` do not. */
export function parseScore(value: unknown, min: number, max: number): ScoreCell {
  const n = parseNumber(value);
  if (n === undefined) return undefined;
  if (!Number.isInteger(n)) return { problem: 'score-not-integer' };
  if (n < min || n > max) return { problem: 'score-out-of-scale' };
  return { value: n };
}

/** A finite number from a number or a plain decimal string; NaN when not a number. */
export function parseNumber(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'bigint') return Number(value);
  const text = String(value).trim();
  if (text === '') return undefined;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
}

const TRUE = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0']);

/** 1 / 0 for true / false spellings, -1 when empty, NaN when not a boolean. */
export function parseBoolean(value: unknown): number {
  if (value === null || value === undefined) return -1;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const text = String(value).trim().toLowerCase();
  if (text === '') return -1;
  if (TRUE.has(text)) return 1;
  if (FALSE.has(text)) return 0;
  return Number.NaN;
}
