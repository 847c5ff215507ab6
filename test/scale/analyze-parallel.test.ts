import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
// the built package: its analyzeAsync finds dist/detect-worker.js
import * as built from '../../dist/index.js';
import { startDetectorWorker } from '../../src/detectors/detect-in-worker.js';
import { DETECTORS } from '../../src/detectors/registry.js';
import { loadLedgers } from '../../src/ledger/load.js';
import type { Ledgers } from '../../src/ledger/types.js';
import { OptionError } from '../../src/log/errors.js';
import { simulateRows } from '../../src/simulate/index.js';

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
      ledgers,
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
      ledgers,
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
      ledgers,
      [{ index: 0, id: 'concession-during-survey', options: {} }],
      () => {},
      script,
    );
    await expect(worker?.results).rejects.toThrow(
      /internal error: a detector that declares it reads only the surveys read concessions/,
    );
  });
});
