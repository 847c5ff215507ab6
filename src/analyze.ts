import { checkDetectorOptions } from './detectors/checkOptions.js';
import {
  type DetectorWorker,
  MIN_PARALLEL_SURVEYS,
  sharedQueue,
  startDetectorWorker,
} from './detectors/detect-in-worker.js';
import { DETECTORS, registeredDetectors } from './detectors/registry.js';
import type { Detector, DetectorResult } from './detectors/types.js';
import { rankFindings } from './findings/rankFindings.js';
import type { DetectorId, FindingsDocument, QualitySummary, Skipped, Test } from './findings/types.js';
import {
  type LedgerInputs,
  type LoadedSurveys,
  type LoadOptions,
  loadLedgersThen,
  OMITTABLE_COLUMNS,
  type OmittableColumn,
} from './ledger/load.js';
import type { LedgerQuality, Ledgers } from './ledger/types.js';
import { OptionError } from './log/errors.js';
import { GENERATOR } from './version.js';

/** Options of `analyze`. */
export interface AnalyzeOptions {
  /** False discovery rate: findings with `qValue <= alpha` are listed. Default `0.05`. */
  alpha?: number;
  /** Detectors to run. Default: every registered detector. */
  detectors?: DetectorId[];
  /** List every test, not only those with `qValue <= alpha`. Default `false`. */
  includeAll?: boolean;
  /** Per-detector options, e.g. `{ 'concession-before-survey': { windowDays: 14 } }`. Default: none. */
  detectorOptions?: Partial<Record<DetectorId, Record<string, unknown>>>;
  /** Seed for every permutation test. Default `1`. */
  seed?: number;
  /** Clock for `run.generatedAt`. Default: now. */
  now?: Date;
  /**
   * Cancels the run: checked before each detector; when aborted, the run
   * throws the signal's reason (an `AbortError` unless you gave one) and
   * returns nothing. Default: none. {@link analyze} runs synchronously, so
   * only an abort made synchronously (e.g. from `onProgress`) can land
   * mid-run; timers, signals and UI events need {@link analyzeAsync}.
   */
  signal?: AbortSignal;
  /** Called before each detector runs (`index` is 0-based, of `total`). Default: none. */
  onProgress?: (progress: AnalyzeProgress) => void;
  /**
   * {@link analyzeAsync} only: run the detectors that read only the surveys on a worker thread,
   * alongside the others (`true`), or all on the calling thread (`false`). Default: on survey
   * ledgers of 300,000 rows or more. The findings are the same either way.
   */
  parallel?: boolean;
}

/** What `onProgress` is told before each detector runs. */
export interface AnalyzeProgress {
  detector: DetectorId;
  /** 0-based position of `detector` among the detectors of the run */
  index: number;
  total: number;
}

/** The findings document plus the per-entity tables behind each detector. */
export interface AnalysisResult extends FindingsDocument {
  tables: Partial<Record<DetectorId, Record<string, unknown>[]>>;
}

export const DEFAULT_ALPHA = 0.05;

/**
 * Run the detectors on loaded ledgers and return the SPEC's findings
 * document: every test of every detector enters one Benjamini–Hochberg
 * adjustment, findings are ranked by q-value (ties broken by detector and
 * entity id, so that output is deterministic).
 *
 * Cancellation and progress: `signal` is checked and `onProgress` called
 * before each detector; an aborted run throws the signal's reason.
 *
 * @example
 * const ledgers = await loadLedgers({ surveys: 's.csv', concessions: 'c.csv' });
 * const result = analyze(ledgers, { alpha: 0.05 });
 * result.findings[0]?.summary;
 */
export function analyze(ledgers: Ledgers, options: AnalyzeOptions = {}): AnalysisResult {
  const run = startRun(options);
  for (let i = 0; i < run.chosen.length; i++) run.step(ledgers, i);
  return run.finish(ledgers);
}

/**
 * {@link analyze}, yielding to the event loop between detectors so that an
 * `AbortSignal` fired by a timer, a SIGINT handler or a UI can cancel a long
 * run (the signal is checked before each detector; a detector that has
 * started runs to its end), and using a second core: on survey ledgers of
 * 300,000 rows or more (or with `parallel: true`) the detectors that read only
 * the surveys share the work with a worker thread. Same options, same result.
 *
 * @example
 * const result = await analyzeAsync(ledgers, { signal: AbortSignal.timeout(60_000) });
 */
export async function analyzeAsync(ledgers: Ledgers, options: AnalyzeOptions = {}): Promise<AnalysisResult> {
  const run = startRun(options);
  const side = { ...ledgers, hasInteractions: ledgers.interactions !== undefined };
  return runShared(run, ledgers, shareWork(run, side, options), options.signal);
}

/** Options of {@link loadAndAnalyze}: those of `analyze`, plus the load's. */
export interface LoadAndAnalyzeOptions extends AnalyzeOptions {
  /** Options of the load (`loadLedgers`). Default: none. */
  load?: LoadOptions;
  /** Called once every ledger is loaded (some detectors may be running already). Default: none. */
  onLoaded?: (ledgers: Ledgers) => void;
}

/**
 * {@link loadLedgers} then {@link analyzeAsync}, overlapped: the detectors that read only the
 * surveys start on the worker thread as soon as the surveys are loaded, while the concessions
 * still load (on large files, the calling thread waits for the concession loader's thread
 * there). Options are checked before anything is loaded. Same ledgers, same result.
 *
 * @example
 * const { ledgers, result } = await loadAndAnalyze(
 *   { surveys: 's.csv', concessions: 'c.csv' },
 *   { load: { timeZone: 'Europe/Berlin' }, alpha: 0.05 },
 * );
 */
export async function loadAndAnalyze(
  inputs: LedgerInputs,
  options: LoadAndAnalyzeOptions = {},
): Promise<{ ledgers: Ledgers; result: AnalysisResult }> {
  const { load, onLoaded, ...analyzeOptions } = options;
  const run = startRun(analyzeOptions);
  let worker: DetectorWorker | undefined;
  try {
    const ledgers = await loadLedgersThen(inputs, load, (side) => {
      worker = shareWork(run, side, analyzeOptions);
    });
    onLoaded?.(ledgers);
    return { ledgers, result: await runShared(run, ledgers, worker, analyzeOptions.signal) };
  } finally {
    worker?.stop();
  }
}

type Run = ReturnType<typeof startRun>;

/** The worker on the run's shared queue, when the run is parallel and the worker starts. */
function shareWork(run: Run, side: LoadedSurveys, options: AnalyzeOptions): DetectorWorker | undefined {
  const parallel = options.parallel ?? side.surveys.length >= MIN_PARALLEL_SURVEYS;
  const queue = parallel ? sharedQueue(run.chosen) : [];
  if (queue.length === 0) return undefined;
  const jobs = queue.map((index) => ({ index, id: run.chosen[index].id, options: run.optionsOf(index) }));
  return startDetectorWorker(side, jobs, run.started);
}

/** The detectors only this thread can run, then its share of the queue, then the worker's results. */
async function runShared(
  run: Run,
  ledgers: Ledgers,
  worker: DetectorWorker | undefined,
  signal: AbortSignal | undefined,
): Promise<AnalysisResult> {
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  try {
    const queued = new Set(worker ? sharedQueue(run.chosen) : []);
    for (let i = 0; i < run.chosen.length; i++) {
      if (queued.has(i)) continue;
      await tick();
      run.step(ledgers, i);
    }
    if (worker) {
      for (let job = worker.claim(); job; job = worker.claim()) {
        await tick();
        run.step(ledgers, job.index);
      }
      const results = await untilAborted(worker.results, signal);
      for (const [index, result] of results) run.record(index, result);
    }
  } finally {
    worker?.stop();
  }
  return run.finish(ledgers);
}

/** `promise`, or the signal's reason as soon as it is aborted. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** One run of `analyze`, detector by detector: options checked up front, results gathered per step. */
function startRun(options: AnalyzeOptions) {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  if (!(alpha > 0 && alpha < 1)) throw new OptionError(`alpha must be between 0 and 1, got ${alpha}`);
  const seed = options.seed ?? 1;
  const chosen = selectDetectors(options.detectors);
  checkDetectorOptions(options.detectorOptions, DETECTORS);
  const { signal, onProgress } = options;
  signal?.throwIfAborted();

  const results: DetectorResult[] = [];
  const optionsOf = (index: number) => ({ seed, ...options.detectorOptions?.[chosen[index].id] });
  const started = (index: number) =>
    onProgress?.({ detector: chosen[index].id, index, total: chosen.length });
  const record = (index: number, result: DetectorResult) => {
    if (result.ran) result.tests.forEach(checkFinite);
    results[index] = result;
  };
  const step = (ledgers: Ledgers, index: number): void => {
    signal?.throwIfAborted();
    started(index);
    signal?.throwIfAborted();
    record(index, chosen[index].run(ledgers, optionsOf(index)));
  };

  const finish = (ledgers: Ledgers): AnalysisResult => {
    signal?.throwIfAborted();
    const tests: Test[] = [];
    const tested: Partial<Record<DetectorId, number>> = {};
    const skipped: Skipped[] = [];
    const tables: AnalysisResult['tables'] = {};
    chosen.forEach((detector, index) => {
      const result = results[index];
      if (!result.ran) {
        skipped.push({ detector: detector.id, reason: result.reason });
        return;
      }
      tested[detector.id] = result.tests.length;
      tables[detector.id] = result.table;
      // one push per test: spreading ~250k tests (account-extraction at 5M surveys) as arguments overflowed the stack
      for (const t of result.tests) tests.push(t);
    });
    const findings = rankFindings(tests, { alpha, includeAll: options.includeAll });

    return {
      version: 1,
      run: {
        generatedAt: (options.now ?? new Date()).toISOString(),
        generator: GENERATOR,
        options: {
          alpha,
          seed,
          detectors: chosen.map((d) => d.id),
          includeAll: options.includeAll ?? false,
          ...(options.detectorOptions ? { detectorOptions: options.detectorOptions } : {}),
        },
        inputs: {
          surveys: ledgers.quality.surveys.rows,
          concessions: ledgers.quality.concessions.rows,
          ...(ledgers.quality.interactions ? { interactions: ledgers.quality.interactions.rows } : {}),
        },
        tested,
        skipped,
      },
      findings,
      dataQuality: {
        surveys: summarize(ledgers.quality.surveys),
        concessions: summarize(ledgers.quality.concessions),
        ...(ledgers.quality.interactions ? { interactions: summarize(ledgers.quality.interactions) } : {}),
      },
      tables,
    };
  };
  return { chosen, optionsOf, started, step, record, finish };
}

/**
 * The survey columns a run of `detectors` (default: all) does not read, for `LoadOptions.omitColumns`:
 * a load without them is faster, and the run's findings are the same.
 *
 * @example
 * const detectors: DetectorId[] = ['concession-before-survey', 'concession-during-survey'];
 * await loadAndAnalyze(files, { detectors, load: { omitColumns: unreadColumns(detectors) } });
 */
export function unreadColumns(detectors?: DetectorId[]): OmittableColumn[] {
  const read = new Set(selectDetectors(detectors).flatMap((d) => d.readsOmittable ?? []));
  return OMITTABLE_COLUMNS.filter((column) => !read.has(column));
}

function selectDetectors(ids: DetectorId[] | undefined): Detector[] {
  if (!ids) return registeredDetectors();
  return ids.map((id) => {
    const detector = DETECTORS[id];
    if (!detector) {
      const known = registeredDetectors().map((d) => d.id);
      throw new OptionError(
        `unknown or unavailable detector "${id}"; available: ${known.join(', ') || '(none)'}`,
      );
    }
    return detector;
  });
}

/** A detector must never hand NaN or Infinity to the contract: that is a bug, so fail loudly. */
function checkFinite(t: Test): void {
  const numbers = [t.effect, t.ci[0], t.ci[1], t.pValue];
  if (!numbers.every(Number.isFinite) || t.pValue < 0 || t.pValue > 1) {
    throw new Error(
      `internal error: ${t.detector} produced a non-finite result for ${t.entity.type} ${t.entity.id}`,
    );
  }
}

export function summarize(q: LedgerQuality): QualitySummary {
  return {
    accepted: q.accepted,
    quarantined: q.quarantined,
    reasons: { ...q.reasons } as Record<string, number>,
    ...(q.warnings.length ? { warnings: [...q.warnings] } : {}),
  };
}

/** The findings document without the per-entity tables (what `--json` writes). */
export function toDocument(result: AnalysisResult): FindingsDocument {
  const { tables: _tables, ...document } = result;
  return document;
}
