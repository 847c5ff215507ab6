import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/**
 * The objects of an NDJSON file, one a line, read as a stream so that a file
 * larger than JavaScript's string limit (~512 MiB) loads too. Blank lines are
 * skipped; a line that is not JSON becomes `undefined`, which the loader counts
 * and quarantines as a malformed record. A leading BOM is dropped; CRLF line
 * ends are handled by readline.
 */
export async function readNdjsonLines(path: string): Promise<unknown[]> {
  const objects: unknown[] = [];
  const lines = createInterface({
    input: createReadStream(path, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let first = true;
  for await (const raw of lines) {
    const line = first ? raw.replace(/^\ufeff/, '') : raw;
    first = false;
    if (line.trim() === '') continue;
    try {
      objects.push(JSON.parse(line));
    } catch {
      objects.push(undefined);
    }
  }
  return objects;
}
