import type { Command } from 'commander';
import { type AnalyzeProgress, toDocument } from '../../analyze.js';
import { findingsToCsv } from '../../findings/to-csv.js';
import type { FindingsDocument } from '../../findings/types.js';
import { addEngineFlags, type EngineFlags, engineOf, runDuckDbEngine } from '../duckdb-engine.js';
import { EXIT, UsageError } from '../errors.js';
import { addInputFlags, parseDetectorList, writeOutput } from '../flags.js';
import { type InputFlags, resolveInputs } from '../inputs.js';
import { loadAndAnalyzeWithProgress } from '../load-with-progress.js';
import { findingsTable } from '../table.js';

/** Exit code after Ctrl-C (128 + SIGINT), as shells report it. */

interface DetectFlags extends InputFlags, EngineFlags {
  json?: string;
  csv?: string;
  detectors?: string;
  all?: boolean;
  seed?: string;
}

export function registerDetect(program: Command): void {
  const command = addInputFlags(
    program
      .command('detect')
      .description('Run the detectors and list the findings (q-value <= alpha, BH over all tests).'),
  )
    .option('--json <file>', 'write the findings document (SPEC contract) as JSON')
    .option('--csv <file>', 'write the findings as CSV, one row per finding')
    .option('--detectors <ids>', 'comma-separated detector ids to run (default: all)')
    .option('--all', 'list every test, not only those with q <= alpha')
    .option('--seed <n>', 'seed of the permutation tests (default 1)');
  addEngineFlags(command).action(async (flags: DetectFlags) => {
    // Ctrl-C: finish the running detector, skip the rest, write nothing, then die of SIGINT (status
    // 130) so that a calling shell script stops too, as it would for any well-behaved command.
    // A second Ctrl-C falls through to Node's default (immediate exit).
    const controller = new AbortController();
    const interrupt = () => controller.abort();
    process.once('SIGINT', interrupt);
    try {
      await detect(flags, controller.signal);
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      process.stderr.write('nps-gaming: interrupted; no output written\n');
      process.exitCode = EXIT.interrupted; // what remains if SIGINT is ignored (inherited SIG_IGN)
      process.off('SIGINT', interrupt);
      process.kill(process.pid, 'SIGINT');
    } finally {
      process.off('SIGINT', interrupt);
    }
  });
}

async function detect(flags: DetectFlags, signal: AbortSignal): Promise<void> {
  const inputs = resolveInputs(flags);
  const seed = flags.seed === undefined ? undefined : Number(flags.seed);
  if (seed !== undefined && !Number.isInteger(seed))
    throw new UsageError(`--seed must be an integer, got "${flags.seed}"`);
  if (engineOf(flags) === 'duckdb') {
    const { tables: _, ...document } = await runDuckDbEngine(inputs, flags, { signal });
    signal.throwIfAborted();
    writeResults(flags, document);
    return;
  }
  const tty = process.stderr.isTTY === true;
  const { result } = await loadAndAnalyzeWithProgress(inputs, {
    alpha: inputs.alpha,
    detectors: parseDetectorList(flags.detectors) ?? inputs.config.detectors,
    detectorOptions: inputs.config.detectorOptions,
    includeAll: flags.all,
    seed,
    signal,
    onProgress: tty ? progressPrinter() : undefined,
  });
  signal.throwIfAborted();
  writeResults(flags, toDocument(result));
}

/** The findings as JSON and CSV (when asked) and as the terminal's table. */
function writeResults(flags: DetectFlags, document: FindingsDocument): void {
  if (flags.json) writeOutput(flags.json, `${JSON.stringify(document, null, 2)}\n`);
  if (flags.csv) writeOutput(flags.csv, findingsToCsv(document.findings));
  process.stdout.write(findingsTable(document));
}

/**
 * One line per detector on a terminal's stderr (scripts and cron logs stay clean), counted in the
 * order they start: on two threads that is not the run's order.
 */
function progressPrinter(): (progress: AnalyzeProgress) => void {
  let started = 0;
  return ({ detector, total }) => process.stderr.write(`nps-gaming: [${++started}/${total}] ${detector} …\n`);
}
