/**
 * Worker-thread entry of {@link startDetectorWorker}: takes detectors from the
 * shared queue until it is empty, runs each on the survey ledger and posts its
 * result back. Built as `dist/detect-worker.js`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { postableError } from '../files/worker-thread.js';
import { createDictionary } from '../ledger/dictionary.js';
import { type PackedStrings, unpackStrings } from '../ledger/packed-strings.js';
import type {
  ConcessionLedger,
  DataQuality,
  IdDictionaries,
  InteractionLedger,
  Ledgers,
  SurveyColumn,
  SurveyLedger,
} from '../ledger/types.js';
import type { DetectorWorkerData, DetectorWorkerMessage } from './detect-in-worker.js';
import { DETECTORS } from './registry.js';

const data = workerData as DetectorWorkerData;
const post = (message: DetectorWorkerMessage) => parentPort?.postMessage(message);

const ids = {} as Record<string, IdDictionaries[keyof IdDictionaries]>;
for (const [key, packed] of Object.entries(data.ids)) {
  const dictionary = createDictionary();
  for (const id of unpackStrings(packed)) dictionary.values.push(id);
  ids[key] = dictionary;
}
const surveys: SurveyLedger = {
  ...data.surveys,
  surveyId: lazyStrings(data.surveyId),
  columns: new Set(data.surveys.columns as SurveyColumn[]),
};
const ledgers: Ledgers = {
  surveys,
  concessions: unavailable<ConcessionLedger>('concessions'),
  interactions: data.hasInteractions ? unavailable<InteractionLedger>('interactions') : undefined,
  ids: ids as unknown as IdDictionaries,
  quality: unavailable<DataQuality>('quality'),
  timeZone: data.timeZone,
};

run();

function run(): void {
  for (let k = Atomics.add(data.next, 0, 1); k < data.jobs.length; k = Atomics.add(data.next, 0, 1)) {
    const { index, id, options } = data.jobs[k];
    post({ type: 'start', index });
    try {
      post({ type: 'result', index, result: DETECTORS[id].run(ledgers, options) });
    } catch (error) {
      post({ type: 'error', index, ...postableError(error) });
      return;
    }
  }
  post({ type: 'done' });
}

/**
 * The strings of `packed`, each decoded when read: the worker's detectors read a few survey ids
 * (examples in their evidence), so decoding all of them (1M strings, ~0.25 s and ~40 MB at 1M
 * surveys) would be spent for nothing.
 */
function lazyStrings(packed: PackedStrings): string[] {
  const starts = [0];
  for (const chunk of packed.chunks) starts.push(starts[starts.length - 1] + chunk.ends.length);
  const length = starts[starts.length - 1];
  const at = (i: number): string | undefined => {
    if (!(i >= 0 && i < length)) return undefined;
    let c = 0;
    while (i >= starts[c + 1]) c++;
    const { bytes, ends, wide } = packed.chunks[c];
    const k = i - starts[c];
    const from = k === 0 ? 0 : ends[k - 1];
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return wide
      ? buffer.toString('utf16le', 2 * from, 2 * ends[k])
      : buffer.toString('latin1', from, ends[k]);
  };
  return new Proxy([] as string[], {
    get(target, property, receiver) {
      if (property === 'length') return length;
      if (typeof property === 'string' && /^(0|[1-9]\d*)$/.test(property)) return at(Number(property));
      return Reflect.get(target, property, receiver);
    },
  });
}

/** A ledger the worker does not have: reading it is a bug in a detector's `reads`, so it fails loudly. */
function unavailable<T extends object>(name: string): T {
  return new Proxy({} as T, {
    get(_, property) {
      throw new Error(
        `internal error: a detector that declares it reads only the surveys read ${name}.${String(property)}`,
      );
    },
  });
}
