import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as aq from 'arquero';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { relationOf } from '../../src/duckdb/sql.js';
import { filesOf } from '../../src/ledger/file-set.js';
import { loadConcessions, loadSurveys } from '../../src/ledger/load.js';
import { describeQuality } from '../../src/ledger/quality.js';
import { surveyContent } from '../helpers/surveyContent.js';

const demo = (name: string) => new URL(`../../datasets/demo/${name}`, import.meta.url).pathname;
const fixture = (name: string) => new URL(`../fixtures/ledger/${name}`, import.meta.url).pathname;
const root = mkdtempSync(join(tmpdir(), 'nps-gaming-sets-'));
let dirs = 0;

/** A directory with `files` (name → content). */
function directory(files: Record<string, string | Buffer>): string {
  const dir = join(root, `d${dirs++}`);
  mkdirSync(dir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

/** `text` (a CSV with a header) split into `parts` files, each with the header. */
function split(text: string, parts: number): string[] {
  const [header, ...rows] = text.trimEnd().split('\n');
  const size = Math.ceil(rows.length / parts);
  return Array.from(
    { length: parts },
    (_, i) => `${[header, ...rows.slice(i * size, (i + 1) * size)].join('\n')}\n`,
  );
}

async function surveysOf(input: string) {
  const { rows, quality } = await surveyContent(input);
  return { ...rows, counts: [quality.rows, quality.accepted, quality.quarantined] };
}

describe('a ledger split over files (a directory, or a pattern) loads as the whole file does', () => {
  const text = readFileSync(demo('surveys.csv'), 'utf8');
  const [a, b, c] = split(text, 3);

  it('a directory, in natural name order, gzipped parts among plain ones; writer files left out', async () => {
    // part-10 after part-2: natural, not byte, order
    const dir = directory({
      'part-10.csv': c,
      'part-1.csv.gz': gzipSync(a),
      'part-2.csv': b,
      _SUCCESS: '',
      '.part-2.csv.crc': 'x',
      'README.txt.crc': 'x',
    });
    expect(filesOf(dir)?.map((f) => f.slice(dir.length + 1))).toEqual([
      'part-1.csv.gz',
      'part-2.csv',
      'part-10.csv',
    ]);
    expect(await surveysOf(dir)).toEqual(await surveysOf(demo('surveys.csv')));
  });

  it('a pattern in the file name', async () => {
    const dir = directory({ 's-1.csv': a, 's-2.csv': b, 's-3.csv': c, 'other.csv': a });
    expect(await surveysOf(join(dir, 's-?.csv'))).toEqual(await surveysOf(demo('surveys.csv')));
    expect(await surveysOf(join(dir, 's-*'))).toEqual(await surveysOf(demo('surveys.csv')));
  });

  it('a Spark Parquet dataset: a directory named surveys.parquet of part files', async () => {
    const table = aq.fromCSV(text, { autoType: false });
    const parquet = (rows: aq.ColumnTable) =>
      Buffer.from(
        writeParquet(WasmTable.fromIPCStream(aq.toArrowIPC(rows, { format: 'stream' }) as Uint8Array)),
      );
    const half = Math.floor(table.numRows() / 2);
    const dir = directory({
      'part-00001-a1b2.snappy.parquet': parquet(table.slice(half)),
      'part-00000-a1b2.snappy.parquet': parquet(table.slice(0, half)),
      _SUCCESS: '',
    });
    expect(await surveysOf(dir)).toEqual(await surveysOf(demo('surveys.csv')));
  });

  it('quarantine examples name the file and its row; a duplicate names where the first is', async () => {
    const bad = readFileSync(fixture('surveys-bad.csv'), 'utf8');
    const [first, second] = split(bad, 2);
    const dir = directory({ '1.csv': first, '2.csv': second });
    const whole = await loadSurveys(fixture('surveys-bad.csv'));
    const { quality } = await loadSurveys(dir);
    expect(quality.source).toBe(dir);
    expect([quality.rows, quality.accepted, quality.reasons]).toEqual([
      whole.quality.rows,
      whole.quality.accepted,
      whole.quality.reasons,
    ]);
    const firstRows = first.trimEnd().split('\n').length - 1;
    // the same examples, in the same order: each whole-file row as a row of the part it is in
    const inParts = Object.values(quality.examples).flat();
    const inWhole = Object.values(whole.quality.examples).flat();
    expect(inParts).toHaveLength(inWhole.length);
    inWhole.forEach((w, i) => {
      const inSecond = w.row > firstRows;
      expect(inParts[i]).toEqual({
        ...w,
        row: inSecond ? w.row - firstRows : w.row,
        file: join(dir, inSecond ? '2.csv' : '1.csv'),
        // a line number is the file's too (no record of this file spans lines)
        message: w.message
          .replace(/\(first at row (\d+)\)/, `(first at row $1 of ${join(dir, '1.csv')})`)
          .replace(/\(line (\d+)\)/, (_, line) => `(line ${inSecond ? Number(line) - firstRows : line})`),
      });
    });
    expect(inParts.some((e) => e.file === join(dir, '2.csv'))).toBe(true);
    const duplicate = quality.examples['duplicate-id']?.[0];
    expect(duplicate?.message).toBe(`duplicate survey_id "S1" (first at row 1 of ${join(dir, '1.csv')})`);
    expect(describeQuality(quality).join('\n')).toContain(`of ${join(dir, '1.csv')}`);
    await expect(loadSurveys(dir, { strict: true })).rejects.toThrow(/at row \d+ of .*1\.csv/);
  });

  it('an empty file among them is a warning, not an error', async () => {
    const dir = directory({ '1.csv': a, '2.csv': '', '3.csv': b, '4.csv': c });
    const { quality } = await loadSurveys(dir);
    expect(quality.warnings).toEqual([`${join(dir, '2.csv')}: file is empty`]);
    expect(quality.rows).toBe((await loadSurveys(demo('surveys.csv'))).quality.rows);
  });

  it('concessions too', async () => {
    const [x, y] = split(readFileSync(demo('concessions.csv'), 'utf8'), 2);
    const dir = directory({ 'c1.csv': x, 'c2.csv': y });
    const whole = await loadConcessions(demo('concessions.csv'));
    const parts = await loadConcessions(dir);
    expect(Array.from(parts.ledger.amount)).toEqual(Array.from(whole.ledger.amount));
    expect([...parts.ledger.concessionId]).toEqual([...whole.ledger.concessionId]);
  });

  it('DuckDB reads the same files in the same order', () => {
    const dir = directory({ 'p-10.csv.gz': gzipSync(c), 'p-2.tsv': b });
    expect(() => relationOf({ file: dir })).toThrow('several formats');
    const tsv = directory({ 'p-10.tsv': c, 'p-2.tsv.gz': gzipSync(b) });
    expect(relationOf({ file: tsv })).toBe(
      `read_csv(['${join(tsv, 'p-2.tsv.gz')}', '${join(tsv, 'p-10.tsv')}'], header = true, all_varchar = true, delim = '\t', quote = '"', escape = '"', ignore_errors = true)`,
    );
  });
});

describe('file sets that cannot be read say why', () => {
  const text = readFileSync(fixture('surveys.csv'), 'utf8');

  it('files whose headers differ', async () => {
    const reordered = text.replace('survey_id,customer_id', 'customer_id,survey_id');
    const dir = directory({ '1.csv': text, '2.csv': reordered });
    await expect(loadSurveys(dir)).rejects.toThrow(
      `${join(dir, '2.csv')}: its header is not that of ${join(dir, '1.csv')} (the same columns in another order)`,
    );
    const renamed = directory({ '1.csv': text, '2.csv': text.replace('rep_score', 'agent_score') });
    await expect(loadSurveys(renamed)).rejects.toThrow('(without rep_score, with agent_score in addition)');
  });

  it('nothing to read', async () => {
    const empty = directory({ 'notes.md': 'x' });
    await expect(loadSurveys(empty)).rejects.toThrow(`${empty}: the directory holds no ledger file`);
    await expect(loadSurveys(join(empty, '*.csv'))).rejects.toThrow(
      `${join(empty, '*.csv')}: no file matches`,
    );
    const missing = join(root, 'no-such-dir', '*.csv');
    await expect(loadSurveys(missing)).rejects.toThrow(
      `${missing}: cannot read the directory (no such directory)`,
    );
  });

  it('several formats, or a pattern in a directory name', async () => {
    const dir = directory({ '1.csv': text, '2.tsv': text });
    await expect(loadSurveys(dir)).rejects.toThrow('its files are of several formats (.csv, .tsv)');
    await expect(loadSurveys(join(root, 'd*', '1.csv'))).rejects.toThrow(
      'only the file name may hold * or ?',
    );
  });
});
