import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { formatExtension } from '../files/byte-source.js';
import { LedgerError } from '../log/errors.js';
import { compareNatural } from './natural-order.js';

/**
 * A ledger split over several files, as warehouses and Spark export a table:
 * Snowflake's `COPY INTO @stage` writes `data_0_0_0.csv.gz`, `data_0_1_0.csv.gz`…,
 * BigQuery's wildcard extract `surveys-000000000000.csv`…, Spark a directory of
 * `part-00000-….csv` files next to `_SUCCESS`. Such a ledger is given as its
 * directory or as a pattern whose file name holds `*` (any characters) or `?`
 * (one): `exports/surveys/*.csv.gz`. Its files are read in natural order of
 * their names (`part-2` before `part-10`) as one ledger: every file has a
 * header, and every header must be the first file's.
 */

/** Formats a file of a set may have: the extensions of the ledger files the loader reads. */
export const FORMATS: ReadonlySet<string> = new Set([
  '.csv',
  '.tsv',
  '.txt',
  '.json',
  '.ndjson',
  '.jsonl',
  '.parquet',
  '.arrow',
  '.feather',
  '.ipc',
]);

const GLOB = /[*?]/;

/**
 * The files of `path` when it names a set (a directory, or a pattern), in
 * the order they are read; undefined when it names one file (or nothing: the
 * load then says the file cannot be read). Throws a LedgerError for a set
 * with no files, with files of several formats, or a pattern in a directory
 * name.
 */
export function filesOf(path: string): string[] | undefined {
  if (GLOB.test(path)) return matching(path);
  let directory = false;
  try {
    directory = statSync(path).isDirectory();
  } catch {
    return undefined;
  }
  if (!directory) return undefined;
  const files = listed(path, () => true).filter((f) => FORMATS.has(formatExtension(f)));
  if (files.length === 0)
    throw new LedgerError(
      `${path}: the directory holds no ledger file (.csv, .tsv, .txt, .json, .ndjson, .jsonl, any of these .gz, ` +
        '.parquet, .arrow, .feather or .ipc)',
      { source: path },
    );
  return oneFormat(path, files);
}

function matching(pattern: string): string[] {
  const directory = dirname(pattern);
  if (GLOB.test(directory))
    throw new LedgerError(
      `${pattern}: only the file name may hold * or ?; name the directory (its files are read in name order)`,
      { source: pattern },
    );
  const name = new RegExp(
    `^${basename(pattern)
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replaceAll('*', '.*')
      .replaceAll('?', '.')}$`,
  );
  const files = listed(directory, (f) => name.test(f), pattern);
  if (files.length === 0) throw new LedgerError(`${pattern}: no file matches`, { source: pattern });
  return oneFormat(pattern, files);
}

/**
 * The regular files of `directory` whose names pass `keep`, in natural order; hidden files and
 * those a writer marks as its own (`_SUCCESS`, `_committed_…`) or as checksums (`.crc`) are not
 * data.
 */
function listed(directory: string, keep: (name: string) => boolean, source = directory): string[] {
  let names: string[];
  try {
    names = readdirSync(directory);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such directory' : String(code);
    throw new LedgerError(`${source}: cannot read the directory (${why})`, { source });
  }
  const byName = (a: string, b: string) => {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return compareNatural(x, 0, x.length, y, 0, y.length);
  };
  return names
    .filter((n) => !n.startsWith('.') && !n.startsWith('_') && !n.endsWith('.crc') && keep(n))
    .sort(byName)
    .map((n) => join(directory, n))
    .filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile() === true);
}

function oneFormat(source: string, files: string[]): string[] {
  const formats = new Set(files.map(formatExtension));
  if (formats.size > 1)
    throw new LedgerError(
      `${source}: its files are of several formats (${[...formats].join(', ')}); one ledger's files must share one`,
      { source },
    );
  return files;
}
