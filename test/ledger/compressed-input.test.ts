import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { relationOf } from '../../src/duckdb/sql.js';
import { compressionOf, formatExtension } from '../../src/files/byte-source.js';
import { openCsvStream } from '../../src/ledger/csv-stream.js';
import { loadConcessions, loadSurveys } from '../../src/ledger/load.js';
import { minWorkerBytes } from '../../src/ledger/load-in-worker.js';
import { surveyContent } from '../helpers/surveyContent.js';

const fixture = (name: string) => new URL(`../fixtures/ledger/${name}`, import.meta.url).pathname;
const demo = (name: string) => new URL(`../../datasets/demo/${name}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nps-gaming-gzip-'));
let files = 0;
function file(content: string | Buffer, name: string): string {
  const path = join(dir, `${files++}-${name}`);
  writeFileSync(path, content);
  return path;
}
const gzipped = (path: string, name: string) => file(gzipSync(readFileSync(path)), name);

/** A load's accepted rows, quarantine and messages, comparable between a file and its gzipped copy. */
async function surveysOf(path: string) {
  const { rows, quality } = await surveyContent(path);
  return { ...rows, quality: JSON.parse(JSON.stringify(quality).replaceAll(path, 'FILE')) };
}

describe('gzip-compressed ledgers load as their decompressed files do', () => {
  it('CSV with quarantined rows: the same rows, reasons, row numbers and messages', async () => {
    const plain = await surveysOf(fixture('surveys-bad.csv'));
    expect(plain.quality.quarantined).toBeGreaterThan(0);
    expect(await surveysOf(gzipped(fixture('surveys-bad.csv'), 'surveys-bad.csv.gz'))).toEqual(plain);
  });

  it('the demo world, whose records cross every decompressed chunk, also read in tiny chunks', async () => {
    const path = gzipped(demo('surveys.csv'), 'surveys.csv.gz');
    expect(await surveysOf(path)).toEqual(await surveysOf(demo('surveys.csv')));
    const records = async (p: string) => {
      const csv = await openCsvStream(p, { chunkBytes: 37 });
      const out: unknown[] = [csv.header];
      for await (const batch of csv.batches()) out.push(...batch);
      return out;
    };
    expect(await records(path)).toEqual(await records(demo('surveys.csv')));
  });

  it('a gzip file is recognised by its bytes, whatever its name', async () => {
    const path = gzipped(fixture('surveys-bad.csv'), 'surveys-bad.csv');
    expect(await surveysOf(path)).toEqual(await surveysOf(fixture('surveys-bad.csv')));
  });

  it('several gzip members (exports concatenated with cat) read as one file', async () => {
    const lines = readFileSync(demo('concessions.csv'), 'utf8').split('\n');
    const half = Math.floor(lines.length / 2);
    const members = Buffer.concat([
      gzipSync(`${lines.slice(0, half).join('\n')}\n`),
      gzipSync(lines.slice(half).join('\n')),
    ]);
    const { ledger, quality } = await loadConcessions(file(members, 'concessions.csv.gz'));
    const plain = await loadConcessions(demo('concessions.csv'));
    expect(quality.accepted).toBe(plain.quality.accepted);
    expect(Array.from(ledger.amount)).toEqual(Array.from(plain.ledger.amount));
  });

  it('TSV, NDJSON and JSON, gzipped', async () => {
    const tsv = await surveysOf(fixture('surveys.tsv'));
    expect(await surveysOf(gzipped(fixture('surveys.tsv'), 'surveys.tsv.gz'))).toEqual(tsv);
    const expected = await surveysOf(fixture('surveys.csv'));
    const text = readFileSync(fixture('surveys.csv'), 'utf8').trim().split('\n');
    const header = text[0].split(',');
    const rows = text.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
    const ndjson = file(gzipSync(rows.map((r) => JSON.stringify(r)).join('\n')), 'surveys.ndjson.gz');
    const json = file(gzipSync(JSON.stringify(rows)), 'surveys.json.gz');
    for (const path of [ndjson, json]) {
      const got = await surveysOf(path);
      expect(got.ids).toEqual(expected.ids);
      expect(got.sent).toEqual(expected.sent);
      expect(got.ids).toHaveLength(rows.length);
    }
  });

  it('a gzipped CSV concession file is large enough for the loader worker at a quarter of the size', () => {
    expect(minWorkerBytes('c.csv.gz')).toBe(minWorkerBytes('c.csv')! / 4);
    expect(minWorkerBytes('c.tsv.gz')).toBe(minWorkerBytes('c.tsv')! / 4);
    expect(minWorkerBytes('c.parquet.gz')).toBeUndefined();
  });
});

describe('compressed files that cannot be read say why and what to do', () => {
  const csv = readFileSync(fixture('surveys.csv'));

  it('a truncated gzip file (an interrupted download)', async () => {
    const whole = gzipSync(readFileSync(demo('surveys.csv')));
    const path = file(whole.subarray(0, whole.length >> 1), 'surveys.csv.gz');
    await expect(loadSurveys(path)).rejects.toThrow(
      `${path}: the gzip data ends early: the file is truncated`,
    );
    const ndjson = file(gzipSync('{"a":1}\n'.repeat(5000)).subarray(0, 100), 'surveys.ndjson.gz');
    await expect(loadSurveys(ndjson)).rejects.toThrow(`${ndjson}: the gzip data ends early`);
  });

  it('damaged gzip data', async () => {
    const bytes = gzipSync(readFileSync(demo('surveys.csv')));
    bytes.fill(0x55, 100, 200);
    const path = file(bytes, 'surveys.csv.gz');
    await expect(loadSurveys(path)).rejects.toThrow(`${path}: the gzip data is damaged`);
  });

  it.each([
    ['Zstandard', [0x28, 0xb5, 0x2f, 0xfd], 'zstd -d'],
    ['bzip2', [0x42, 0x5a, 0x68, 0x39, 0x31, 0x41], 'bunzip2 -k'],
    ['xz', [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00], 'unxz -k'],
  ])('%s: decompress it first, with the command', async (name, magic, command) => {
    const path = file(Buffer.concat([Buffer.from(magic), csv]), 'surveys.csv');
    await expect(loadSurveys(path)).rejects.toThrow(
      `${path}: the file is ${name}-compressed; decompress it first (${command} ${path})`,
    );
    const json = file(Buffer.concat([Buffer.from(magic), csv]), 'surveys.json');
    await expect(loadSurveys(json)).rejects.toThrow(`${json}: the file is ${name}-compressed`);
  });

  it('an Excel workbook, named as such or as CSV', async () => {
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), csv]);
    const xlsx = file(zip, 'surveys.xlsx');
    await expect(loadSurveys(xlsx)).rejects.toThrow(
      `${xlsx}: unknown file type (save an Excel workbook as "CSV UTF-8")`,
    );
    const named = file(zip, 'surveys.csv');
    await expect(loadSurveys(named)).rejects.toThrow(
      `${named}: the file is a zip archive (an Excel workbook is one)`,
    );
  });

  it('gzipped Parquet: decompress it first', async () => {
    const path = file(gzipSync(Buffer.from('PAR1 not really')), 'surveys.parquet.gz');
    await expect(loadSurveys(path)).rejects.toThrow(
      `${path}: the file is gzip-compressed .parquet data; decompress it first`,
    );
  });

  it('a CSV header that merely starts like a bzip2 file is CSV', async () => {
    const path = file('BZh_code,survey_id\nx,y\n', 'surveys.csv');
    await expect(loadSurveys(path)).rejects.toThrow('missing required column');
  });
});

describe('helpers', () => {
  it('formatExtension leaves out a final .gz', () => {
    expect(formatExtension('a/b/Surveys.CSV.GZ')).toBe('.csv');
    expect(formatExtension('surveys.tsv')).toBe('.tsv');
    expect(formatExtension('surveys.gz')).toBe('');
  });

  it('compressionOf needs every magic byte', () => {
    expect(compressionOf(Uint8Array.from([0x1f, 0x8b, 8]))).toBe('gzip');
    expect(compressionOf(Uint8Array.from([0x1f]))).toBeUndefined();
    expect(compressionOf(Uint8Array.from([0x42, 0x5a, 0x68, 0x39, 0x31]))).toBeUndefined();
  });

  it("DuckDB reads a .tsv.gz with the tab delimiter, and a gzipped CSV with its header's (it decompresses .gz itself)", () => {
    expect(relationOf({ file: 'x/s.tsv.gz' })).toContain("delim = '\t'");
    const semicolons = file(
      gzipSync('survey_id;customer_id;sent_at\nS1;C1;2025-03-01T10:00:00Z\n'),
      's.csv.gz',
    );
    expect(relationOf({ file: semicolons })).toContain("delim = ';'");
    // a file that cannot be read: the loader's default, and DuckDB then says what is wrong
    expect(relationOf({ file: 'x/missing.csv.gz' })).toContain("delim = ','");
  });
});
