import { isPlainId, numberBytes, parseId, parseNumber } from './cells.js';
import type { DictionaryCache } from './dictionary.js';
import type { IdSet } from './id-set.js';
import type { StringPacker } from './packed-strings.js';
import { isoBytes, PLAUSIBLE_TIMESTAMPS, parseTimestamp, wallClockIn } from './timestamp.js';

/**
 * The parts of an Arrow column batch that the readers use, as `@uwdata/flechette` (arquero's Arrow
 * library) lays them out. Typed by shape: flechette is arquero's dependency, not ours.
 */
export interface ArrowBatch {
  length: number;
  nullCount: number;
  validity?: Uint8Array;
  values: ArrayLike<number | bigint> & ArrayBufferView;
  offsets?: ArrayLike<number | bigint>;
  type: ArrowType;
  /** the batch a Date-valued batch wraps (timestamps and dates read with `useDate`) */
  source?: ArrowBatch;
  at(index: number): unknown;
}

export interface ArrowType {
  typeId: number;
  bitWidth?: number;
  signed?: boolean;
  precision?: number;
  unit?: number;
  /** a Timestamp's time zone; null or absent for a timestamp without one (a wall-clock time) */
  timezone?: string | null;
}

/**
 * Whether column `name` of an arquero table holds wall-clock times as `Date`s: Arrow timestamps
 * without a time zone, and dates (see {@link TimestampReader}).
 */
export function isWallClock(table: object, name: string): boolean {
  const column = (table as { column?(name: string): unknown }).column?.(name) as ArrowColumn | undefined;
  const batch = column?.data?.[0];
  const source = batch?.source;
  if (!source) return false; // not a Date-valued batch: numbers or text, read as they are
  return isWallClockType(source.type);
}

/** A date, or a timestamp without a time zone: a wall-clock time, not an instant. */
function isWallClockType(type: ArrowType): boolean {
  return type.typeId === TYPE.Date || (type.typeId === TYPE.Timestamp && !type.timezone);
}

/** A flechette column: its batches, one per Arrow record batch. */
export interface ArrowColumn {
  data: readonly ArrowBatch[];
  type: ArrowType;
  length: number;
  at(row: number): unknown;
}

/** arquero's stand-in for a dictionary-encoded Arrow column (`fromArrow`): a key per row. */
export interface DictionaryColumn {
  key(row: number): number;
  at(row: number): unknown;
}

/** Any other column of an arquero table (an array, or a column of a type without a reader). */
export interface AnyColumn {
  at(row: number): unknown;
}

/** Arrow type ids (Arrow's `Type` enum, as flechette numbers them). */
export const TYPE = { Int: 2, Float: 3, Utf8: 5, Date: 8, Timestamp: 10 } as const;

const TO_MS_DIVISOR = [1 / 1000, 1, 1000, 1_000_000]; // seconds, ms, µs, ns per ms

/**
 * One column of a columnar input, read at the row `seek` moved to, with the meaning of the
 * row-by-row path: what `value()` returns is the cell that path would have read (arquero's getter,
 * i.e. the column's `at(row)`), and each method gives what the general cell parsers (`parseId`,
 * `parseNumber`, `parseTimestamp`) give for that value. This base class is that general path; the
 * subclasses below read the common Arrow layouts straight from their buffers and fall back to it
 * for any value they do not take (see each).
 */
export class ColumnReader {
  protected row = -1;
  private cached = false;
  private cell: unknown;
  private idRead = false;
  private idValue: string | undefined;
  /** whether a cell can be an object (then the loader quarantines the row as malformed) */
  readonly mayHoldObject: boolean = true;

  constructor(protected readonly column: AnyColumn) {}

  /** Move to `row` (0-based, never backwards). */
  seek(row: number): void {
    this.row = row;
    this.cached = false;
    this.idRead = false;
  }

  /** The cell as the row path reads it. */
  value(): unknown {
    if (!this.cached) {
      this.cell = this.read();
      this.cached = true;
    }
    return this.cell;
  }

  protected read(): unknown {
    return this.column.at(this.row);
  }

  id(): string | undefined {
    if (!this.idRead) {
      this.idValue = parseId(this.value());
      this.idRead = true;
    }
    return this.idValue;
  }

  hasId(): boolean {
    return this.id() !== undefined;
  }

  code(cache: DictionaryCache): number {
    const id = this.id();
    return id === undefined ? -1 : cache.text(id);
  }

  claim(ids: IdSet, row: number): number {
    return ids.claim(this.id() as string, row);
  }

  appendId(ids: StringPacker): void {
    ids.push(this.id() as string);
  }

  timestamp(zone: string): number | null | undefined {
    return parseTimestamp(this.value(), zone);
  }

  number(): number | undefined {
    return parseNumber(this.value());
  }
}

/**
 * A flechette column read batch by batch: `seek` finds the row's batch (rows only move forward),
 * and the cell is the batch's `at(index)` (as the column's `at(row)`, without its binary search).
 * Used as is for column types without a reader of their own (booleans, decimals, 16-bit floats,
 * 64-bit integers read as BigInt, large and view strings, binary, nested types): the general path.
 */
export class BatchReader extends ColumnReader {
  protected batch: ArrowBatch | undefined;
  /** the row's index in `batch` */
  protected i = 0;
  private b = -1;
  private start = 0;
  private end = 0;
  /** null bitmap of the batch, undefined when every cell of it is valid */
  protected validity: Uint8Array | undefined;

  constructor(protected readonly arrow: ArrowColumn) {
    super(arrow);
  }

  override seek(row: number): void {
    super.seek(row);
    while (row >= this.end) {
      const batch = this.arrow.data[++this.b];
      this.batch = batch;
      this.start = this.end;
      this.end += batch.length;
      // flechette's `at` reads the bitmap only when the batch has nulls and a bitmap
      this.validity = batch.nullCount > 0 && batch.validity ? batch.validity : undefined;
      this.enter(batch);
    }
    this.i = row - this.start;
  }

  /** Set up for a new batch. */
  protected enter(_batch: ArrowBatch): void {}

  protected override read(): unknown {
    return (this.batch as ArrowBatch).at(this.i);
  }

  /** Whether the cell is not null. */
  protected valid(): boolean {
    const v = this.validity;
    return v === undefined || (v[this.i >> 3] & (1 << (this.i & 7))) !== 0;
  }
}

/**
 * UTF-8 strings with 32-bit offsets, read from their bytes as a CSV cell is (`CsvCells`): an id
 * of printable ASCII (`isPlainId`) is hashed from its bytes into the dictionaries and the
 * duplicate-id check, and no string is decoded for an id seen before; a canonical ISO timestamp
 * (`isoBytes`) and a plain decimal number (`numberBytes`) are read from the bytes too. Any other
 * cell is decoded (flechette's `at`) and read by the general parsers.
 */
export class Utf8Reader extends BatchReader {
  override readonly mayHoldObject = false;
  private bytes: Buffer = Buffer.alloc(0);
  private offsets: Int32Array = new Int32Array(1);
  /** `plain()` of the current row: 1 yes, 0 no, -1 not yet known (a row asks up to three times) */
  private isPlain = -1;

  override seek(row: number): void {
    super.seek(row);
    this.isPlain = -1;
  }

  protected override enter(batch: ArrowBatch): void {
    const v = batch.values;
    this.bytes = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    this.offsets = batch.offsets as Int32Array;
  }

  /** Whether the cell is not null and its bytes are their own parseId. */
  private plain(): boolean {
    if (this.isPlain < 0) {
      const plain = this.valid() && isPlainId(this.bytes, this.offsets[this.i], this.offsets[this.i + 1]);
      this.isPlain = plain ? 1 : 0;
    }
    return this.isPlain === 1;
  }

  override id(): string | undefined {
    if (this.plain()) return this.bytes.toString('latin1', this.offsets[this.i], this.offsets[this.i + 1]);
    return super.id();
  }

  override hasId(): boolean {
    return this.plain() || super.hasId();
  }

  override code(cache: DictionaryCache): number {
    if (this.plain()) return cache.bytes(this.bytes, this.offsets[this.i], this.offsets[this.i + 1]);
    return super.code(cache);
  }

  override claim(ids: IdSet, row: number): number {
    if (this.plain()) return ids.claimBytes(this.bytes, this.offsets[this.i], this.offsets[this.i + 1], row);
    return super.claim(ids, row);
  }

  override appendId(ids: StringPacker): void {
    if (this.plain()) ids.pushAscii(this.bytes, this.offsets[this.i], this.offsets[this.i + 1]);
    else super.appendId(ids);
  }

  override timestamp(zone: string): number | null | undefined {
    if (this.valid()) {
      const s = this.offsets[this.i];
      const e = this.offsets[this.i + 1];
      if (s === e) return undefined;
      const t = isoBytes(this.bytes, s, e, zone);
      if (!Number.isNaN(t)) return t;
    }
    return super.timestamp(zone);
  }

  override number(): number | undefined {
    if (this.valid()) {
      const s = this.offsets[this.i];
      const e = this.offsets[this.i + 1];
      if (s === e) return undefined;
      const n = numberBytes(this.bytes, s, e);
      if (!Number.isNaN(n)) return n;
    }
    return super.number();
  }
}

/**
 * Integers and floats read from their typed array: 8-, 16- and 32-bit integers and 32/64-bit
 * floats as they are, 64-bit integers (flechette's number batches, not BigInt) from their two
 * 32-bit halves, which is exact because `arrowColumns` has checked that every one is a safe
 * integer (else flechette's `at` throws, and the row path with it). The value is the number the
 * row path reads, so the general parsers then give the same results.
 */
export class NumberReader extends BatchReader {
  override readonly mayHoldObject = false;
  private numbers: ArrayLike<number> = [];
  private words: Int32Array | undefined;
  private signed = true;

  protected override enter(batch: ArrowBatch): void {
    const v = batch.values;
    if (batch.type.bitWidth === 64 && batch.type.typeId === TYPE.Int) {
      this.words = new Int32Array(v.buffer, v.byteOffset, 2 * batch.length);
      this.signed = batch.type.signed !== false;
    } else {
      this.words = undefined;
      this.numbers = v as ArrayLike<number>;
    }
  }

  protected override read(): unknown {
    if (!this.valid()) return null;
    const w = this.words;
    if (w === undefined) return this.numbers[this.i];
    const high = w[2 * this.i + 1];
    return (this.signed ? high : high >>> 0) * 4294967296 + (w[2 * this.i] >>> 0);
  }
}

/**
 * Arrow timestamps (any unit, with or without a time zone) and dates, which flechette hands over as
 * `Date` objects: the epoch milliseconds, truncated toward zero, of the stored value. A timestamp
 * with a time zone is an instant (the annotation does not change it). A timestamp without one, and
 * a date, is a wall-clock time, read in the `timeZone` option as a naive text timestamp is (a date
 * is its midnight there): what the DuckDB path's cast to TIMESTAMPTZ does too, and the row path
 * (filtered or ordered arquero tables) from the column's type (`isWallClock`). A value read from
 * the buffer that lands in the plausible range is returned; any other (null, out of range, beyond
 * what 64-bit halves give exactly) goes through the Date, so that messages and reasons are the row
 * path's.
 */
export class TimestampReader extends BatchReader {
  override readonly mayHoldObject = false;
  private words: Int32Array | undefined;
  private days: Int32Array | undefined;
  private divisor = 1;
  /** the batch holds wall-clock times (a timestamp without a time zone, or a date) */
  private wallClock = false;

  protected override enter(batch: ArrowBatch): void {
    const source = batch.source as ArrowBatch;
    const v = source.values;
    const { typeId, unit = 0 } = source.type;
    this.wallClock = isWallClockType(source.type);
    if (typeId === TYPE.Date && unit === 0) {
      this.days = v as unknown as Int32Array;
      this.words = undefined;
    } else {
      this.days = undefined;
      this.words = new Int32Array(v.buffer, v.byteOffset, 2 * source.length);
      this.divisor = typeId === TYPE.Date ? 1 : TO_MS_DIVISOR[unit];
    }
  }

  override timestamp(zone: string): number | null | undefined {
    if (!this.valid()) return undefined;
    const ms = this.millis();
    const t = ms >= PLAUSIBLE_TIMESTAMPS.from && ms < PLAUSIBLE_TIMESTAMPS.to ? ms : super.timestamp(zone);
    return this.wallClock && typeof t === 'number' ? wallClockIn(t, zone) : t;
  }

  /** The cell's epoch ms as `new Date(…).getTime()` gives them, or NaN when not read exactly here. */
  private millis(): number {
    if (this.days !== undefined) return 86_400_000 * this.days[this.i];
    const w = this.words as Int32Array;
    const high = w[2 * this.i + 1];
    // beyond ±2^53 the halves do not make an exact double: let the Date path decide
    if (high >= 0x200000 || high < -0x200000) return Number.NaN;
    const value = high * 4294967296 + (w[2 * this.i] >>> 0);
    if (this.divisor === 1) return value;
    if (this.divisor < 1) return value * 1000;
    // exact truncated division: the rounded quotient, corrected by the remainder's sign
    let q = Math.trunc(value / this.divisor);
    const r = value - q * this.divisor;
    if (value >= 0 && r < 0) q--;
    else if (value < 0 && r > 0) q++;
    return q;
  }
}

/**
 * arquero's dictionary-encoded columns (strings repeated across rows): a cell is its key's
 * dictionary entry, so an id is parsed and encoded once per key, not once per row. Codes are
 * still handed out when a key is first met in row order, so they equal the row path's.
 */
export class DictionaryReader extends ColumnReader {
  private key = 0;
  private codes = new Int32Array(0);
  private codesOf: DictionaryCache | undefined;
  private ids: (string | undefined)[] = [];
  private parsed: boolean[] = [];

  constructor(private readonly dictionary: DictionaryColumn) {
    super(dictionary);
  }

  override seek(row: number): void {
    super.seek(row);
    this.key = this.dictionary.key(row);
  }

  override id(): string | undefined {
    const k = this.key;
    if (!this.parsed[k]) {
      this.ids[k] = super.id();
      this.parsed[k] = true;
    }
    return this.ids[k];
  }

  override code(cache: DictionaryCache): number {
    if (cache !== this.codesOf) {
      this.codesOf = cache;
      this.codes = new Int32Array(0);
    }
    const k = this.key;
    if (k >= this.codes.length) {
      const grown = new Int32Array(Math.max(2 * this.codes.length, k + 1, 64)).fill(-2);
      grown.set(this.codes);
      this.codes = grown;
    }
    if (this.codes[k] === -2) this.codes[k] = super.code(cache);
    return this.codes[k];
  }
}
