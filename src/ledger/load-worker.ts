/**
 * Worker-thread entry of {@link loadConcessionsInWorker}: loads one concession
 * file with fresh dictionaries and posts the ledger back, typed arrays and
 * packed strings transferred (not copied). Built as `dist/load-worker.js`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { postableError } from '../files/worker-thread.js';
import { type LoadProgress, loadConcessionsPacked, type QuarantinedRow } from './load.js';
import {
  PROGRESS_INTERVAL_MS,
  type ProgressMessage,
  QUARANTINE_BATCH,
  type QuarantineMessage,
  type WorkerReply,
  type WorkerRequest,
} from './load-in-worker.js';
import { packStrings } from './packed-strings.js';

const { path, options, progress, quarantine } = workerData as WorkerRequest;
let quarantined: QuarantinedRow[] = [];
/** Quarantined rows to the main thread, in batches. */
const flushQuarantined = () => {
  if (quarantined.length === 0) return;
  const message: QuarantineMessage = { type: 'quarantine', rows: quarantined };
  parentPort?.postMessage(message);
  quarantined = [];
};
const onQuarantine = (row: QuarantinedRow) => {
  quarantined.push(row);
  if (quarantined.length >= QUARANTINE_BATCH) flushQuarantined();
};
let posted = 0;
/** Progress to the main thread, a few times a second (and the last, complete one). */
const onProgress = (p: LoadProgress) => {
  const now = Date.now();
  if (now - posted < PROGRESS_INTERVAL_MS && p.fraction !== 1) return;
  posted = now;
  const message: ProgressMessage = { type: 'progress', progress: p };
  parentPort?.postMessage(message);
};
try {
  const {
    ledger,
    concessionId: packed,
    quality,
    ids,
  } = await loadConcessionsPacked(path, {
    ...options,
    onProgress: progress ? onProgress : undefined,
    onQuarantine: quarantine ? onQuarantine : undefined,
  });
  flushQuarantined();
  const { columns, ...arrays } = ledger;
  const dictionaries = {
    customer: packStrings(ids.customer.values),
    rep: packStrings(ids.rep.values),
    category: packStrings(ids.category.values),
    reason: packStrings(ids.reason.values),
  };
  const reply: WorkerReply = {
    ok: true,
    arrays,
    columns: [...columns],
    concessionId: packed,
    dictionaries,
    quality,
  };
  const buffers = [
    ...Object.values(arrays).flatMap((a) => (ArrayBuffer.isView(a) ? [a.buffer as ArrayBuffer] : [])),
    ...[packed, ...Object.values(dictionaries)].flatMap((p) =>
      p.chunks.flatMap((c) => [c.bytes.buffer as ArrayBuffer, c.ends.buffer as ArrayBuffer]),
    ),
  ];
  parentPort?.postMessage(reply, [...new Set(buffers)]);
} catch (error) {
  flushQuarantined(); // a strict load's quarantined rows, before its error
  const reply: WorkerReply = { ok: false, ...postableError(error) };
  parentPort?.postMessage(reply);
}
