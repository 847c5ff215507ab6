/** Cell parsers shared by the three ledgers. Each returns `undefined` for an empty cell. */

const NON_ASCII = /[^\u0020-\u007e]/;

/**
 * How exports spell a missing value in place of an empty cell: R (`NA`), SQL Server and others
 * (`NULL`), MySQL (`\N`), Excel (`#N/A`), Python (`None`), pandas (`NaT`). Timestamp, number and
 * boolean cells read them as empty (an unanswered survey exported from R keeps its row); ids and
 * text read those of {@link MISSING_IDS} as empty. `NaN` is not among them: it is a number that is not one.
 */
export const MISSING_VALUES: ReadonlySet<string> = new Set([
  'NA',
  'N/A',
  'n/a',
  'NULL',
  'null',
  'Null',
  '\\N',
  '#N/A',
  'None',
  'NaT',
]);

export function parseId(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  // NFC: the same id typed as "é" or as "e" + combining accent is one id (printable ASCII ids, the common
  // case, are already normal: skipping normalize saves ~1 s per million rows)
  const trimmed = (typeof value === 'string' ? value : String(value)).trim();
  const text = NON_ASCII.test(trimmed) ? trimmed.normalize('NFC') : trimmed;
  return text === '' || MISSING_IDS.has(text) ? undefined : text;
}

/**
 * The missing-value spellings an id cell reads as empty: all but `None` and `NaT` (a reason may be
 * "None"), as R and pandas read them. Kept as ids, a customer "NA" (R's `write.csv` writes it for
 * every missing string) would gather every survey exported without a customer, a rep "NULL" every
 * concession granted by none. A team really called NA must be renamed before the load.
 */
export const MISSING_IDS: ReadonlySet<string> = new Set(
  [...MISSING_VALUES].filter((spelling) => spelling !== 'None' && spelling !== 'NaT'),
);

export type ScoreCell =
  | { value: number }
  | { problem: 'score-not-integer' | 'score-out-of-scale' }
  | undefined;

/** An integer score within [min, max]; `10.0` counts as 10, `7.5` and `ten` do not. */
export function parseScore(value: unknown, min: number, max: number): ScoreCell {
  return scoreOf(parseNumber(value), min, max);
}

/** {@link parseScore} of a cell already read as a number ({@link parseNumber}'s result). */
export function scoreOf(n: number | undefined, min: number, max: number): ScoreCell {
  if (n === undefined) return undefined;
  if (!Number.isInteger(n)) return { problem: 'score-not-integer' };
  if (n < min || n > max) return { problem: 'score-out-of-scale' };
  return { value: n };
}

/** A finite number from a number or a plain decimal string; NaN when not a number; undefined when empty or {@link MISSING_VALUES}. */
export function parseNumber(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === 'bigint') return Number(value);
  const text = String(value).trim();
  if (text === '' || MISSING_VALUES.has(text)) return undefined;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : Number.NaN;
}

const TRUE = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', '0']);

/** 1 / 0 for true / false spellings, -1 when empty (or {@link MISSING_VALUES}), NaN when not a boolean. */
export function parseBoolean(value: unknown): number {
  if (value === null || value === undefined) return -1;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const trimmed = String(value).trim();
  if (trimmed === '' || MISSING_VALUES.has(trimmed)) return -1;
  const text = trimmed.toLowerCase();
  if (TRUE.has(text)) return 1;
  if (FALSE.has(text)) return 0;
  return Number.NaN;
}

/**
 * Whether the bytes `bytes[start, end)` are their own {@link parseId}: printable ASCII
 * (0x20..0x7e) without a space at either end, so that neither trimming nor NFC changes them
 * and the id is their latin1 text. The loader's fast path for CSV cells.
 */
export function isPlainId(bytes: Uint8Array, start: number, end: number): boolean {
  if (start >= end || bytes[start] === 0x20 || bytes[end - 1] === 0x20) return false;
  for (let i = start; i < end; i++) {
    const b = bytes[i];
    if (b < 0x20 || b > 0x7e) return false;
  }
  // a MISSING_IDS spelling is left to parseId, which empties it
  return end - start > 4 || !isMissingIdBytes(bytes, start, end);
}

const MISSING_ID_BYTES = [...MISSING_IDS].map((id) => Buffer.from(id, 'latin1'));

function isMissingIdBytes(bytes: Uint8Array, start: number, end: number): boolean {
  for (const missing of MISSING_ID_BYTES) {
    if (missing.length !== end - start) continue;
    let i = 0;
    while (i < missing.length && bytes[start + i] === missing[i]) i++;
    if (i === missing.length) return true;
  }
  return false;
}

/** Whether a string id (as parseId returns it) is printable ASCII, i.e. the latin1 text of plain bytes. */
export function isPlainText(id: string): boolean {
  return !NON_ASCII.test(id);
}

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The fast path of {@link parseNumber} for a CSV cell: `digits` or `digits.digits` with at most
 * 15 digits in all is `m / 10^k` for the integer m of its digits: one correctly rounded division
 * of two exact doubles, hence the same double as `Number(text)`. NaN for any other text (the
 * caller then takes the general path).
 */
export function numberBytes(bytes: Uint8Array, start: number, end: number): number {
  if (end - start > 16 || start === end) return Number.NaN;
  let m = 0;
  let point = -1;
  for (let i = start; i < end; i++) {
    const d = bytes[i] - 0x30;
    if (d >= 0 && d <= 9) m = m * 10 + d;
    else if (bytes[i] === 0x2e && point < 0 && i > start) point = i;
    else return Number.NaN;
  }
  if (point < 0) return end - start > 15 ? Number.NaN : m;
  return m / POWERS_OF_TEN[end - point - 1];
}
