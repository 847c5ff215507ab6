import { isUtf8 } from 'node:buffer';
import { type ByteSource, openByteSource } from '../files/byte-source.js';
import { LedgerError } from '../log/errors.js';
import { grow } from './column-builder.js';

/**
 * A byte-level CSV reader that streams a file in fixed-size chunks: the
 * fast path of `readInput` for CSV/TSV files.
 *
 * Why hand-rolled: measured on this repo's 2-core machine (shared with other
 * test runs), the 1M-survey benchmark file (997,704 rows, 89 MB;
 * `bench/ingest.mjs`, medians of 3): csv-parse sync on the whole-file string
 * 11.5 s, csv-parse's streaming parser 7.5 s, this reader 0.96 s. The old
 * load path (file → one string → csv-parse → every record held → validated)
 * took 44 s and 1.7 GB peak RSS for `loadSurveys` on a 1,003,680-row file at
 * load average ~10; streamed through this reader, 15.6 s and 0.58 GB under
 * the same load (9 s on a quieter machine). Validation then dominated
 * (dictionary encoding, the duplicate-id check, timestamp parsing): the
 * loader now reads CSV cells from bytes ({@link openCsvFields}, load.ts's
 * CsvCells), and `loadLedgers` may load the concessions on a worker thread
 * (load-in-worker.ts).
 *
 * Semantics are csv-parse's with the options the reference path uses
 * (`relax_column_count`, `relax_quotes`, `skip_empty_lines`, `info`), so the
 * two agree record for record and line for line (test/scale checks it, with
 * a fast-check property over random quoted/CRLF/embedded-newline tables):
 * - a UTF-8 BOM is skipped; the record delimiter is the first `\r\n`, `\n`
 *   or `\r` of the file, any other line-break byte is data;
 * - a field starting with `"` is quoted: `""` is a quote, delimiters and line
 *   breaks are data; a closing quote followed by anything but a delimiter or
 *   a record end turns the field into the literal text (`"a""b"c` → `"a"b"c`),
 *   as csv-parse's `relax_quotes` does; quotes inside unquoted fields are data;
 * - zero-length lines are skipped (they still count as lines);
 * - a quote still open at the end of the file is an error (a LedgerError).
 * `lines` of a record is csv-parse's `info.lines`: 1 + the record delimiters
 * before it + every `\r` and `\n` byte inside records before its end.
 */

/** One record as read: its fields and the 1-based line on which it ends. */
export interface CsvRecord {
  fields: string[];
  lines: number;
}

/**
 * Where the scanner puts what it reads, field by field: as strings
 * ({@link openCsvStream}) or as byte ranges ({@link openCsvFields}).
 */
export interface FieldSink {
  /** an unquoted field: `bytes[start, end)`; `high` has bit 7 set when a byte >= 0x80 occurs in it */
  plain(bytes: Uint8Array, start: number, end: number, high: number): void;
  /** a quoted field, decoded */
  text(value: string): void;
  /** the fields given since the last `end` form a record, which ends on line `lines` */
  end(lines: number): void;
  /** drop the fields given since the last `end`: their record is incomplete and will be read again */
  drop(): void;
}

export interface CsvStreamOptions {
  /** Field delimiter. Default: the one of `, ; \t |` that occurs most in the first line. */
  delimiter?: string;
  /**
   * Bytes read per chunk; each chunk's records are one batch. Default 256 KiB: on the file
   * above 0.96 s, against 1.17 s at 64 KiB (more reads) and 1.97 s at 1 MiB (a batch that
   * outlives V8's young generation is promoted, and old-space collection then dominates: 7.4 s
   * in one run under heavy load). A record longer than a chunk grows the buffer to fit it.
   */
  chunkBytes?: number;
  /**
   * Longest record read, in bytes: a longer one (a quote left open, a file without line breaks,
   * a gigantic field) stops the read with a LedgerError naming its line, before it costs memory
   * of its size. Default {@link MAX_RECORD_BYTES}.
   */
  maxRecordBytes?: number;
}

/** Default longest record: 64 MiB, thousands of times a real ledger row, and a bounded cost. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;

/** The delimiter among , ; tab | that occurs most in the first line (the reference path's rule). */
export function sniffDelimiterBytes(bytes: Uint8Array, from: number, to: number): string {
  let end = from;
  while (end < to && bytes[end] !== LF && bytes[end] !== CR) end++;
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t', '|']) {
    const code = d.charCodeAt(0);
    let count = 0;
    for (let i = from; i < end; i++) if (bytes[i] === code) count++;
    if (count > bestCount) [best, bestCount] = [d, count];
  }
  return best;
}

/**
 * Thrown for a quote that is never closed: where the file ends (the reference path's "near line"),
 * and the line of the record where the quote opened, which is where to look.
 */
function unclosedQuote(source: string, line: number, recordLine: number): LedgerError {
  return new LedgerError(
    `${source}: malformed CSV near line ${line}: a quote opened in the record at line ${recordLine} is never closed, so the rest of the file would be one cell`,
    { source },
  );
}

/**
 * Whether the text starts as UTF-16 does: its byte-order mark, or a NUL byte in every other place
 * of the first characters (ASCII text in UTF-16 without a mark). Excel's "Unicode Text" is UTF-16.
 */
export function isUtf16(bytes: Uint8Array, from: number, to: number): boolean {
  if (
    to - from >= 2 &&
    ((bytes[from] === 0xff && bytes[from + 1] === 0xfe) || (bytes[from] === 0xfe && bytes[from + 1] === 0xff))
  )
    return true;
  const n = Math.min(to - from, 16) & ~1;
  if (n < 4) return false;
  let evenNuls = 0;
  let oddNuls = 0;
  for (let i = 0; i < n; i++) if (bytes[from + i] === 0) i % 2 === 0 ? evenNuls++ : oddNuls++;
  return evenNuls === n / 2 || oddNuls === n / 2;
}

/** The error for a UTF-16 file, with how to convert it. */
export function utf16(source: string): LedgerError {
  return new LedgerError(
    `${source}: the file is UTF-16 text (as Excel's "Unicode Text" saves it), not UTF-8; save it as ` +
      '"CSV UTF-8" or convert it (iconv -f UTF-16 -t UTF-8 in.txt > out.csv)',
    { source },
  );
}

function recordTooLong(source: string, line: number, limit: number): LedgerError {
  const size = limit >= 1 << 20 ? `${+(limit / (1 << 20)).toFixed(1)} MiB` : `${limit} bytes`;
  return new LedgerError(
    `${source}: the record starting at line ${line} is longer than ${size}; is a quote left open, ` +
      'or are the line breaks missing? If the record is genuine, raise the limit ' +
      '(option maxRecordBytes, --max-record-mib on the command line).',
    { source },
  );
}

/**
 * The incremental parser: fed byte ranges, it emits whole records and says
 * how far it consumed; the caller keeps the unconsumed tail (a partial
 * record) and appends the next chunk to it. Line numbers are carried over.
 */
export class CsvScanner {
  private delimiter = -1;
  /** 0 until known; then CR, LF, or CR + LF (0x0d0a) */
  private recordEnd = 0;
  /** line breaks before the unconsumed bytes */
  private breaks = 0;
  /** The line on which the unconsumed bytes (the record being read) start. */
  get line(): number {
    return this.breaks + 1;
  }
  private started = false;
  /** whether any byte other than ASCII whitespace was seen (the reference path's "empty file") */
  sawContent = false;

  constructor(
    private readonly source: string,
    delimiter?: string,
    private readonly decoding?: Decoding,
  ) {
    if (delimiter !== undefined) this.delimiter = delimiter.charCodeAt(0);
  }

  /**
   * Parse the records that end inside `bytes[from, to)`; with `final`, the
   * range is the end of the input. Returns the offset of the first byte not
   * consumed (the start of an incomplete record).
   */
  scan(bytes: Uint8Array, from: number, to: number, final: boolean, sink: FieldSink): number {
    let p = from;
    if (!this.started) {
      if (!final && to - from < 3) return from;
      if (to - p >= 3 && bytes[p] === 0xef && bytes[p + 1] === 0xbb && bytes[p + 2] === 0xbf) p += 3;
      if (isUtf16(bytes, p, to)) throw utf16(this.source);
      this.started = true;
      if (this.delimiter < 0) this.delimiter = sniffDelimiterBytes(bytes, p, to).charCodeAt(0);
    }
    if (this.recordEnd === 0) {
      let i = p;
      while (i < to && bytes[i] !== LF && bytes[i] !== CR) i++;
      if (i < to) {
        if (bytes[i] === LF) this.recordEnd = LF;
        else if (i + 1 < to) this.recordEnd = bytes[i + 1] === LF ? 0x0d0a : CR;
        else if (final) this.recordEnd = CR;
        else return p; // a CR at the end of the chunk: wait for the next byte
      } else if (final) this.recordEnd = LF;
    }
    if (!this.sawContent) {
      for (let i = p; i < to; i++) {
        const b = bytes[i];
        if (b !== 0x20 && b !== 0x09 && b !== LF && b !== CR && b !== 0x0b && b !== 0x0c) {
          this.sawContent = true;
          break;
        }
      }
    }
    while (p < to) {
      const next = this.record(bytes, p, to, final, sink);
      if (next < 0) {
        sink.drop();
        break;
      }
      p = next;
    }
    return p;
  }

  /** Length of the record delimiter at `i` (0 when none). */
  private endAt(bytes: Uint8Array, i: number, to: number): number {
    const b = bytes[i];
    if (this.recordEnd === LF) return b === LF ? 1 : 0;
    if (this.recordEnd === CR) return b === CR ? 1 : 0;
    return b === CR && i + 1 < to && bytes[i + 1] === LF ? 2 : 0;
  }

  /** Parse one record at `p`; returns the offset after it, or -1 when it is incomplete. */
  private record(bytes: Uint8Array, p: number, to: number, final: boolean, sink: FieldSink): number {
    const delimiter = this.delimiter;
    const crlf = this.recordEnd === 0x0d0a;
    let breaks = this.breaks;
    // a zero-length line: skipped, counted
    const empty = this.endAt(bytes, p, to);
    if (empty > 0) {
      this.breaks++;
      return p + empty;
    }
    if (crlf && !final && p + 1 === to && bytes[p] === CR) return -1;
    for (;;) {
      if (p < to && bytes[p] === QUOTE) {
        // quoted field
        let q = p + 1;
        let escaped = false;
        let high = 0;
        let close = -1;
        for (;;) {
          if (q >= to) {
            if (final)
              throw unclosedQuote(this.source, breaks + 1 - (bytes[to - 1] === LF ? 1 : 0), this.breaks + 1);
            return -1;
          }
          const b = bytes[q];
          if (b === QUOTE) {
            if (q + 1 >= to && !final) return -1;
            if (q + 1 < to && bytes[q + 1] === QUOTE) {
              escaped = true;
              q += 2;
              continue;
            }
            close = q;
            break;
          }
          high |= b;
          if (b === LF || b === CR) breaks++;
          q++;
        }
        let content = decode(bytes, p + 1, close, high, this.decoding);
        if (escaped) content = content.replaceAll('""', '"');
        p = close + 1;
        if (p < to && bytes[p] !== delimiter && this.endAt(bytes, p, to) === 0) {
          if (crlf && !final && p + 1 === to && bytes[p] === CR) return -1;
          // relax_quotes: the field is the literal text, continued unquoted
          const start = p;
          high = 0;
          while (p < to && bytes[p] !== delimiter) {
            const b = bytes[p];
            if (this.endAt(bytes, p, to) > 0) break;
            if (crlf && !final && p + 1 === to && b === CR) return -1;
            high |= b;
            if (b === LF || b === CR) breaks++;
            p++;
          }
          if (p >= to && !final) return -1;
          sink.text(`"${content}"${decode(bytes, start, p, high, this.decoding)}`);
        } else {
          if (p >= to && !final) return -1;
          sink.text(content);
        }
      } else {
        const start = p;
        let high = 0;
        for (;;) {
          if (p >= to) {
            if (!final) return -1;
            break;
          }
          const b = bytes[p];
          if (b === delimiter) break;
          if (b === LF) {
            if (this.recordEnd === LF) break;
            breaks++;
          } else if (b === CR) {
            if (this.recordEnd === CR) break;
            if (crlf) {
              if (p + 1 >= to && !final) return -1;
              if (p + 1 < to && bytes[p + 1] === LF) break;
            }
            breaks++;
          }
          high |= b;
          p++;
        }
        sink.plain(bytes, start, p, high);
      }
      if (p >= to) {
        // end of input
        sink.end(breaks + 1);
        this.breaks = breaks;
        return p;
      }
      if (bytes[p] === delimiter) {
        p++;
        continue;
      }
      const end = this.endAt(bytes, p, to);
      sink.end(breaks + 1);
      this.breaks = breaks + 1;
      return p + end;
    }
  }
}

/** ASCII-only bytes decode as latin1 (cheaper); anything else as UTF-8. */
export function decode(
  bytes: Uint8Array,
  start: number,
  end: number,
  high: number,
  decoding?: Decoding,
): string {
  if (start === end) return '';
  const buffer = bytes as Buffer;
  if (!(high & 0x80)) return buffer.toString('latin1', start, end);
  const text = buffer.toString('utf8', start, end);
  // not UTF-8 (a U+FFFD that the bytes do not spell): Windows-1252, as Excel on Windows saves CSV files
  if (!text.includes('\uFFFD') || isUtf8(buffer.subarray(start, end))) return text;
  if (decoding) decoding.windows1252 = true;
  return buffer
    .toString('latin1', start, end)
    .replace(/[\u0080-\u009f]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80]);
}

/**
 * Windows-1252's characters at bytes 0x80..0x9F (the WHATWG index; the rest of the code page is
 * Latin-1). By hand: Node 20's TextDecoder('windows-1252') reads these 32 bytes as Latin-1's
 * invisible C1 controls (0x80 gives U+0080, not €).
 */
const WINDOWS_1252_C1 = [
  ...'\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f',
  ...'\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178',
];

/** What decoding a file's cells met: whether a cell was not UTF-8 (and was read as Windows-1252). */
export interface Decoding {
  windows1252: boolean;
}

/** What {@link openCsvStream} hands back: the header (trimmed) and the data records in batches. */
export interface CsvStream {
  header: string[];
  /** true when the file holds nothing but whitespace */
  empty: boolean;
  /** the data records (header excluded), in batches; each batch is a fresh array */
  batches(): AsyncGenerator<CsvRecord[]>;
  /** the largest buffer the reader held, in bytes (a chunk, or the longest record when longer) */
  readonly maxBufferBytes: number;
}

/** What {@link openCsvFields} hands back: like {@link CsvStream}, with batches of byte ranges. */
export interface CsvFieldStream {
  header: string[];
  empty: boolean;
  /** the data records (header excluded), one batch per chunk read; see {@link CsvBatch} */
  batches(): AsyncGenerator<CsvBatch>;
  readonly maxBufferBytes: number;
  /** whether a cell read so far was not UTF-8 (read as Windows-1252) */
  readonly decoding: Decoding;
  /** The share of the file read so far, 0..1 (see `ByteSource.fractionRead`). */
  fractionRead(): number;
}

/**
 * The records of one chunk as byte ranges into the reader's buffer: no
 * string is built for a field until someone asks for it. Valid only until
 * the next batch is requested (the buffer is then reused).
 *
 * Record `r` has the fields `first[r] .. first[r + 1] - 1`; field `f` is
 * `bytes[start[f], end[f])` when `start[f] >= 0`, else the quoted field's
 * decoded text `texts.get(f)`.
 */
export class CsvBatch {
  records = 0;
  first: Int32Array;
  lines: Int32Array;
  start: Int32Array;
  end: Int32Array;
  /** bit 7 set when the field has a byte >= 0x80 */
  high: Uint8Array;
  fields = 0;
  texts: Map<number, string> | undefined;

  constructor(
    readonly bytes: Buffer,
    records: number,
    fields: number,
    private readonly decoding?: Decoding,
  ) {
    this.first = new Int32Array(records + 1);
    this.lines = new Int32Array(records);
    this.start = new Int32Array(fields);
    this.end = new Int32Array(fields);
    this.high = new Uint8Array(fields);
  }

  /** Field `f` as text (what {@link openCsvStream} gives for it). */
  text(f: number): string {
    const s = this.start[f];
    return s < 0
      ? (this.texts?.get(f) ?? '')
      : decode(this.bytes, s, this.end[f], this.high[f], this.decoding);
  }
}

/** The string-building sink of {@link openCsvStream}. */
class RecordSink implements FieldSink {
  fields: string[] = [];
  pending: CsvRecord[] = [];
  constructor(private readonly decoding: Decoding) {}
  plain(bytes: Uint8Array, start: number, end: number, high: number): void {
    this.fields.push(decode(bytes, start, end, high, this.decoding));
  }
  text(value: string): void {
    this.fields.push(value);
  }
  end(lines: number): void {
    this.pending.push({ fields: this.fields, lines });
    this.fields = [];
  }
  drop(): void {
    this.fields = [];
  }
  take(): CsvRecord[] | undefined {
    if (this.pending.length === 0) return undefined;
    const batch = this.pending;
    this.pending = [];
    return batch;
  }
}

/** The byte-range sink of {@link openCsvFields}: one {@link CsvBatch} per chunk. */
class BatchSink implements FieldSink {
  header: string[] | undefined;
  private headerFields: string[] = [];
  private batch: CsvBatch | undefined;
  private recordCap = 1024;
  private fieldCap = 1024 * 8;

  constructor(private readonly decoding: Decoding) {}

  /** Start a batch over `bytes` (the buffer the next scan reads). */
  begin(bytes: Buffer): void {
    this.batch = new CsvBatch(bytes, this.recordCap, this.fieldCap, this.decoding);
  }
  plain(bytes: Uint8Array, start: number, end: number, high: number): void {
    if (this.header === undefined) {
      this.headerFields.push(decode(bytes, start, end, high, this.decoding));
      return;
    }
    const b = this.room();
    const f = b.fields++;
    b.start[f] = start;
    b.end[f] = end;
    b.high[f] = high;
  }
  text(value: string): void {
    if (this.header === undefined) {
      this.headerFields.push(value);
      return;
    }
    const b = this.room();
    const f = b.fields++;
    b.start[f] = -1;
    b.end[f] = -1;
    b.high[f] = 0;
    b.texts ??= new Map();
    b.texts.set(f, value);
  }
  end(lines: number): void {
    if (this.header === undefined) {
      this.header = this.headerFields;
      return;
    }
    const b = this.batch as CsvBatch;
    if (b.records + 1 >= b.first.length) {
      b.first = grow(b.first);
      b.lines = grow(b.lines);
    }
    b.lines[b.records] = lines;
    b.first[++b.records] = b.fields;
  }
  drop(): void {
    if (this.header === undefined) this.headerFields = [];
    else {
      const b = this.batch as CsvBatch;
      for (let f = b.first[b.records]; f < b.fields; f++) b.texts?.delete(f);
      b.fields = b.first[b.records];
    }
  }
  /** The batch begun last, when it holds records (its size sets the next batch's capacity). */
  take(): CsvBatch | undefined {
    const b = this.batch;
    this.batch = undefined;
    if (!b || b.records === 0) return undefined;
    this.recordCap = Math.max(this.recordCap, b.records);
    this.fieldCap = Math.max(this.fieldCap, b.fields);
    return b;
  }
  /** The batch, with room for one more field. */
  private room(): CsvBatch {
    const b = this.batch as CsvBatch;
    if (b.fields >= b.start.length) {
      b.start = grow(b.start);
      b.end = grow(b.end);
      b.high = grow(b.high);
    }
    return b;
  }
}

/**
 * Open a CSV/TSV file (gzip-compressed or not) for streaming: reads the header, then hands out the
 * data records in batches as the chunks are read. Memory: one chunk buffer
 * (grown only for a record longer than a chunk) plus one batch of records.
 * Throws a LedgerError for a quote left open at the end of the file.
 *
 * @example
 * const csv = await openCsvStream('surveys.csv');
 * for await (const batch of csv.batches()) for (const r of batch) use(r.fields);
 */
export async function openCsvStream(path: string, options: CsvStreamOptions = {}): Promise<CsvStream> {
  const decoding: Decoding = { windows1252: false };
  const sink = new RecordSink(decoding);
  const reader = await openReader(path, options, sink, () => {}, decoding);
  while (sink.pending.length === 0 && (await reader.step()));
  await reader.close();
  const first = sink.pending.shift();
  const header = first ? first.fields.map((h) => h.trim()) : [];
  return {
    header,
    empty: reader.empty(),
    get maxBufferBytes() {
      return reader.maxBufferBytes();
    },
    async *batches() {
      try {
        for (;;) {
          const batch = sink.take();
          if (batch) {
            yield batch;
            continue;
          }
          if (!(await reader.step())) {
            const last = sink.take();
            if (last) yield last;
            return;
          }
        }
      } finally {
        await reader.close();
      }
    },
  };
}

/**
 * {@link openCsvStream} without a string per field: each batch gives the
 * records of one chunk as byte ranges ({@link CsvBatch}), valid until the
 * next batch is requested. The same records, fields (`batch.text(f)`) and
 * line numbers as {@link openCsvStream}; the loader reads CSV files this way.
 */
export async function openCsvFields(path: string, options: CsvStreamOptions = {}): Promise<CsvFieldStream> {
  const decoding: Decoding = { windows1252: false };
  const sink = new BatchSink(decoding);
  const reader = await openReader(path, options, sink, (buffer) => sink.begin(buffer), decoding);
  let first: CsvBatch | undefined;
  while (sink.header === undefined && (await reader.step()));
  first = sink.take();
  await reader.close();
  const header = (sink.header ?? []).map((h) => h.trim());
  return {
    header,
    decoding,
    empty: reader.empty(),
    get maxBufferBytes() {
      return reader.maxBufferBytes();
    },
    fractionRead: reader.fractionRead,
    async *batches() {
      try {
        if (first) {
          const batch = first;
          first = undefined;
          yield batch;
        }
        for (;;) {
          const more = await reader.step();
          const batch = sink.take();
          if (batch) yield batch;
          if (!more) return;
        }
      } finally {
        await reader.close();
      }
    },
  };
}

/** The chunked file reader under both openers: `step` reads one chunk and scans it into the sink. */
async function openReader(
  path: string,
  options: CsvStreamOptions,
  sink: FieldSink,
  beforeScan: (buffer: Buffer) => void,
  decoding: Decoding,
) {
  const chunkBytes = Math.max(16, options.chunkBytes ?? 1 << 18);
  const maxRecordBytes = options.maxRecordBytes ?? MAX_RECORD_BYTES;
  const scanner = new CsvScanner(path, options.delimiter, decoding);
  let buffer = Buffer.allocUnsafe(chunkBytes);
  let maxBufferBytes = buffer.length;
  let start = 0;
  let end = 0;
  /** bytes of the file read so far: reads name their position, so the file can be closed between uses */
  let position = 0;
  let done = false;
  // Open while reading; closed after the header and reopened by `batches()`, so that a caller
  // who never iterates (e.g. a missing column found from the header) leaves no file open. A gzip
  // file is decompressed as it is read (byte-source.ts); reopened, it skips what was read.
  let handle: ByteSource | undefined = await openByteSource(path);
  /** the share of the file read, kept when the file is closed */
  let fraction = 0;
  const close = async () => {
    const h = handle;
    handle = undefined;
    await h?.close();
  };

  /** Read the next chunk after the unconsumed tail and scan it; false at the end of the file. */
  const step = async (): Promise<boolean> => {
    if (done) return false;
    if (start > 0) {
      buffer.copy(buffer, 0, start, end);
      end -= start;
      start = 0;
    }
    if (end === buffer.length) {
      if (end >= maxRecordBytes) {
        await close();
        throw recordTooLong(path, scanner.line, maxRecordBytes);
      }
      // one record longer than the buffer: grow to fit it
      const grown = Buffer.allocUnsafe(Math.min(buffer.length * 2, maxRecordBytes)); // never past the limit
      buffer.copy(grown, 0, 0, end);
      buffer = grown;
      maxBufferBytes = Math.max(maxBufferBytes, buffer.length);
    }
    let final = false;
    try {
      handle ??= await openByteSource(path);
      const bytesRead = await handle.read(buffer, end, buffer.length - end, position);
      // a reopened gzip source decompresses again from the start: its share restarts at 0
      fraction = Math.max(fraction, handle.fractionRead());
      position += bytesRead;
      end += bytesRead;
      final = bytesRead === 0;
      beforeScan(buffer);
      start = scanner.scan(buffer, start, end, final, sink);
    } catch (error) {
      await close();
      throw error;
    }
    if (final) {
      done = true;
      await close();
    }
    return !final;
  };

  return {
    step,
    close,
    empty: () => !scanner.sawContent,
    maxBufferBytes: () => maxBufferBytes,
    fractionRead: () => (done ? 1 : fraction),
  };
}
