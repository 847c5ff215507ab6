import { spawnSync } from 'node:child_process';
import { closeSync, openSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type AnalyzeProgress, analyze, analyzeAsync } from '../../src/analyze.js';
import { loadLedgers, loadSurveys } from '../../src/ledger/load.js';
import { LedgerError } from '../../src/log/errors.js';
import { simulate, simulateRows } from '../../src/simulate/simulate.js';
import { SURVEY_COLUMNS } from '../../src/simulate/types.js';
import { CHILD_TIMEOUT_MS } from '../helpers/cli.js';
import { tempDir } from './helpers.js';

/**
 * Resources: memory grows linearly with the input (measured, not timed, in
 * fresh processes of the built package with a forced GC), a huge CSV record
 * is bounded or refused clearly, long runs report progress and can be
 * cancelled.
 */

const DIST = new URL('../../dist/index.js', import.meta.url).href;

/** Load (and analyze) one simulated world in a fresh process; memory in bytes. */
function measure(dir: string) {
  const script = `
    const { loadLedgers, analyze } = await import(${JSON.stringify(DIST)});
    const used = () => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.external; };
    const before = used();
    const ledgers = await loadLedgers({
      surveys: ${JSON.stringify(join(dir, 'surveys.csv'))},
      concessions: ${JSON.stringify(join(dir, 'concessions.csv'))},
      interactions: ${JSON.stringify(join(dir, 'interactions.csv'))},
    });
    const loaded = used() - before;
    const result = analyze(ledgers);
    const analyzed = used() - before;
    const q = ledgers.quality;
    const rows = q.surveys.rows + q.concessions.rows + q.interactions.rows;
    console.log(JSON.stringify({ rows, loaded, analyzed, findings: result.findings.length,
      maxRssBytes: process.resourceUsage().maxRSS * 1024 }));
  `;
  const run = spawnSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
    timeout: CHILD_TIMEOUT_MS,
  });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout.trim().split('\n').pop()!) as {
    rows: number;
    loaded: number;
    analyzed: number;
    maxRssBytes: number;
  };
}

describe('memory grows linearly with the input', () => {
  const dirs = { small: '', large: '' };
  beforeAll(async () => {
    dirs.small = tempDir();
    dirs.large = tempDir();
    await simulate({ scenario: 'null', seed: 9, scale: 0.25, outDir: dirs.small });
    await simulate({ scenario: 'null', seed: 9, scale: 1, outDir: dirs.large });
  }, 60_000);

  it('retained bytes per row at 4x the rows stay within 1.5x of the small run (and under 2 KB/row)', () => {
    const small = measure(dirs.small);
    const large = measure(dirs.large);
    const perRow = (m: typeof small, k: 'loaded' | 'analyzed') => m[k] / m.rows;
    console.log(
      'memory (bytes per input row, retained after GC):',
      JSON.stringify({
        small: { rows: small.rows, loaded: perRow(small, 'loaded'), analyzed: perRow(small, 'analyzed') },
        large: { rows: large.rows, loaded: perRow(large, 'loaded'), analyzed: perRow(large, 'analyzed') },
        maxRssMiB: [small.maxRssBytes / 2 ** 20, large.maxRssBytes / 2 ** 20].map(Math.round),
      }),
    );
    expect(large.rows / small.rows).toBeGreaterThan(3);
    // linear: the large run costs no more per row than the small one (fixed costs favour the large
    // run; 1.5x leaves room for GC timing and growth steps of the arrays)
    expect(perRow(large, 'loaded')).toBeLessThanOrEqual(1.5 * perRow(small, 'loaded'));
    expect(perRow(large, 'analyzed')).toBeLessThanOrEqual(1.5 * perRow(small, 'analyzed'));
    // the documented bound (SECURITY.md): at most 2 KB retained per input row, ledgers and results
    expect(perRow(large, 'analyzed')).toBeLessThan(2048);
  }, 60_000);
});

describe('huge CSV records', () => {
  /** A survey CSV whose second line has a field of `mib` MiB; returns its path. */
  function withHugeField(mib: number): string {
    const path = join(tempDir(), 'huge.csv');
    const fd = openSync(path, 'w');
    writeSync(fd, `${SURVEY_COLUMNS.join(',')}\nS1,C1,R1,,,`);
    const chunk = Buffer.alloc(1 << 20, 0x39); // "9"
    for (let i = 0; i < mib; i++) writeSync(fd, chunk);
    writeSync(fd, ',,,,,,\nS2,C1,R1,,,2025-01-01,,,,,,\n');
    closeSync(fd);
    return path;
  }

  it('a 32 MiB field (below the 64 MiB default limit) is read and quarantined', async () => {
    const { quality } = await loadSurveys(withHugeField(32));
    expect(quality).toMatchObject({ rows: 2, accepted: 1, reasons: { 'bad-timestamp': 1 } });
  }, 30_000);

  it('a record longer than maxRecordBytes stops the load with a LedgerError naming file and line', async () => {
    const path = withHugeField(4);
    const load = loadSurveys(path, { maxRecordBytes: 1 << 20 });
    await expect(load).rejects.toBeInstanceOf(LedgerError);
    await expect(load).rejects.toThrow(
      `${path}: the record starting at line 2 is longer than 1 MiB; is a quote left open`,
    );
    // the same file loads with the limit raised; a limit that is not a positive number is refused
    const { quality } = await loadSurveys(path, { maxRecordBytes: 8 << 20 });
    await expect(loadSurveys(path, { maxRecordBytes: Number.NaN })).rejects.toThrow(
      'option maxRecordBytes must be a positive number, got null',
    );
    expect(quality).toMatchObject({ rows: 2, accepted: 1 });
  }, 30_000);

  it('a quote left open early in a large file is refused at the limit, not at the end of the file', async () => {
    const path = join(tempDir(), 'open-quote.csv');
    const fd = openSync(path, 'w');
    writeSync(fd, `${SURVEY_COLUMNS.join(',')}\nS1,C1,R1,,,2025-01-01,,,,,,\nS2,"C1,R1,,,2025-01-01,,,,,,\n`);
    const line = Buffer.from('S3,C1,R1,,,2025-01-01,,,,,,\n');
    for (let i = 0; i < 100_000; i++) writeSync(fd, line); // 3 MB of well-formed rows inside the quote
    closeSync(fd);
    await expect(loadSurveys(path, { maxRecordBytes: 1 << 20 })).rejects.toThrow(
      /open-quote\.csv: the record starting at line 3 is longer than 1 MiB/,
    );
  }, 30_000);
});

describe('files read whole', () => {
  it('a JSON file over the string limit is refused before it is read, naming the file and the way out', async () => {
    const path = join(tempDir(), 'huge.json');
    closeSync(openSync(path, 'w'));
    truncateSync(path, 600 * 2 ** 20); // sparse: no 600 MiB written, and stat sees its size
    await expect(loadSurveys(path)).rejects.toBeInstanceOf(LedgerError);
    await expect(loadSurveys(path)).rejects.toThrow(
      `${path}: a JSON file is parsed whole, and this one (600 MiB) is over JavaScript's string limit of 512 MiB; export it as NDJSON`,
    );
  });
});

describe('progress and cancellation', () => {
  const world = simulateRows({ scenario: 'demo', seed: 2, scale: 0.15 });
  const inputs = { surveys: world.surveys, concessions: world.concessions, interactions: world.interactions };

  it('onProgress is called before each detector, in order, with the total', async () => {
    const calls: AnalyzeProgress[] = [];
    analyze(await loadLedgers(inputs), { onProgress: (p) => calls.push(p) });
    expect(calls.map((c) => c.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(calls.every((c) => c.total === 9)).toBe(true);
    expect(calls[0].detector).toBe('concession-before-survey');
  });

  it('an aborted signal stops before the next detector and throws the AbortError, no result', async () => {
    const ledgers = await loadLedgers(inputs);
    const controller = new AbortController();
    const seen: string[] = [];
    expect(() =>
      analyze(ledgers, {
        signal: controller.signal,
        onProgress: ({ detector, index }) => {
          seen.push(detector);
          if (index === 2) controller.abort();
        },
      }),
    ).toThrow(expect.objectContaining({ name: 'AbortError' }));
    expect(seen).toHaveLength(3);
    // already aborted: nothing runs
    const none: string[] = [];
    expect(() =>
      analyze(ledgers, { signal: controller.signal, onProgress: (p) => none.push(p.detector) }),
    ).toThrow();
    expect(none).toEqual([]);
  });

  it('analyzeAsync: a timer can cancel a run between detectors; without one it equals analyze', async () => {
    const ledgers = await loadLedgers(inputs);
    const controller = new AbortController();
    const seen: number[] = [];
    const run = analyzeAsync(ledgers, {
      signal: controller.signal,
      onProgress: ({ index }) => {
        seen.push(index);
        if (index === 1) setTimeout(() => controller.abort(new Error('stop')), 0);
      },
    });
    await expect(run).rejects.toThrow('stop');
    expect(seen.length).toBeLessThan(9);
    const now = new Date('2026-01-01T00:00:00Z');
    expect(await analyzeAsync(ledgers, { now })).toEqual(analyze(ledgers, { now }));
  });
});
