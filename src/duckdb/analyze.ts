import { DEFAULT_ALPHA } from '../analyze.js';
import { checkDetectorOptions } from '../detectors/checkOptions.js';
import { DETECTORS } from '../detectors/registry.js';
import type { DetectorResult } from '../detectors/types.js';
import { DEFAULT_NON_RECOVERY_REASONS, DEFAULT_NON_REVENUE_CATEGORIES } from '../features/concessionKinds.js';
import { rankFindings } from '../findings/rankFindings.js';
import type { DetectorId, FindingsDocument, QualitySummary, Skipped, Test } from '../findings/types.js';
import type { ColumnMapping } from '../ledger/resolve-columns.js';
import { LedgerError, OptionError } from '../log/errors.js';
import { numberOption, stringListOption } from '../options.js';
import { GENERATOR } from '../version.js';
import { RAISE_LIMIT, resolveSqlColumns } from './columns.js';
import { connectDuckDb, type DuckDbConnection, queryRows } from './connect.js';
import { checkSourceFiles } from './source-files.js';
import {
  beforeSurveyAggregatesSql,
  beforeSurveySql,
  DAY_US,
  duringSurveySql,
  FIELD_COUNT_ERRORS,
  isCsvSource,
  type JoinStrategy,
  literal,
  rejectsTable,
  repOrderSql,
  type SqlSource,
  stageSql,
} from './sql.js';
import {
  DUCKDB_STEPS,
  type DuckDbProgress,
  type DuckDbStep,
  StatementRunner,
  withSettings,
} from './statements.js';
import {
  type BeforeSurveyAggregate,
  beforeSurveyTests,
  type DuringSurveyAggregate,
  duringSurveyTests,
} from './tests.js';

/** The detectors the SQL path covers (see docs/warehouse-sql.md). */
export const SQL_DETECTORS = ['concession-before-survey', 'concession-during-survey'] as const;
export type SqlDetectorId = (typeof SQL_DETECTORS)[number];

/** A ledger for the SQL path: a CSV/TSV/Parquet file path, or `{ table: 'schema.name' }` in the database. */
export type SqlLedgerInput = string | { table: string };

/** Options of {@link analyzeWithDuckDb}. */
export interface DuckDbAnalyzeOptions {
  /** An open connection to use (e.g. to a database whose tables hold the ledgers). Default: a new in-memory database. */
  connection?: DuckDbConnection;
  /**
   * Canonical column → the source's column name, as `loadLedgers` takes it (flat, or per ledger
   * under `surveys` and `concessions`). Columns are then found as the in-memory loader finds
   * them: whatever their case or spelling (`Customer ID`), optional ones (`reason`, `rep_id`,
   * `responded_at`) may be absent. Default: none.
   */
  columns?: ColumnMapping;
  /** IANA zone for timestamps without an offset. Default `"UTC"`. */
  timeZone?: string;
  /** False discovery rate. Default `0.05`. */
  alpha?: number;
  /** Detectors to run, among {@link SQL_DETECTORS}. Default: both. */
  detectors?: SqlDetectorId[];
  /** List every test, not only those with `qValue <= alpha`. Default `false`. */
  includeAll?: boolean;
  /** Per-detector options, as for `analyze` (windowDays, minConcessions, nonRecoveryReasons, nonRevenueCategories; minResponses, maxOpenDays, nonRecoveryReasons). */
  detectorOptions?: Partial<Record<SqlDetectorId, Record<string, unknown>>>;
  /**
   * How the window features join (see `sql.ts`). Default `'range'`: measured as fast or faster
   * than `'bucket'` on DuckDB 1.5 (1M surveys + 2M concessions: 9.7 s vs 12.3 s; 5M + 10M: 75 s
   * vs 92 s, docs/benchmarks.md), because the customer + rep equi-join already leaves few pairs
   * per key; the bucket join pays off when the equality keys are coarse (e.g. customer only).
   */
  strategy?: JoinStrategy;
  /** Clock for `run.generatedAt`. Default: now. */
  now?: Date;
  /**
   * DuckDB's `memory_limit` for the run, e.g. `'4GB'`: past it DuckDB spills intermediate results
   * to `tempDirectory` instead of growing (set on the database of `connection` when one is given).
   * Default: DuckDB's own (80% of the machine's memory).
   */
  memoryLimit?: string;
  /** Where DuckDB spills (`temp_directory`). Default: DuckDB's own (`.tmp` in the working directory for an in-memory database). */
  tempDirectory?: string;
  /**
   * Told when each step starts (reading and checking each ledger, then each detector's SQL), and
   * a few times a second how much of the running statement DuckDB estimates is done.
   */
  onProgress?: (progress: DuckDbProgress) => void;
  /** Aborting it interrupts the running statement: the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * The longest CSV record read, in bytes (`LoadOptions.maxRecordBytes`); a longer one stops the run.
   * Default: DuckDB's 2 MB, not the loader's 64 MiB (a larger limit slows DuckDB's reading).
   */
  maxRecordBytes?: number;
}

/**
 * The DuckDB scale path: the window features and per-rep roll-ups of
 * `concession-before-survey` (peer-share basis: the test the in-memory
 * detector runs when there is no interaction ledger) and
 * `concession-during-survey` run as SQL over CSV/Parquet files or tables of
 * a DuckDB database; the statistics run in JS on the aggregated rows. The
 * findings equal the in-memory `analyze` of the same ledgers without
 * interactions, restricted to these detectors (BH over their tests).
 *
 * Needs the optional peer `@duckdb/node-api` (a MissingPeerError says how to
 * install it). The SQL does not repeat every check of the loader: rows
 * missing an id, customer or timestamp are skipped, duplicates and score
 * scales are not checked, so validate ledgers first.
 *
 * @example
 * const doc = await analyzeWithDuckDb({ surveys: 'surveys.parquet', concessions: 'concessions.parquet' });
 */
export async function analyzeWithDuckDb(
  inputs: { surveys: SqlLedgerInput; concessions: SqlLedgerInput },
  options: DuckDbAnalyzeOptions = {},
): Promise<FindingsDocument & { tables: Partial<Record<DetectorId, Record<string, unknown>[]>> }> {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  if (!(alpha > 0 && alpha < 1)) throw new OptionError(`alpha must be between 0 and 1, got ${alpha}`);
  const chosen = options.detectors ?? [...SQL_DETECTORS];
  for (const id of chosen) {
    if (!(SQL_DETECTORS as readonly string[]).includes(id)) {
      throw new OptionError(
        `detector "${id}" is not covered by the SQL path; covered: ${SQL_DETECTORS.join(', ')}`,
      );
    }
  }
  checkDetectorOptions(options.detectorOptions, {
    'concession-before-survey': DETECTORS['concession-before-survey'],
    'concession-during-survey': DETECTORS['concession-during-survey'],
  });
  const before = (options.detectorOptions?.['concession-before-survey'] ?? {}) as Record<string, unknown>;
  const during = (options.detectorOptions?.['concession-during-survey'] ?? {}) as Record<string, unknown>;
  const windowDays = numberOption(before, 'windowDays', 7, { min: 0.01, max: 365 });
  const minConcessions = numberOption(before, 'minConcessions', 5, { min: 1, integer: true });
  const nonRevenue = stringListOption(before, 'nonRevenueCategories', DEFAULT_NON_REVENUE_CATEGORIES);
  const minResponses = numberOption(during, 'minResponses', 5, { min: 1, integer: true });
  const maxOpenDays = numberOption(during, 'maxOpenDays', 30, { min: 0.01 });
  const nonRecovery = stringListOption(before, 'nonRecoveryReasons', DEFAULT_NON_RECOVERY_REASONS);
  const duringNonRecovery = stringListOption(during, 'nonRecoveryReasons', DEFAULT_NON_RECOVERY_REASONS);
  if (chosen.length === 2 && duringNonRecovery.join('\0') !== nonRecovery.join('\0')) {
    throw new OptionError('the SQL path needs one nonRecoveryReasons list for both concession detectors');
  }
  const strategy = options.strategy ?? 'range';
  const timeZone = options.timeZone ?? 'UTC';

  options.signal?.throwIfAborted();
  const source = (x: SqlLedgerInput): SqlSource => (typeof x === 'string' ? { file: x } : x);
  const sources = { surveys: source(inputs.surveys), concessions: source(inputs.concessions) };
  checkSourceFiles(sources);
  const connection = options.connection ?? (await connectDuckDb());
  // the four steps of reading and checking the ledgers, then the chosen detectors'
  const steps = DUCKDB_STEPS.filter((step, i) => i < 4 || (chosen as readonly string[]).includes(step));
  const runner = new StatementRunner(connection, steps, options.onProgress, options.signal);
  // DuckDB tracks a statement's progress only with its progress bar on (here not printed)
  const tracking: Record<string, boolean> = options.onProgress
    ? { enable_progress_bar: true, enable_progress_bar_print: false }
    : {};
  try {
    return await withSettings(connection, tracking, async () => {
      await connection.run(`SET TimeZone = ${literal(timeZone)}`);
      await setting(connection, 'memory_limit', 'memoryLimit', options.memoryLimit);
      await setting(connection, 'temp_directory', 'tempDirectory', options.tempDirectory);
      const staging = stageSql(
        sources.surveys,
        sources.concessions,
        await resolveSqlColumns(connection, sources, options.columns, options.maxRecordBytes),
        chosen.includes('concession-before-survey') ? nonRecovery : duringNonRecovery,
        options.maxRecordBytes,
      );
      await withSettings(connection, { preserve_insertion_order: true }, async () => {
        for (const sql of staging) await runner.run(stagingStep(sql), sql);
      });
      await refuseUnreadRecords(connection, sources);
      // every rep, in the order the in-memory loader codes them (the peer fit and the tables follow it)
      const repIds = (await queryRows(connection, repOrderSql)).map((r) => String(r.rep_id));
      const byCode = <T extends { rep: string }>(rows: T[], empty: (rep: string) => T): T[] => {
        const found = new Map(rows.map((r) => [r.rep, r]));
        return repIds.map((rep) => found.get(rep) ?? empty(rep));
      };

      const results = new Map<DetectorId, DetectorResult>();
      const [concessionCount] = await queryRows(
        connection,
        'SELECT CAST(count(*) AS DOUBLE) AS n, CAST(count(rep_id) AS DOUBLE) AS with_rep FROM ng_concessions',
      );
      if (chosen.includes('concession-before-survey')) {
        if (Number(concessionCount.n) === 0) {
          results.set('concession-before-survey', { ran: false, reason: 'the concession ledger is empty' });
        } else {
          await runner.run('concession-before-survey', beforeSurveySql(windowDays * DAY_US, strategy));
          const rows = await runner.rows(
            'concession-before-survey',
            beforeSurveyAggregatesSql(windowDays, nonRevenue),
          );
          const reps = byCode(
            rows.map(
              (r): BeforeSurveyAggregate => ({
                rep: String(r.rep_id),
                concessions: Number(r.concessions),
                beforeSurvey: Number(r.before_survey),
                recovery: Number(r.recovery),
                amountBefore: Number(r.amount_before),
                amountOther: Number(r.amount_other),
                nonRevenueBefore: Number(r.non_revenue_before),
                categories: ((r.mix as [string, string][] | null) ?? []).map(([c, n]) => [c, Number(n)]),
                lags: ((r.lags as [number, number][] | null) ?? []).map(([d, n]) => [Number(d), Number(n)]),
                examples: (r.examples as string[] | null) ?? [],
              }),
            ),
            (rep) => ({
              rep,
              concessions: 0,
              beforeSurvey: 0,
              recovery: 0,
              amountBefore: 0,
              amountOther: 0,
              nonRevenueBefore: 0,
              categories: [],
              lags: [],
              examples: [],
            }),
          );
          results.set('concession-before-survey', beforeSurveyTests(reps, { windowDays, minConcessions }));
        }
      }
      if (chosen.includes('concession-during-survey')) {
        const rows = await runner.rows('concession-during-survey', duringSurveySql(maxOpenDays, strategy));
        if (Number(concessionCount.n) === 0) {
          results.set('concession-during-survey', { ran: false, reason: 'the concession ledger is empty' });
        } else {
          const period = {
            start: Number(rows[0]?.start_us ?? 0) / 1000,
            end: Number(rows[0]?.end_us ?? 0) / 1000,
          };
          const reps = byCode(
            rows.map(
              (r): DuringSurveyAggregate => ({
                rep: String(r.rep_id),
                responses: Number(r.responses),
                openDays: Number(r.open_days),
                during: Number(r.during),
                examples: (r.examples as string[] | null) ?? [],
                given: Number(r.given),
                customers: Number(r.customers),
              }),
            ),
            (rep) => ({ rep, responses: 0, openDays: 0, during: 0, examples: [], given: 0, customers: 0 }),
          );
          results.set('concession-during-survey', duringSurveyTests(reps, period, { minResponses }));
        }
      }

      const [counts] = await queryRows(
        connection,
        `SELECT CAST((SELECT count(*) FROM ng_surveys_raw) AS DOUBLE) AS surveys_raw,
        CAST((SELECT count(*) FROM ng_surveys) AS DOUBLE) AS surveys,
        (SELECT n FROM ng_surveys_malformed) AS surveys_malformed,
        CAST((SELECT count(*) FROM ng_concessions_raw) AS DOUBLE) AS concessions_raw,
        CAST((SELECT count(*) FROM ng_concessions) AS DOUBLE) AS concessions,
        (SELECT n FROM ng_concessions_malformed) AS concessions_malformed`,
      );
      return assemble(results, chosen, alpha, options, counts as Record<string, number>, strategy);
    });
  } finally {
    if (!options.connection) connection.closeSync();
  }
}

/** The findings document of the SQL path: BH over every test, as `analyze` does. */
function assemble(
  results: Map<DetectorId, DetectorResult>,
  chosen: readonly DetectorId[],
  alpha: number,
  options: DuckDbAnalyzeOptions,
  counts: Record<string, number>,
  strategy: JoinStrategy,
): FindingsDocument & { tables: Partial<Record<DetectorId, Record<string, unknown>[]>> } {
  const tests: Test[] = [];
  const tested: Partial<Record<DetectorId, number>> = {};
  const skipped: Skipped[] = [];
  const tables: Partial<Record<DetectorId, Record<string, unknown>[]>> = {};
  for (const id of chosen) {
    const result = results.get(id);
    if (!result) continue;
    if (!result.ran) {
      skipped.push({ detector: id, reason: result.reason });
      continue;
    }
    tested[id] = result.tests.length;
    tables[id] = result.table;
    // one push per test: spreading ~250k tests (account-extraction at 5M surveys) as arguments overflowed the stack
    for (const t of result.tests) tests.push(t);
  }
  const findings = rankFindings(tests, { alpha, includeAll: options.includeAll });
  /** Rows read (raw), kept after the SQL's checks, and CSV records left out for their number of fields. */
  const summary = (raw: number, kept: number, malformed: number): QualitySummary => {
    const reasons: QualitySummary['reasons'] = {};
    if (malformed > 0) reasons['malformed-row'] = malformed;
    if (raw > kept) reasons['skipped-by-sql'] = raw - kept;
    return { accepted: kept, quarantined: raw + malformed - kept, reasons };
  };
  return {
    version: 1,
    run: {
      generatedAt: (options.now ?? new Date()).toISOString(),
      generator: GENERATOR,
      options: {
        alpha,
        detectors: [...chosen],
        includeAll: options.includeAll ?? false,
        engine: 'duckdb',
        strategy,
        ...(options.detectorOptions ? { detectorOptions: options.detectorOptions } : {}),
      },
      inputs: {
        surveys: counts.surveys_raw + counts.surveys_malformed,
        concessions: counts.concessions_raw + counts.concessions_malformed,
      },
      tested,
      skipped,
    },
    findings,
    dataQuality: {
      surveys: summary(counts.surveys_raw, counts.surveys, counts.surveys_malformed),
      concessions: summary(counts.concessions_raw, counts.concessions, counts.concessions_malformed),
    },
    tables,
  };
}

/**
 * A LedgerError for the first CSV record DuckDB could not read for another reason than its number
 * of fields (text that is not UTF-8, a stray quote). The loader reads such records (Windows-1252
 * cells, relaxed quotes), so leaving them out would change the findings: the run stops instead.
 */
async function refuseUnreadRecords(
  connection: DuckDbConnection,
  sources: { surveys: SqlSource; concessions: SqlSource },
): Promise<void> {
  for (const ledger of ['surveys', 'concessions'] as const) {
    const source = sources[ledger];
    if (!isCsvSource(source)) continue;
    const [first] = await queryRows(
      connection,
      `SELECT s.file_path AS file, CAST(r.line AS DOUBLE) AS line, r.error_type AS type, r.error_message AS message
       FROM ${rejectsTable(ledger)} r JOIN ${rejectsTable(ledger)}_scans s USING (scan_id, file_id)
       WHERE NOT (${FIELD_COUNT_ERRORS}) ORDER BY r.file_id, r.line LIMIT 1`,
    );
    if (!first) continue;
    const file = String(first.file);
    const advice = /UNICODE|ENCODING/.test(String(first.type))
      ? 'the SQL path reads UTF-8 only: convert the file (iconv -f WINDOWS-1252 -t UTF-8), or use the in-memory engine, which reads such cells as Windows-1252'
      : /unterminated quote/.test(String(first.message))
        ? 'a quote opens there and never closes, so the rest of the file would be one cell (the in-memory engine refuses the file too): fix the record'
        : /Maximum line size/.test(String(first.message))
          ? RAISE_LIMIT
          : 'the in-memory engine reads it; fix the record or use that engine';
    throw new LedgerError(
      `${file}, line ${first.line}: DuckDB cannot read this record (${String(first.message).split('\n')[0]}); ${advice}`,
      { source: file },
    );
  }
}

/**
 * The step a staging statement belongs to. The rejects tables' drops come first, for both
 * ledgers: they are part of reading the surveys.
 */
function stagingStep(sql: string): DuckDbStep {
  if (sql.startsWith('DROP')) return 'reading surveys';
  const surveys = sql.includes('ng_surveys');
  if (sql.includes('_raw AS')) return surveys ? 'reading surveys' : 'reading concessions';
  return surveys ? 'checking surveys' : 'checking concessions';
}

/** `SET name = value` when `value` is given; DuckDB's refusal of it as an OptionError naming the option. */
async function setting(
  connection: DuckDbConnection,
  name: string,
  option: string,
  value: string | undefined,
): Promise<void> {
  if (value === undefined) return;
  if (typeof value !== 'string')
    throw new OptionError(`option ${option} must be a string, got ${typeof value}`);
  try {
    await connection.run(`SET ${name} = ${literal(value)}`);
  } catch (error) {
    throw new OptionError(`option ${option} "${value}" was refused by DuckDB: ${(error as Error).message}`);
  }
}
