import { type AnalysisResult, type AnalyzeOptions, loadAndAnalyze, unreadColumns } from '../analyze.js';
import { loadLedgers } from '../ledger/load.js';
import type { Ledgers } from '../ledger/types.js';
import type { ResolvedInputs } from './inputs.js';

/**
 * Load the ledgers of a command, telling the terminal what is happening
 * (only when stderr is a terminal, so that scripts and cron logs stay clean).
 */
export async function loadWithProgress(inputs: ResolvedInputs): Promise<Ledgers> {
  const loaded = announceLoad(inputs);
  const ledgers = await loadLedgers(inputs.paths, inputs.load);
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
  const onLoaded = announceLoad(inputs);
  const load = { omitColumns: unreadColumns(options.detectors), ...inputs.load };
  return loadAndAnalyze(inputs.paths, { ...options, load, onLoaded });
}

/** Say on a terminal that the inputs are loading; the returned function says how many rows loaded in how long. */
function announceLoad(inputs: ResolvedInputs): (ledgers: Ledgers) => void {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  if (tty) {
    const files = Object.values(inputs.paths).join(', ');
    process.stderr.write(
      `nps-gaming: loading ${inputs.demo ? 'the bundled demo dataset: ' : ''}${files} …\n`,
    );
  }
  return (ledgers) => {
    if (!tty) return;
    const rows =
      ledgers.quality.surveys.rows +
      ledgers.quality.concessions.rows +
      (ledgers.quality.interactions?.rows ?? 0);
    process.stderr.write(
      `nps-gaming: loaded ${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  };
}
