import type { Command } from 'commander';
import { type AnalyzeProgress, toDocument } from '../../analyze.js';
import { analyzeWithDuckDb, SQL_DETECTORS, type SqlDetectorId } from '../../duckdb/analyze.js';
import type { DuckDbProgress } from '../../duckdb/statements.js';
import { findingsToCsv } from '../../findings/to-csv.js';
import { DETECTOR_IDS, type DetectorId, type FindingsDocument } from '../../findings/types.js';
import { LedgerError, messages } from '../../log/errors.js';
import { EXIT, UsageError } from '../errors.js';
import { addInputFlags, writeOutput } from '../flags.js';
import { type InputFlags, type ResolvedInputs, resolveInputs } from '../inputs.js';
import { FIRST_DRAW_MS, loadAndAnalyzeWithProgress, REDRAW_MS } from '../load-with-progress.js';
import { findingsTable } from '../table.js';

/** Exit code after Ctrl-C (128 + SIGINT), as shells report it. */

interface DetectFlags extends InputFlags {
  json?: string;
  csv?: string;
  detectors?: string;
  all?: boolean;
  seed?: string;
  engine?: string;
  memoryLimit?: string;
  tempDirectory?: string;
}

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

export function registerDetect(program: Command): void {
  addInputFlags(
    program
      .command('detect')
      .description('Run the detectors and list the findings (q-value <= alpha, BH over all tests).'),
  )
    .option('--json <file>', 'write the findings document (SPEC contract) as JSON')
    .option('--csv <file>', 'write the findings as CSV, one row per finding')
    .option('--detectors <ids>', 'comma-separated detector ids to run (default: all)')
    .option('--all', 'list every test, not only those with q <= alpha')
    .option('--seed <n>', 'seed of the permutation tests (default 1)')
    .option(
      '--engine <name>',
      'memory (default), or duckdb: the two concession-timing detectors as SQL on DuckDB, for ledgers beyond memory (needs @duckdb/node-api)',
    )
    .option(
      '--memory-limit <size>',
      "with --engine duckdb: DuckDB's memory limit, e.g. 4GB (it spills to disk beyond)",
    )
    .option('--temp-directory <dir>', 'with --engine duckdb: where DuckDB spills')
    .action(async (flags: DetectFlags) => {
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
  const engine = flags.engine ?? 'memory';
  if (engine !== 'memory' && engine !== 'duckdb')
    throw new UsageError(`--engine must be memory or duckdb, got "${flags.engine}"`);
  if (engine === 'memory' && (flags.memoryLimit !== undefined || flags.tempDirectory !== undefined))
    throw new UsageError('--memory-limit and --temp-directory are options of --engine duckdb');
  if (engine === 'duckdb') {
    const document = await detectWithDuckDb(inputs, flags, signal);
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
 * `--engine duckdb`: the scale path (`nps-gaming/duckdb`) on the same inputs, for ledgers beyond
 * memory. It covers the two concession-timing detectors and reads no interaction ledger: it says
 * so, rather than leaving the other detectors out silently.
 */
async function detectWithDuckDb(
  inputs: ResolvedInputs,
  flags: DetectFlags,
  signal: AbortSignal,
): Promise<FindingsDocument> {
  const asked = parseDetectorList(flags.detectors) ?? inputs.config.detectors;
  const uncovered = asked?.filter((id) => !(SQL_DETECTORS as readonly string[]).includes(id)) ?? [];
  if (uncovered.length)
    throw new UsageError(
      `--engine duckdb runs ${SQL_DETECTORS.join(' and ')} only, not ${uncovered.join(', ')}; ` +
        'the in-memory engine runs every detector',
    );
  if (inputs.paths.interactions !== undefined && !inputs.demo)
    process.stderr.write(
      'nps-gaming: --engine duckdb does not read the interaction ledger: concession-before-survey runs as without it\n',
    );
  const options = inputs.config.detectorOptions ?? {};
  const progress = process.stderr.isTTY === true ? duckDbProgressPrinter() : undefined;
  const result = await analyzeWithDuckDb(
    { surveys: inputs.paths.surveys, concessions: inputs.paths.concessions },
    {
      columns: inputs.load.columns,
      timeZone: inputs.load.timeZone,
      alpha: inputs.alpha,
      detectors: asked as SqlDetectorId[] | undefined,
      includeAll: flags.all,
      detectorOptions: Object.fromEntries(
        Object.entries(options).filter(([id]) => (SQL_DETECTORS as readonly string[]).includes(id)),
      ),
      memoryLimit: flags.memoryLimit,
      tempDirectory: flags.tempDirectory,
      maxRecordBytes: inputs.load.maxRecordBytes,
      onProgress: progress?.onProgress,
      signal,
    },
  ).finally(() => progress?.end());
  const { tables: _, ...document } = result;
  // --strict as with the in-memory engine: the SQL path counts the rows it leaves out as quarantined
  if (inputs.load.strict) {
    for (const ledger of ['surveys', 'concessions'] as const) {
      const left = document.dataQuality[ledger]?.quarantined ?? 0;
      if (left === 0) continue;
      const source = inputs.paths[ledger];
      const why =
        'rows the SQL path leaves out (a record with another number of fields, or a missing or bad id, timestamp, amount or category); `validate` says which';
      throw new LedgerError(messages.strict(source, left, why), { source });
    }
  }
  return document;
}

/**
 * On a terminal's stderr, one line per step of the DuckDB engine, redrawn with DuckDB's estimate
 * of how much is done once the step has run a second; `end` closes the last line.
 */
function duckDbProgressPrinter(): { onProgress: (progress: DuckDbProgress) => void; end: () => void } {
  let line = '';
  let started = 0;
  let drawn = 0;
  const onProgress = ({ step, index, total, percent }: DuckDbProgress) => {
    const now = Date.now();
    if (percent === undefined) {
      // a step starts: the line of the one before is done
      if (line) process.stderr.write('\n');
      line = `nps-gaming: [${index}/${total}] DuckDB: ${step} …`;
      process.stderr.write(line);
      started = now;
      return;
    }
    if (now - started < FIRST_DRAW_MS || now - drawn < REDRAW_MS) return;
    drawn = now;
    process.stderr.write(`\r\x1b[K${line} ${Math.floor(percent)}%`);
  };
  const end = () => {
    if (line) process.stderr.write('\n');
    line = '';
  };
  return { onProgress, end };
}

/**
 * One line per detector on a terminal's stderr (scripts and cron logs stay clean), counted in the
 * order they start: on two threads that is not the run's order.
 */
function progressPrinter(): (progress: AnalyzeProgress) => void {
  let started = 0;
  return ({ detector, total }) => process.stderr.write(`nps-gaming: [${++started}/${total}] ${detector} …\n`);
}
