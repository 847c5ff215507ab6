import { Worker } from 'node:worker_threads';
import { builtWorkerScript, errorFromWorker, type PostedError } from '../files/worker-thread.js';
import type { DetectorId } from '../findings/types.js';
import type { LoadedSurveys } from '../ledger/load.js';
import { type PackedStrings, packedStringsOf, packStrings } from '../ledger/packed-strings.js';
import type { IdDictionaries, SurveyLedger } from '../ledger/types.js';
import type { Detector, DetectorResult } from './types.js';

/**
 * `analyzeAsync` shares the detectors that read only the surveys between the
 * calling thread and a worker thread: the machine's second core does half
 * the statistics. The worker gets the survey ledger's typed arrays in shared
 * memory (no copy on its side) and its strings packed. The shared detectors
 * wait in one queue, longest first; each thread takes the next one when it
 * is free (an atomic counter in shared memory), the calling thread after the
 * detectors only it can run (they read the concessions). So the split adapts
 * to what the machine and the data make each detector cost, and the worker
 * can start as soon as the surveys are loaded, while the concessions still
 * load (`loadAndAnalyze`). Results are assembled in the run's order, so the
 * findings document is the one a sequential run gives
 * (test/scale/analyze-parallel.test.ts).
 */

/** One detector for the worker: its position in the run, its id and its options (the run's seed included). */
export interface DetectorJob {
  index: number;
  id: DetectorId;
  options: Record<string, unknown>;
}

/** What the worker is started with. */
export interface DetectorWorkerData {
  surveys: Omit<SurveyLedger, 'surveyId' | 'columns'> & { columns: string[] };
  surveyId: PackedStrings;
  ids: Record<keyof IdDictionaries, PackedStrings>;
  timeZone?: string;
  hasInteractions: boolean;
  /** the shared queue, longest first */
  jobs: DetectorJob[];
  /** next[0]: the position in `jobs` of the next job to take (shared with the calling thread) */
  next: Int32Array;
}

/** What the worker posts: a detector started, finished, or threw. */
export type DetectorWorkerMessage =
  | { type: 'start'; index: number }
  | { type: 'result'; index: number; result: DetectorResult }
  | { type: 'done' }
  | ({ type: 'error'; index: number } & PostedError);

/**
 * Seconds each detector that reads only the surveys took on the 1M-survey benchmark files on one
 * core (2026-12-05, quiet machine). They order the shared queue, longest first, so that the last
 * detectors to start are short and the two threads finish close together.
 */
const COST: Partial<Record<DetectorId, number>> = {
  'top-box-inflation': 2.6,
  'score-shift': 1.44,
  'fabricated-responses': 0.71,
  'rep-relationship-gap': 0.43,
  'detractor-follow-up': 0.3,
};

/**
 * Smaller survey ledgers run every detector on the calling thread. Measured (`analyzeAsync`
 * after `loadLedgers`, fresh processes, the benchmark's carrier files): at 100k surveys the
 * worker made it ~4% slower (starting it, and its cold JIT), at 300k it broke even, at 1M it
 * saved 20–30% (12.5–16.0 s → 8.9–12.6 s on this shared 2-core machine; less than half, because a
 * single-threaded run already keeps V8's garbage collector busy on the other core).
 */
export const MIN_PARALLEL_SURVEYS = 300_000;

/** Positions in `chosen` of the detectors either thread can run (they read only the surveys), longest first. */
export function sharedQueue(chosen: readonly Detector[]): number[] {
  return chosen
    .map((d, i) => ({ i, d }))
    .filter(({ d }) => d.reads.length === 1 && d.reads[0] === 'surveys')
    .sort((a, b) => (COST[b.d.id] ?? 0) - (COST[a.d.id] ?? 0) || a.i - b.i)
    .map(({ i }) => i);
}

/** A started worker. */
export interface DetectorWorker {
  /** The next job of the queue that no thread has taken (the caller runs it), or undefined when none is left. */
  claim(): DetectorJob | undefined;
  /** Settles with the result of every job the worker ran, by index, once the queue is empty; rejects with the first error. */
  results: Promise<Map<number, DetectorResult>>;
  stop(): void;
}

/**
 * Start the worker on the queue `jobs` (longest first), or return undefined when it cannot start
 * (no built script, options that cannot be cloned): the caller then runs them itself. `onStart`
 * is called as the worker starts each job.
 */
export function startDetectorWorker(
  side: LoadedSurveys,
  jobs: DetectorJob[],
  onStart: (index: number) => void,
  script = builtWorkerScript('detect-worker.js'),
): DetectorWorker | undefined {
  if (!script) return undefined;
  // the survey ledger's fields but its ids (read as a property, they would be decoded) and columns
  const surveys: Record<string, unknown> = { columns: [...side.surveys.columns] };
  for (const key of Object.keys(side.surveys)) {
    if (key === 'surveyId' || key === 'columns') continue;
    const value = (side.surveys as unknown as Record<string, unknown>)[key];
    surveys[key] = ArrayBuffer.isView(value) ? shared(value) : value;
  }
  const ids = Object.fromEntries(
    Object.entries(side.ids).map(([key, dictionary]) => [key, packStrings(dictionary.values)]),
  ) as DetectorWorkerData['ids'];
  const next = new Int32Array(new SharedArrayBuffer(4));
  const data: DetectorWorkerData = {
    surveys: surveys as unknown as DetectorWorkerData['surveys'],
    surveyId: packedStringsOf(side.surveys, 'surveyId'),
    ids,
    timeZone: side.timeZone,
    hasInteractions: side.hasInteractions,
    jobs,
    next,
  };
  let worker: Worker;
  try {
    worker = new Worker(script, { workerData: data });
  } catch {
    return undefined;
  }
  const results = new Promise<Map<number, DetectorResult>>((resolve, reject) => {
    const done = new Map<number, DetectorResult>();
    worker.on('message', (message: DetectorWorkerMessage) => {
      if (message.type === 'start') {
        try {
          onStart(message.index);
        } catch (error) {
          reject(error); // a throwing progress callback fails the run, as it does on the calling thread
        }
      } else if (message.type === 'error') reject(errorFromWorker(message));
      else if (message.type === 'result') done.set(message.index, message.result);
      else resolve(done);
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the detectors' worker thread exited with code ${code}`)));
  });
  const settled = results.finally(() => void worker.terminate());
  settled.catch(() => {}); // the caller may stop before it waits (its own detector threw)
  return {
    claim: () => jobs[Atomics.add(next, 0, 1)],
    results: settled,
    stop: () => void worker.terminate(),
  };
}

/** A copy of `array` in shared memory (the worker reads it in place). */
function shared<T extends ArrayBufferView>(array: T): T {
  const Type = array.constructor as new (buffer: SharedArrayBuffer) => T & { set(a: T): void };
  const copy = new Type(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}
