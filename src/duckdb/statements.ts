import { type DuckDbConnection, queryRows } from './connect.js';
import { literal } from './sql.js';

/** The steps of `analyzeWithDuckDb`, in the order it runs them. */
export const DUCKDB_STEPS = [
  'reading surveys',
  'checking surveys',
  'reading concessions',
  'checking concessions',
  'concession-before-survey',
  'concession-during-survey',
] as const;
export type DuckDbStep = (typeof DUCKDB_STEPS)[number];

/** Where a run of `analyzeWithDuckDb` is. */
export interface DuckDbProgress {
  step: DuckDbStep;
  /** the step's place among the run's steps (from 1), and how many the run has */
  index: number;
  total: number;
  /** DuckDB's estimate of how much of the step's running statement is done (0–100), once it has one */
  percent?: number;
}

/** How often DuckDB's estimate is read while a statement runs. */
const POLL_MS = 250;

/**
 * Runs the statements of one `analyzeWithDuckDb` call step by step: says when a step starts and,
 * while a statement runs, how far DuckDB thinks it is (its query progress, read every
 * {@link POLL_MS}); stops when `signal` aborts, interrupting the running statement (a statement can
 * take minutes on a ledger of 100M rows), and rejects with the signal's reason.
 */
export class StatementRunner {
  private current: DuckDbStep | undefined;

  constructor(
    private readonly connection: DuckDbConnection,
    private readonly steps: readonly DuckDbStep[],
    private readonly onProgress?: (progress: DuckDbProgress) => void,
    private readonly signal?: AbortSignal,
  ) {}

  run(step: DuckDbStep, sql: string): Promise<void> {
    return this.during(step, async () => {
      await this.connection.run(sql);
    });
  }

  rows(step: DuckDbStep, sql: string): Promise<Record<string, unknown>[]> {
    return this.during(step, () => queryRows(this.connection, sql));
  }

  private async during<T>(step: DuckDbStep, work: () => Promise<T>): Promise<T> {
    this.signal?.throwIfAborted();
    const report = this.onProgress;
    const place = { step, index: this.steps.indexOf(step) + 1, total: this.steps.length };
    if (step !== this.current) {
      this.current = step;
      report?.(place);
      this.signal?.throwIfAborted();
    }
    const poll =
      report &&
      setInterval(() => {
        const { percentage } = this.connection.progress;
        if (percentage >= 0) report({ ...place, percent: Math.min(100, percentage) });
      }, POLL_MS);
    const interrupt = () => this.connection.interrupt();
    this.signal?.addEventListener('abort', interrupt, { once: true });
    try {
      const result = await work();
      // aborted as the statement ended: stop all the same
      this.signal?.throwIfAborted();
      return result;
    } catch (error) {
      // DuckDB's "Interrupted!" is the abort's doing: the abort is the error
      this.signal?.throwIfAborted();
      throw error;
    } finally {
      clearInterval(poll);
      this.signal?.removeEventListener('abort', interrupt);
    }
  }
}

/**
 * Run `work` with DuckDB `settings` (boolean ones) on the connection, each put back to its value
 * before afterwards (a caller's connection keeps its own).
 */
export async function withSettings<T>(
  connection: DuckDbConnection,
  settings: Record<string, boolean>,
  work: () => Promise<T>,
): Promise<T> {
  const names = Object.keys(settings);
  if (names.length === 0) return work();
  const [before] = await queryRows(
    connection,
    `SELECT ${names.map((n) => `current_setting(${literal(n)}) AS ${n}`).join(', ')}`,
  );
  const set = async (values: Record<string, unknown>) => {
    for (const name of names) await connection.run(`SET ${name} = ${values[name] === true}`);
  };
  await set(settings);
  try {
    return await work();
  } finally {
    await set(before);
  }
}
