import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { queryRows } from '../../src/duckdb/connect.js';
import { analyzeWithDuckDb, connectDuckDb } from '../../src/duckdb.js';
import { loadLedgers } from '../../src/ledger/load.js';
import { simulate } from '../../src/simulate/index.js';

const DETECTORS = ['concession-before-survey', 'concession-during-survey'] as const;

/** Numbers equal to 12 significant digits (the SQL sums in another order); everything else exactly. */
function normalize(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toPrecision(12));
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, normalize(v)]));
  return value;
}

describe('the DuckDB path finds what the in-memory path finds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nps-duckdb-'));
  let files: { surveys: string; concessions: string };
  beforeAll(async () => {
    const summary = await simulate({ scenario: 'demo', seed: 3, scale: 1, outDir: dir });
    files = { surveys: summary.files.surveys, concessions: summary.files.concessions };
  }, 60_000);

  it.each(['bucket', 'range'] as const)(
    'identical findings and tables, every test listed (%s join)',
    async (strategy) => {
      const ledgers = await loadLedgers(files);
      const memory = analyze(ledgers, { detectors: [...DETECTORS], includeAll: true });
      const sql = await analyzeWithDuckDb(files, { includeAll: true, strategy });
      expect(memory.findings.length).toBeGreaterThan(20);
      expect(sql.run.tested).toEqual(memory.run.tested);
      expect(normalize(sql.findings)).toEqual(normalize(memory.findings));
      expect(normalize(sql.tables)).toEqual(normalize(memory.tables));
    },
    60_000,
  );

  it.each([
    ['no non-recovery reason: every concession with a reason is recovery', []],
    ['one non-recovery reason', ['Goodwill']],
  ])(
    'identical findings and tables with %s',
    async (_, reasons: string[]) => {
      const detectorOptions = {
        'concession-before-survey': { nonRecoveryReasons: reasons },
        'concession-during-survey': { nonRecoveryReasons: reasons },
      };
      const ledgers = await loadLedgers(files);
      const memory = analyze(ledgers, { detectors: [...DETECTORS], includeAll: true, detectorOptions });
      const sql = await analyzeWithDuckDb(files, { includeAll: true, detectorOptions });
      expect(normalize(sql.tables)).toEqual(normalize(memory.tables));
      expect(normalize(sql.findings)).toEqual(normalize(memory.findings));
    },
    60_000,
  );

  it('the same findings at the default alpha, from the tables of an open database and from Parquet', async () => {
    const ledgers = await loadLedgers(files);
    const memory = analyze(ledgers, { detectors: [...DETECTORS] });
    const connection = await connectDuckDb();
    await connection.run(`CREATE TABLE s AS SELECT * FROM read_csv('${files.surveys}', all_varchar = true)`);
    await connection.run(
      `CREATE TABLE c AS SELECT * FROM read_csv('${files.concessions}', all_varchar = true)`,
    );
    const sql = await analyzeWithDuckDb(
      { surveys: { table: 's' }, concessions: { table: 'c' } },
      { connection },
    );
    const parquet = { surveys: join(dir, 's.parquet'), concessions: join(dir, 'c.parquet') };
    await connection.run(`COPY s TO '${parquet.surveys}' (FORMAT parquet)`);
    await connection.run(`COPY c TO '${parquet.concessions}' (FORMAT parquet)`);
    connection.closeSync();
    const fromParquet = await analyzeWithDuckDb(parquet);
    expect(memory.findings.length).toBeGreaterThan(0);
    expect(normalize(sql.findings)).toEqual(normalize(memory.findings));
    expect(normalize(fromParquet.findings)).toEqual(normalize(memory.findings));
  }, 60_000);

  it('reads gzipped CSV and TSV as the in-memory path does', async () => {
    const gz = (path: string, name: string, tabs = false) => {
      const text = readFileSync(path, 'utf8');
      const out = join(dir, name);
      writeFileSync(out, gzipSync(tabs ? text.replaceAll(',', '\t') : text));
      return out;
    };
    // the demo world's CSV quotes no field: commas are only delimiters
    const gzipped = {
      surveys: gz(files.surveys, 's.tsv.gz', true),
      concessions: gz(files.concessions, 'c.csv.gz'),
    };
    const memory = analyze(await loadLedgers(gzipped), { detectors: [...DETECTORS], includeAll: true });
    const sql = await analyzeWithDuckDb(gzipped, { includeAll: true });
    expect(memory.run.tested).toEqual(
      analyze(await loadLedgers(files), { detectors: [...DETECTORS] }).run.tested,
    );
    expect(normalize(sql.findings)).toEqual(normalize(memory.findings));
  }, 60_000);

  it('reads a ledger split over a directory of files as the in-memory path does', async () => {
    const [header, ...rows] = readFileSync(files.concessions, 'utf8').trimEnd().split('\n');
    const set = join(dir, 'concession-parts');
    mkdirSync(set);
    const third = Math.ceil(rows.length / 3);
    for (let i = 0; i < 3; i++) {
      const part = `${[header, ...rows.slice(i * third, (i + 1) * third)].join('\n')}\n`;
      writeFileSync(join(set, `part-${i * 5}.csv`), part); // part-0, part-5, part-10: natural order
    }
    const inputs = { surveys: files.surveys, concessions: set };
    const memory = analyze(await loadLedgers(inputs), { detectors: [...DETECTORS], includeAll: true });
    const whole = analyze(await loadLedgers(files), { detectors: [...DETECTORS], includeAll: true });
    const sql = await analyzeWithDuckDb(inputs, { includeAll: true });
    expect(normalize(memory.findings)).toEqual(normalize(whole.findings));
    expect(normalize(sql.findings)).toEqual(normalize(memory.findings));
  }, 60_000);

  it('finds columns as the loader does: spelt otherwise, mapped, or optional and absent', async () => {
    const [sHeader, ...sRows] = readFileSync(files.surveys, 'utf8').trimEnd().split('\n');
    const [cHeader, ...cRows] = readFileSync(files.concessions, 'utf8').trimEnd().split('\n');
    const reasonAt = cHeader.split(',').indexOf('reason');
    const withoutReason = (line: string) =>
      line
        .split(',')
        .filter((_, i) => i !== reasonAt)
        .join(',');
    const odd = {
      surveys: join(dir, 'spelt.csv'),
      concessions: join(dir, 'no-reason.csv'),
    };
    const spelt = sHeader
      .replace('customer_id', 'Customer ID')
      .replace('sent_at', 'SENT_AT')
      .replace('survey_id', 'ref');
    writeFileSync(odd.surveys, `${[spelt, ...sRows].join('\n')}\n`);
    writeFileSync(odd.concessions, `${[cHeader, ...cRows].map(withoutReason).join('\n')}\n`);
    const columns = { survey_id: 'ref' };
    const memory = analyze(await loadLedgers(odd, { columns }), {
      detectors: [...DETECTORS],
      includeAll: true,
    });
    const sql = await analyzeWithDuckDb(odd, { includeAll: true, columns });
    expect(memory.findings.length).toBeGreaterThan(20);
    expect(normalize(sql.findings)).toEqual(normalize(memory.findings));
    await expect(analyzeWithDuckDb(odd)).rejects.toThrow(
      `${odd.surveys}: missing required column(s) survey_id`,
    );
  }, 60_000);

  it('reads a ragged CSV file as the loader does: records with another number of fields left out, counted as malformed', async () => {
    const [header, ...rows] = readFileSync(files.concessions, 'utf8').trimEnd().split('\n');
    const ragged = join(dir, 'ragged.csv');
    // a short record and a long one among the others (DuckDB's own sniffing then read one column)
    writeFileSync(
      ragged,
      `${[header, rows[0], 'K-SHORT,C1', ...rows.slice(1), `${rows[1]},extra`].join('\n')}\n`,
    );
    const inputs = { surveys: files.surveys, concessions: ragged };
    const loaded = await loadLedgers(inputs);
    expect(loaded.quality.concessions.reasons['malformed-row']).toBe(2);
    const memory = analyze(loaded, { detectors: [...DETECTORS], includeAll: true });
    const connection = await connectDuckDb();
    const sql = await analyzeWithDuckDb(inputs, { includeAll: true, connection });
    expect(normalize(sql.findings)).toEqual(normalize(memory.findings));
    expect(sql.dataQuality.concessions.reasons['malformed-row']).toBe(2);
    expect(sql.run.inputs.concessions).toBe(loaded.quality.concessions.rows);
    // a second run on the same connection counts its own rejects only: none in the clean files
    const again = await analyzeWithDuckDb(files, { includeAll: true, connection });
    expect(again.dataQuality.concessions.reasons['malformed-row']).toBeUndefined();
    connection.closeSync();
  }, 60_000);

  it('stops on a record DuckDB cannot read but the loader can (Windows-1252 text), naming file and line', async () => {
    const text = readFileSync(files.concessions, 'utf8');
    const latin1 = join(dir, 'latin1.csv');
    writeFileSync(latin1, Buffer.from(text.replace(',credit,', ',crédit,'), 'latin1'));
    const line = text.split('\n').findIndex((l) => l.includes(',credit,')) + 1;
    await expect(analyzeWithDuckDb({ surveys: files.surveys, concessions: latin1 })).rejects.toThrow(
      `${latin1}, line ${line}: DuckDB cannot read this record (Invalid unicode`,
    );
    await expect(analyzeWithDuckDb({ surveys: files.surveys, concessions: latin1 })).rejects.toThrow(
      'the SQL path reads UTF-8 only: convert the file (iconv -f WINDOWS-1252 -t UTF-8), or use the in-memory engine',
    );
  }, 60_000);

  it('runs under a memory limit with a spill directory, with the same findings', async () => {
    const free = await analyzeWithDuckDb(files, { includeAll: true });
    const connection = await connectDuckDb();
    const spill = mkdtempSync(join(tmpdir(), 'nps-duckdb-spill-'));
    const limited = await analyzeWithDuckDb(files, {
      includeAll: true,
      connection,
      memoryLimit: '64MB',
      tempDirectory: spill,
    });
    const settings = await queryRows(
      connection,
      "SELECT current_setting('memory_limit') AS m, current_setting('temp_directory') AS t",
    );
    connection.closeSync();
    // 64 MB = 61.0 MiB in DuckDB's units
    expect(settings).toEqual([{ m: '61.0 MiB', t: spill }]);
    expect(limited.findings).toEqual(free.findings);
    await expect(analyzeWithDuckDb(files, { memoryLimit: 'lots' })).rejects.toThrow(
      /option memoryLimit "lots" was refused by DuckDB/,
    );
  }, 60_000);

  it('refuses detectors it does not cover', async () => {
    await expect(
      analyzeWithDuckDb(files, { detectors: ['top-box-inflation' as 'concession-before-survey'] }),
    ).rejects.toThrow(/not covered by the SQL path/);
  });
});
