import { constants } from 'node:buffer';
import { constants as fsConstants, openAsBlob } from 'node:fs';
import { access, readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import {
  badGzip,
  compressionOf,
  fileCompression,
  formatExtension,
  unsupportedCompression,
} from '../files/byte-source.js';
import { LedgerError, messages } from '../log/errors.js';
import { arrowColumns, type ColumnarTable } from './arrow-cells.js';
import { isWallClock } from './arrow-readers.js';
import { type CsvBatch, type Decoding, openCsvFields } from './csv-stream.js';
import { withCorrectDictionaryNulls } from './dictionary-nulls.js';
import { readNdjsonLines } from './ndjson-lines.js';
import { openParquetGroups, PARQUET_BATCH_ROWS } from './parquet-groups.js';

/**
 * Anything a ledger can be loaded from: a file path (CSV/TSV, JSON, NDJSON,
 * Parquet, Arrow IPC), an array of plain objects, an arquero table, or a
 * danfojs DataFrame (recognised by shape; danfojs itself is never imported here).
 */
export type LedgerInput = string | readonly Record<string, unknown>[] | ArqueroLike | DanfoLike;

export interface ArqueroLike {
  columnNames(): string[];
  numRows(): number;
  getter(name: string): (row: number) => unknown;
}

export interface DanfoLike {
  columns: string[];
  values: unknown[][];
  shape: number[];
}

/** One data record as read, before validation. `values` align with the header. */
export interface RawRecord {
  /** 1-based data row number (header excluded) */
  row: number;
  values: unknown[];
  /** set when the record could not be read as a row (wrong field count, bad JSON line) */
  malformed?: string;
}

export interface RawTable {
  source: string;
  header: string[];
  records: RawRecord[];
  warnings: string[];
  /**
   * Set for a columnar input (Parquet, Arrow, an arquero table): its rows as records made batch by
   * batch when iterated (then `records` is empty and `rows` is the row count). A record per row made
   * up front outlived V8's young generation: loading the 1M + 2M benchmark ledgers from Parquet spent
   * 11 s of 40 s in the garbage collector.
   */
  lazy?: { rows: number; batches: () => AsyncGenerator<RawRecord[]> };
  /**
   * Also set for a columnar input whose columns can be read in place (see `arrowColumns`): what
   * the loader reads, through `ArrowCells`, instead of the records of `lazy`.
   */
  columnar?: ColumnarTable;
  /**
   * For a columnar input: which columns hold wall-clock times (Arrow timestamps without a time
   * zone, and dates), which its records give as `Date`s of those times read as UTC; the loader
   * reads them in its `timeZone`, as the columnar path does (`TimestampReader`).
   */
  wallClock?: readonly boolean[];
}

/** A header and the raw records in batches, read as they are consumed (CSV/TSV files stream). */
export interface RawStream {
  source: string;
  header: string[];
  warnings: string[];
  /** false for an input with neither a header nor records (an empty file) */
  hasContent: boolean;
  batches: AsyncIterable<RawRecord[]>;
  /**
   * For a CSV/TSV file, the same records as byte ranges (see `CsvBatch`): what the loader reads,
   * without a string per field. Iterate either this or `batches`, not both.
   */
  csvBatches?: AsyncIterable<CsvBatch>;
  /** For a columnar input, its columns (see `RawTable.columnar`). Read either this or `batches`. */
  columnar?: ColumnarTable;
  /**
   * For a Parquet file, its row groups, read one at a time as they are consumed (bounded memory):
   * each a columnar `RawTable` whose rows are numbered on from the previous group's. Iterate either
   * this or `batches`, not both.
   */
  chunks?: AsyncIterable<RawTable>;
  /** For a columnar input: its wall-clock columns (see `RawTable.wallClock`). */
  wallClock?: readonly boolean[];
  /** For a CSV/TSV file: whether a cell read so far was not UTF-8 (and was read as Windows-1252). */
  decoding?: Decoding;
  /** For a CSV/TSV or Parquet file: the share of it read so far, 0..1 (by bytes, or by row groups). */
  fractionRead?: () => number;
}

/**
 * Like {@link readInput}, but CSV/TSV files are streamed in chunks through the
 * byte-level reader of `csv-stream.ts` (same records, row numbers and
 * malformed-row messages as the csv-parse reference path, bounded memory:
 * no whole-file string, no array of every record). Other inputs are read
 * whole and handed out as one batch.
 */
export async function readInputStream(
  input: LedgerInput,
  name: string,
  maxRecordBytes?: number,
): Promise<RawStream> {
  if (typeof input === 'string' && CSV_EXTENSIONS.has(formatExtension(input))) {
    return streamCsvFile(input, maxRecordBytes);
  }
  if (typeof input === 'string' && formatExtension(input) === '.parquet') {
    const stream = await streamParquetFile(input);
    if (stream) return stream;
  }
  const table = await readInput(input, name);
  return {
    ...table,
    hasContent: table.header.length > 0 || table.records.length > 0 || (table.lazy?.rows ?? 0) > 0,
    batches: table.lazy ? { [Symbol.asyncIterator]: table.lazy.batches } : oneBatch(table.records),
  };
}

/** The extensions read as CSV/TSV text. */
export const CSV_EXTENSIONS: ReadonlySet<string> = new Set(['.csv', '.tsv', '.txt']);

async function* oneBatch(records: RawRecord[]): AsyncGenerator<RawRecord[]> {
  if (records.length) yield records;
}

async function streamCsvFile(path: string, maxRecordBytes?: number): Promise<RawStream> {
  const ext = formatExtension(path);
  let csv: Awaited<ReturnType<typeof openCsvFields>>;
  try {
    csv = await openCsvFields(path, { delimiter: ext === '.tsv' ? '\t' : undefined, maxRecordBytes });
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    throw new LedgerError(messages.unreadable(path, causeOf(error)), { source: path });
  }
  if (csv.empty) {
    return {
      source: path,
      header: [],
      warnings: [`${path}: file is empty`],
      hasContent: false,
      batches: oneBatch([]),
    };
  }
  const width = csv.header.length;
  async function* batches(): AsyncGenerator<RawRecord[]> {
    let row = 0;
    for await (const batch of csv.batches()) {
      const records: RawRecord[] = new Array(batch.records);
      for (let i = 0; i < batch.records; i++) {
        const fields: string[] = [];
        for (let f = batch.first[i]; f < batch.first[i + 1]; f++) fields.push(batch.text(f));
        const lines = batch.lines[i];
        row++;
        records[i] =
          fields.length === width
            ? { row, values: fields }
            : {
                row,
                values: fields,
                malformed: `expected ${width} fields, found ${fields.length} (line ${lines})`,
              };
      }
      yield records;
    }
  }
  return {
    source: path,
    header: csv.header,
    warnings: [],
    hasContent: true,
    batches: { [Symbol.asyncIterator]: batches },
    csvBatches: { [Symbol.asyncIterator]: () => csv.batches() },
    decoding: csv.decoding,
    fractionRead: csv.fractionRead,
  };
}

/** A Parquet file as its row groups (see `RawStream.chunks`); undefined for a file without any. */
async function streamParquetFile(path: string): Promise<RawStream | undefined> {
  let blob: Blob;
  let compression: string | undefined;
  try {
    // openAsBlob's own errors do not say why (no code): ask the file system first
    await access(path, fsConstants.R_OK);
    if ((await stat(path)).isDirectory()) throw Object.assign(new Error(path), { code: 'EISDIR' });
    compression = await fileCompression(path);
    blob = await openAsBlob(path);
  } catch (error) {
    throw new LedgerError(messages.unreadable(path, causeOf(error)), { source: path });
  }
  if (compression === 'gzip') throw gzippedBinary(path, '.parquet');
  if (compression !== undefined) throw unsupportedCompression(path, compression);
  const file = await openParquetGroups(blob, path);
  if (file.groups === 0) {
    file.close();
    return undefined;
  }
  let first: RawTable | undefined = fromArquero(await file.read(0), path);
  const { header } = first;
  let groupsRead = 0;
  async function* chunks(): AsyncGenerator<RawTable> {
    try {
      let rows = 0;
      for (let group = 0; group < file.groups; group++) {
        const chunk = first ?? fromArquero(await file.read(group), path, rows);
        first = undefined;
        rows += chunk.lazy?.rows ?? 0;
        yield chunk;
        groupsRead = group + 1;
      }
    } finally {
      file.close();
    }
  }
  async function* batches(): AsyncGenerator<RawRecord[]> {
    for await (const chunk of chunks()) if (chunk.lazy) yield* chunk.lazy.batches();
  }
  return {
    source: path,
    header,
    warnings: [],
    hasContent: true,
    batches: { [Symbol.asyncIterator]: batches },
    chunks: { [Symbol.asyncIterator]: chunks },
    fractionRead: () => groupsRead / file.groups,
  };
}

/** Why a file could not be read, in a few words (its error code when unknown). */
export function causeOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  // Node reads a file whole into one Buffer of at most 2 GiB; CSV streams, the others do not
  if (code === 'ERR_FS_FILE_TOO_LARGE')
    return 'over the 2 GiB Node reads at once; split it, or use CSV, which streams';
  return String(code);
}

/** Read any `LedgerInput` into a header and raw records (a columnar input's records lazily: see `RawTable.lazy`). `name` labels non-file inputs in messages. */
export async function readInput(input: LedgerInput, name: string): Promise<RawTable> {
  if (typeof input === 'string') return readPath(input);
  if (Array.isArray(input)) return fromObjects(input as Record<string, unknown>[], name);
  if (isArquero(input)) return fromArquero(await withCorrectDictionaryNulls(input), name);
  if (isDanfo(input)) return fromRows(name, input.columns.map(String), input.values);
  throw new LedgerError(messages.unsupportedInput(typeof input), { source: name });
}

function isArquero(x: unknown): x is ArqueroLike {
  const t = x as ArqueroLike;
  return typeof t?.columnNames === 'function' && typeof t?.numRows === 'function';
}

function isDanfo(x: unknown): x is DanfoLike {
  const d = x as DanfoLike;
  return Array.isArray(d?.columns) && Array.isArray(d?.values) && Array.isArray(d?.shape);
}

async function readPath(path: string): Promise<RawTable> {
  const ext = formatExtension(path);
  let bytes: Buffer;
  try {
    // NDJSON is read line by line: it has no file-size limit beyond memory
    if (ext === '.ndjson' || ext === '.jsonl') return fromObjects(await readNdjsonLines(path), path);
    // a file's UTF-16 length is at most its byte count, so a file below the limit always fits a string
    if (ext === '.json') {
      const { size } = await stat(path);
      if (size > constants.MAX_STRING_LENGTH)
        throw new LedgerError(messages.jsonTooLarge(path, size, constants.MAX_STRING_LENGTH), {
          source: path,
        });
    }
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof LedgerError) throw error;
    throw new LedgerError(messages.unreadable(path, causeOf(error)), { source: path });
  }
  bytes = await decompressed(bytes, path, ext);
  switch (ext) {
    case '.csv':
    case '.tsv':
    case '.txt':
      return readCsv(bytes.toString('utf8'), path, ext === '.tsv' ? '\t' : undefined);
    case '.json':
      return readJson(bytes.toString('utf8'), path);
    case '.parquet':
      return readParquet(bytes, path);
    case '.arrow':
    case '.feather':
    case '.ipc':
      return readArrow(bytes, path);
    default:
      throw new LedgerError(messages.unknownFormat(path), { source: path });
  }
}

/** Text formats that may come gzip-compressed (Parquet and Arrow compress inside the file). */
const GZIP_FORMATS = new Set(['.csv', '.tsv', '.txt', '.json', '.ndjson', '.jsonl']);
const gunzipBytes = promisify(gunzip);

/** A whole file's bytes, gunzipped when they are gzip (see byte-source.ts). */
async function decompressed(bytes: Buffer, path: string, ext: string): Promise<Buffer> {
  const compression = compressionOf(bytes);
  if (compression === undefined || (compression === 'zip' && !GZIP_FORMATS.has(ext))) return bytes;
  if (compression !== 'gzip') throw unsupportedCompression(path, compression);
  if (!GZIP_FORMATS.has(ext)) throw gzippedBinary(path, ext);
  try {
    return await gunzipBytes(bytes, { maxOutputLength: constants.MAX_STRING_LENGTH });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new LedgerError(messages.jsonTooLarge(path, undefined, constants.MAX_STRING_LENGTH), {
        source: path,
      });
    throw badGzip(path, error);
  }
}

/** The error for a gzipped Parquet or Arrow file. */
export function gzippedBinary(path: string, ext: string): LedgerError {
  return new LedgerError(
    `${path}: the file is gzip-compressed ${ext} data; decompress it first (gunzip -k ${path}): ` +
      'Parquet and Arrow files compress inside the file',
    { source: path },
  );
}

/** The delimiter among , ; tab | that occurs most in the header line. */
function sniffDelimiter(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    const count = firstLine.split(d).length - 1;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

/**
 * CSV with BOM, CRLF, quoted delimiters and embedded newlines (csv-parse): the
 * reference path, for CSV text in memory; files stream through
 * {@link readInputStream} (`csv-stream.ts`), which agrees with it record for record.
 * Blank lines are not rows. A record whose field count differs from the
 * header is kept as a malformed record so that it is counted and quarantined.
 */
export function readCsv(text: string, source: string, delimiter?: string): RawTable {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return { source, header: [], records: [], warnings: [`${source}: file is empty`] };
  let parsed: { record: string[]; info: { lines: number; error?: unknown } }[];
  try {
    parsed = parse(body, {
      delimiter: delimiter ?? sniffDelimiter(body),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: true,
      info: true,
    }) as unknown as typeof parsed;
  } catch (error) {
    const e = error as { lines?: number; message: string };
    const line = e.lines === undefined ? '' : ` near line ${e.lines}`;
    throw new LedgerError(`${source}: malformed CSV${line}: ${e.message.replace(/^.*?:\s*/, '')}`, {
      source,
    });
  }
  const [first, ...rest] = parsed;
  const header = first.record.map((h) => h.trim());
  const records = rest.map(({ record, info }, i): RawRecord => {
    const row = i + 1;
    if (record.length === header.length) return { row, values: record };
    return {
      row,
      values: record,
      malformed: `expected ${header.length} fields, found ${record.length} (line ${info.lines})`,
    };
  });
  return { source, header, records, warnings: [] };
}

function readJson(text: string, source: string): RawTable {
  let data: unknown;
  try {
    data = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new LedgerError(`${source}: invalid JSON (${(error as Error).message})`, { source });
  }
  const rows = Array.isArray(data) ? data : (data as { rows?: unknown })?.rows;
  if (!Array.isArray(rows)) {
    throw new LedgerError(`${source}: expected a JSON array of row objects (or { "rows": [...] })`, {
      source,
    });
  }
  return fromObjects(rows, source);
}

/** Header = union of keys in first-seen order; a non-object element is a malformed record. */
function fromObjects(rows: readonly unknown[], source: string): RawTable {
  const header: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) continue;
    for (const key of Object.keys(r)) {
      if (!seen.has(key)) {
        seen.add(key);
        header.push(key);
      }
    }
  }
  const records = rows.map((r, i): RawRecord => {
    if (r === null || typeof r !== 'object' || Array.isArray(r)) {
      return { row: i + 1, values: [], malformed: 'not an object (unparseable JSON line or element)' };
    }
    const obj = r as Record<string, unknown>;
    return { row: i + 1, values: header.map((h) => obj[h]) };
  });
  return { source, header, records, warnings: [] };
}

function fromRows(source: string, header: string[], rows: unknown[][]): RawTable {
  return { source, header, records: rows.map((values, i) => ({ row: i + 1, values })), warnings: [] };
}

/** `rowsBefore`: the rows of the same input read before this table (its first row is `rowsBefore + 1`). */
function fromArquero(table: ArqueroLike, source: string, rowsBefore = 0): RawTable {
  const header = table.columnNames();
  const columnar = arrowColumns(table);
  const wallClock = header.map((h) => isWallClock(table, h));
  const getters = header.map((h) => table.getter(h));
  const n = table.numRows();
  async function* batches(): AsyncGenerator<RawRecord[]> {
    for (let from = 0; from < n; from += LAZY_BATCH) {
      const to = Math.min(n, from + LAZY_BATCH);
      const records: RawRecord[] = new Array(to - from);
      for (let i = from; i < to; i++)
        records[i - from] = { row: rowsBefore + i + 1, values: getters.map((get) => get(i)) };
      yield records;
    }
  }
  return { source, header, records: [], warnings: [], lazy: { rows: n, batches }, columnar, wallClock };
}

/** Rows per batch of a columnar input's records (small enough to die young). */
const LAZY_BATCH = 4096;

async function readArrow(bytes: Buffer, source: string): Promise<RawTable> {
  const aq = await import('arquero');
  let table: ArqueroLike;
  try {
    table = aq.fromArrow(bytes) as unknown as ArqueroLike;
  } catch (error) {
    throw new LedgerError(`${source}: invalid Arrow IPC file (${String(error)})`, { source });
  }
  return fromArquero(await withCorrectDictionaryNulls(table), source);
}

/** A Parquet file read whole (`readInput`, and a file without row groups; the loader streams the others). */
async function readParquet(bytes: Buffer, source: string): Promise<RawTable> {
  const [parquet, aq] = await Promise.all([import('parquet-wasm'), import('arquero')]);
  let ipc: Uint8Array;
  try {
    ipc = parquet.readParquet(new Uint8Array(bytes), { batchSize: PARQUET_BATCH_ROWS }).intoIPCStream();
  } catch (error) {
    throw new LedgerError(`${source}: invalid Parquet file (${String(error)})`, { source });
  }
  return fromArquero(await withCorrectDictionaryNulls(aq.fromArrow(ipc) as unknown as ArqueroLike), source);
}
