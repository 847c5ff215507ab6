import { isPlainId, numberBytes, parseId, parseNumber } from './cells.js';
import type { CsvBatch } from './csv-stream.js';
import type { DictionaryCache } from './dictionary.js';
import type { IdSet } from './id-set.js';
import type { StringPacker } from './packed-strings.js';
import { isoBytes, parseTimestamp, wallClockIn } from './timestamp.js';

/**
 * The cells of the row being validated, read by column position (-1 for a
 * column the input lacks, which reads as empty). Three implementations with
 * one meaning: {@link ValueCells} over the values of a row (in-memory rows,
 * JSON, danfojs …), {@link CsvCells} over a CSV record's bytes, which
 * takes byte-level fast paths for the common cells and otherwise decodes
 * the cell and takes the general parsers, and `ArrowCells` (arrow-cells.ts)
 * over the columns of a Parquet/Arrow file or an arquero table, so that all
 * give the same values, the same problems and the same dictionary codes.
 */
export interface Cells {
  /** The cell as read (for a CSV file, its text), for messages; undefined for an absent column. */
  raw(col: number): unknown;
  /**
   * Whether `parseId` of the cell is not empty. Throws for a value without a text form: call it for
   * every id of a row before storing anything, so that a row is stored whole or not at all.
   */
  hasId(col: number): boolean;
  /** `parseId` of the cell. */
  id(col: number): string | undefined;
  /** The dictionary code of `parseId` of the cell (added when new); -1 when empty. */
  code(col: number, cache: DictionaryCache): number;
  /** Claim the cell's (non-empty) id for `row`: the row that claimed it first, or 0 when new. */
  claim(col: number, ids: IdSet, row: number): number;
  /** Append the cell's (non-empty) id to `ids`. */
  appendId(col: number, ids: StringPacker): void;
  /** `parseTimestamp` of the cell. */
  timestamp(col: number, zone: string): number | null | undefined;
  /** `parseNumber` of the cell. */
  number(col: number): number | undefined;
}

/** {@link Cells} over a row's values. Each id is parsed once per row (`hasId` keeps it). */
export class ValueCells implements Cells {
  private values: readonly unknown[] = [];
  private ids: (string | undefined)[] = [];
  private parsed: boolean[] = [];

  /** `wallClock[col]`: the column's `Date`s are wall-clock times read as UTC (see `RawTable.wallClock`). */
  constructor(private readonly wallClock: readonly boolean[] = []) {}

  /** Move to the row with these values. */
  at(values: readonly unknown[]): void {
    this.values = values;
    this.parsed.fill(false);
  }

  raw(col: number): unknown {
    return col < 0 ? undefined : this.values[col];
  }

  id(col: number): string | undefined {
    if (col < 0) return undefined;
    if (!this.parsed[col]) {
      this.ids[col] = parseId(this.values[col]);
      this.parsed[col] = true;
    }
    return this.ids[col];
  }

  hasId(col: number): boolean {
    return this.id(col) !== undefined;
  }

  code(col: number, cache: DictionaryCache): number {
    const id = this.id(col);
    return id === undefined ? -1 : cache.text(id);
  }

  claim(col: number, ids: IdSet, row: number): number {
    return ids.claim(this.id(col) as string, row);
  }

  appendId(col: number, ids: StringPacker): void {
    ids.push(this.id(col) as string);
  }

  timestamp(col: number, zone: string): number | null | undefined {
    const t = parseTimestamp(this.raw(col), zone);
    return this.wallClock[col] && typeof t === 'number' ? wallClockIn(t, zone) : t;
  }

  number(col: number): number | undefined {
    return parseNumber(this.raw(col));
  }
}

/**
 * {@link Cells} over one record of a {@link CsvBatch}. An unquoted cell is
 * read from its bytes when it has the common shape: an id of printable ASCII
 * (`isPlainId`; dictionary codes and the duplicate-id check then hash its
 * bytes, and no string is built unless the id is new), a canonical ISO
 * timestamp (`isoBytes`), a plain decimal number (`numberBytes`). Anything
 * else (quoted cells, non-ASCII or padded ids, other timestamp forms,
 * invalid values) is decoded to the string the string reader would give
 * and read by the general parsers, so messages and quarantine reasons are
 * unchanged.
 */
export class CsvCells implements Cells {
  batch: CsvBatch | undefined;
  /** the record's first field in the batch */
  first = 0;

  /** Move to record `r` of `batch`. */
  at(batch: CsvBatch, r: number): void {
    this.batch = batch;
    this.first = batch.first[r];
  }

  raw(col: number): unknown {
    return col < 0 ? undefined : (this.batch as CsvBatch).text(this.first + col);
  }

  /** Whether the cell is unquoted and its bytes are their own parseId. */
  private plain(col: number): boolean {
    const b = this.batch as CsvBatch;
    const f = this.first + col;
    const s = b.start[f];
    return s >= 0 && isPlainId(b.bytes, s, b.end[f]);
  }

  id(col: number): string | undefined {
    if (col < 0) return undefined;
    if (this.plain(col)) {
      const b = this.batch as CsvBatch;
      const f = this.first + col;
      return b.bytes.toString('latin1', b.start[f], b.end[f]);
    }
    return parseId(this.raw(col));
  }

  hasId(col: number): boolean {
    if (col < 0) return false;
    return this.plain(col) || parseId(this.raw(col)) !== undefined;
  }

  code(col: number, cache: DictionaryCache): number {
    if (col < 0) return -1;
    if (this.plain(col)) {
      const b = this.batch as CsvBatch;
      const f = this.first + col;
      return cache.bytes(b.bytes, b.start[f], b.end[f]);
    }
    const id = parseId(this.raw(col));
    return id === undefined ? -1 : cache.text(id);
  }

  claim(col: number, ids: IdSet, row: number): number {
    if (this.plain(col)) {
      const b = this.batch as CsvBatch;
      const f = this.first + col;
      return ids.claimBytes(b.bytes, b.start[f], b.end[f], row);
    }
    return ids.claim(parseId(this.raw(col)) as string, row);
  }

  appendId(col: number, ids: StringPacker): void {
    if (this.plain(col)) {
      const b = this.batch as CsvBatch;
      const f = this.first + col;
      ids.pushAscii(b.bytes, b.start[f], b.end[f]);
    } else ids.push(parseId(this.raw(col)) as string);
  }

  timestamp(col: number, zone: string): number | null | undefined {
    if (col < 0) return undefined;
    const b = this.batch as CsvBatch;
    const f = this.first + col;
    const s = b.start[f];
    if (s >= 0) {
      if (s === b.end[f]) return undefined;
      const t = isoBytes(b.bytes, s, b.end[f], zone);
      if (!Number.isNaN(t)) return t; // the fast path read it
    }
    return parseTimestamp(this.raw(col), zone);
  }

  number(col: number): number | undefined {
    if (col < 0) return undefined;
    const b = this.batch as CsvBatch;
    const f = this.first + col;
    const s = b.start[f];
    if (s >= 0) {
      if (s === b.end[f]) return undefined;
      const n = numberBytes(b.bytes, s, b.end[f]);
      if (!Number.isNaN(n)) return n;
    }
    return parseNumber(this.raw(col));
  }
}
