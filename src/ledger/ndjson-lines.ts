import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import {
  badGzip,
  decompressedStream,
  fileCompression,
  unsupportedCompression,
} from '../files/byte-source.js';

/**
 * The objects of an NDJSON file, one a line, read as a stream so that a file
 * larger than JavaScript's string limit (~512 MiB) loads too. Blank lines are
 * skipped; a line that is not JSON becomes `undefined`, which the loader counts
 * and quarantines as a malformed record. A leading BOM is dropped; CRLF line
 * ends are handled by readline. A gzip file is decompressed as it is read.
 */
export async function readNdjsonLines(path: string): Promise<unknown[]> {
  const objects: unknown[] = [];
  const compression = await fileCompression(path);
  if (compression !== undefined && compression !== 'gzip') throw unsupportedCompression(path, compression);
  const input = compression ? decompressedStream(path).setEncoding('utf8') : createReadStream(path, 'utf8');
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  let first = true;
  try {
    for await (const raw of lines) read(raw);
  } catch (error) {
    throw compression && (error as { code?: string }).code?.startsWith('Z_') ? badGzip(path, error) : error;
  }
  return objects;

  function read(raw: string): void {
    const line = first ? raw.replace(/^\ufeff/, '') : raw;
    first = false;
    if (line.trim() === '') return;
    try {
      objects.push(JSON.parse(line));
    } catch {
      objects.push(undefined);
    }
  }
}
