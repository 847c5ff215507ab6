import { createWriteStream, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeDirectory } from '../files/makeDirectory.js';
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

/** Receives one numbered row: its id and the bytes of the cells after the id. */
type RowOut = (id: string, bytes: Buffer, start: number, end: number) => void;

/**
 * Rows of one ledger, held until no later-generated row can precede them,
 * then sorted by time (ties keep generation order), numbered and handed on.
 * Rows are kept as ASCII bytes in one growing buffer (strings built from
 * many parts cost V8 several times their length), with their times and
 * offsets in typed arrays. Holds about a month and a half of rows at a time.
 */
class OrderedLedger {
  private bytes = Buffer.allocUnsafe(1 << 16);
  private used = 0;
  private times = new Float64Array(1 << 10);
  private offsets = new Uint32Array((1 << 10) + 1);
  private n = 0;
  private next = 1;
  count = 0;

  constructor(
    private readonly prefix: string,
    private readonly width: number,
    private readonly out: RowOut,
  ) {}

  push(t: number, rest: string): void {
    if (this.used + rest.length > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + rest.length));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    if (this.n === this.times.length) {
      const times = new Float64Array(this.n * 2);
      times.set(this.times);
      this.times = times;
      const offsets = new Uint32Array(this.n * 2 + 1);
      offsets.set(this.offsets);
      this.offsets = offsets;
    }
    this.used += this.bytes.write(rest, this.used, 'latin1');
    this.times[this.n] = t;
    this.n++;
    this.offsets[this.n] = this.used;
  }

  /** Emit every pending row earlier than `before` (all rows when omitted). */
  flush(before = Number.POSITIVE_INFINITY): void {
    const { times, offsets, bytes } = this;
    const ready: number[] = [];
    const kept: number[] = [];
    for (let i = 0; i < this.n; i++) (times[i] < before ? ready : kept).push(i);
    ready.sort((a, b) => times[a] - times[b] || a - b);
    for (const i of ready) {
      this.out(formatId(this.prefix, this.next++, this.width), bytes, offsets[i], offsets[i + 1]);
    }
    this.count += ready.length;
    // compact the kept rows (in generation order) to the front
    const nextBytes = Buffer.allocUnsafe(Math.max(1 << 16, this.bytes.length));
    let used = 0;
    for (let k = 0; k < kept.length; k++) {
      const i = kept[k];
      for (let j = offsets[i], e = offsets[i + 1]; j < e; j++) nextBytes[used++] = bytes[j];
      times[k] = times[i];
      offsets[k + 1] = used;
    }
    this.bytes = nextBytes;
    this.used = used;
    this.n = kept.length;
  }
}

/** The three ordered ledgers of one run, as a {@link RowSink}. */
class OrderedSink implements RowSink {
  readonly surveys: OrderedLedger;
  readonly concessions: OrderedLedger;
  readonly interactions: OrderedLedger;

  constructor(out: { survey: RowOut; concession: RowOut; interaction: RowOut }) {
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

function toRow<K extends string>(
  columns: readonly K[],
  id: string,
  bytes: Buffer,
  start: number,
  end: number,
): Record<K, string> {
  const cells = bytes.toString('latin1', start, end).split(',');
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
    survey: (...row) => surveys.push(toRow(SURVEY_COLUMNS, ...row)),
    concession: (...row) => concessions.push(toRow(CONCESSION_COLUMNS, ...row)),
    interaction: (...row) => interactions.push(toRow(INTERACTION_COLUMNS, ...row)),
  });
  for (let m = 0; m < world.config.months; m++) runMonth(world, sink, m);
  return { surveys, concessions, interactions, truth: buildTruth(world), counts: countsOf(world, sink) };
}

const CHUNK = 1 << 20;

/** A write stream fed by 1 MiB byte chunks; `drain()` applies backpressure. */
class BufferedFile {
  private chunk = Buffer.allocUnsafe(CHUNK);
  private used = 0;
  private blocked = false;
  private failure: Error | undefined;
  private readonly stream: WriteStream;

  constructor(path: string, header: string) {
    this.stream = createWriteStream(path);
    this.stream.on('error', (error) => {
      this.failure = error;
    });
    this.used = this.chunk.write(`${header}\n`, 0, 'latin1');
  }

  /** Append `id,<bytes>\n`. */
  row(id: string, bytes: Buffer, start: number, end: number): void {
    if (this.used + id.length + (end - start) + 2 > this.chunk.length) {
      this.spill();
      if (id.length + (end - start) + 2 > this.chunk.length)
        this.chunk = Buffer.allocUnsafe(2 * (end - start) + 64);
    }
    let at = this.used + this.chunk.write(id, this.used, 'latin1');
    this.chunk[at++] = 44; // ,
    const chunk = this.chunk;
    for (let i = start; i < end; i++) chunk[at++] = bytes[i];
    this.chunk[at++] = 10; // \n
    this.used = at;
  }

  private spill(): void {
    if (this.used === 0) return;
    if (!this.stream.write(this.chunk.subarray(0, this.used))) this.blocked = true;
    this.chunk = Buffer.allocUnsafe(CHUNK);
    this.used = 0;
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
  makeDirectory(dir);
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
    survey: (...row) => out.surveys.row(...row),
    concession: (...row) => out.concessions.row(...row),
    interaction: (...row) => out.interactions.row(...row),
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
