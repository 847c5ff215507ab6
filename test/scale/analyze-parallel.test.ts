import { appendFileSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
// the built package: its analyzeAsync finds dist/detect-worker.js
import * as built from '../../dist/index.js';
import { startDetectorWorker } from '../../src/detectors/detect-in-worker.js';
import { DETECTORS } from '../../src/detectors/registry.js';
import { loadLedgers } from '../../src/ledger/load.js';
import type { Ledgers } from '../../src/ledger/types.js';
import { OptionError } from '../../src/log/errors.js';
import { simulate, simulateRows } from '../../src/simulate/index.js';

/**
 * `analyzeAsync` runs the detectors that read only the surveys on a worker thread: the document
 * must be the sequential one, byte for byte, and the worker's errors the errors a sequential run throws.
 */

const script = fileURLToPath(new URL('../../dist/detect-worker.js', import.meta.url));
const now = new Date('2026-01-01T00:00:00Z');
let sim: ReturnType<typeof simulateRows>;
let ledgers: Ledgers;

beforeAll(async () => {
  // interactions included: survey-suppression then runs (on the calling thread: it reads them)
  sim = simulateRows({ scenario: 'carrier', seed: 3, scale: 0.3 });
  ledgers = await loadLedgers({
    surveys: sim.surveys,
    concessions: sim.concessions,
    interactions: sim.interactions,
  });
});

describe('analyzeAsync on two threads', () => {
  it('has a built worker script to run', () => {
    expect(existsSync(script)).toBe(true);
  });

  it('gives the sequential document and tables, every detector, every test', async () => {
    const input = { surveys: sim.surveys, concessions: sim.concessions, interactions: sim.interactions };
    const shared = await built.loadLedgers(input);
    const options = { includeAll: true, now, seed: 7 };
    const twoThreads = await built.analyzeAsync(shared, { ...options, parallel: true });
    const oneThread = built.analyze(shared, options);
    expect(twoThreads.run.skipped).toEqual([]);
    expect(twoThreads.findings.length).toBeGreaterThan(1000);
    expect(JSON.stringify(twoThreads)).toBe(JSON.stringify(oneThread));
  });

  it("reports the progress of every detector once, the worker's included", async () => {
    const seen: number[] = [];
    await built.analyzeAsync(ledgers, { parallel: true, onProgress: (p) => seen.push(p.index) });
    expect(seen.sort((a, b) => a - b)).toEqual(Object.keys(DETECTORS).map((_, i) => i));
  });

  it('fails the run when the progress callback throws for a detector on the worker', async () => {
    const onProgress = (p: { detector: string }) => {
      if (p.detector === 'top-box-inflation') throw new Error('stop here');
    };
    await expect(built.analyzeAsync(ledgers, { parallel: true, onProgress })).rejects.toThrow('stop here');
  });

  it('runs the jobs it is given in the worker, with the results the detectors give here', async () => {
    const ids = ['top-box-inflation', 'score-shift', 'detractor-follow-up'] as const;
    const started: number[] = [];
    const worker = startDetectorWorker(
      { ...ledgers, hasInteractions: true },
      ids.map((id, index) => ({ index, id, options: { seed: 1 } })),
      (index) => started.push(index),
      script,
    );
    const results = await worker?.results;
    expect(started).toEqual([0, 1, 2]);
    ids.forEach((id, index) => {
      expect(results?.get(index)).toEqual(DETECTORS[id].run(ledgers, { seed: 1 }));
    });
  });

  it("throws a detector's option error as an OptionError", async () => {
    const worker = startDetectorWorker(
      { ...ledgers, hasInteractions: true },
      [{ index: 0, id: 'top-box-inflation', options: { minResponses: -1 } }],
      () => {},
      script,
    );
    await expect(worker?.results).rejects.toThrow(OptionError);
    await expect(
      built.analyzeAsync(ledgers, {
        parallel: true,
        detectorOptions: { 'score-shift': { minSegment: 'x' } },
      }),
    ).rejects.toThrow(/minSegment/);
  });

  it('fails loudly when a detector given to the worker reads a ledger the worker does not have', async () => {
    const worker = startDetectorWorker(
      { ...ledgers, hasInteractions: true },
      [{ index: 0, id: 'concession-during-survey', options: {} }],
      () => {},
      script,
    );
    await expect(worker?.results).rejects.toThrow(
      /internal error: a detector that declares it reads only the surveys read concessions/,
    );
  });
});

describe('loadAndAnalyze', () => {
  let files: { surveys: string; concessions: string; interactions: string };
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nps-load-analyze-'));
    const summary = await simulate({ scenario: 'carrier', seed: 5, scale: 0.2, outDir: dir });
    files = summary.files as typeof files;
    // concessions from a rep and to a customer the surveys never name: the dictionaries grow after
    // the worker has taken its copy of them
    appendFileSync(
      files.concessions,
      'KX1,CX-NEW,RX-NEW,2025-03-01T10:00:00Z,25,credit,goodwill\nKX2,CX-NEW,RX-NEW,2025-04-01T10:00:00Z,30,credit,goodwill\n',
    );
  });

  it('gives the ledgers and the document of loadLedgers then analyze, with the worker started before the concessions', async () => {
    const options = { includeAll: true, now, seed: 3 };
    const started: string[] = [];
    const { ledgers: loaded, result } = await built.loadAndAnalyze(files, {
      ...options,
      parallel: true,
      load: { parallel: true },
      onProgress: (p) => started.push(p.detector),
    });
    const sequential = await built.loadLedgers(files, { parallel: false });
    expect(loaded.ids.rep.values).toEqual(sequential.ids.rep.values);
    expect(loaded.ids.rep.values).toContain('RX-NEW');
    expect(result.run.skipped).toEqual([]);
    expect(JSON.stringify(result)).toBe(JSON.stringify(built.analyze(sequential, options)));
    expect([...started].sort()).toEqual(Object.keys(DETECTORS).sort());
  });

  it('checks the options before loading anything', async () => {
    const missing = { surveys: '/nonexistent/s.csv', concessions: '/nonexistent/c.csv' };
    await expect(built.loadAndAnalyze(missing, { alpha: 2 })).rejects.toThrow(/alpha/);
    await expect(
      built.loadAndAnalyze(missing, { detectorOptions: { 'score-shift': { minSegmnt: 10 } } }),
    ).rejects.toThrow(/minSegmnt/);
    await expect(built.loadAndAnalyze(missing, {})).rejects.toThrow(/s\.csv/);
  });

  it("fails with the concession file's error when the worker is already running", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nps-load-analyze-bad-'));
    const concessions = join(dir, 'c.csv');
    writeFileSync(concessions, 'concession_id,customer_id\nK1,C1\n'); // no granted_at, amount, …
    const run = built.loadAndAnalyze(
      { surveys: files.surveys, concessions },
      { parallel: true, load: { parallel: true } },
    );
    await expect(run).rejects.toThrow(built.LedgerError);
    await expect(run).rejects.toThrow(/c\.csv/);
  });
});

describe('the shared queue', () => {
  it('gives every job to exactly one thread', async () => {
    const ids = ['top-box-inflation', 'score-shift', 'detractor-follow-up', 'rep-relationship-gap'] as const;
    const worker = startDetectorWorker(
      { ...ledgers, hasInteractions: true },
      ids.map((id, index) => ({ index, id, options: { seed: 1 } })),
      () => {},
      script,
    );
    const here: number[] = [];
    for (let job = worker?.claim(); job; job = worker?.claim()) {
      here.push(job.index);
      DETECTORS[job.id].run(ledgers, job.options);
    }
    const there = [...((await worker?.results)?.keys() ?? [])];
    expect([...here, ...there].sort()).toEqual([0, 1, 2, 3]);
    expect(here.filter((i) => there.includes(i))).toEqual([]);
  });
});
