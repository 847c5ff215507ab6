import type { Command } from 'commander';
import type { AnalysisResult } from '../analyze.js';
import { analyzeWithDuckDb, SQL_DETECTORS, type SqlDetectorId } from '../duckdb/analyze.js';
import type { DuckDbProgress } from '../duckdb/statements.js';
import { LedgerError, messages } from '../log/errors.js';
import { UsageError } from './errors.js';
import { parseDetectorList } from './flags.js';
import type { ResolvedInputs } from './inputs.js';
import { FIRST_DRAW_MS, REDRAW_MS } from './load-with-progress.js';

/** The flags that choose the engine of `detect` and `report`. */
export interface EngineFlags {
  engine?: string;
  memoryLimit?: string;
  tempDirectory?: string;
}

/** Add {@link EngineFlags} to a command. */
export function addEngineFlags(command: Command): Command {
  return command
    .option(
      '--engine <name>',
      'memory (default), or duckdb: the two concession-timing detectors as SQL on DuckDB, for ledgers beyond memory (needs @duckdb/node-api)',
    )
    .option(
      '--memory-limit <size>',
      "with --engine duckdb: DuckDB's memory limit, e.g. 4GB (it spills to disk beyond)",
    )
    .option('--temp-directory <dir>', 'with --engine duckdb: where DuckDB spills');
}

/** The engine the flags choose; a usage error for an unknown one, or DuckDB's flags without it. */
export function engineOf(flags: EngineFlags): 'memory' | 'duckdb' {
  const engine = flags.engine ?? 'memory';
  if (engine !== 'memory' && engine !== 'duckdb')
    throw new UsageError(`--engine must be memory or duckdb, got "${flags.engine}"`);
  if (engine === 'memory' && (flags.memoryLimit !== undefined || flags.tempDirectory !== undefined))
    throw new UsageError('--memory-limit and --temp-directory are options of --engine duckdb');
  return engine;
}

/**
 * `--engine duckdb`: the scale path (`nps-gaming/duckdb`) on the same inputs, for ledgers beyond
 * memory. It covers the two concession-timing detectors and reads no interaction ledger: it says
 * so, rather than leaving the other detectors out silently.
 */
export async function runDuckDbEngine(
  inputs: ResolvedInputs,
  flags: EngineFlags & { detectors?: string; all?: boolean },
  { signal, now }: { signal?: AbortSignal; now?: Date } = {},
): Promise<AnalysisResult> {
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
      now,
    },
  ).finally(() => progress?.end());
  // --strict as with the in-memory engine: the SQL path counts the rows it leaves out as quarantined
  if (inputs.load.strict) {
    for (const ledger of ['surveys', 'concessions'] as const) {
      const left = result.dataQuality[ledger]?.quarantined ?? 0;
      if (left === 0) continue;
      const source = inputs.paths[ledger];
      const why =
        'rows the SQL path leaves out (a record with another number of fields, or a missing or bad id, timestamp, amount or category); `validate` says which';
      throw new LedgerError(messages.strict(source, left, why), { source });
    }
  }
  return result;
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
