import { mkdtempSync, openAsBlob } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { loadConcessions, loadLedgers } from '../../src/ledger/load.js';
import type { Ledgers } from '../../src/ledger/types.js';
import { simulate } from '../../src/simulate/index.js';

/**
 * The same simulated ledgers as CSV and as Parquet written by DuckDB, typed as DuckDB's CSV
 * sniffer reads them (TIMESTAMPTZ, BIGINT scores, DOUBLE amounts, BOOLEAN `resolved`, VARCHAR
 * ids: the benchmark's Parquet files) and as text only: the Parquet files load column by column
 * in place (`arrow-cells.ts`) and must give the CSV file's ledgers, accounting and findings.
 */

type Files = { surveys: string; concessions: string; interactions: string };

function comparable(l: Ledgers) {
  const plain = (x: object | undefined) =>
    x &&
    Object.fromEntries(
      Object.entries(x).map(([k, v]) => [
        k,
        ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v instanceof Set ? [...v].sort() : v,
      ]),
    );
  const quality = Object.fromEntries(
    Object.entries(l.quality).map(([k, q]) => [k, q && { ...q, source: undefined }]),
  );
  return {
    surveys: plain(l.surveys),
    concessions: plain(l.concessions),
    interactions: plain(l.interactions),
    ids: Object.fromEntries(Object.entries(l.ids).map(([k, d]) => [k, d.values])),
    quality,
  };
}

describe('Parquet input gives the CSV input’s ledgers and findings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nps-parquet-'));
  let csv: Files;
  const typed = {} as Files;
  const text = {} as Files;
  /** typed, in row groups of 2048 rows: the loader reads a group at a time */
  const grouped = {} as Files;
  beforeAll(async () => {
    const summary = await simulate({ scenario: 'demo', seed: 5, scale: 1, outDir: dir });
    csv = summary.files as Files;
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    // with more threads DuckDB merges small row groups, whatever ROW_GROUP_SIZE says
    await connection.run('SET threads = 1');
    for (const name of ['surveys', 'concessions', 'interactions'] as const) {
      typed[name] = join(dir, `${name}.parquet`);
      text[name] = join(dir, `${name}-text.parquet`);
      await connection.run(
        `COPY (SELECT * FROM read_csv('${csv[name]}', header = true)) TO '${typed[name]}' (FORMAT parquet)`,
      );
      await connection.run(
        `COPY (SELECT * FROM read_csv('${csv[name]}', header = true, all_varchar = true)) TO '${text[name]}' (FORMAT parquet)`,
      );
      grouped[name] = join(dir, `${name}-grouped.parquet`);
      await connection.run(
        `COPY (SELECT * FROM read_csv('${csv[name]}', header = true)) TO '${grouped[name]}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
      );
    }
    connection.closeSync();
  }, 60_000);

  it('the grouped files have several row groups; a row in a later group is named by its row number', async () => {
    const { ParquetFile } = await import('parquet-wasm');
    for (const name of ['surveys', 'concessions'] as const) {
      const file = await ParquetFile.fromFile(await openAsBlob(grouped[name]));
      expect(file.metadata().numRowGroups()).toBeGreaterThan(1);
      file.free();
    }
    // the concessions as text, and one more row whose amount is not a number, in the last group
    const bad = join(dir, 'concessions-bad.parquet');
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    await connection.run('SET threads = 1');
    const rows = `read_csv('${csv.concessions}', header = true, all_varchar = true)`;
    await connection.run(
      `COPY (SELECT * FROM ${rows} UNION ALL (SELECT 'K-bad', customer_id, rep_id, granted_at, 'free', category, reason FROM ${rows} LIMIT 1)) TO '${bad}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`,
    );
    connection.closeSync();
    const n = (await loadConcessions(csv.concessions)).quality.rows;
    expect(n).toBeGreaterThan(2048);
    const { quality } = await loadConcessions(bad);
    expect(quality).toMatchObject({ rows: n + 1, quarantined: 1 });
    expect(quality.examples['bad-amount']).toMatchObject([{ row: n + 1, column: 'amount', value: 'free' }]);
  });

  it('typed, text-only and grouped Parquet: the same ledgers, dictionaries, accounting and findings', async () => {
    const fromCsv = await loadLedgers(csv, { parallel: false });
    expect(fromCsv.surveys.length).toBeGreaterThan(1000);
    const expected = comparable(fromCsv);
    const now = new Date('2026-01-01T00:00:00Z');
    const findings = analyze(fromCsv, { includeAll: true, now });
    expect(findings.findings.length).toBeGreaterThan(20);
    for (const files of [typed, text, grouped]) {
      const fromParquet = await loadLedgers(files, { parallel: false });
      expect(comparable(fromParquet)).toEqual(expected);
      expect(analyze(fromParquet, { includeAll: true, now })).toEqual(findings);
    }
  }, 60_000);
});
