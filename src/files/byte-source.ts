import { closeSync, createReadStream, openSync, type ReadStream, readSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { LedgerError } from '../log/errors.js';

/**
 * Compressed input files. Warehouses export CSV gzipped: Snowflake's
 * `COPY INTO @stage` does by default, BigQuery's `bq extract` and Redshift's
 * `UNLOAD` with an option, and analysts `gzip` large exports to keep them.
 * A gzip file is recognised by its first two bytes (1f 8b), whatever its
 * name, and decompressed as it is read: the loader sees the same bytes as it
 * would from the decompressed file. Node's gunzip reads files of several
 * gzip members (parallel exports concatenated with `cat`) as one.
 * Zstandard, bzip2, xz and zip files are recognised too, and refused with a
 * message that says how to decompress them: Node 20 has no zstd, bzip2 or xz
 * decoder, and a zip (an Excel workbook is one) holds files, not one table.
 */

/** Compressions recognised by their first bytes (-1: any byte). */
const MAGIC: { name: string; bytes: number[]; how: string }[] = [
  { name: 'gzip', bytes: [0x1f, 0x8b], how: '' },
  { name: 'Zstandard', bytes: [0x28, 0xb5, 0x2f, 0xfd], how: 'zstd -d FILE' },
  // "BZh", the block size 1-9, then the first block's magic (so that a CSV header "BZh…" is not one)
  { name: 'bzip2', bytes: [0x42, 0x5a, 0x68, -1, 0x31, 0x41], how: 'bunzip2 -k FILE' },
  { name: 'xz', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], how: 'unxz -k FILE' },
  { name: 'zip', bytes: [0x50, 0x4b, 0x03, 0x04], how: 'unzip FILE' },
];

/** How many leading bytes {@link compressionOf} reads. */
const MAGIC_BYTES = 6;

/**
 * The file's format extension, lower case, a final `.gz` left out:
 * `surveys.csv.gz` → `.csv`.
 */
export function formatExtension(path: string): string {
  const ext = extname(path).toLowerCase();
  return ext === '.gz' ? extname(path.slice(0, -ext.length)).toLowerCase() : ext;
}

/** The compression that `bytes` (a file's first bytes) start with, if any. */
export function compressionOf(bytes: Uint8Array): string | undefined {
  return MAGIC.find((m) => m.bytes.every((b, i) => i < bytes.length && (b < 0 || bytes[i] === b)))?.name;
}

/** Up to `bytes` of a file's first bytes (fewer for a shorter file); throws the file system's error. */
export function fileHead(path: string, bytes: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(bytes);
    return head.subarray(0, readSync(fd, head, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}

/** A file's first bytes' compression (undefined: none recognised, or an empty file). */
export async function fileCompression(path: string): Promise<string | undefined> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(MAGIC_BYTES);
    const { bytesRead } = await handle.read(head, 0, MAGIC_BYTES, 0);
    return compressionOf(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

/** The error for a compression this library does not read. */
export function unsupportedCompression(path: string, compression: string): LedgerError {
  const how = MAGIC.find((m) => m.name === compression)?.how.replace('FILE', path);
  const what =
    compression === 'zip' ? 'a zip archive (an Excel workbook is one)' : `${compression}-compressed`;
  const advice =
    compression === 'zip'
      ? `extract the table (${how}), or save a workbook as "CSV UTF-8"`
      : `decompress it first (${how}) or compress it with gzip, which is read as it is`;
  return new LedgerError(`${path}: the file is ${what}; ${advice}`, { source: path });
}

/** The error for gzip data that zlib could not decompress: truncated or damaged. */
export function badGzip(path: string, error: unknown): LedgerError {
  const code = (error as { code?: string }).code;
  const what =
    code === 'Z_BUF_ERROR'
      ? 'the gzip data ends early: the file is truncated (an interrupted download or copy?)'
      : `the gzip data is damaged (${(error as Error).message})`;
  return new LedgerError(`${path}: ${what}`, { source: path });
}

/** Positioned reads from a file, decompressed when it is gzip. */
export interface ByteSource {
  /** Read up to `length` bytes at `position` of the (decompressed) content into `buffer` at `offset`; 0 at the end. */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  close(): Promise<void>;
  /** The share of the file's bytes read so far, 0..1 (of a gzip file: of its compressed bytes). */
  fractionRead(): number;
}

/**
 * Open `path` for positioned reads of its content. A plain file reads at
 * any position. A gzip file decompresses forward only: a read behind what
 * was decompressed throws, a read ahead of it skips (a reopened source
 * decompresses again from the start). Other compressions throw
 * {@link unsupportedCompression}.
 */
export async function openByteSource(path: string): Promise<ByteSource> {
  const compression = await fileCompression(path);
  if (compression === undefined) {
    const handle = await open(path, 'r');
    const { size } = await handle.stat();
    let end = 0;
    return {
      async read(buffer, offset, length, position) {
        const { bytesRead } = await handle.read(buffer, offset, length, position);
        end = position + bytesRead;
        return bytesRead;
      },
      close: () => handle.close(),
      fractionRead: () => (size > 0 ? Math.min(1, end / size) : 1),
    };
  }
  if (compression !== 'gzip') throw unsupportedCompression(path, compression);
  return gunzipSource(path);
}

/** Bytes zlib hands out at a time: its default (16 KiB) made 16 reads of one 256 KiB chunk. */
const GUNZIP_CHUNK_BYTES = 1 << 18;

function gunzipSource(path: string): ByteSource {
  const size = statSync(path).size;
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const gunzip = gunzipped(file);
  const chunks = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let pending: Buffer = Buffer.alloc(0);
  /** decompressed bytes handed out or skipped so far */
  let consumed = 0;
  let ended = false;
  /** The next decompressed bytes (empty at the end). */
  const more = async (): Promise<Buffer> => {
    if (pending.length === 0 && !ended) {
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (error) {
        throw badGzip(path, error);
      }
      if (next.done) ended = true;
      else pending = next.value;
    }
    return pending;
  };
  return {
    async read(buffer, offset, length, position) {
      if (position < consumed) throw new Error(`internal error: ${path} read backwards in its gzip stream`);
      while (consumed < position && (await more()).length > 0) {
        const skip = Math.min(position - consumed, pending.length);
        pending = pending.subarray(skip);
        consumed += skip;
      }
      let done = 0;
      while (done < length && (await more()).length > 0) {
        const n = Math.min(length - done, pending.length);
        buffer.set(pending.subarray(0, n), offset + done);
        pending = pending.subarray(n);
        consumed += n;
        done += n;
      }
      return done;
    },
    close: async () => {
      gunzip.destroy();
    },
    fractionRead: () => (ended || size === 0 ? 1 : Math.min(1, file.bytesRead / size)),
  };
}

/**
 * The file's content as a stream: decompressed when it is gzip (zlib runs on
 * libuv's thread pool, so the calling thread only copies). Errors of damaged
 * gzip data come out of the stream as zlib's (see {@link badGzip}).
 */
export function decompressedStream(path: string): Readable {
  return gunzipped(createReadStream(path, { highWaterMark: 1 << 20 }));
}

function gunzipped(file: ReadStream): Readable {
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  file.on('error', (error) => gunzip.destroy(error));
  gunzip.on('close', () => file.destroy());
  return file.pipe(gunzip);
}
