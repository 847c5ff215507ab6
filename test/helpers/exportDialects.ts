/**
 * How other tools write the same ledger as CSV: each dialect's timestamps, its spelling of an
 * empty cell (in every column, ids included), line ends, delimiter and encoding.
 */
export interface ExportDialect {
  time: (v: string) => string;
  missing: string;
  eol?: string;
  delimiter?: string;
  encoding?: BufferEncoding;
}

const iso = (v: string) => new Date(Date.parse(v)).toISOString(); // 2025-03-01T10:00:00.000Z

export const EXPORT_DIALECTS: Record<string, ExportDialect> = {
  // COPY … TO STDOUT WITH CSV HEADER of timestamptz columns
  postgresql: {
    time: (v) =>
      iso(v)
        .replace('T', ' ')
        .replace(/\.000Z$|Z$/, '+00'),
    missing: '',
  },
  // SQL Server's datetimeoffset(7), NULLs written out
  'sql server': {
    time: (v) => `${iso(v).replace('T', ' ').replace('Z', '')}0000 +00:00`,
    missing: 'NULL',
    eol: '\r\n',
  },
  // bq extract
  bigquery: {
    time: (v) =>
      iso(v)
        .replace('T', ' ')
        .replace(/\.000Z$|Z$/, ' UTC'),
    missing: '',
  },
  // R's write.csv of POSIXct in a UTC session: naive times, NA for every missing value
  r: {
    time: (v) =>
      iso(v)
        .replace('T', ' ')
        .replace(/\.000Z$|Z$/, ''),
    missing: 'NA',
  },
  // MySQL's SELECT … INTO OUTFILE
  mysql: {
    time: (v) =>
      iso(v)
        .replace('T', ' ')
        .replace(/\.000Z$|Z$/, ''),
    missing: '\\N',
  },
  // Excel on Windows: semicolons, CRLF, Windows-1252
  excel: { time: (v) => v, missing: '', eol: '\r\n', delimiter: ';', encoding: 'latin1' },
};

/** `rows` as `dialect` writes them (`times`: the timestamp columns), as file content. */
export function writeAs(
  rows: readonly Record<string, string>[],
  times: readonly string[],
  dialect: ExportDialect,
): Buffer {
  const header = Object.keys(rows[0]);
  const cell = (column: string, v: string) =>
    v === '' ? dialect.missing : times.includes(column) ? dialect.time(v) : v;
  const delimiter = dialect.delimiter ?? ',';
  const eol = dialect.eol ?? '\n';
  const lines = [
    header.join(delimiter),
    ...rows.map((r) => header.map((h) => cell(h, r[h])).join(delimiter)),
  ];
  return Buffer.from(`${lines.join(eol)}${eol}`, dialect.encoding ?? 'utf8');
}
