import { open } from 'node:fs/promises';
import { LedgerError } from '../log/errors.js';

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
 * the same load (9 s on a quieter machine). What remains is validation
 * (dictionary encoding, the duplicate-id check, timestamp parsing); see
 * docs/benchmarks.md. Worker threads were not tried (see there).
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
}

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

/** Thrown for a quote that is never closed; carries the reference path's wording. */
function unclosedQuote(source: string, line: number): LedgerError {
  return new LedgerError(
    `${source}: malformed CSV near line ${line}: the parsing is finished with an opening quote at line ${line}`,
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
  private started = false;
  /** whether any byte other than ASCII whitespace was seen (the reference path's "empty file") */
  sawContent = false;

  constructor(
    private readonly source: string,
    delimiter?: string,
  ) {
    if (delimiter !== undefined) this.delimiter = delimiter.charCodeAt(0);
  }

  /**
   * Parse the records that end inside `bytes[from, to)`; with `final`, the
   * range is the end of the input. Returns the offset of the first byte not
   * consumed (the start of an incomplete record).
   */
  scan(
    bytes: Uint8Array,
    from: number,
    to: number,
    final: boolean,
    emit: (record: CsvRecord) => void,
  ): number {
    let p = from;
    if (!this.started) {
      if (!final && to - from < 3) return from;
      if (to - p >= 3 && bytes[p] === 0xef && bytes[p + 1] === 0xbb && bytes[p + 2] === 0xbf) p += 3;
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
      const next = this.record(bytes, p, to, final, emit);
      if (next < 0) break;
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
  private record(
    bytes: Uint8Array,
    p: number,
    to: number,
    final: boolean,
    emit: (record: CsvRecord) => void,
  ): number {
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
    const fields: string[] = [];
    for (;;) {
      let value: string;
      if (p < to && bytes[p] === QUOTE) {
        // quoted field
        let q = p + 1;
        let escaped = false;
        let high = 0;
        let close = -1;
        for (;;) {
          if (q >= to) {
            if (final) throw unclosedQuote(this.source, breaks + 1 - (bytes[to - 1] === LF ? 1 : 0));
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
        let content = decode(bytes, p + 1, close, high);
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
          value = `"${content}"${decode(bytes, start, p, high)}`;
        } else {
          if (p >= to && !final) return -1;
          value = content;
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
        value = decode(bytes, start, p, high);
      }
      fields.push(value);
      if (p >= to) {
        // end of input
        emit({ fields, lines: breaks + 1 });
        this.breaks = breaks;
        return p;
      }
      if (bytes[p] === delimiter) {
        p++;
        continue;
      }
      const end = this.endAt(bytes, p, to);
      emit({ fields, lines: breaks + 1 });
      this.breaks = breaks + 1;
      return p + end;
    }
  }
}

/** ASCII-only bytes decode as latin1 (cheaper); anything else as UTF-8. */
function decode(bytes: Uint8Array, start: number, end: number, high: number): string {
  if (start === end) return '';
  const buffer = bytes as Buffer;
  return high & 0x80 ? buffer.toString('utf8', start, end) : buffer.toString('latin1', start, end);
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

/**
 * Open a CSV/TSV file for streaming: reads the header, then hands out the
 * data records in batches as the chunks are read. Memory: one chunk buffer
 * (grown only for a record longer than a chunk) plus one batch of records.
 * Throws a LedgerError for a quote left open at the end of the file.
 *
 * @example
 * const csv = await openCsvStream('surveys.csv');
 * for await (const batch of csv.batches()) for (const r of batch) use(r.fields);
 */
export async function openCsvStream(path: string, options: CsvStreamOptions = {}): Promise<CsvStream> {
  const chunkBytes = Math.max(16, options.chunkBytes ?? 1 << 18);
  const scanner = new CsvScanner(path, options.delimiter);
  let buffer = Buffer.allocUnsafe(chunkBytes);
  let maxBufferBytes = buffer.length;
  let start = 0;
  let end = 0;
  /** bytes of the file read so far: reads name their position, so the file can be closed between uses */
  let position = 0;
  let done = false;
  let pending: CsvRecord[] = [];
  const collect = (record: CsvRecord) => {
    pending.push(record);
  };
  // Open while reading; closed after the header and reopened by `batches()`, so that a caller
  // who never iterates (e.g. a missing column found from the header) leaves no file open.
  let handle: Awaited<ReturnType<typeof open>> | undefined = await open(path, 'r');
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
      // one record longer than the buffer: grow to fit it
      const grown = Buffer.allocUnsafe(buffer.length * 2);
      buffer.copy(grown, 0, 0, end);
      buffer = grown;
      maxBufferBytes = Math.max(maxBufferBytes, buffer.length);
    }
    let final = false;
    try {
      handle ??= await open(path, 'r');
      const { bytesRead } = await handle.read(buffer, end, buffer.length - end, position);
      position += bytesRead;
      end += bytesRead;
      final = bytesRead === 0;
      start = scanner.scan(buffer, start, end, final, collect);
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

  // the header: the first record
  while (pending.length === 0 && (await step()));
  await close();
  const first = pending.shift();
  const header = first ? first.fields.map((h) => h.trim()) : [];
  const empty = !scanner.sawContent;

  return {
    header,
    empty,
    get maxBufferBytes() {
      return maxBufferBytes;
    },
    async *batches() {
      try {
        for (;;) {
          if (pending.length > 0) {
            const batch = pending;
            pending = [];
            yield batch;
            continue;
          }
          if (done) return;
          await step();
        }
      } finally {
        await close();
      }
    },
  };
}
