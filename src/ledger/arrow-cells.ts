import {
  type AnyColumn,
  type ArrowBatch,
  type ArrowColumn,
  BatchReader,
  ColumnReader,
  type DictionaryColumn,
  DictionaryReader,
  NumberReader,
  TimestampReader,
  TYPE,
  Utf8Reader,
} from './arrow-readers.js';
import type { DictionaryCache } from './dictionary.js';
import type { IdSet } from './id-set.js';
import type { StringPacker } from './packed-strings.js';
import type { ArqueroLike } from './read-input.js';
import type { Cells } from './row-cells.js';

/** The columns of a columnar input (a table from Parquet, Arrow or arquero), aligned with its header. */
export interface ColumnarTable {
  rows: number;
  columns: readonly AnyColumn[];
}

/**
 * The columns of an arquero table, for {@link ArrowCells}; undefined when the table must be read
 * row by row: a filtered or ordered table (its rows are not its columns' rows), or one whose
 * row-by-row read would throw (flechette's `at` throws for a 64-bit integer beyond ±2^53; the
 * row path then fails the load with that error, so it is left to do so, with the same message).
 */
export function arrowColumns(table: ArqueroLike): ColumnarTable | undefined {
  const t = table as ArqueroLike & {
    column?(name: string): unknown;
    isFiltered?(): boolean;
    isOrdered?(): boolean;
  };
  if (typeof t.column !== 'function' || t.isFiltered?.() !== false || t.isOrdered?.() !== false) {
    return undefined;
  }
  const columns = table.columnNames().map((name) => t.column?.(name) as AnyColumn);
  if (columns.some((c) => typeof c?.at !== 'function')) return undefined;
  if (columns.some((c) => isArrow(c) && !safeIntegers(c))) return undefined;
  return { rows: table.numRows(), columns };
}

const isArrow = (c: unknown): c is ArrowColumn =>
  Array.isArray((c as ArrowColumn).data) &&
  (c as ArrowColumn).data.every(
    (b) => typeof b?.at === 'function' && typeof b.length === 'number' && typeof b.type?.typeId === 'number',
  );

/**
 * Whether flechette's `at` reads every valid cell of a column without throwing: false when a
 * 64-bit integer it converts to a number (integers, and timestamps in seconds or milliseconds and
 * dates in milliseconds, unless read as BigInt) is beyond ±(2^53 - 1). Columns of nested types
 * (lists, structs, maps, unions) are read through `at` once here, as the row path reads them.
 * The 64-bit check looks at the high 32-bit half of each value (little-endian, as Node's
 * platforms are): ~1 ms per million values.
 */
function safeIntegers(column: ArrowColumn): boolean {
  for (const batch of column.data) {
    const source = batch.source ?? batch;
    const { typeId, bitWidth, unit } = source.type;
    if (NESTED.has(typeId)) {
      try {
        for (let i = 0; i < batch.length; i++) batch.at(i);
      } catch {
        return false;
      }
      continue;
    }
    const converted =
      (typeId === TYPE.Int && bitWidth === 64) ||
      (typeId === TYPE.Timestamp && (unit === 0 || unit === 1)) ||
      (typeId === TYPE.Date && unit === 1) ||
      typeId === TIME ||
      typeId === DURATION;
    const v = source.values;
    if (!converted || !(v instanceof BigInt64Array || v instanceof BigUint64Array)) continue;
    const words = new Int32Array(v.buffer, v.byteOffset, 2 * batch.length);
    const unsigned = v instanceof BigUint64Array;
    for (let i = 0; i < batch.length; i++) {
      const high = words[2 * i + 1];
      const low = words[2 * i];
      const safe = unsigned
        ? high >>> 0 < 0x200000
        : high < 0x200000 && (high > -0x200000 || (high === -0x200000 && low !== 0));
      if (!safe && isValid(batch, i)) return false;
    }
  }
  return true;
}

const TIME = 9;
const DURATION = 18;
/** List, Struct, Union, FixedSizeList, Map, LargeList, RunEndEncoded, ListView, LargeListView */
const NESTED = new Set([12, 13, 14, 16, 17, 21, 22, 25, 26]);

function isValid(batch: ArrowBatch, i: number): boolean {
  if (!batch.nullCount || !batch.validity) return true;
  return (batch.validity[i >> 3] & (1 << (i & 7))) !== 0;
}

/** The reader for one column: by its Arrow layout, or the general path (see `ColumnReader`). */
function readerOf(column: AnyColumn): ColumnReader {
  if (typeof (column as DictionaryColumn).key === 'function') {
    return new DictionaryReader(column as DictionaryColumn);
  }
  if (!isArrow(column) || column.data.length === 0) return new ColumnReader(column);
  const kinds = new Set(column.data.map(kindOf));
  const kind = kinds.size === 1 ? [...kinds][0] : 'other';
  if (kind === 'utf8') return new Utf8Reader(column);
  if (kind === 'number') return new NumberReader(column);
  if (kind === 'timestamp') return new TimestampReader(column);
  return new BatchReader(column);
}

function kindOf(batch: ArrowBatch): 'utf8' | 'number' | 'timestamp' | 'other' {
  const { typeId, bitWidth = 0, precision = 0, unit } = batch.type;
  if (batch.source) {
    // a Date-valued batch (`useDate`) over epoch values: 64-bit, or 32-bit days
    const v = batch.source.values;
    const days = typeId === TYPE.Date && unit === 0;
    const layout = days ? v instanceof Int32Array : v instanceof BigInt64Array;
    return (typeId === TYPE.Timestamp || typeId === TYPE.Date) && layout ? 'timestamp' : 'other';
  }
  if (typeId === TYPE.Utf8) {
    return batch.offsets instanceof Int32Array && batch.values instanceof Uint8Array ? 'utf8' : 'other';
  }
  const v = batch.values;
  if (typeId === TYPE.Int) {
    if (bitWidth < 64) return 'number';
    // 64-bit integers read as numbers, not as BigInt (`useBigInt`: those stay on the general path)
    return typeof batch.at(firstValid(batch)) === 'bigint' ? 'other' : 'number';
  }
  if (typeId === TYPE.Float && precision > 0 && (v instanceof Float32Array || v instanceof Float64Array)) {
    return 'number';
  }
  return 'other';
}

/** The first non-null index of a batch (0 when there is none). */
function firstValid(batch: ArrowBatch): number {
  for (let i = 0; i < batch.length; i++) if (isValid(batch, i)) return i;
  return 0;
}

/**
 * {@link Cells} over the columns of a columnar input (Parquet, Arrow IPC, arquero tables), read at
 * one row at a time by a reader per column (`arrow-readers.ts`): the common Arrow layouts straight
 * from their buffers, everything else through the value the row-by-row path reads, so that both
 * give the same values, problems, messages and dictionary codes.
 */
export class ArrowCells implements Cells {
  private readonly readers: ColumnReader[];
  private readonly active: ColumnReader[];

  /** `used`: the positions of the columns validation reads (the others are never read). */
  constructor(table: ColumnarTable, used: ReadonlySet<number>) {
    this.readers = table.columns.map((c, i) =>
      used.has(i) ? readerOf(c) : (undefined as unknown as ColumnReader),
    );
    this.active = [...used].map((i) => this.readers[i]);
  }

  /** Move to `row` (0-based, ascending). */
  at(row: number): void {
    for (const reader of this.active) reader.seek(row);
  }

  /** Whether the cell of a used column can be an object (see `ColumnReader.mayHoldObject`). */
  mayHoldObject(col: number): boolean {
    return this.readers[col].mayHoldObject;
  }

  raw(col: number): unknown {
    return col < 0 ? undefined : this.readers[col].value();
  }

  hasId(col: number): boolean {
    return col >= 0 && this.readers[col].hasId();
  }

  id(col: number): string | undefined {
    return col < 0 ? undefined : this.readers[col].id();
  }

  code(col: number, cache: DictionaryCache): number {
    return col < 0 ? -1 : this.readers[col].code(cache);
  }

  claim(col: number, ids: IdSet, row: number): number {
    return this.readers[col].claim(ids, row);
  }

  appendId(col: number, ids: StringPacker): void {
    this.readers[col].appendId(ids);
  }

  timestamp(col: number, zone: string): number | null | undefined {
    return col < 0 ? undefined : this.readers[col].timestamp(zone);
  }

  number(col: number): number | undefined {
    return col < 0 ? undefined : this.readers[col].number();
  }
}
