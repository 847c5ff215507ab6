import { statSync } from 'node:fs';
import { errorFromWorker } from '../files/worker-thread.js';
import { LedgerError, messages, OptionError } from '../log/errors.js';
import { ArrowCells, type ColumnarTable } from './arrow-cells.js';
import { parseBoolean, scoreOf } from './cells.js';
import { Float64Column, Int8Column, Int32Column } from './column-builder.js';
import { createIdDictionaries, DictionaryCache } from './dictionary.js';
import { filesOf } from './file-set.js';
import { IdSet } from './id-set.js';
import { mergeConcessions, startConcessionWorker, type WorkerReply } from './load-in-worker.js';
import { defineLazyStrings, type PackedStrings, StringPacker } from './packed-strings.js';
import { QualityRecorder } from './quality.js';
import { type LedgerInput, type RawRecord, type RawStream, readInputStream } from './read-input.js';
import { type ColumnIndex, type ColumnMapping, resolveColumns } from './resolve-columns.js';
import { type Cells, CsvCells, ValueCells } from './row-cells.js';
import { SCHEMAS } from './schema.js';
import { checkTimeZone, PLAUSIBLE_TIMESTAMPS } from './timestamp.js';
import type {
  ConcessionColumn,
  ConcessionLedger,
  IdDictionaries,
  InteractionColumn,
  InteractionLedger,
  LedgerName,
  LedgerQuality,
  Ledgers,
  QuarantineExample,
  QuarantineReason,
  ScoreScale,
  SurveyColumn,
  SurveyLedger,
} from './types.js';

/** Options of every `load*` function. */
export interface LoadOptions {
  /** Canonical column → the column's name in your input, e.g. `{ customer_id: "acct_no" }` (see ColumnMapping). Default: none. */
  columns?: ColumnMapping;
  /** The rep-score scale. Default `{ min: 1, max: 10 }`; `{ min: 1, max: 5 }` is common. ltr is always 0..10. */
  repScoreScale?: ScoreScale;
  /** IANA time zone for timestamps without an offset (and date-only values). Default `"UTC"`. */
  timeZone?: string;
  /** Throw a LedgerError when any row is quarantined. Default `false`. */
  strict?: boolean;
  /** Label for in-memory inputs in messages. Default: the ledger name. */
  name?: string;
  /** Dictionaries to encode ids into (shared across ledgers by `loadLedgers`). Default: new ones. */
  ids?: IdDictionaries;
  /**
   * `loadLedgers` only: load the concession file on a worker thread while the surveys load
   * (same results). Default: a CSV or Parquet file of 32 MB or more, when the built worker script
   * is there; `true`: any CSV, Parquet or Arrow file (an Arrow file is read whole, so the worker
   * doubles its memory); `false`: never.
   */
  parallel?: boolean;
  /**
   * Longest CSV record read, in bytes: a longer one (a quote left open, a file without line breaks,
   * a gigantic field) stops the load with a LedgerError naming the file and line, before it costs
   * memory of its size. Default 64 MiB.
   */
  maxRecordBytes?: number;
  /**
   * Survey columns to leave out of the ledger, which then reads as without them: `contact` and
   * `device`, which only fabricated-responses reads, for a run without it. Their cells are still
   * read, so the same rows are accepted or quarantined; their ids are not encoded, the costly part
   * (at 1M surveys, ~250k and ~180k distinct ids: ~0.6 s of the load). The CLI leaves out those no
   * chosen detector reads. Default: none.
   */
  omitColumns?: readonly OmittableColumn[];
  /**
   * Called as a ledger loads (after each chunk of a CSV file, each row group of a Parquet file):
   * the rows read so far and, for files, the share of the input read. `loadLedgers` reports the
   * concession file loading on its worker thread too, a few times a second. Default: none.
   */
  onProgress?: (progress: LoadProgress) => void;
  /**
   * Called with every quarantined row, as it is met (the data-quality report keeps counts and five
   * examples a reason): to write them all out for fixing (`nps-gaming validate --quarantine`).
   * `loadLedgers` forwards the concession worker thread's in batches. Default: none.
   */
  onQuarantine?: (row: QuarantinedRow) => void;
}

/** A quarantined row (see {@link LoadOptions.onQuarantine}): where it is, why, and the cell at fault. */
export interface QuarantinedRow extends QuarantineExample {
  ledger: LedgerName;
  /** the ledger's source (a path, a directory or pattern, or the in-memory input's name) */
  source: string;
  reason: QuarantineReason;
}

/** How far a load is (see {@link LoadOptions.onProgress}). */
export interface LoadProgress {
  ledger: LedgerName;
  /** rows read so far, accepted or quarantined */
  rows: number;
  /** the share of the input read so far, 0..1; undefined for an input read whole (JSON, Arrow, in-memory tables) */
  fraction?: number;
}

/** The survey columns {@link LoadOptions.omitColumns} can leave out. */
export const OMITTABLE_COLUMNS = ['contact', 'device'] as const;
export type OmittableColumn = (typeof OMITTABLE_COLUMNS)[number];

export interface Loaded<L> {
  ledger: L;
  quality: LedgerQuality;
  ids: IdDictionaries;
}

interface Settings {
  scale: ScoreScale;
  zone: string;
  ids: IdDictionaries;
  omitted: ReadonlySet<OmittableColumn>;
}

function settingsOf(options: LoadOptions): Settings {
  const scale = options.repScoreScale ?? { min: 1, max: 10 };
  if (!Number.isInteger(scale.min) || !Number.isInteger(scale.max) || scale.min >= scale.max) {
    throw new OptionError(messages.badScale(scale.min, scale.max));
  }
  const zone = options.timeZone ?? 'UTC';
  checkTimeZone(zone);
  const limit = options.maxRecordBytes;
  if (limit !== undefined && !(limit >= 1 && Number.isFinite(limit)))
    throw new OptionError(`option maxRecordBytes must be a positive number, got ${JSON.stringify(limit)}`);
  return {
    scale,
    zone,
    ids: options.ids ?? createIdDictionaries(),
    omitted: omittedColumns(options.omitColumns),
  };
}

/** What a row validator reports: nothing (accepted) or the first problem found. */
type Problem = { reason: QuarantineReason; column?: string; value?: unknown; message: string };

/** Validates one row (1-based `row`) and, when it is accepted, stores it. */
type Validator = (cells: Cells, row: number) => Problem | undefined;

/** A column's position in the input, -1 when absent (it then reads as empty). */
type Position = (column: string) => number;

/**
 * Shared loop of the three loaders: read, resolve columns, validate every
 * record (accept or quarantine with a reason), enforce strict mode.
 *
 * A CSV/TSV file is validated from its bytes (`CsvCells`): no string per
 * cell, ids hashed from their bytes, canonical timestamps parsed with
 * integer arithmetic. Measured: `loadLedgers` on the 1M-survey +
 * 2M-concession benchmark files, 3 runs alternating with the string-per-cell
 * loader on the shared 2-core machine, all on one thread: 10.8 / 10.7 / 9.8 s
 * wall (CPU 12.1 / 12.0 / 11.0 s) against 21.9 / 21.5 / 26.5 s (CPU 23.7 /
 * 23.4 / 28.7 s), peak RSS 0.59-0.61 GB against 0.89-0.92 GB; this with the
 * typed columns (column-builder.ts) and lazy dictionary index (dictionary.ts).
 */
async function loadRows(
  input: LedgerInput,
  ledger: LedgerName,
  options: LoadOptions,
  makeValidator: (context: ValidatorContext) => Validator,
): Promise<{ quality: LedgerQuality; columns: Set<string> }> {
  const name = options.name ?? ledger;
  // a directory or a pattern: its files read in turn as one ledger (file-set.ts)
  const files = typeof input === 'string' ? filesOf(input) : undefined;
  const parts: LedgerInput[] = files ?? [input];
  const sizes = files?.map((f) => statSync(f).size);
  const totalBytes = sizes?.reduce((a, b) => a + b, 0) ?? 0;
  // streamed: a CSV file is validated batch by batch as it is read (bounded memory)
  const open = (part: LedgerInput) => readInputStream(part, name, options.maxRecordBytes);
  let table = await open(parts[0]);
  const source = files ? (input as string) : table.source;
  const warnings: string[] = [];
  const recorder = new QualityRecorder(source, warnings);
  /** The file being read (of a set) and the rows of the files before it. */
  const current = { file: undefined as string | undefined, rowBase: 0 };
  /** Where the ledger's row `row` (1-based over every file) is, for messages. */
  const fileStarts: { file: string; rowBase: number }[] = [];
  const rowName: RowName = (row) => {
    const at = fileStarts.findLast((f) => f.rowBase < row);
    return at ? `row ${row - at.rowBase} of ${at.file}` : `row ${row}`;
  };
  /** The first accepted rows' text timestamps (of the ledger's first timestamp column), for {@link naiveClock}. */
  const zoneSample = { column: '', texts: [] as string[] };
  let index: ColumnIndex = new Map();
  let header: string[] | undefined;
  let validate: ((table: RawStream) => Promise<void>) | undefined;
  /** The part being read, and the bytes of the set's files before it. */
  let p = 0;
  let bytesBefore = 0;
  /** Tell `onProgress` how far the load is, the set's files weighted by their sizes. */
  const progress = () => {
    if (!options.onProgress) return;
    const read = table.fractionRead?.();
    let fraction = read;
    if (sizes && read !== undefined)
      fraction = totalBytes > 0 ? (bytesBefore + read * sizes[p]) / totalBytes : 1;
    options.onProgress({ ledger, rows: recorder.quality.rows, fraction });
  };
  for (; p < parts.length; p++) {
    if (p > 0) {
      bytesBefore += sizes?.[p - 1] ?? 0;
      table = await open(parts[p]);
    }
    if (files) {
      current.file = files[p];
      current.rowBase = recorder.quality.rows;
      fileStarts.push({ file: files[p], rowBase: current.rowBase });
    }
    warnings.push(...table.warnings);
    if (!table.hasContent) continue;
    if (header === undefined) {
      header = table.header;
      const resolved = resolveColumns(table.source, header, SCHEMAS[ledger], ledger, options.columns);
      index = resolved.index;
      warnings.push(...resolved.warnings);
      validate = validatorOf(table.header);
    } else if (files) checkSameHeader(files, p, header, table.header);
    await validate?.(table);
    progress();
    if (table.decoding?.windows1252) {
      warnings.push(
        `some cells${files ? ` of ${files[p]}` : ''} are not UTF-8 and were read as Windows-1252 (as Excel on ` +
          'Windows saves CSV files); save the file as "CSV UTF-8" to be sure of their text',
      );
    }
  }
  const naive = naiveClock(zoneSample, options.timeZone);
  if (naive) warnings.push(naive);
  const columns = new Set(index.keys());
  const quality = recorder.quality;
  if (options.strict && quality.quarantined > 0) {
    const [reason, [first]] = Object.entries(quality.examples)[0] as [string, QuarantineExample[]];
    const at = `row ${first.row}${first.file ? ` of ${first.file}` : ''}${first.column ? `, column "${first.column}"` : ''}`;
    throw new LedgerError(
      messages.strict(source, quality.quarantined, `${reason} at ${at}: ${first.message}`),
      {
        source: first.file ?? source,
        row: first.row,
        column: first.column,
      },
    );
  }
  return { quality, columns };

  /** The validation of every row of a table with this header (the first file's, for a set). */
  function validatorOf(header: readonly string[]): (table: RawStream) => Promise<void> {
    const used = new Set(index.values());
    const accept = makeValidator({
      present: new Set(index.keys()),
      warn: (message) => warnings.push(message),
      at: (column) => index.get(column) ?? -1,
      rowName,
    });
    const clock = SCHEMAS[ledger].find((spec) => spec.kind === 'timestamp' && index.has(spec.name))?.name;
    const clockAt = clock === undefined ? -1 : (index.get(clock) as number);
    /** Rows are numbered over the whole ledger; an example gives its file's row number and the file. */
    const settle = (row: number, problem: Problem | undefined, cells?: Cells) => {
      if (!problem && cells && zoneSample.texts.length < ZONE_SAMPLE && clock !== undefined) {
        const raw = cells.raw(clockAt);
        if (typeof raw === 'string') zoneSample.texts.push(raw.trim());
        zoneSample.column = clock;
      }
      if (problem) {
        const { reason, column, value, message } = problem;
        const example = {
          row: row - current.rowBase,
          ...(current.file === undefined ? {} : { file: current.file }),
          column,
          value: value === undefined ? undefined : show(value),
          message,
        };
        recorder.quarantine(reason, example);
        options.onQuarantine?.({ ledger, source, reason, ...example });
      } else recorder.accept();
    };
    // a Parquet/Arrow file or an arquero table, read column by column in place (arrow-cells.ts);
    // the same steps as validateRecords, so the same problems in the same order
    const validateColumns = (columnar: ColumnarTable, rowsBefore: number) => {
      const cells = new ArrowCells(columnar, used);
      // only columns whose cells can be objects can fail the structured-cell check (in `used` order)
      const objectColumns = new Set([...used].filter((i) => cells.mayHoldObject(i)));
      const valueAt = (i: number) => cells.raw(i);
      for (let r = 0; r < columnar.rows; r++) {
        const row = rowsBefore + r + 1;
        cells.at(r);
        let problem: Problem | undefined =
          objectColumns.size > 0 ? structuredCell(valueAt, objectColumns, header) : undefined;
        try {
          problem ??= accept(cells, row);
        } catch (error) {
          problem = unreadableCell(error);
        }
        settle(row, problem, cells);
      }
    };
    const validateRecords = async (batches: AsyncIterable<RawRecord[]>, wallClock?: readonly boolean[]) => {
      const cells = new ValueCells(wallClock);
      let values: readonly unknown[] = [];
      const valueAt = (i: number) => values[i];
      for await (const batch of batches) {
        for (const record of batch) {
          const row = current.rowBase + record.row;
          if (record.malformed) {
            settle(row, { reason: 'malformed-row', message: record.malformed });
            continue;
          }
          values = record.values;
          let problem: Problem | undefined = structuredCell(valueAt, used, header);
          try {
            cells.at(record.values);
            problem ??= accept(cells, row);
          } catch (error) {
            // a cell with no text form (e.g. an object without a prototype): the row, not the load, fails
            problem = unreadableCell(error);
          }
          settle(row, problem, cells);
        }
      }
    };
    return async (table) => {
      if (table.csvBatches) {
        // a CSV file: every cell is text, so no structured cell and no cell that cannot be read
        const cells = new CsvCells();
        const width = header.length;
        let row = current.rowBase;
        for await (const batch of table.csvBatches) {
          for (let r = 0; r < batch.records; r++) {
            row++;
            const fields = batch.first[r + 1] - batch.first[r];
            if (fields !== width) {
              const message = `expected ${width} fields, found ${fields} (line ${batch.lines[r]})`;
              settle(row, { reason: 'malformed-row', message });
              continue;
            }
            cells.at(batch, r);
            let problem: Problem | undefined;
            try {
              problem = accept(cells, row);
            } catch (error) {
              problem = unreadableCell(error);
            }
            settle(row, problem, cells);
          }
          progress();
        }
      } else if (table.chunks) {
        // a Parquet file, row group by row group
        let rowsBefore = current.rowBase;
        for await (const chunk of table.chunks) {
          if (chunk.columnar) validateColumns(chunk.columnar, rowsBefore);
          else if (chunk.lazy) await validateRecords(chunk.lazy.batches(), chunk.wallClock);
          rowsBefore += chunk.lazy?.rows ?? 0;
          progress();
        }
      } else if (table.columnar) {
        validateColumns(table.columnar, current.rowBase);
      } else {
        await validateRecords(table.batches, table.wallClock);
      }
    };
  }
}

/** How many accepted rows' timestamps {@link naiveClock} looks at. */
const ZONE_SAMPLE = 100;
/** A timestamp's text ends with a time of day and its zone: `Z`, `±HH[:MM]` or ` UTC` (see timestamp.ts). */
const ZONED = /\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:z|[+-]\d{2}(?::?\d{2})?|utc)$/i;

/**
 * A warning when no timeZone was given and the sampled text timestamps carry no zone: they are
 * read as UTC, which is an hour or two off if they are local times (exports of R, MySQL, Excel).
 * The detectors compare times with each other, so such a shift rarely changes a finding, but
 * billing-cycle windows follow the calendar and the evidence shows the times: say it.
 */
function naiveClock(
  sample: { column: string; texts: string[] },
  timeZone: string | undefined,
): string | undefined {
  const texts = sample.texts.filter((t) => t !== '');
  if (timeZone !== undefined || texts.length === 0 || texts.some((t) => ZONED.test(t))) return undefined;
  return (
    `${sample.column} has no time zone (e.g. "${show(texts[0])}"): read as UTC; if these are local times, ` +
    'set timeZone (--time-zone, e.g. Europe/Berlin)'
  );
}

/** Names the ledger's row `row` (1-based over all its files) in messages: "row 7", or "row 7 of part-2.csv". */
type RowName = (row: number) => string;

/** What a loader's validator is made from: the columns present, warnings, column positions, row names. */
interface ValidatorContext {
  present: ReadonlySet<string>;
  warn: (message: string) => void;
  at: Position;
  rowName: RowName;
}

/** A LedgerError unless file `p` of a set has the first file's header. */
function checkSameHeader(
  files: string[],
  p: number,
  first: readonly string[],
  header: readonly string[],
): void {
  if (header.length === first.length && header.every((h, i) => h === first[i])) return;
  const missing = first.filter((h) => !header.includes(h));
  const extra = header.filter((h) => !first.includes(h));
  const how =
    missing.length + extra.length === 0
      ? 'the same columns in another order'
      : [
          missing.length ? `without ${missing.join(', ')}` : '',
          extra.length ? `with ${extra.join(', ')} in addition` : '',
        ]
          .filter(Boolean)
          .join(', ');
  throw new LedgerError(
    `${files[p]}: its header is not that of ${files[0]} (${how}); the files of one ledger must share one header`,
    { source: files[p] },
  );
}

function unreadableCell(error: unknown): Problem {
  return {
    reason: 'malformed-row',
    message: `a cell cannot be read as text (${show((error as Error)?.message ?? error)})`,
  };
}

/** How many characters of a cell a message or example shows. */
const SHOWN_CHARS = 80;

/** A cell's text for messages: at most SHOWN_CHARS characters (then "…"); never throws. */
function show(value: unknown): string {
  let text: string;
  try {
    text = String(value ?? '');
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > SHOWN_CHARS ? `${text.slice(0, SHOWN_CHARS)}…` : text;
}

/** The largest |epoch ms| a JavaScript Date can hold (±100,000,000 days around 1970). */
const MAX_DATE_MS = 8.64e15;

/** Larger amounts are quarantined: no concession is worth this, and sums of them must stay finite. */
const MAX_AMOUNT = 1e12;

/**
 * An object or array where a value belongs (in-memory rows, JSON): quarantined as malformed rather
 * than turned into text, which would merge `{id: 1}` and `{id: 2}` into one id "[object Object]".
 */
function structuredCell(
  valueAt: (col: number) => unknown,
  used: ReadonlySet<number>,
  header: readonly string[],
): Problem | undefined {
  for (const i of used) {
    const v = valueAt(i);
    if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
      return {
        reason: 'malformed-row',
        column: header[i],
        message: `column "${header[i]}" holds ${Array.isArray(v) ? 'an array' : 'an object'}, not a value`,
      };
    }
  }
  return undefined;
}

/** Parse a timestamp cell; returns the value or a Problem. Empty → NaN (or a Problem when required). */
function timestampOf(
  cells: Cells,
  col: number,
  column: string,
  zone: string,
  required: boolean,
): number | Problem {
  const t = cells.timestamp(col, zone);
  if (t === null) {
    const raw = cells.raw(col);
    const message = `unparseable timestamp "${show(raw)}"${timestampHint(raw)}`;
    return { reason: 'bad-timestamp', column, value: raw, message };
  }
  if (t === undefined) {
    return required ? { reason: 'missing-timestamp', column, message: `${column} is empty` } : Number.NaN;
  }
  if (!(Math.abs(t) <= MAX_DATE_MS)) {
    // numeric (epoch ms) cells beyond what a Date can represent
    const raw = cells.raw(col);
    return {
      reason: 'bad-timestamp',
      column,
      value: raw,
      message: `timestamp "${show(raw)}" is out of range`,
    };
  }
  if (!(t >= PLAUSIBLE_TIMESTAMPS.from && t < PLAUSIBLE_TIMESTAMPS.to)) {
    const raw = cells.raw(col);
    return {
      reason: 'bad-timestamp',
      column,
      value: raw,
      message: `timestamp "${show(raw)}" is before 1980 or after 2099: a placeholder or a typo?`,
    };
  }
  return t;
}

const isProblem = (x: unknown): x is Problem => typeof x === 'object' && x !== null;

/**
 * Checks each row's id against the ids already accepted (the first occurrence wins) and appends
 * an accepted one to `accepted`, from the cell's bytes where it can (no string per id).
 */
function idChecker(column: string, col: number, accepted: StringPacker, rowName: RowName) {
  // an IdSet: one Map holds at most 2^24 ids, fewer than the 20M concessions the SPEC promises
  const seen = new IdSet();
  return (cells: Cells, row: number): Problem | undefined => {
    if (!cells.hasId(col)) return { reason: 'missing-id', column, message: `${column} is empty` };
    const first = cells.claim(col, seen, row);
    if (first > 0) {
      const id = cells.id(col) as string;
      return {
        reason: 'duplicate-id',
        column,
        value: id,
        message: `duplicate ${column} "${show(id)}" (first at ${rowName(first)})`,
      };
    }
    cells.appendId(col, accepted);
    return undefined;
  };
}

const MISSING_CUSTOMER: Problem = {
  reason: 'missing-customer-id',
  column: 'customer_id',
  message: 'customer_id is empty',
};

/** One DictionaryCache per dictionary, for one load. */
function cachesOf(ids: IdDictionaries): Record<keyof IdDictionaries, DictionaryCache> {
  const entries = Object.entries(ids).map(([key, dict]) => [key, new DictionaryCache(dict)]);
  return Object.fromEntries(entries) as Record<keyof IdDictionaries, DictionaryCache>;
}

/** What an amount that is not a number most likely is, and what to write instead. */
function amountHint(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (/^[-+]?[$€£¥]|[$€£¥]$|\b[A-Z]{3}$/.test(text)) return ' (write the number alone, without a currency)';
  if (/^\d{1,3}([,.]\d{3})+([.,]\d+)?$/.test(text) || /^\d+,\d{1,2}$/.test(text))
    return ' (write it with a decimal point and no thousands separators, e.g. 1234.50)';
  return '';
}

/** What an unparseable timestamp most likely is, and what to write instead (the shapes exports produce). */
function timestampHint(raw: unknown): string {
  const text = typeof raw === 'string' ? raw.trim() : '';
  const iso = 'write ISO-8601, e.g. 2025-03-01T10:00:00Z';
  if (/^\d{9,13}(\.\d+)?$/.test(text))
    return ` (epoch seconds or milliseconds are not read from text: ${iso})`;
  if (/^\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}/.test(text)) return ` (day and month order is ambiguous: ${iso})`;
  return '';
}

/**
 * Load the survey ledger (one row per invitation, answered or not).
 *
 * Quarantines, with a reason per row: empty or duplicate `survey_id`, empty
 * `customer_id`, missing or unparseable timestamps, `responded_at` before
 * `sent_at`, scores that are not integers or outside their scale (ltr 0..10,
 * rep_score on `repScoreScale`), a response without any score, scores
 * without a response. When the input has no `responded_at` column at all,
 * scored rows are taken as responded at `sent_at` (with a warning), and
 * detectors that need response timing do not run.
 *
 * @example const { ledger, quality } = await loadSurveys('surveys.csv', { repScoreScale: { min: 1, max: 5 } });
 */
export async function loadSurveys(
  input: LedgerInput,
  options: LoadOptions = {},
): Promise<Loaded<SurveyLedger>> {
  const { scale, zone, ids, omitted } = settingsOf(options);
  const c = {
    surveyId: new StringPacker(),
    customer: new Int32Column(),
    rep: new Int32Column(),
    team: new Int32Column(),
    channel: new Int32Column(),
    sentAt: new Float64Column(),
    respondedAt: new Float64Column(),
    ltr: new Int8Column(),
    repScore: new Int8Column(),
    followedUpAt: new Float64Column(),
    contact: new Int32Column(),
    device: new Int32Column(),
    sourceRow: new Int32Column(),
  };
  const codes = cachesOf(ids);
  const { quality, columns } = await loadRows(input, 'surveys', options, ({ present, warn, at, rowName }) => {
    const hasRespondedAt = present.has('responded_at');
    if (!hasRespondedAt && present.size > 0) {
      warn(
        'no responded_at column: scored rows are taken as answered at sent_at; response-timing detectors will not run',
      );
    }
    if (present.size > 0 && !present.has('ltr') && !present.has('rep_score')) {
      warn('neither ltr nor rep_score is present: score detectors will not run');
    }
    const checkId = idChecker('survey_id', at('survey_id'), c.surveyId, rowName);
    const [CUSTOMER, REP, TEAM, CHANNEL, CONTACT, DEVICE] = [
      'customer_id',
      'rep_id',
      'team',
      'channel',
      'contact',
      'device',
    ].map(at);
    const [KEPT_CONTACT, KEPT_DEVICE] = (['contact', 'device'] as const).map((column) =>
      omitted.has(column) ? -1 : at(column),
    );
    const [SENT, RESPONDED, FOLLOWED] = ['sent_at', 'responded_at', 'followed_up_at'].map(at);
    const scoreColumns = [
      ['ltr', at('ltr'), 0, 10],
      ['rep_score', at('rep_score'), scale.min, scale.max],
    ] as const;
    return (cells, row) => {
      if (!cells.hasId(CUSTOMER)) return MISSING_CUSTOMER;
      const sentAt = timestampOf(cells, SENT, 'sent_at', zone, true);
      if (isProblem(sentAt)) return sentAt;
      let respondedAt = timestampOf(cells, RESPONDED, 'responded_at', zone, false);
      if (isProblem(respondedAt)) return respondedAt;
      const followedUpAt = timestampOf(cells, FOLLOWED, 'followed_up_at', zone, false);
      if (isProblem(followedUpAt)) return followedUpAt;
      const scores = [-1, -1];
      for (let i = 0; i < 2; i++) {
        const [column, col, min, max] = scoreColumns[i];
        const s = scoreOf(cells.number(col), min, max);
        if (s && 'problem' in s) {
          const raw = cells.raw(col);
          const expected = `an integer ${min}..${max}`;
          return {
            reason: s.problem,
            column,
            value: raw,
            message: `${column} "${show(raw)}" is not ${expected}`,
          };
        }
        scores[i] = s ? s.value : -1;
      }
      const scored = scores[0] >= 0 || scores[1] >= 0;
      if (!hasRespondedAt && scored) respondedAt = sentAt;
      const responded = !Number.isNaN(respondedAt);
      if (responded && respondedAt < sentAt) {
        return {
          reason: 'responded-before-sent',
          column: 'responded_at',
          value: cells.raw(RESPONDED),
          message: 'responded_at is before sent_at',
        };
      }
      if (responded && !scored) {
        return {
          reason: 'response-without-scores',
          column: 'responded_at',
          message: 'responded_at is set but ltr and rep_score are empty',
        };
      }
      if (!responded && scored) {
        return {
          reason: 'scores-without-response',
          column: 'responded_at',
          message: 'scores given but responded_at is empty',
        };
      }
      // read every optional id before storing anything: a cell can throw, and a row is stored whole or not at all
      cells.hasId(REP);
      cells.hasId(TEAM);
      cells.hasId(CHANNEL);
      cells.hasId(CONTACT);
      cells.hasId(DEVICE);
      const idProblem = checkId(cells, row);
      if (idProblem) return idProblem;
      c.customer.push(cells.code(CUSTOMER, codes.customer));
      c.rep.push(cells.code(REP, codes.rep));
      c.team.push(cells.code(TEAM, codes.team));
      c.channel.push(cells.code(CHANNEL, codes.channel));
      c.sentAt.push(sentAt);
      c.respondedAt.push(respondedAt);
      c.ltr.push(scores[0]);
      c.repScore.push(scores[1]);
      c.followedUpAt.push(followedUpAt);
      c.contact.push(cells.code(KEPT_CONTACT, codes.contact));
      c.device.push(cells.code(KEPT_DEVICE, codes.device));
      c.sourceRow.push(row);
      return undefined;
    };
  });
  const length = c.surveyId.length;
  const surveyIds = c.surveyId.finish();
  const ledger: SurveyLedger = {
    length,
    surveyId: [],
    customer: c.customer.finish(),
    rep: c.rep.finish(),
    team: c.team.finish(),
    channel: c.channel.finish(),
    sentAt: c.sentAt.finish(),
    respondedAt: c.respondedAt.finish(),
    ltr: c.ltr.finish(),
    repScore: c.repScore.finish(),
    followedUpAt: c.followedUpAt.finish(),
    contact: c.contact.finish(),
    device: c.device.finish(),
    sourceRow: c.sourceRow.finish(),
    columns: new Set(
      [...columns].filter((column) => !omitted.has(column as OmittableColumn)),
    ) as Set<SurveyColumn>,
    scale,
  };
  const scaleWarning = narrowerScale(ledger.repScore, scale);
  if (scaleWarning) quality.warnings.push(scaleWarning);
  return { ledger: defineLazyStrings(ledger, 'surveyId', surveyIds), quality, ids };
}

/** Below this many rep scores, never reaching the top of the scale says nothing. */
const SCALE_CHECK_MIN_SCORES = 50;

/**
 * A warning when the rep scores never pass a small top (7 or less: 1–5 and 1–7 surveys are common)
 * on a wider declared scale (a 1–5 survey loaded with the default 1..10): the top-box detectors
 * read the top of the declared scale.
 */
function narrowerScale(repScore: Int8Array, scale: ScoreScale): string | undefined {
  let scored = 0;
  let top = -1;
  for (const s of repScore) {
    if (s < 0) continue;
    scored++;
    if (s > top) top = s;
  }
  if (scored < SCALE_CHECK_MIN_SCORES || top >= scale.max || top > 7) return undefined;
  return (
    `rep_score never exceeds ${top} in ${scored} responses, on the declared scale ${scale.min}..${scale.max}: ` +
    `if its scale is ${scale.min}..${top}, say so (option repScoreScale, --scale ${scale.min}..${top}); ` +
    'the top-box detectors read the top of the declared scale'
  );
}

/** Below this share of concessions whose customer (or rep) the surveys also hold, the ids may not match. */
const MIN_SHARED_ID_SHARE = 0.01;
/** …judged on at least this many concessions. */
const MIN_CONCESSIONS_FOR_ID_CHECK = 100;

/**
 * Warnings when almost no concession names a customer (or rep) that the surveys hold: the two
 * ledgers likely use different ids (another id system, another case, a prefix), and the timing
 * detectors, which join them on these ids, would find nothing, silently.
 */
function foreignIds(
  concessions: ConcessionLedger,
  surveyed: { customer: number; rep: number },
  ids: IdDictionaries,
): string[] {
  const warnings: string[] = [];
  for (const key of ['customer', 'rep'] as const) {
    const codes = concessions[key];
    let named = 0;
    let shared = 0;
    let example = -1;
    for (const code of codes) {
      if (code < 0) continue;
      named++;
      if (code < surveyed[key]) shared++;
      else if (example < 0) example = code;
    }
    if (named < MIN_CONCESSIONS_FOR_ID_CHECK || surveyed[key] === 0 || shared >= MIN_SHARED_ID_SHARE * named)
      continue;
    const column = `${key === 'customer' ? 'customer' : 'rep'}_id`;
    warnings.push(
      `${shared} of ${named} concessions name a ${column} that the surveys hold (e.g. "${ids[key].values[example]}" ` +
        `here, "${ids[key].values[0]}" there): do the two ledgers use the same ${column}s? The timing detectors join them on it`,
    );
  }
  return warnings;
}

/** The columns of `omitColumns`, checked. */
function omittedColumns(columns: readonly OmittableColumn[] | undefined): ReadonlySet<OmittableColumn> {
  const unknown = (columns ?? []).filter((c) => !(OMITTABLE_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0)
    throw new OptionError(
      `option omitColumns can leave out ${OMITTABLE_COLUMNS.join(' and ')}, not ${unknown.map((c) => JSON.stringify(c)).join(', ')}`,
    );
  return new Set(columns);
}

/**
 * Load the concession ledger (one row per concession).
 *
 * Quarantines: empty or duplicate `concession_id`, empty `customer_id`,
 * missing or unparseable `granted_at`, an `amount` that is empty or not a
 * number (`bad-amount`) or negative, an empty `category`.
 */
export async function loadConcessions(
  input: LedgerInput,
  options: LoadOptions = {},
): Promise<Loaded<ConcessionLedger>> {
  const { concessionId, ledger, ...loaded } = await loadConcessionsPacked(input, options);
  return {
    ledger: defineLazyStrings({ ...ledger, concessionId: [] }, 'concessionId', concessionId),
    ...loaded,
  };
}

/**
 * {@link loadConcessions} with the concession ids still packed, as the loader collects them: the
 * worker thread (load-worker.ts) hands them over so, without a string per id (decoding 2M ids and
 * packing them again had taken ~0.4 s of the worker's profile). On the 1M + 2M benchmark files,
 * 3 alternating runs each: `detect` with every detector 10.1-10.5 -> 9.5-9.7 s; the two
 * concession detectors 5.8-6.3 -> 5.2-5.5 s and 0.74-0.78 -> 0.65-0.67 GB peak; from Parquet
 * 6.0-6.5 -> 5.6-5.9 s and 0.88-0.94 -> 0.80-0.84 GB.
 */
export async function loadConcessionsPacked(
  input: LedgerInput,
  options: LoadOptions = {},
): Promise<
  Omit<Loaded<ConcessionLedger>, 'ledger'> & {
    ledger: Omit<ConcessionLedger, 'concessionId'>;
    concessionId: PackedStrings;
  }
> {
  const { zone, ids } = settingsOf(options);
  const c = {
    concessionId: new StringPacker(),
    customer: new Int32Column(),
    rep: new Int32Column(),
    grantedAt: new Float64Column(),
    amount: new Float64Column(),
    category: new Int32Column(),
    reason: new Int32Column(),
    sourceRow: new Int32Column(),
  };
  const codes = cachesOf(ids);
  const { quality, columns } = await loadRows(input, 'concessions', options, ({ at, rowName }) => {
    const checkId = idChecker('concession_id', at('concession_id'), c.concessionId, rowName);
    const [CUSTOMER, REP, GRANTED, AMOUNT, CATEGORY, REASON] = [
      'customer_id',
      'rep_id',
      'granted_at',
      'amount',
      'category',
      'reason',
    ].map(at);
    return (cells, row) => validateConcession(cells, row);
    function validateConcession(cells: Cells, row: number): Problem | undefined {
      if (!cells.hasId(CUSTOMER)) return MISSING_CUSTOMER;
      const grantedAt = timestampOf(cells, GRANTED, 'granted_at', zone, true);
      if (isProblem(grantedAt)) return grantedAt;
      const amount = cells.number(AMOUNT);
      if (amount === undefined || Number.isNaN(amount)) {
        const raw = cells.raw(AMOUNT);
        return {
          reason: 'bad-amount',
          column: 'amount',
          value: raw,
          message:
            amount === undefined
              ? 'amount is empty'
              : `amount "${show(raw)}" is not a number${amountHint(raw)}`,
        };
      }
      if (amount > MAX_AMOUNT) {
        return {
          reason: 'bad-amount',
          column: 'amount',
          value: cells.raw(AMOUNT),
          message: `amount ${amount} is larger than ${MAX_AMOUNT}: not a plausible concession`,
        };
      }
      if (amount < 0)
        return {
          reason: 'negative-amount',
          column: 'amount',
          value: cells.raw(AMOUNT),
          message: `amount ${amount} is negative`,
        };
      if (!cells.hasId(CATEGORY))
        return { reason: 'missing-category', column: 'category', message: 'category is empty' };
      cells.hasId(REP);
      cells.hasId(REASON);
      const idProblem = checkId(cells, row);
      if (idProblem) return idProblem;
      c.customer.push(cells.code(CUSTOMER, codes.customer));
      c.rep.push(cells.code(REP, codes.rep));
      c.grantedAt.push(grantedAt);
      c.amount.push(amount);
      c.category.push(cells.code(CATEGORY, codes.category));
      c.reason.push(cells.code(REASON, codes.reason));
      c.sourceRow.push(row);
      return undefined;
    }
  });
  const ledger: Omit<ConcessionLedger, 'concessionId'> = {
    length: c.concessionId.length,
    customer: c.customer.finish(),
    rep: c.rep.finish(),
    grantedAt: c.grantedAt.finish(),
    amount: c.amount.finish(),
    category: c.category.finish(),
    reason: c.reason.finish(),
    sourceRow: c.sourceRow.finish(),
    columns: columns as Set<ConcessionColumn>,
  };
  return { ledger, concessionId: c.concessionId.finish(), quality, ids };
}

/**
 * Load the optional interaction ledger (the denominator for survey-offer rates).
 *
 * Quarantines: empty or duplicate `interaction_id`, empty `customer_id`,
 * missing or unparseable `occurred_at`, a `resolved` value that is not a
 * boolean (true/false, yes/no, 1/0, t/f, y/n).
 */
export async function loadInteractions(
  input: LedgerInput,
  options: LoadOptions = {},
): Promise<Loaded<InteractionLedger>> {
  const { zone, ids } = settingsOf(options);
  const c = {
    interactionId: new StringPacker(),
    customer: new Int32Column(),
    rep: new Int32Column(),
    occurredAt: new Float64Column(),
    issue: new Int32Column(),
    resolved: new Int8Column(),
    sourceRow: new Int32Column(),
  };
  const codes = cachesOf(ids);
  const { quality, columns } = await loadRows(input, 'interactions', options, ({ at, rowName }) => {
    const checkId = idChecker('interaction_id', at('interaction_id'), c.interactionId, rowName);
    const [CUSTOMER, REP, OCCURRED, RESOLVED, ISSUE] = [
      'customer_id',
      'rep_id',
      'occurred_at',
      'resolved',
      'issue',
    ].map(at);
    return (cells, row) => validateInteraction(cells, row);
    function validateInteraction(cells: Cells, row: number): Problem | undefined {
      if (!cells.hasId(CUSTOMER)) return MISSING_CUSTOMER;
      const occurredAt = timestampOf(cells, OCCURRED, 'occurred_at', zone, true);
      if (isProblem(occurredAt)) return occurredAt;
      const raw = cells.raw(RESOLVED);
      const resolved = parseBoolean(raw);
      if (Number.isNaN(resolved)) {
        return {
          reason: 'bad-boolean',
          column: 'resolved',
          value: raw,
          message: `resolved "${show(raw)}" is not true/false`,
        };
      }
      cells.hasId(REP);
      cells.hasId(ISSUE);
      const idProblem = checkId(cells, row);
      if (idProblem) return idProblem;
      c.customer.push(cells.code(CUSTOMER, codes.customer));
      c.rep.push(cells.code(REP, codes.rep));
      c.occurredAt.push(occurredAt);
      c.issue.push(cells.code(ISSUE, codes.issue));
      c.resolved.push(resolved);
      c.sourceRow.push(row);
      return undefined;
    }
  });
  const length = c.interactionId.length;
  const interactionIds = c.interactionId.finish();
  const ledger: InteractionLedger = {
    length,
    interactionId: [],
    customer: c.customer.finish(),
    rep: c.rep.finish(),
    occurredAt: c.occurredAt.finish(),
    issue: c.issue.finish(),
    resolved: c.resolved.finish(),
    sourceRow: c.sourceRow.finish(),
    columns: columns as Set<InteractionColumn>,
  };
  return { ledger: defineLazyStrings(ledger, 'interactionId', interactionIds), quality, ids };
}

/** The worker's concession ledger merged into `options.ids`; loaded here when there is no worker (or it died). */
async function concessionsOf(
  worker: Promise<WorkerReply> | undefined,
  input: LedgerInput,
  options: LoadOptions & { ids: IdDictionaries },
): Promise<{ ledger: ConcessionLedger; quality: LedgerQuality }> {
  let reply: WorkerReply | undefined;
  try {
    reply = await worker;
  } catch {
    reply = undefined; // the worker could not run (or crashed): load here
  }
  if (reply === undefined) return loadConcessions(input, options);
  if (!reply.ok) throw errorFromWorker(reply);
  return mergeConcessions(reply, options.ids);
}

export interface LedgerInputs {
  surveys: LedgerInput;
  concessions: LedgerInput;
  interactions?: LedgerInput;
}

/**
 * Load all ledgers of a run with one set of options; ids are encoded into
 * shared dictionaries so that detectors can join surveys, concessions and
 * interactions on integer codes.
 *
 * @example
 * const ledgers = await loadLedgers({ surveys: 's.csv', concessions: 'c.csv' }, { timeZone: 'Europe/Berlin' });
 * ledgers.quality.surveys.reasons; // { 'bad-timestamp': 2, … }
 */
export function loadLedgers(inputs: LedgerInputs, options: LoadOptions = {}): Promise<Ledgers> {
  return loadLedgersThen(inputs, options);
}

/** The survey side of a load, as soon as the surveys are loaded (see `loadAndAnalyze`). */
export interface LoadedSurveys {
  surveys: SurveyLedger;
  ids: IdDictionaries;
  timeZone?: string;
  /** whether the run has an interaction ledger */
  hasInteractions: boolean;
}

/**
 * {@link loadLedgers}, calling `onSurveys` once the surveys are loaded, before the concessions
 * are waited for (the concession file may still be loading on the worker thread). The
 * dictionaries it sees hold the surveys' ids; the other ledgers' new ids are appended later,
 * so no code it sees changes.
 */
export async function loadLedgersThen(
  inputs: LedgerInputs,
  options: LoadOptions = {},
  onSurveys?: (loaded: LoadedSurveys) => void,
): Promise<Ledgers> {
  const ids = options.ids ?? createIdDictionaries();
  const { ids: _, parallel, ...rest } = options;
  const shared = { ...rest, ids };
  const concessionOptions = { ...rest, name: options.name ?? 'concessions' };
  // validate the options here first: the worker would report a bad one as the wrong error
  settingsOf(concessionOptions);
  const worker =
    parallel === false
      ? undefined
      : startConcessionWorker(inputs.concessions, concessionOptions, parallel === true);
  let surveys: Loaded<SurveyLedger>;
  try {
    surveys = await loadSurveys(inputs.surveys, { ...shared, name: options.name ?? 'surveys' });
  } catch (error) {
    // a failed surveys load is the error, as in a sequential load
    worker?.stop();
    throw error;
  }
  const timeZone = options.timeZone ?? 'UTC';
  try {
    onSurveys?.({
      surveys: surveys.ledger,
      ids,
      timeZone,
      hasInteractions: inputs.interactions !== undefined,
    });
  } catch (error) {
    worker?.stop();
    throw error;
  }
  // codes follow first appearance, surveys first: a code below these counts is one the surveys hold
  const surveyed = {
    customer: surveys.ledger.length ? ids.customer.values.length : 0,
    rep: ids.rep.values.length,
  };
  const concessions = await concessionsOf(worker?.reply, inputs.concessions, { ...concessionOptions, ids });
  for (const warning of foreignIds(concessions.ledger, surveyed, ids))
    concessions.quality.warnings.push(warning);
  const interactions =
    inputs.interactions === undefined
      ? undefined
      : await loadInteractions(inputs.interactions, { ...shared, name: options.name ?? 'interactions' });
  return {
    surveys: surveys.ledger,
    concessions: concessions.ledger,
    interactions: interactions?.ledger,
    ids,
    quality: {
      surveys: surveys.quality,
      concessions: concessions.quality,
      interactions: interactions?.quality,
    },
    timeZone,
  };
}
