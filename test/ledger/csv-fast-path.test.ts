import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadLedgers } from '../../src/ledger/load.js';
import type { Ledgers } from '../../src/ledger/types.js';

/**
 * A CSV file is validated from its bytes (CsvCells, with byte-level fast paths); the same rows as
 * objects go through the general parsers (ValueCells). Both must give the same ledgers, codes,
 * quarantine reasons, examples and messages, on tidy and on messy cells.
 */

const dir = mkdtempSync(join(tmpdir(), 'nps-csv-fast-'));
let files = 0;

const SURVEY_COLUMNS = [
  'survey_id',
  'customer_id',
  'rep_id',
  'team',
  'channel',
  'sent_at',
  'responded_at',
  'ltr',
  'rep_score',
  'followed_up_at',
  'contact',
  'device',
];
const CONCESSION_COLUMNS = [
  'concession_id',
  'customer_id',
  'rep_id',
  'granted_at',
  'amount',
  'category',
  'reason',
];

const IDS = [
  'S1',
  'S2',
  'S3',
  'C1',
  'C2',
  ' C1',
  'C1 ',
  'é',
  'e\u0301',
  '',
  ' ',
  'a,b',
  'x"y',
  'R 1',
  '\tC2',
];
const TIMES = [
  '2025-03-04T10:15:00Z',
  '2025-03-04T11:15:00+01:00',
  '2025-03-04T10:15:00.250Z',
  '2025-03-04T10:15:00.1234Z',
  '2025-03-04',
  '2025-03-04 10:15',
  '2025-03-30T02:30:00',
  '2024-02-29T00:00:00Z',
  '2025-02-29T00:00:00Z',
  '2025-02-30',
  '2025-03-04T24:00:00Z',
  ' 2025-03-04T10:15:00Z',
  '2025-03-04T10:15:00 Z',
  '04/03/2025',
  '',
  '',
];
const NUMBERS = [
  '',
  '',
  '7',
  '10',
  '10.0',
  '9',
  '0',
  '11',
  '7.5',
  'ten',
  ' 8',
  '-1',
  '12.63',
  '1e2',
  '.5',
  '1e13',
];

/** One CSV cell: quoted when it must be, and sometimes when it need not be. */
function csvCell(value: string, quote: boolean): string {
  return quote || /[",\r\n]/.test(value) || value === '' ? `"${value.replaceAll('"', '""')}"` : value;
}

function table(columns: string[], pools: Record<string, string[]>) {
  const cell = (column: string) => fc.tuple(fc.constantFrom(...pools[column]), fc.boolean());
  return fc.array(fc.tuple(...columns.map(cell)), { minLength: 1, maxLength: 25 });
}

function write(columns: string[], rows: [string, boolean][][]): string {
  const path = join(dir, `t${files++}.csv`);
  const lines = rows.map((row) => row.map(([v, q]) => csvCell(v, q && v !== '')).join(','));
  writeFileSync(path, `${columns.join(',')}\n${lines.join('\n')}\n`);
  return path;
}

const objects = (columns: string[], rows: [string, boolean][][]) =>
  rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i][0]])));

function comparable(l: Ledgers) {
  const plain = (x: object) =>
    Object.fromEntries(
      Object.entries(x).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v]),
    );
  const quality = ({ source: _, warnings: __, ...q }: Ledgers['quality']['surveys']) => q;
  return {
    surveys: plain(l.surveys),
    concessions: plain(l.concessions),
    ids: Object.fromEntries(Object.entries(l.ids).map(([k, d]) => [k, d.values])),
    quality: [quality(l.quality.surveys), quality(l.quality.concessions)],
  };
}

describe('a CSV file loads as the same rows given as objects', () => {
  it('property: same ledgers, codes, reasons and messages on messy cells', async () => {
    const surveyPools: Record<string, string[]> = Object.fromEntries(
      SURVEY_COLUMNS.map((c) => [
        c,
        c.endsWith('_at') ? TIMES : c === 'ltr' || c === 'rep_score' ? NUMBERS : IDS,
      ]),
    );
    const concessionPools: Record<string, string[]> = Object.fromEntries(
      CONCESSION_COLUMNS.map((c) => [c, c === 'granted_at' ? TIMES : c === 'amount' ? NUMBERS : IDS]),
    );
    await fc.assert(
      fc.asyncProperty(
        table(SURVEY_COLUMNS, surveyPools),
        table(CONCESSION_COLUMNS, concessionPools),
        fc.constantFrom('UTC', 'Europe/Berlin'),
        async (surveys, concessions, timeZone) => {
          const fromCsv = await loadLedgers(
            { surveys: write(SURVEY_COLUMNS, surveys), concessions: write(CONCESSION_COLUMNS, concessions) },
            { timeZone },
          );
          const fromObjects = await loadLedgers(
            {
              surveys: objects(SURVEY_COLUMNS, surveys),
              concessions: objects(CONCESSION_COLUMNS, concessions),
            },
            { timeZone },
          );
          expect(comparable(fromCsv)).toEqual(comparable(fromObjects));
          for (const d of Object.values(fromCsv.ids))
            expect([...d.index]).toEqual(d.values.map((v: string, i: number) => [v, i]));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('on tidy rows (every cell on the fast path), with repeated and new ids', async () => {
    const surveys = Array.from({ length: 3000 }, (_, i) => ({
      survey_id: `S${i % 2900}`,
      customer_id: `C${(i * 7) % 500}`,
      rep_id: i % 5 ? `R${i % 40}` : '',
      team: `T${i % 3}`,
      channel: 'phone',
      sent_at: `2025-0${1 + (i % 9)}-1${i % 10}T0${i % 10}:1${i % 6}:0${i % 10}Z`,
      responded_at: i % 3 ? '' : `2025-0${1 + (i % 9)}-1${i % 10}T1${i % 10}:00:00+01:00`,
      ltr: i % 3 ? '' : String(i % 11),
      rep_score: i % 3 ? '' : String(1 + (i % 10)),
      followed_up_at: '',
      contact: `ct${i % 700}`,
      device: i % 2 ? '' : `dv${i % 300}`,
    }));
    const concessions = Array.from({ length: 3000 }, (_, i) => ({
      concession_id: `K${i % 2950}`,
      customer_id: `C${(i * 11) % 800}`,
      rep_id: `R${i % 50}`,
      granted_at: `2025-02-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`,
      amount: `${i % 100}.${String(i % 100).padStart(2, '0')}`,
      category: ['credit', 'discount'][i % 2],
      reason: i % 4 ? '' : 'outage',
    }));
    const path = (rows: Record<string, string>[], columns: string[]) => {
      const p = join(dir, `t${files++}.csv`);
      writeFileSync(
        p,
        `${columns.join(',')}\n${rows.map((r) => columns.map((c) => r[c]).join(',')).join('\n')}\n`,
      );
      return p;
    };
    const fromCsv = await loadLedgers({
      surveys: path(surveys, SURVEY_COLUMNS),
      concessions: path(concessions, CONCESSION_COLUMNS),
    });
    const fromObjects = await loadLedgers({ surveys, concessions });
    expect(fromCsv.quality.surveys.reasons).toEqual({ 'duplicate-id': 100 });
    expect(comparable(fromCsv)).toEqual(comparable(fromObjects));
  });
});
