import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { formatExtension } from '../files/byte-source.js';
import { builtWorkerScript, type PostedError } from '../files/worker-thread.js';
import { DictionaryCache } from './dictionary.js';
import { filesOf } from './file-set.js';
import type { LoadOptions, LoadProgress, QuarantinedRow } from './load.js';
import { defineLazyStrings, type PackedStrings, unpackStrings } from './packed-strings.js';
import { CSV_EXTENSIONS } from './read-input.js';
import type { ConcessionColumn, ConcessionLedger, IdDictionaries, LedgerQuality } from './types.js';

/**
 * `loadLedgers` loads a large concession CSV file on a worker thread while
 * the main thread loads the surveys: the two files are parsed and validated
 * on two cores. The worker encodes ids into dictionaries of its own; they are
 * merged afterwards by encoding the worker's ids, in the worker's code order,
 * into the shared dictionaries and remapping the codes. The worker's codes
 * are in order of first appearance among accepted rows, as a sequential load
 * would have met them after the surveys, so every code, row, reason and
 * message is what the sequential load gives (test/scale checks it).
 *
 * Strings cross as packed bytes (one buffer and an end offset per string,
 * transferred), not as structured clones: for the 2M concession ids, a
 * structuredClone took 2.0 s on the busy machine; packing (worker) + unpacking
 * (main) took 0.56 s + 0.43 s of profile time.
 *
 * Measured: `nps-gaming detect` (the two concession detectors) on the
 * 1M-survey + 2M-concession benchmark files, 3 runs alternating with the
 * sequential load on the shared 2-core machine (load average 1.5-2.7): wall
 * 9.3 / 10.8 / 10.1 s against 11.1 / 13.5 / 11.2 s (~15% less), for CPU
 * 15.2 / 17.8 / 16.3 s against 12.5 / 15.2 / 12.7 s and peak RSS 0.72-0.74 GB
 * against 0.59-0.60 GB (two heaps). On a machine whose cores are busy it
 * pays nothing: hence the `parallel: false` option.
 */

/** What the main thread sends: a concession file and the load options (no dictionaries). */
export interface WorkerRequest {
  path: string;
  options: Omit<LoadOptions, 'ids' | 'parallel' | 'onProgress' | 'onQuarantine'>;
  /** whether to post {@link ProgressMessage}s */
  progress: boolean;
  /** whether to post {@link QuarantineMessage}s */
  quarantine: boolean;
}

/** What the worker posts as it loads, at most every {@link PROGRESS_INTERVAL_MS}. */
export interface ProgressMessage {
  type: 'progress';
  progress: LoadProgress;
}

/** Quarantined rows, in batches of up to {@link QUARANTINE_BATCH} (all of them before the reply). */
export interface QuarantineMessage {
  type: 'quarantine';
  rows: QuarantinedRow[];
}

export const QUARANTINE_BATCH = 1000;

/** How often the worker tells the main thread how far it is. */
export const PROGRESS_INTERVAL_MS = 200;

export type WorkerReply =
  | {
      ok: true;
      arrays: Omit<ConcessionLedger, 'concessionId' | 'columns'>;
      columns: ConcessionColumn[];
      concessionId: PackedStrings;
      dictionaries: Record<'customer' | 'rep' | 'category' | 'reason', PackedStrings>;
      quality: LedgerQuality;
    }
  | ({ ok: false } & PostedError);

/**
 * Concession files smaller than this load on the main thread: at the 100k-survey benchmark size
 * (13 MB of CSV concessions) the worker saved nothing (detect 1.55 s against 1.50 s, 3 runs each).
 * A Parquet file is read a row group at a time (`parquet-groups.ts`), so the worker's own
 * parquet-wasm instance holds one group: the two concession detectors from the 1M-survey
 * benchmark's Parquet files took 6.6-6.7 s at 0.93-1.0 GB peak with the worker, against 8.2 s at
 * 0.72 GB without (3 runs each); at 5M surveys + 10M concessions 39-46 s at 3.2-3.3 GB (2 runs)
 * against 57 s at 2.7 GB (1 run). Read whole, the worker's copy of the decoded file had cost
 * 8.5 GB against 5.5 GB there.
 * Arrow files are read whole, so they load there only when asked (`parallel: true`).
 */
const MIN_WORKER_BYTES: Record<string, number> = {
  '.csv': 32 << 20,
  '.tsv': 32 << 20,
  '.txt': 32 << 20,
  '.parquet': 32 << 20,
  '.arrow': Number.POSITIVE_INFINITY,
  '.feather': Number.POSITIVE_INFINITY,
  '.ipc': Number.POSITIVE_INFINITY,
};

/**
 * A gzip file's threshold is its format's over this: these ledgers' CSV compresses 4-5× (the
 * 1M-survey benchmark's 2M concessions: 135 MB, 36 MB gzipped).
 */
const GZIP_RATIO = 4;

/** The size from which `path` loads on the worker thread (undefined: never). */
export function minWorkerBytes(path: string): number | undefined {
  const format = formatExtension(path);
  const bytes = MIN_WORKER_BYTES[format];
  if (extname(path).toLowerCase() !== '.gz') return bytes;
  return CSV_EXTENSIONS.has(format) ? bytes / GZIP_RATIO : undefined;
}

/**
 * Start loading `input` (a concession CSV/TSV, Parquet or Arrow file, or a set of them) on a
 * worker thread, or return undefined when it should load on the main thread:
 * not such a file, smaller than {@link MIN_WORKER_BYTES} or not CSV (unless
 * `force`), or no built worker script.
 */
export function startConcessionWorker(
  input: unknown,
  options: WorkerRequest['options'] & Pick<LoadOptions, 'onProgress' | 'onQuarantine'>,
  force: boolean,
): { reply: Promise<WorkerReply>; stop(): void } | undefined {
  if (typeof input !== 'string') return undefined;
  let files: string[];
  let size = 0;
  try {
    // a set of files (a directory or pattern) loads there by its files' total size
    files = filesOf(input) ?? [input];
    for (const file of files) size += statSync(file).size;
  } catch {
    return undefined; // the main thread reports the unreadable file or empty set, as before
  }
  const minBytes = minWorkerBytes(files[0]);
  if (minBytes === undefined || (!force && size < minBytes)) return undefined;
  const script = builtWorkerScript('load-worker.js');
  if (!script) return undefined;
  const { columns, repScoreScale, timeZone, strict, name, maxRecordBytes, onProgress, onQuarantine } =
    options;
  const request: WorkerRequest = {
    path: input,
    options: { columns, repScoreScale, timeZone, strict, name, maxRecordBytes },
    progress: onProgress !== undefined,
    quarantine: onQuarantine !== undefined,
  };
  let worker: Worker;
  try {
    worker = new Worker(script, { workerData: request });
  } catch {
    return undefined; // e.g. an option that cannot be cloned: load on the main thread
  }
  const reply = new Promise<WorkerReply>((resolve, reject) => {
    worker.on('message', (message: WorkerReply | ProgressMessage | QuarantineMessage) => {
      if ('type' in message) {
        try {
          if (message.type === 'progress') onProgress?.(message.progress);
          else for (const row of message.rows) onQuarantine?.(row);
        } catch (error) {
          reject(error); // a throwing callback fails the load, as on the main thread
          void worker.terminate();
        }
        return;
      }
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) =>
      reject(new Error(`the concession loader's worker exited with code ${code}`)),
    );
  });
  // nobody may wait for the reply (the surveys failed): that is not an unhandled rejection
  reply.catch(() => {});
  return { reply, stop: () => void worker.terminate() };
}

/** The worker's ledger with its codes remapped into the shared dictionaries (in the worker's code order). */
export function mergeConcessions(
  reply: Extract<WorkerReply, { ok: true }>,
  ids: IdDictionaries,
): { ledger: ConcessionLedger; quality: LedgerQuality } {
  const remapped: Record<string, Int32Array> = {};
  for (const key of ['customer', 'rep', 'category', 'reason'] as const) {
    const cache = new DictionaryCache(ids[key]);
    const map = Int32Array.from(unpackStrings(reply.dictionaries[key]), (id) => cache.text(id));
    const local = reply.arrays[key];
    const codes = new Int32Array(local.length);
    for (let i = 0; i < local.length; i++) codes[i] = local[i] < 0 ? local[i] : map[local[i]];
    remapped[key] = codes;
  }
  const ledger = {
    ...reply.arrays,
    ...remapped,
    concessionId: [],
    columns: new Set(reply.columns),
  } as unknown as ConcessionLedger;
  return { ledger: defineLazyStrings(ledger, 'concessionId', reply.concessionId), quality: reply.quality };
}
