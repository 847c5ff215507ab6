/**
 * One voice for errors: every message the library throws about input is built
 * here, says what was wrong, where (file, row, column) and what was expected.
 */

/** Where in an input a problem sits. Rows are 1-based data rows (header excluded). */
export interface Location {
  source: string;
  row?: number;
  column?: string;
}

/** Bad input: a missing column, an unreadable file, a strict-mode quarantine. */
export class LedgerError extends Error {
  override name = 'LedgerError';
  readonly location: Location;
  constructor(message: string, location: Location) {
    super(message);
    this.location = location;
  }
}

/** Bad arguments or options (wrong type, unknown value). */
export class OptionError extends Error {
  override name = 'OptionError';
}

/** An optional peer dependency is not installed. */
export class MissingPeerError extends Error {
  override name = 'MissingPeerError';
}

export function where({ source, row, column }: Location): string {
  return [source, row === undefined ? '' : `row ${row}`, column === undefined ? '' : `column "${column}"`]
    .filter(Boolean)
    .join(', ');
}

/** Levenshtein distance, for "did you mean" suggestions. */
function distance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return prev[b.length];
}

const squash = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A column name without separators, case, or an `id`/`at` suffix: `Cust_ID` → `cust`. */
const stem = (name: string) => squash(name).replace(/(id|at)$/, '');

/**
 * The found columns that look like `wanted`: close in edit distance, or one
 * stem a prefix of the other (`cust_id` for `customer_id`, `sent` for `sent_at`).
 */
export function nearMatches(wanted: string, found: readonly string[]): string[] {
  const target = squash(wanted);
  const wantedStem = stem(wanted);
  return found
    .map((name) => ({ name, d: distance(squash(name), target) }))
    .filter(({ name, d }) => {
      const s = stem(name);
      const prefix =
        s.length >= 3 && wantedStem.length >= 3 && (s.startsWith(wantedStem) || wantedStem.startsWith(s));
      return d <= Math.max(2, Math.floor(target.length / 4)) || prefix;
    })
    .sort((x, y) => x.d - y.d)
    .map(({ name }) => name);
}

export const messages = {
  missingColumns(source: string, missing: string[], found: readonly string[]): string {
    const hints = missing
      .map((name) => {
        const near = nearMatches(name, found);
        return near.length
          ? `${name} (did you mean \`${near[0]}\`? map it with columns: { ${name}: "${near[0]}" })`
          : name;
      })
      .join(', ');
    const foundList = found.length ? found.map((c) => `\`${c}\``).join(', ') : '(none)';
    return `${source}: missing required column(s) ${hints}; columns found: ${foundList}`;
  },
  unreadable(source: string, cause: string): string {
    return `${source}: cannot read the file (${cause})`;
  },
  /** `bytes` undefined: a gzip file whose content is over the limit (its size is not known until read). */
  jsonTooLarge(source: string, bytes: number | undefined, limit: number): string {
    const mib = (n: number) => `${Math.round(n / 2 ** 20)} MiB`;
    const size = bytes === undefined ? 'decompressed' : mib(bytes);
    return `${source}: a JSON file is parsed whole, and this one (${size}) is over JavaScript's string limit of ${mib(limit)}; export it as NDJSON (one object a line, read as a stream), CSV or Parquet`;
  },
  unknownFormat(source: string): string {
    const excel = /\.(xlsx|xlsm|xls)$/i.test(source) ? ' (save an Excel workbook as "CSV UTF-8")' : '';
    return `${source}: unknown file type${excel}; expected .csv, .tsv, .txt, .json, .ndjson, .jsonl (any of these also gzipped, .gz), .parquet, .arrow, .feather or .ipc`;
  },
  unsupportedInput(what: string): string {
    return `unsupported ledger input (${what}); expected a file path, an array of objects, an arquero table or a danfojs DataFrame`;
  },
  strict(source: string, quarantined: number, first: string): string {
    return `${source}: strict mode: ${quarantined} row(s) quarantined; first: ${first}`;
  },
  badMapping(key: string): string {
    return `column mapping: unknown canonical column "${key}"`;
  },
  badScale(min: number, max: number): string {
    return `rep score scale must be two integers with min < max, got ${min}..${max}`;
  },
  badTimeZone(zone: string): string {
    return `unknown time zone "${zone}"; expected an IANA name like "Europe/Berlin" or "UTC"`;
  },
  missingPeer(pkg: string, feature: string): string {
    return `${feature} needs the optional package "${pkg}", which is not installed; run: npm install ${pkg}`;
  },
};
