import * as flechette from '@uwdata/flechette';
import * as aq from 'arquero';
import { describe, expect, it } from 'vitest';
import { ArrowCells, arrowColumns } from '../../src/ledger/arrow-cells.js';
import { withCorrectDictionaryNulls } from '../../src/ledger/dictionary-nulls.js';
import { loadConcessions, loadSurveys } from '../../src/ledger/load.js';
import type { ArqueroLike } from '../../src/ledger/read-input.js';

/**
 * Parquet, Arrow and arquero tables are read column by column in place (`arrow-cells.ts`). That
 * path must give what the row-by-row path gives on the same table — ledgers, dictionary codes,
 * accounting, reasons, messages and errors — for every Arrow layout it reads itself and for those
 * it leaves to the row path's parsers. The row path is forced here by hiding the table's columns
 * behind its getters (a table without `column()` is read row by row).
 */

const { TimeUnit } = flechette;
type Types = Record<string, flechette.DataType>;

/** An arquero table over Arrow data built by flechette, in batches of 3 rows (batch boundaries matter). */
function arrowTable(data: Record<string, unknown[]>, types: Types, options: object = {}): aq.ColumnTable {
  const table = flechette.tableFromArrays(data, { types, maxBatchRows: 3 });
  return aq.fromArrow(flechette.tableToIPC(table, { format: 'stream' }) as Uint8Array, options);
}

/**
 * The same table, readable only row by row (through arquero's getters), as a filtered one is: its
 * columns stay there for their types (wall-clock timestamps are read in the load's zone either way).
 */
const rowByRow = (t: ArqueroLike): ArqueroLike =>
  ({
    columnNames: () => t.columnNames(),
    numRows: () => t.numRows(),
    getter: (name: string) => t.getter(name),
    column: (name: string) => (t as unknown as { column(name: string): unknown }).column(name),
    isFiltered: () => true,
    isOrdered: () => false,
  }) as ArqueroLike;

async function outcome(load: () => Promise<unknown>) {
  try {
    const { ledger, quality, ids } = (await load()) as {
      ledger: Record<string, unknown>;
      quality: unknown;
      ids: Record<string, { values: string[] }>;
    };
    const arrays = Object.entries(ledger).map(([k, v]) => [
      k,
      ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v instanceof Set ? [...v] : v,
    ]);
    const dictionaries = Object.entries(ids).map(([k, d]) => [k, d.values]);
    return { ledger: Object.fromEntries(arrays), quality, dictionaries };
  } catch (error) {
    return { error: String(error) };
  }
}

/** Load both ways (surveys, in Berlin time for naive text timestamps) and expect the same. */
async function expectSameBothWays(table: aq.ColumnTable, ledger: 'surveys' | 'concessions' = 'surveys') {
  expect(arrowColumns(table)).toBeDefined();
  const load = (ledger === 'surveys' ? loadSurveys : loadConcessions) as (
    input: ArqueroLike,
    options: object,
  ) => Promise<unknown>;
  const options = { timeZone: 'Europe/Berlin', repScoreScale: { min: 1, max: 10 } };
  const columnar = await outcome(() => load(table, options));
  // the row path's reference reads the columns arquero misreads the way the loader repairs them
  const repaired = await withCorrectDictionaryNulls(table);
  const rows = await outcome(() => load(rowByRow(repaired), options));
  expect(columnar).toEqual(rows);
  return columnar;
}

/** The reader class each column of `table` gets. */
function readers(table: aq.ColumnTable): string[] {
  const columnar = arrowColumns(table);
  if (!columnar) return [];
  const used = new Set(columnar.columns.map((_, i) => i));
  const cells = new ArrowCells(columnar, used) as unknown as { readers: object[] };
  return cells.readers.map((r) => r.constructor.name);
}

const T = (iso: string) => Date.parse(iso);
const n = 10;
const ids = (prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('columnar input: the same result as row by row', () => {
  it('strings, dictionary strings and text timestamps and scores, with nulls and odd cells', async () => {
    const data = {
      survey_id: ['S0', 'S1', ' S2', 'S1', null, '', 'é', 'e\u0301', 'S8', 'S9'],
      customer_id: ['C1', 'C2', 'C1', 'C3', 'C4', 'C5', null, ' ', 'C1', 'Ç'],
      rep_id: ['R1', 'R1', null, 'R2', 'R2', 'R1', 'R3', 'R1', 'R2', 'R1'],
      sent_at: [
        '2025-03-01T10:00:00Z',
        '2025-03-01 10:00',
        '2025-03-30T02:30:00',
        '2025-02-30T10:00:00Z',
        '2025-03-01T10:00:00.1234+01:00',
        ' 2025-03-01 ',
        '1970-01-01T00:00:00Z',
        '2025-03-01',
        null,
        '',
      ],
      responded_at: ['2025-03-01T11:00:00Z', null, '', '2025-03-02', 'x', null, null, null, null, null],
      ltr: ['9', '10.0', '7.5', ' 7', 'x', '11', '-1', '', null, '1e1'],
      rep_score: ['10', null, '', '3', '4', '5', '6', '7', '8', '9'],
    };
    const utf8 = flechette.utf8();
    const types: Types = Object.fromEntries(Object.keys(data).map((k) => [k, utf8]));
    const plain = arrowTable(data, types);
    expect(readers(plain)).toEqual(Array(7).fill('Utf8Reader'));
    const { quality } = (await expectSameBothWays(plain)) as { quality: { quarantined: number } };
    expect(quality.quarantined).toBeGreaterThan(3);
    // each column dictionary-encoded in turn (flechette 2.6 cannot round-trip two dictionary
    // columns in several batches); arquero's stand-in reads them (`DictionaryReader`)
    for (const name of Object.keys(data)) {
      const table = arrowTable(data, { ...types, [name]: flechette.dictionary(utf8) });
      expect(readers(table)[Object.keys(data).indexOf(name)]).toBe('DictionaryReader');
      await expectSameBothWays(table);
    }
  });

  it('timestamps in every unit, with and without a time zone, dates, nulls and out-of-range values', async () => {
    const sent = [
      T('2025-03-01T10:00:00Z') + 0.5, // a fraction of a millisecond: truncated, as a Date does
      T('2025-03-01T10:00:00Z'),
      null,
      0, // 1970: quarantined as implausible
      T('2150-01-01T00:00:00Z'),
      T('1979-12-31T23:59:59Z'),
      T('2099-12-31T23:59:59Z'),
      T('2025-03-30T01:30:00Z'),
      -1.5, // before 1970, truncated toward zero
      T('2025-03-02T00:00:00Z'),
    ];
    const responded = sent.map((t, i) => (t === null || i % 3 === 0 ? null : t + 3_600_000));
    const data = {
      survey_id: ids('S'),
      customer_id: ids('C'),
      sent_at: sent,
      responded_at: responded,
      ltr: [9, 9, 9, 9, 9, 9, 9, 9, 9, 9].map((v, i) => (responded[i] === null ? null : v)),
    };
    const units: [flechette.DataType, (t: number | null) => number | null][] = [
      [flechette.timestamp(TimeUnit.MICROSECOND, 'UTC'), (t) => t],
      [flechette.timestamp(TimeUnit.NANOSECOND), (t) => t],
      [flechette.timestamp(TimeUnit.MILLISECOND, 'Europe/Berlin'), (t) => (t === null ? t : Math.trunc(t))],
      [flechette.timestamp(TimeUnit.SECOND), (t) => (t === null ? t : Math.trunc(t / 1000) * 1000)],
      [flechette.dateDay(), (t) => t],
      [flechette.dateMillisecond(), (t) => t],
    ];
    for (const [type, round] of units) {
      const table = arrowTable(
        { ...data, sent_at: sent.map(round), responded_at: responded.map(round) },
        { survey_id: flechette.utf8(), customer_id: flechette.utf8(), sent_at: type, responded_at: type },
      );
      expect(readers(table).slice(2, 4)).toEqual(['TimestampReader', 'TimestampReader']);
      await expectSameBothWays(table);
      // as numbers (arquero's useDate: false): the row path's values, fractions of ms included
      await expectSameBothWays(
        aq.fromArrow(aq.toArrowIPC(table, { format: 'stream' }) as Uint8Array, { useDate: false }),
      );
    }
  });

  it('timestamps without a time zone, and dates, are wall-clock times read in timeZone, as naive text is', async () => {
    const wall = ['2025-03-01 10:00:00', '2025-03-30 02:30:00', '2025-10-26 02:30:00', '2025-07-01 00:00:00'];
    const asUtc = wall.map((w) => T(`${w.replace(' ', 'T')}Z`));
    const rows = wall.map((sent_at, i) => ({ survey_id: `S${i}`, customer_id: `C${i}`, sent_at }));
    for (const zone of ['Europe/Berlin', 'America/New_York', 'UTC']) {
      const text = await loadSurveys(rows, { timeZone: zone });
      for (const type of [
        flechette.timestamp(TimeUnit.MILLISECOND),
        flechette.timestamp(TimeUnit.NANOSECOND),
      ]) {
        const table = arrowTable(
          { survey_id: ids('S').slice(0, 4), customer_id: ids('C').slice(0, 4), sent_at: asUtc },
          { survey_id: flechette.utf8(), customer_id: flechette.utf8(), sent_at: type },
        );
        const { ledger } = await loadSurveys(table, { timeZone: zone });
        expect([zone, Array.from(ledger.sentAt)]).toEqual([zone, Array.from(text.ledger.sentAt)]);
      }
      // a date is its midnight in the zone, as '2025-07-01' in text is
      const dates = arrowTable(
        { survey_id: ['D'], customer_id: ['C'], sent_at: [T('2025-07-01T00:00:00Z')] },
        { survey_id: flechette.utf8(), customer_id: flechette.utf8(), sent_at: flechette.dateDay() },
      );
      const dateText = await loadSurveys([{ survey_id: 'D', customer_id: 'C', sent_at: '2025-07-01' }], {
        timeZone: zone,
      });
      expect((await loadSurveys(dates, { timeZone: zone })).ledger.sentAt[0]).toBe(dateText.ledger.sentAt[0]);
    }
    // an instant (a timestamp with a time zone) does not move with timeZone
    const instant = arrowTable(
      { survey_id: ['I'], customer_id: ['C'], sent_at: [asUtc[0]] },
      {
        survey_id: flechette.utf8(),
        customer_id: flechette.utf8(),
        sent_at: flechette.timestamp(TimeUnit.MILLISECOND, 'UTC'),
      },
    );
    expect((await loadSurveys(instant, { timeZone: 'Europe/Berlin' })).ledger.sentAt[0]).toBe(asUtc[0]);
  });

  it('integer and float scores: int8, int64, uint64, BigInt, float32/64 with 10.0, 10.5, NaN, ±Infinity, out of scale', async () => {
    const scores = [10, 10.0, 10.5, 11, -1, 0, null, Number.NaN, Number.POSITIVE_INFINITY, 7];
    const data = {
      survey_id: ids('S'),
      customer_id: [1, 2, 3, 1, 2, 3, null, 2 ** 40, -5, 7], // numeric ids
      sent_at: Array.from({ length: n }, (_, i) => T('2025-03-01T10:00:00Z') + i * 60_000),
      responded_at: Array.from({ length: n }, (_, i) => T('2025-03-01T11:00:00Z') + i * 60_000),
      ltr: scores,
      rep_score: scores.map((s) => (s === null ? 5 : s)),
    };
    const base: Types = {
      survey_id: flechette.utf8(),
      customer_id: flechette.int64(),
      sent_at: flechette.timestamp(TimeUnit.MICROSECOND, 'UTC'),
      responded_at: flechette.timestamp(TimeUnit.MICROSECOND, 'UTC'),
    };
    const integral = (xs: (number | null)[]) =>
      xs.map((x) => (x === null || !Number.isFinite(x) ? null : Math.trunc(x)));
    const variants: [flechette.DataType, (xs: (number | null)[]) => (number | null)[]][] = [
      [flechette.float64(), (xs) => xs],
      [flechette.float32(), (xs) => xs],
      [flechette.int64(), integral],
      [flechette.int8(), integral],
      [flechette.int32(), integral],
      [flechette.uint64(), (xs) => integral(xs).map((x) => (x === null ? x : Math.abs(x)))],
    ];
    for (const [type, values] of variants) {
      const table = arrowTable(
        { ...data, ltr: values(data.ltr), rep_score: values(data.rep_score) },
        { ...base, ltr: type, rep_score: type },
      );
      expect(readers(table).slice(4)).toEqual(['NumberReader', 'NumberReader']);
      await expectSameBothWays(table);
      // BigInt cells (arquero's useBigInt): the general path
      await expectSameBothWays(
        aq.fromArrow(aq.toArrowIPC(table, { format: 'stream' }) as Uint8Array, { useBigInt: true }),
      );
    }
  });

  it('64-bit integers beyond ±2^53 fail the load with the row path’s error, in used and unused columns', async () => {
    const data = {
      survey_id: ids('S'),
      customer_id: ids('C'),
      sent_at: Array.from({ length: n }, () => T('2025-03-01T10:00:00Z')),
      extra: [1n, 2n, 3n, 4n, 5n, 2n ** 60n, 7n, 8n, 9n, 10n],
    };
    const types: Types = {
      survey_id: flechette.utf8(),
      customer_id: flechette.utf8(),
      sent_at: flechette.timestamp(TimeUnit.MILLISECOND),
      extra: flechette.int64(),
    };
    const unused = arrowTable(data, types);
    expect(arrowColumns(unused)).toBeUndefined(); // read row by row, hence the same error
    const [a, b] = [
      await outcome(() => loadSurveys(unused)),
      await outcome(() => loadSurveys(rowByRow(unused))),
    ];
    expect(a).toEqual(b);
    expect(a).toMatchObject({ error: expect.stringMatching(/BigInt exceeds/) });
    const used = arrowTable({ ...data, ltr: data.extra }, { ...types, ltr: flechette.int64() });
    expect(await outcome(() => loadSurveys(used))).toEqual(await outcome(() => loadSurveys(rowByRow(used))));
    // within ±2^53 - 1, negative included: read in place
    const safe = arrowTable(
      { ...data, extra: [2n ** 53n - 1n, -(2n ** 53n) + 1n, 0n, -1n, 1n, 2n, 3n, 4n, 5n, 6n] },
      types,
    );
    expect(arrowColumns(safe)).toBeDefined();
  });

  it('other column types (booleans, large strings, lists) go through the row path’s parsers', async () => {
    const data = {
      survey_id: ids('S'),
      customer_id: [true, false, null, true, true, false, true, true, false, true],
      rep_id: ['R1', 'R2', null, ' R3', 'é', 'R1', 'R2', 'R3', 'R4', 'R5'],
      channel: [[1], null, [2, 3], [], null, null, null, null, null, null],
      sent_at: Array.from({ length: n }, () => '2025-03-01T10:00:00Z'),
    };
    const table = arrowTable(data, {
      survey_id: flechette.utf8(),
      customer_id: flechette.bool(),
      rep_id: flechette.largeUtf8(),
      channel: flechette.list(flechette.int32()),
      sent_at: flechette.utf8(),
    });
    expect(readers(table)).toEqual(['Utf8Reader', 'BatchReader', 'BatchReader', 'BatchReader', 'Utf8Reader']);
    const { quality } = (await expectSameBothWays(table)) as { quality: { reasons: object } };
    expect(quality.reasons).toMatchObject({ 'malformed-row': 3 }); // the three lists
  });

  it('concessions: amounts as doubles, decimals and text; categories as dictionary strings', async () => {
    const data = {
      concession_id: ids('K'),
      customer_id: ['C1', 'C2', 'C1', 'C3', null, 'C5', 'C6', 'C1', 'C2', 'C3'],
      granted_at: Array.from({ length: n }, (_, i) => T('2025-03-01T10:00:00Z') + i),
      amount: [10, 0, -1, 1e13, Number.NaN, null, 2.5, 3, 4, 5],
      category: ['credit', 'credit', null, '', 'fee_waiver', 'credit', 'é', 'credit', 'credit', 'upgrade'],
    };
    const types: Types = {
      concession_id: flechette.utf8(),
      customer_id: flechette.utf8(),
      granted_at: flechette.timestamp(TimeUnit.NANOSECOND, 'UTC'),
      amount: flechette.float64(),
      category: flechette.dictionary(flechette.utf8()),
    };
    await expectSameBothWays(arrowTable(data, types), 'concessions');
    const text = data.amount.map((a) => (a === null ? null : String(a)));
    await expectSameBothWays(
      arrowTable({ ...data, amount: text }, { ...types, amount: flechette.utf8() }),
      'concessions',
    );
    const cents = [1000n, 0n, -100n, 250n, 300n, null, 1n, 2n, 3n, 4n];
    await expectSameBothWays(
      arrowTable({ ...data, amount: cents }, { ...types, amount: flechette.decimal(18, 2, 64) }),
      'concessions',
    );
  });

  it('a filtered or ordered arquero table is read row by row', async () => {
    const table = aq.table({
      survey_id: ['S1', 'S2', 'S3'],
      customer_id: ['C1', 'C2', 'C3'],
      sent_at: ['2025-03-01', '2025-03-02', '2025-03-03'],
    });
    expect(arrowColumns(table)).toBeDefined(); // plain arrays: the general readers
    const filtered = table.filter((d: { survey_id: string }) => d.survey_id !== 'S2');
    const ordered = table.orderby(aq.desc('survey_id'));
    expect(arrowColumns(filtered)).toBeUndefined();
    expect(arrowColumns(ordered)).toBeUndefined();
    const { ledger } = await loadSurveys(ordered);
    expect(ledger.surveyId).toEqual(['S3', 'S2', 'S1']);
    expect((await loadSurveys(filtered)).ledger.surveyId).toEqual(['S1', 'S3']);
    await expectSameBothWays(table);
  });
});
