import { loadLedgers } from '../ledger/load.js';
import type { Ledgers } from '../ledger/types.js';
import type { ResolvedInputs } from './inputs.js';

/**
 * Load the ledgers of a command, telling the terminal what is happening
 * (only when stderr is a terminal, so that scripts and cron logs stay clean).
 */
export async function loadWithProgress(inputs: ResolvedInputs): Promise<Ledgers> {
  const tty = process.stderr.isTTY === true;
  const started = Date.now();
  if (tty) {
    const files = Object.values(inputs.paths).join(', ');
    process.stderr.write(
      `nps-gaming: loading ${inputs.demo ? 'the bundled demo dataset: ' : ''}${files} …\n`,
    );
  }
  const ledgers = await loadLedgers(inputs.paths, inputs.load);
  if (tty) {
    const rows =
      ledgers.quality.surveys.rows +
      ledgers.quality.concessions.rows +
      (ledgers.quality.interactions?.rows ?? 0);
    process.stderr.write(
      `nps-gaming: loaded ${rows} rows in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
    );
  }
  return ledgers;
}
