import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import * as aq from 'arquero';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { describeLoadProgress } from '../../src/cli/load-with-progress.js';
import { type LoadProgress, loadLedgers, loadSurveys } from '../../src/ledger/load.js';

const demo = (name: string) => new URL(`../../datasets/demo/${name}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nps-gaming-progress-'));

/** The progress calls of one load, and its accounting. */
async function progressOf(input: string) {
  const calls: LoadProgress[] = [];
  const { quality } = await loadSurveys(input, { onProgress: (p) => calls.push({ ...p }) });
  return { calls, rows: quality.rows };
}

/** Rows and shares only grow, and the last call says the whole input was read. */
function expectComplete({ calls, rows }: { calls: LoadProgress[]; rows: number }, atLeast: number) {
  expect(calls.length).toBeGreaterThanOrEqual(atLeast);
  for (let i = 1; i < calls.length; i++) {
    expect(calls[i].rows).toBeGreaterThanOrEqual(calls[i - 1].rows);
    expect(calls[i].fraction!).toBeGreaterThanOrEqual(calls[i - 1].fraction!);
  }
  expect(calls.every((c) => c.ledger === 'surveys' && c.fraction! >= 0 && c.fraction! <= 1)).toBe(true);
  expect(calls.at(-1)).toEqual({ ledger: 'surveys', rows, fraction: 1 });
  // a share below 1 before the end: the calls came while the file was read
  expect(calls.some((c) => c.fraction! < 1 && c.rows > 0)).toBe(true);
}

describe('onProgress tells how far a load is', () => {
  // the demo surveys: ~500 KB, two 256 KiB chunks and a bit
  const text = readFileSync(demo('surveys.csv'), 'utf8');

  it('CSV, by bytes read', async () => {
    expectComplete(await progressOf(demo('surveys.csv')), 3);
  });

  it('gzipped CSV, by compressed bytes read', async () => {
    // a larger file: zlib reads 1 MiB of compressed bytes at a time
    const [header, ...rows] = text.trimEnd().split('\n');
    const many = [
      header,
      ...Array.from({ length: 40 }, (_, k) => rows.map((r) => r.replace(/^S/, `S${k}-`))).flat(),
    ];
    const path = join(dir, 'many.csv.gz');
    writeFileSync(path, gzipSync(`${many.join('\n')}\n`, { level: 1 }));
    expectComplete(await progressOf(path), 3);
  });

  it('Parquet, by row groups', async () => {
    const table = aq.fromCSV(text, { autoType: false });
    const path = join(dir, 'surveys.parquet');
    const ipc = aq.toArrowIPC(table, { format: 'stream' }) as Uint8Array;
    // small row groups: several per file
    const props = new (await import('parquet-wasm')).WriterPropertiesBuilder()
      .setMaxRowGroupSize(1000)
      .build();
    writeFileSync(path, writeParquet(WasmTable.fromIPCStream(ipc), props));
    expectComplete(await progressOf(path), 5);
  });

  it('a set of files, weighted by their sizes', async () => {
    const [header, ...rows] = text.trimEnd().split('\n');
    const set = join(dir, 'set');
    mkdirSync(set);
    const half = rows.length >> 1;
    writeFileSync(join(set, '1.csv'), `${[header, ...rows.slice(0, half)].join('\n')}\n`);
    writeFileSync(join(set, '2.csv'), `${[header, ...rows.slice(half)].join('\n')}\n`);
    const run = await progressOf(set);
    expectComplete(run, 4);
    // after the first file, about half was read
    const firstDone = run.calls.find((c) => c.rows === half);
    expect(firstDone?.fraction).toBeCloseTo(0.5, 1);
  });

  it('an in-memory table reports rows, without a share', async () => {
    const objects = aq.fromCSV(text, { autoType: false }).objects() as Record<string, unknown>[];
    const calls: LoadProgress[] = [];
    await loadSurveys(objects, { onProgress: (p) => calls.push(p) });
    expect(calls.at(-1)).toEqual({ ledger: 'surveys', rows: objects.length, fraction: undefined });
  });

  it('loadLedgers reports every ledger; a throwing callback fails the load', async () => {
    const seen = new Set<string>();
    await loadLedgers(
      {
        surveys: demo('surveys.csv'),
        concessions: demo('concessions.csv'),
        interactions: demo('interactions.csv'),
      },
      { onProgress: (p) => seen.add(p.ledger) },
    );
    expect([...seen].sort()).toEqual(['concessions', 'interactions', 'surveys']);
    await expect(
      loadSurveys(demo('surveys.csv'), {
        onProgress: () => {
          throw new Error('stop');
        },
      }),
    ).rejects.toThrow('stop');
  });
});

describe('the terminal line', () => {
  it('says each ledger’s share and rows', () => {
    expect(
      describeLoadProgress([
        { ledger: 'surveys', rows: 450_000, fraction: 0.456 },
        { ledger: 'concessions', rows: 240_000 },
      ]),
    ).toBe('surveys 45% (450,000 rows) · concessions (240,000 rows)');
  });
});
