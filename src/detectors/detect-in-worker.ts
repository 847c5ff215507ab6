import { Worker } from 'node:worker_threads';
import { builtWorkerScript, errorFromWorker, type PostedError } from '../files/worker-thread.js';
import type { DetectorId } from '../findings/types.js';
import { type PackedStrings, packStrings } from '../ledger/load-in-worker.js';
import type { DataQuality, IdDictionaries, Ledgers, SurveyLedger } from '../ledger/types.js';
import type { Detector, DetectorResult } from './types.js';

/**
 * `analyzeAsync` runs the detectors that read only the surveys on a worker
 * thread while the others run on the calling thread: the machine's second
 * core does half the statistics. The worker gets the survey ledger's typed
 * arrays in shared memory (no copy on its side) and its strings packed; it
 * posts each detector's result back as it finishes, and `analyzeAsync`
 * assembles them in the run's order, so the findings document is the one a
 * sequential run gives (test/scale/analyze-parallel.test.ts).
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
  quality: DataQuality;
  timeZone?: string;
  /** whether the run has an interaction ledger (the worker's detectors must not read it) */
  hasInteractions: boolean;
  jobs: DetectorJob[];
}

/** What the worker posts: a detector started, finished, or threw. */
export type DetectorWorkerMessage =
  | { type: 'start'; index: number }
  | { type: 'result'; index: number; result: DetectorResult }
  | ({ type: 'error'; index: number } & PostedError);

/**
 * Seconds each detector took on the 1M-survey benchmark files on one core
 * (2026-12-04, quiet machine, after account-extraction's speed-up); only their
 * ratios matter: they balance the two threads.
 */
const COST: Record<DetectorId, number> = {
  'concession-before-survey': 0.34,
  'concession-during-survey': 0.46,
  'account-extraction': 2.35,
  'rep-relationship-gap': 0.43,
  'top-box-inflation': 5,
  'score-shift': 2.43,
  'fabricated-responses': 0.62,
  'survey-suppression': 1, // not measured: the benchmark has no interactions
  'detractor-follow-up': 0.31,
};

/**
 * Smaller survey ledgers run every detector on the calling thread. Measured (`analyzeAsync`
 * after `loadLedgers`, fresh processes, the benchmark's carrier files): at 100k surveys the
 * worker made it ~4% slower (starting it, and its cold JIT), at 300k it broke even, at 1M it
 * saved 20–30% (12.5–16.0 s → 8.9–12.6 s on this shared 2-core machine; less than half, because a
 * single-threaded run already keeps V8's garbage collector busy on the other core).
 */
export const MIN_PARALLEL_SURVEYS = 300_000;

/**
 * Which detectors (positions in `chosen`) run on the worker: the longest first, each on the
 * thread with less work so far (greedy longest-processing-time), the worker taking only
 * detectors that read the surveys alone.
 */
export function workerShare(chosen: readonly Detector[]): number[] {
  let local = 0;
  for (const d of chosen) if (!surveysOnly(d)) local += COST[d.id];
  let remote = 0;
  const share: number[] = [];
  const flexible = chosen
    .map((d, i) => ({ i, cost: COST[d.id], d }))
    .filter(({ d }) => surveysOnly(d))
    .sort((a, b) => b.cost - a.cost || a.i - b.i);
  for (const { i, cost } of flexible) {
    if (remote <= local) {
      remote += cost;
      share.push(i);
    } else local += cost;
  }
  return share.sort((a, b) => a - b);
}

function surveysOnly(d: Detector): boolean {
  return d.reads.length === 1 && d.reads[0] === 'surveys';
}

/** A started worker: `results` settles with every job's result by its index, or rejects with the first error. */
export interface DetectorWorker {
  results: Promise<Map<number, DetectorResult>>;
  stop(): void;
}

/**
 * Start the worker on `jobs`, or return undefined when it cannot start (no built script, options
 * that cannot be cloned): the caller then runs them itself. `onStart` is called as each job starts.
 */
export function startDetectorWorker(
  ledgers: Ledgers,
  jobs: DetectorJob[],
  onStart: (index: number) => void,
  script = builtWorkerScript('detect-worker.js'),
): DetectorWorker | undefined {
  if (!script) return undefined;
  const { surveyId, columns, ...arrays } = ledgers.surveys;
  const surveys = { ...arrays, columns: [...columns] } as DetectorWorkerData['surveys'];
  for (const [key, value] of Object.entries(arrays)) {
    if (ArrayBuffer.isView(value)) (surveys as unknown as Record<string, unknown>)[key] = shared(value);
  }
  const ids = Object.fromEntries(
    Object.entries(ledgers.ids).map(([key, dictionary]) => [key, packStrings(dictionary.values)]),
  ) as DetectorWorkerData['ids'];
  const data: DetectorWorkerData = {
    surveys,
    surveyId: packStrings(surveyId),
    ids,
    quality: ledgers.quality,
    timeZone: ledgers.timeZone,
    hasInteractions: ledgers.interactions !== undefined,
    jobs,
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
      else {
        done.set(message.index, message.result);
        if (done.size === jobs.length) resolve(done);
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the detectors' worker thread exited with code ${code}`)));
  });
  const settled = results.finally(() => void worker.terminate());
  settled.catch(() => {}); // the caller may stop before it waits (its own detector threw)
  return { results: settled, stop: () => void worker.terminate() };
}

/** A copy of `array` in shared memory (the worker reads it in place). */
function shared<T extends ArrayBufferView>(array: T): T {
  const Type = array.constructor as new (buffer: SharedArrayBuffer) => T & { set(a: T): void };
  const copy = new Type(new SharedArrayBuffer(array.byteLength));
  copy.set(array);
  return copy;
}
