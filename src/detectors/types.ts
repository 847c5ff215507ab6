import type { DetectorId, Test } from '../findings/types.js';
import type { OmittableColumn } from '../ledger/load.js';
import type { LedgerName, Ledgers } from '../ledger/types.js';

/** Options every detector understands; each detector adds its own. */
export interface CommonDetectorOptions {
  /** Seed for permutation tests (default 1). */
  seed?: number;
}

/**
 * What a detector returns: every test it made (for the run-wide BH
 * adjustment), the per-entity table behind them, or why it did not run.
 */
export type DetectorResult =
  | { ran: true; tests: Test[]; table: Record<string, unknown>[] }
  | { ran: false; reason: string };

export interface Detector {
  id: DetectorId;
  /** One sentence for docs and reports. */
  description: string;
  /** The ledgers it reads (`analyzeAsync` may run a detector that reads only the surveys on a worker thread). */
  reads: readonly LedgerName[];
  /** The survey columns of `OMITTABLE_COLUMNS` it reads: a run without it can load without them. Default: none. */
  readsOmittable?: readonly OmittableColumn[];
  /** Names of its options besides `seed` (its options interface's; a test keeps them equal). */
  options: readonly string[];
  run(ledgers: Ledgers, options: Record<string, unknown>): DetectorResult;
}
