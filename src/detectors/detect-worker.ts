/**
 * Worker-thread entry of {@link startDetectorWorker}: takes detectors from the
 * shared queue until it is empty, runs each on the survey ledger and posts its
 * result back. Built as `dist/detect-worker.js`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { postableError } from '../files/worker-thread.js';
import { createDictionary } from '../ledger/dictionary.js';
import { defineLazyStrings, unpackStrings } from '../ledger/packed-strings.js';
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
const surveys: SurveyLedger = defineLazyStrings(
  { ...data.surveys, surveyId: [], columns: new Set(data.surveys.columns as SurveyColumn[]) },
  'surveyId',
  data.surveyId,
);
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
