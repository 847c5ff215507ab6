import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as aq from 'arquero';
import { Table as WasmTable, writeParquet } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { fromDanfo, toDanfo } from '../../src/danfo.js';
import { loadSurveys } from '../../src/ledger/load.js';

const csvPath = new URL('../fixtures/ledger/surveys.csv', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nps-gaming-inputs-'));
const table = aq.fromCSV(readFileSync(csvPath, 'utf8'), { autoType: false });
const objects = table.objects() as Record<string, unknown>[];

/** The accepted content of a load, comparable across input forms. */
async function loaded(input: Parameters<typeof loadSurveys>[0]) {
  const { ledger, quality, ids } = await loadSurveys(input);
  return {
    quality: [quality.rows, quality.accepted, quality.quarantined],
    ids: ledger.surveyId,
    customers: Array.from(ledger.customer, (c) => ids.customer.values[c]),
    sent: Array.from(ledger.sentAt),
    responded: Array.from(ledger.respondedAt),
    ltr: Array.from(ledger.ltr),
    repScore: Array.from(ledger.repScore),
  };
}

describe('every input form loads to the same ledger', async () => {
  const expected = await loaded(csvPath);

  it('CSV is the reference', () => {
    expect(expected.quality).toEqual([4, 4, 0]);
  });

  it('JSON array', async () => {
    const path = join(dir, 'surveys.json');
    writeFileSync(path, JSON.stringify(objects));
    expect(await loaded(path)).toEqual(expected);
  });

  it('NDJSON, with an unparseable line quarantined as malformed', async () => {
    const path = join(dir, 'surveys.ndjson');
    writeFileSync(path, `${objects.map((o) => JSON.stringify(o)).join('\n')}\n{not json\n`);
    const { quality } = await loadSurveys(path);
    expect(quality).toMatchObject({ rows: 5, accepted: 4, quarantined: 1, reasons: { 'malformed-row': 1 } });
    writeFileSync(path, objects.map((o) => JSON.stringify(o)).join('\n'));
    expect(await loaded(path)).toEqual(expected);
  });

  it('array of plain objects', async () => {
    expect(await loaded(objects)).toEqual(expected);
  });

  it('arquero table, also with typed columns', async () => {
    expect(await loaded(table)).toEqual(expected);
    const typed = aq.fromCSV(readFileSync(csvPath, 'utf8')); // autoType: Dates and numbers
    expect(await loaded(typed)).toEqual(expected);
  });

  it('Arrow IPC file', async () => {
    const path = join(dir, 'surveys.arrow');
    writeFileSync(path, aq.toArrowIPC(table) as Uint8Array);
    expect(await loaded(path)).toEqual(expected);
  });

  it('Parquet file', async () => {
    const path = join(dir, 'surveys.parquet');
    const ipc = aq.toArrowIPC(table, { format: 'stream' }) as Uint8Array;
    writeFileSync(path, writeParquet(WasmTable.fromIPCStream(ipc)));
    expect(await loaded(path)).toEqual(expected);
  });

  it('danfojs DataFrame, directly and through nps-gaming/danfo', async () => {
    const frame = await toDanfo(objects);
    expect(await loaded(frame as never)).toEqual(expected);
    expect(await loaded(fromDanfo(frame))).toEqual(expected);
  });

  it('rejects anything else with a clear message', async () => {
    await expect(loadSurveys(42 as never)).rejects.toThrow(/unsupported ledger input \(number\)/);
    await expect(loadSurveys(join(dir, 'surveys.xlsx'))).rejects.toThrow(
      /cannot read the file|unknown file type/,
    );
  });
});
