/**
 * Worker-thread entry of {@link startDetectorWorker}: runs the detectors it is
 * given on the survey ledger and posts each result back. Built as
 * `dist/detect-worker.js`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createDictionary } from '../ledger/dictionary.js';
import { unpackStrings } from '../ledger/load-in-worker.js';
import type {
  ConcessionLedger,
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
  surveyId: unpackStrings(data.surveyId),
  columns: new Set(data.surveys.columns as SurveyColumn[]),
};
const ledgers: Ledgers = {
  surveys,
  concessions: unavailable<ConcessionLedger>('concessions'),
  interactions: data.hasInteractions ? unavailable<InteractionLedger>('interactions') : undefined,
  ids: ids as unknown as IdDictionaries,
  quality: data.quality,
  timeZone: data.timeZone,
};

for (const { index, id, options } of data.jobs) {
  post({ type: 'start', index });
  try {
    post({ type: 'result', index, result: DETECTORS[id].run(ledgers, options) });
  } catch (error) {
    const e = error as Error;
    post({ type: 'error', index, name: e?.name ?? 'Error', message: e?.message ?? String(error) });
    break;
  }
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
