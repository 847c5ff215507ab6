import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatId } from './format.js';
import { generateMonth, MAX_BACK_SPILL_MS, type RowSink } from './generate.js';
import {
  CONCESSION_COLUMNS,
  type ConcessionRow,
  INTERACTION_COLUMNS,
  type InteractionRow,
  type SimulatedRows,
  type SimulateOptions,
  type SimulationCounts,
  type SimulationSummary,
  SURVEY_COLUMNS,
  type SurveyRow,
  type WorldOptions,
} from './types.js';
import { buildTruth, buildWorld, countLabels, type World } from './world.js';

interface Pending {
  t: number;
  rest: string;
}

/**
 * Rows of one ledger, held until no later-generated row can precede them,
 * then sorted by time (stable: ties keep generation order), numbered and
 * handed on. Holds about half a month of rows at a time.
 */
class OrderedLedger {
  private pending: Pending[] = [];
  private next = 1;
  count = 0;

  constructor(
    private readonly prefix: string,
    private readonly width: number,
    private readonly out: (id: string, rest: string) => void,
  ) {}

  push(t: number, rest: string): void {
    this.pending.push({ t, rest });
  }

  /** Emit every pending row earlier than `before` (all rows when omitted). */
  flush(before = Number.POSITIVE_INFINITY): void {
    const pending = this.pending.sort((a, b) => a.t - b.t);
    let i = 0;
    while (i < pending.length && pending[i].t < before) {
      this.out(formatId(this.prefix, this.next++, this.width), pending[i].rest);
      i++;
    }
    this.count += i;
    this.pending = i === 0 ? pending : pending.slice(i);
  }
}

/** The three ordered ledgers of one run, as a {@link RowSink}. */
class OrderedSink implements RowSink {
  readonly surveys: OrderedLedger;
  readonly concessions: OrderedLedger;
  readonly interactions: OrderedLedger;

  constructor(out: {
    survey: (id: string, rest: string) => void;
    concession: (id: string, rest: string) => void;
    interaction: (id: string, rest: string) => void;
  }) {
    this.surveys = new OrderedLedger('S', 7, out.survey);
    this.concessions = new OrderedLedger('K', 6, out.concession);
    this.interactions = new OrderedLedger('I', 7, out.interaction);
  }

  survey(t: number, rest: string): void {
    this.surveys.push(t, rest);
  }

  concession(t: number, rest: string): void {
    this.concessions.push(t, rest);
  }

  interaction(t: number, rest: string): void {
    this.interactions.push(t, rest);
  }

  flush(before?: number): void {
    this.surveys.flush(before);
    this.concessions.flush(before);
    this.interactions.flush(before);
  }
}

/** Generate month `m`, then release the rows no later month can precede. */
function runMonth(world: World, sink: OrderedSink, m: number): void {
  generateMonth(world, sink, m);
  sink.flush(m === world.config.months - 1 ? undefined : world.monthStarts[m + 1] - MAX_BACK_SPILL_MS);
}

function countsOf(world: World, sink: OrderedSink): SimulationCounts {
  return {
    surveys: sink.surveys.count,
    responses: world.totalResponses,
    concessions: sink.concessions.count,
    interactions: sink.interactions.count,
    reps: world.reps.n,
    customers: world.customers.n,
  };
}

function toRow<K extends string>(columns: readonly K[], id: string, rest: string): Record<K, string> {
  const cells = rest.split(',');
  const row = { [columns[0]]: id } as Record<K, string>;
  for (let i = 1; i < columns.length; i++) row[columns[i]] = cells[i - 1];
  return row;
}

/**
 * Simulate a world in memory: the three ledgers as arrays of plain objects
 * with the canonical columns (string values exactly as in the CSV files)
 * and the truth. Same rows as {@link simulate} writes; meant for small
 * scales and tests.
 *
 * Defaults: scenario `'demo'`, seed 1, scale 1, the scenario's period.
 * Throws a RangeError on a bad option.
 *
 * @example
 * const { surveys, truth } = simulateRows({ scenario: 'demo', seed: 1, scale: 0.2 });
 */
export function simulateRows(options: WorldOptions = {}): SimulatedRows {
  const world = buildWorld(options);
  const surveys: SurveyRow[] = [];
  const concessions: ConcessionRow[] = [];
  const interactions: InteractionRow[] = [];
  const sink = new OrderedSink({
    survey: (id, rest) => surveys.push(toRow(SURVEY_COLUMNS, id, rest)),
    concession: (id, rest) => concessions.push(toRow(CONCESSION_COLUMNS, id, rest)),
    interaction: (id, rest) => interactions.push(toRow(INTERACTION_COLUMNS, id, rest)),
  });
  for (let m = 0; m < world.config.months; m++) runMonth(world, sink, m);
  return { surveys, concessions, interactions, truth: buildTruth(world), counts: countsOf(world, sink) };
}

/** A write stream with a string buffer in front; `drain()` applies backpressure. */
class BufferedFile {
  private parts: string[] = [];
  private size = 0;
  private blocked = false;
  private failure: Error | undefined;
  private readonly stream: WriteStream;

  constructor(path: string, header: string) {
    this.stream = createWriteStream(path);
    this.stream.on('error', (error) => {
      this.failure = error;
    });
    this.write(`${header}\n`);
  }

  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 1 << 20) this.spill();
  }

  private spill(): void {
    if (this.size === 0) return;
    if (!this.stream.write(this.parts.join(''))) this.blocked = true;
    this.parts = [];
    this.size = 0;
  }

  async drain(): Promise<void> {
    this.spill();
    if (this.failure) throw this.failure;
    if (this.blocked) {
      this.blocked = false;
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off('drain', done);
          this.stream.off('error', done);
          resolve();
        };
        this.stream.on('drain', done);
        this.stream.on('error', done);
      });
    }
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    this.spill();
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }
}

/**
 * Simulate a world and write `surveys.csv`, `concessions.csv`,
 * `interactions.csv` (canonical columns, rows in time order, ids numbered
 * in that order) and `truth.json` to `options.outDir` (created if missing).
 * Streams month by month through buffered files: memory stays bounded by
 * about a month of rows plus per-customer state (carrier at scale 20,
 * ~1.2M invitations, runs in seconds). Deterministic: the same options give
 * byte-identical files.
 *
 * Defaults: scenario `'demo'`, seed 1, scale 1, the scenario's period.
 * Throws a RangeError on a bad option, and the file system's error when a
 * file cannot be written.
 *
 * @example
 * await simulate({ scenario: 'carrier', seed: 7, scale: 1, outDir: 'out/carrier' });
 */
export async function simulate(options: SimulateOptions): Promise<SimulationSummary> {
  if (typeof options?.outDir !== 'string' || options.outDir === '') {
    throw new RangeError('outDir must be a directory path');
  }
  const world = buildWorld(options);
  const dir = options.outDir;
  await mkdir(dir, { recursive: true });
  const files = {
    surveys: join(dir, 'surveys.csv'),
    concessions: join(dir, 'concessions.csv'),
    interactions: join(dir, 'interactions.csv'),
    truth: join(dir, 'truth.json'),
  };
  const out = {
    surveys: new BufferedFile(files.surveys, SURVEY_COLUMNS.join(',')),
    concessions: new BufferedFile(files.concessions, CONCESSION_COLUMNS.join(',')),
    interactions: new BufferedFile(files.interactions, INTERACTION_COLUMNS.join(',')),
  };
  const sink = new OrderedSink({
    survey: (id, rest) => out.surveys.write(`${id},${rest}\n`),
    concession: (id, rest) => out.concessions.write(`${id},${rest}\n`),
    interaction: (id, rest) => out.interactions.write(`${id},${rest}\n`),
  });
  for (let m = 0; m < world.config.months; m++) {
    runMonth(world, sink, m);
    await Promise.all([out.surveys.drain(), out.concessions.drain(), out.interactions.drain()]);
  }
  await Promise.all([out.surveys.close(), out.concessions.close(), out.interactions.close()]);
  const truth = buildTruth(world);
  await writeFile(files.truth, `${JSON.stringify(truth, null, 2)}\n`);
  return {
    scenario: world.scenario,
    seed: world.seed,
    scale: world.scale,
    outDir: dir,
    files,
    counts: countsOf(world, sink),
    labels: countLabels(truth),
  };
}
