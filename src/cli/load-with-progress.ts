import {
  type AnalysisResult,
  type AnalyzeOptions,
  type AnalyzeProgress,
  loadAndAnalyze,
  unreadColumns,
} from '../analyze.js';
import { type LoadProgress, loadLedgers } from '../ledger/load.js';
import type { Ledgers } from '../ledger/types.js';
import type { ResolvedInputs } from './inputs.js';

/**
 * Load the ledgers of a command, telling the terminal what is happening
 * (only when stderr is a terminal, so that scripts and cron logs stay clean).
 */
export async function loadWithProgress(inputs: ResolvedInputs): Promise<Ledgers> {
  const { onProgress, loaded, clear } = announceLoad(inputs);
  const ledgers = await loadLedgers(inputs.paths, { ...inputs.load, onProgress }).finally(clear);
  loaded(ledgers);
  return ledgers;
}

/**
 * {@link loadWithProgress} and the analysis, overlapped (`loadAndAnalyze`); the survey columns no
 * chosen detector reads are left out of the load (the same findings, sooner).
 */
export function loadAndAnalyzeWithProgress(
  inputs: ResolvedInputs,
  options: AnalyzeOptions,
): Promise<{ ledgers: Ledgers; result: AnalysisResult }> {
  const { onProgress: onLoadProgress, loaded, clear } = announceLoad(inputs);
  const load = { omitColumns: unreadColumns(options.detectors), ...inputs.load, onProgress: onLoadProgress };
  const onLoaded = (ledgers: Ledgers) => {
    clear();
    loaded(ledgers);
  };
  // a detector that starts on the worker thread while the concessions load gets a line of its own
  const analysisProgress = options.onProgress;
  const onProgress =
    analysisProgress &&
    ((p: AnalyzeProgress) => {
      clear();
      analysisProgress(p);
    });
  // a failed load leaves no half-drawn progress line before its error
  return loadAndAnalyze(inputs.paths, { ...options, load, onLoaded, onProgress }).finally(clear);
}

/**
 * Say on a terminal that the inputs are loading, then how far each ledger is (one line, redrawn
 * at most every {@link REDRAW_MS}); `loaded` says how many rows loaded in how long.
 */
function announceLoad(inputs: ResolvedInputs): {
  onProgress?: (progress: LoadProgress) => void;
  loaded: (ledgers: Ledgers) => void;
  /** Erase the progress line, if one is drawn. */
  clear: () => void;
} {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  if (!tty) return { loaded: () => {}, clear: () => {} };
  const files = Object.values(inputs.paths).join(', ');
  process.stderr.write(`nps-gaming: loading ${inputs.demo ? 'the bundled demo dataset: ' : ''}${files} …\n`);
  const latest = new Map<string, LoadProgress>();
  let drawn = 0;
  let line = false;
  const onProgress = (progress: LoadProgress) => {
    latest.set(progress.ledger, progress);
    const now = Date.now();
    // a short load draws nothing: no flicker
    if (now - drawn < REDRAW_MS || now - started < FIRST_DRAW_MS) return;
    drawn = now;
    line = true;
    process.stderr.write(`\r\x1b[Knps-gaming: ${describeLoadProgress([...latest.values()])}`);
  };
  const clear = () => {
    if (line) process.stderr.write('\r\x1b[K');
    line = false;
  };
  return {
    onProgress,
    clear,
    loaded: (ledgers) => {
      const rows =
        ledgers.quality.surveys.rows +
        ledgers.quality.concessions.rows +
        (ledgers.quality.interactions?.rows ?? 0);
      process.stderr.write(
        `nps-gaming: loaded ${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    },
  };
}

/** How often a progress line is redrawn, and from when on. */
export const REDRAW_MS = 250;
export const FIRST_DRAW_MS = 1000;

/** "surveys 45% (450,000 rows) · concessions 12% (240,000 rows)" */
export function describeLoadProgress(progress: readonly LoadProgress[]): string {
  return progress
    .map(
      (p) =>
        `${p.ledger} ${p.fraction === undefined ? '' : `${Math.floor(p.fraction * 100)}% `}(${p.rows.toLocaleString('en-US')} rows)`,
    )
    .join(' · ');
}
