import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/duckdb/connect.js';
import { analyzeWithDuckDb, connectDuckDb, DUCKDB_STEPS, type DuckDbProgress } from '../../src/duckdb.js';
import { simulate } from '../../src/simulate/index.js';

describe('analyzeWithDuckDb: progress and stopping', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nps-duckdb-progress-'));
  let files: { surveys: string; concessions: string };
  beforeAll(async () => {
    const summary = await simulate({ scenario: 'demo', seed: 3, scale: 1, outDir: dir });
    files = { surveys: summary.files.surveys, concessions: summary.files.concessions };
  }, 60_000);

  const settings = async (connection: Awaited<ReturnType<typeof connectDuckDb>>) =>
    (
      await queryRows(
        connection,
        `SELECT current_setting('enable_progress_bar') AS bar, current_setting('enable_progress_bar_print') AS print,
           current_setting('preserve_insertion_order') AS ordered`,
      )
    )[0];

  it('tells each step once, in order, and leaves the connection as it found it', async () => {
    const connection = await connectDuckDb();
    await connection.run('SET preserve_insertion_order = false');
    const before = await settings(connection);
    const seen: DuckDbProgress[] = [];
    await analyzeWithDuckDb(files, { connection, onProgress: (p) => seen.push(p) });
    const starts = seen.filter((p) => p.percent === undefined);
    expect(starts).toEqual(DUCKDB_STEPS.map((step, i) => ({ step, index: i + 1, total: 6 })));
    for (const p of seen) if (p.percent !== undefined) expect(p.percent).toBeGreaterThanOrEqual(0);
    for (const p of seen) if (p.percent !== undefined) expect(p.percent).toBeLessThanOrEqual(100);
    expect(await settings(connection)).toEqual(before);
    expect(before).toEqual({ bar: false, print: true, ordered: false });
  }, 60_000);

  it("counts only the chosen detectors' steps", async () => {
    const seen: DuckDbProgress[] = [];
    await analyzeWithDuckDb(files, {
      detectors: ['concession-during-survey'],
      onProgress: (p) => seen.push(p),
    });
    const starts = seen.filter((p) => p.percent === undefined).map((p) => `${p.index}/${p.total} ${p.step}`);
    expect(starts).toEqual([
      '1/5 reading surveys',
      '2/5 checking surveys',
      '3/5 reading concessions',
      '4/5 checking concessions',
      '5/5 concession-during-survey',
    ]);
  }, 60_000);

  it('does nothing with a signal already aborted', async () => {
    const connection = await connectDuckDb();
    const run = analyzeWithDuckDb(files, { connection, signal: AbortSignal.abort() });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(await queryRows(connection, "SELECT * FROM duckdb_tables() WHERE table_name LIKE 'ng_%'")).toEqual(
      [],
    );
  });

  it("stops at the step it is aborted in, with the signal's reason, and puts the settings back", async () => {
    const connection = await connectDuckDb();
    await connection.run('SET preserve_insertion_order = false');
    const controller = new AbortController();
    const steps: string[] = [];
    const run = analyzeWithDuckDb(files, {
      connection,
      signal: controller.signal,
      onProgress: ({ step, percent }) => {
        if (percent !== undefined) return;
        steps.push(step);
        if (step === 'checking surveys') controller.abort(new Error('stop here'));
      },
    });
    await expect(run).rejects.toThrow('stop here');
    expect(steps).toEqual(['reading surveys', 'checking surveys']);
    const tables = await queryRows(
      connection,
      "SELECT table_name FROM duckdb_tables() WHERE table_name LIKE 'ng_%'",
    );
    expect(tables.map((t) => t.table_name)).not.toContain('ng_concessions_raw');
    expect(await settings(connection)).toEqual({ bar: false, print: true, ordered: false });
  }, 60_000);
});
