import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { makeDirectory } from '../files/makeDirectory.js';
import { DETECTOR_IDS, type DetectorId } from '../findings/types.js';
import { UsageError } from './errors.js';

/** The input flags shared by validate, detect and report. */
export function addInputFlags(command: Command): Command {
  return command
    .option(
      '--surveys <file>',
      'survey ledger (CSV, TSV, JSON, NDJSON, also gzipped; Parquet, Arrow; a directory or quoted pattern of such files); default: the bundled demo data',
    )
    .option('--concessions <file>', 'concession ledger')
    .option('--interactions <file>', 'interaction ledger (optional; enables survey-suppression)')
    .option('--columns <mapping.json>', 'column mapping, e.g. {"customer_id": "acct_no"}')
    .option('--config <file>', 'nps-gaming.config.json with inputs and options (flags win)')
    .option('--time-zone <zone>', 'IANA zone for timestamps without an offset (default UTC)')
    .option('--scale <min..max>', 'rep_score scale (default 1..10)')
    .option('--alpha <q>', 'false discovery rate for listed findings (default 0.05)')
    .option('--strict', 'treat any quarantined row as an error (exit 1)')
    .option(
      '--max-record-mib <n>',
      "longest CSV record read, in MiB (default 64; with --engine duckdb, DuckDB's 2 MB); longer stops the run",
    );
}

/** Write an output file, creating its directory; a failure is a usage error (exit 2) naming the path. */
export function writeOutput(path: string, data: string | Uint8Array): void {
  try {
    makeDirectory(dirname(path));
    writeFileSync(path, data);
  } catch (error) {
    throw new UsageError(`cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/** The detector ids of a `--detectors` flag; a usage error naming an unknown one. */
export function parseDetectorList(text: string | undefined): DetectorId[] | undefined {
  if (text === undefined) return undefined;
  const ids = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const id of ids) {
    if (!(DETECTOR_IDS as readonly string[]).includes(id)) {
      throw new UsageError(`unknown detector "${id}"; known: ${DETECTOR_IDS.join(', ')}`);
    }
  }
  return ids as DetectorId[];
}
