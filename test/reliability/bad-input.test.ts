import { describe, expect, it } from 'vitest';
import { analyze, toDocument } from '../../src/analyze.js';
import { loadConcessions, loadLedgers, loadSurveys } from '../../src/ledger/load.js';
import type { LedgerQuality } from '../../src/ledger/types.js';
import { LedgerError } from '../../src/log/errors.js';
import { simulateRows } from '../../src/simulate/simulate.js';
import { CONCESSION_COLUMNS, SURVEY_COLUMNS } from '../../src/simulate/types.js';
import { expectValidDocument, nonFinitePaths, runEverything, tempFile, toCsv } from './helpers.js';

/**
 * Adversarial inputs through the library: each one gets a clear error or a
 * quarantine reason, never a crash, a silently dropped row, or a NaN /
 * Infinity in the findings document. A small simulated world (real enough
 * for every detector to run) is the background the bad rows are mixed into.
 */

const world = simulateRows({ scenario: 'demo', seed: 3, scale: 0.15 });
const SURVEY_HEADER = SURVEY_COLUMNS.join(',');
const CONCESSION_HEADER = CONCESSION_COLUMNS.join(',');
const goodSurveys = toCsv(world.surveys, SURVEY_COLUMNS);
const goodConcessions = toCsv(world.concessions, CONCESSION_COLUMNS);
const goodInteractions = toCsv(world.interactions);

/** A survey CSV line in canonical column order from a partial row (the rest borrowed from a valid row). */
function surveyLine(cells: Partial<Record<(typeof SURVEY_COLUMNS)[number], string>>): string {
  const base = { ...world.surveys.find((s) => s.responded_at !== '')!, followed_up_at: '' };
  const row = { ...base, ...cells } as Record<string, string>;
  return SURVEY_COLUMNS.map((c) => {
    const v = row[c] ?? '';
    return /[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
  }).join(',');
}

/** Load `extra` survey lines appended to the valid world; returns the quality of the surveys. */
async function withSurveyLines(lines: string[], options = {}): Promise<LedgerQuality> {
  const text = `${goodSurveys}${lines.join('\n')}\n`;
  const { ledgers } = await runEverything(
    {
      surveys: tempFile(text),
      concessions: tempFile(goodConcessions),
      interactions: tempFile(goodInteractions),
    },
    options,
    { surveys: world.surveys.length + lines.length },
  );
  return ledgers.quality.surveys;
}

const reasonsOfTail = (q: LedgerQuality) => q.reasons;

describe('scores', () => {
  it('10.0 is 10; ten, 11, -1, 7.5 and blanks are quarantined with their reason', async () => {
    const q = await withSurveyLines([
      surveyLine({ survey_id: 'X1', rep_score: '10.0' }),
      surveyLine({ survey_id: 'X2', rep_score: 'ten' }),
      surveyLine({ survey_id: 'X3', ltr: '11' }),
      surveyLine({ survey_id: 'X4', ltr: '-1' }),
      surveyLine({ survey_id: 'X5', rep_score: '7.5' }),
      surveyLine({ survey_id: 'X6', ltr: '', rep_score: '' }),
      surveyLine({ survey_id: 'X7', ltr: 'NaN' }),
      surveyLine({ survey_id: 'X8', ltr: 'Infinity' }),
      surveyLine({ survey_id: 'X9', ltr: ' 9 ' }),
    ]);
    expect(q.quarantined).toBe(7);
    expect(reasonsOfTail(q)).toEqual({
      'score-not-integer': 4, // ten, 7.5, NaN, Infinity
      'score-out-of-scale': 2,
      'response-without-scores': 1,
    });
  });
});

describe('timestamps', () => {
  it('mixed formats: ISO variants parse, locale and compact formats are bad-timestamp', async () => {
    const q = await withSurveyLines([
      surveyLine({
        survey_id: 'T1',
        sent_at: '2025-03-01T10:00',
        responded_at: '2025-03-01T10:05:00.123+0530',
      }),
      surveyLine({ survey_id: 'T2', sent_at: '2025-03-01 10:00:00z', responded_at: '2025-03-02' }),
      surveyLine({ survey_id: 'T3', sent_at: '01/03/2025' }),
      surveyLine({ survey_id: 'T4', sent_at: '20250301' }),
      surveyLine({ survey_id: 'T5', sent_at: 'March 1, 2025' }),
      surveyLine({ survey_id: 'T6', sent_at: '2025-02-29T10:00:00Z' }),
      surveyLine({ survey_id: 'T7', sent_at: '2025-03-01T24:00:00Z' }),
      surveyLine({ survey_id: 'T8', sent_at: '2025-03-01T10:00:00+25:00' }),
    ]);
    // T1's response (05:35Z) is before its invitation (10:00Z): offsets are honoured
    expect(q.reasons).toEqual({ 'bad-timestamp': 6, 'responded-before-sent': 1 });
  });

  it('daylight-saving gaps and overlaps in the default zone resolve to one instant, no row lost', async () => {
    const { ledger, quality } = await loadSurveys(
      [
        { survey_id: 'gap', customer_id: 'C', sent_at: '2025-03-30 02:30' },
        { survey_id: 'overlap', customer_id: 'C', sent_at: '2025-10-26 02:30' },
        { survey_id: 'before', customer_id: 'C', sent_at: '2025-03-30 01:59' },
        { survey_id: 'after', customer_id: 'C', sent_at: '2025-03-30 03:00' },
      ],
      { timeZone: 'Europe/Berlin' },
    );
    expect(quality.accepted).toBe(4);
    const [gap, overlap, before, after] = ledger.sentAt;
    // 02:30 does not exist in Berlin on 2025-03-30: it lands between 01:59 (+01:00) and 03:00 (+02:00)
    expect(before).toBe(Date.parse('2025-03-30T00:59:00Z'));
    expect(after).toBe(Date.parse('2025-03-30T01:00:00Z'));
    expect(gap).toBeGreaterThanOrEqual(before);
    expect(gap).toBeLessThanOrEqual(after + 3_600_000);
    // 02:30 happens twice on 2025-10-26: one of the two instants, deterministically
    expect([Date.parse('2025-10-26T00:30:00Z'), Date.parse('2025-10-26T01:30:00Z')]).toContain(overlap);
  });

  it('timestamps before 1980 or after 2099 (placeholders, typos) are quarantined, saying so', async () => {
    const { quality, ledger } = await loadSurveys([
      { survey_id: 'far-future', customer_id: 'C', sent_at: '9999-12-31T23:59:59Z' },
      { survey_id: 'epoch', customer_id: 'C', sent_at: '1970-01-01T00:00:00Z' },
      { survey_id: 'epoch-number', customer_id: 'C', sent_at: 0 },
      { survey_id: 'y1900', customer_id: 'C', sent_at: '1900-02-28' },
      { survey_id: 'y1', customer_id: 'C', sent_at: '0001-01-01T00:00:00Z' },
      { survey_id: 'first', customer_id: 'C', sent_at: '1980-01-01T00:00:00Z' },
      { survey_id: 'last', customer_id: 'C', sent_at: '2099-12-31T23:59:59Z' },
      { survey_id: 'numeric', customer_id: 'C', sent_at: 1_740_000_000_000 },
      { survey_id: 'date-object', customer_id: 'C', sent_at: new Date('2025-03-01T00:00:00Z') },
      { survey_id: 'invalid-date', customer_id: 'C', sent_at: new Date(Number.NaN) },
    ]);
    expect(quality.reasons).toEqual({ 'bad-timestamp': 6 });
    expect(quality.examples['bad-timestamp']?.[0].message).toBe(
      'timestamp "9999-12-31T23:59:59Z" is before 1980 or after 2099: a placeholder or a typo?',
    );
    expect(Array.from(ledger.sentAt)).toEqual([
      Date.parse('1980-01-01T00:00:00Z'),
      Date.parse('2099-12-31T23:59:59Z'),
      1_740_000_000_000,
      Date.parse('2025-03-01T00:00:00Z'),
    ]);
  });

  it('numeric timestamps outside the range of a Date are quarantined, not handed to detectors', async () => {
    const { quality } = await loadSurveys([
      { survey_id: 'big', customer_id: 'C', sent_at: 1e20 },
      { survey_id: 'bigint', customer_id: 'C', sent_at: 10n ** 20n },
      { survey_id: 'ok', customer_id: 'C', sent_at: 1_740_000_000_000 },
    ]);
    expect(quality.reasons).toEqual({ 'bad-timestamp': 2 });
    expect(quality.examples['bad-timestamp']?.[0].message).toMatch(/is out of range/);
  });

  it('surveys at the ends of the plausible range among ordinary ones do not break any detector', async () => {
    await withSurveyLines([
      surveyLine({ survey_id: 'F1', sent_at: '2099-12-31T00:00:00Z', responded_at: '2099-12-31T01:00:00Z' }),
      surveyLine({ survey_id: 'F2', sent_at: '1980-01-01T00:00:00Z', responded_at: '1980-01-01T01:00:00Z' }),
    ]);
  });
});

describe('wrong types in in-memory rows', () => {
  it('booleans, objects, arrays, NaN and Infinity never become scores or amounts', async () => {
    const { quality, ledger } = await loadSurveys([
      { survey_id: 'b', customer_id: 'C', sent_at: '2025-01-01', responded_at: '2025-01-02', ltr: true },
      { survey_id: 'o', customer_id: 'C', sent_at: '2025-01-01', responded_at: '2025-01-02', ltr: {} },
      {
        survey_id: 'n',
        customer_id: 'C',
        sent_at: '2025-01-01',
        responded_at: '2025-01-02',
        ltr: Number.NaN,
      },
      { survey_id: 'i', customer_id: 'C', sent_at: '2025-01-01', responded_at: '2025-01-02', ltr: Infinity },
      { survey_id: 'ok', customer_id: 'C', sent_at: '2025-01-01', responded_at: '2025-01-02', ltr: 9n },
      { survey_id: 'ts', customer_id: 'C', sent_at: { when: 'now' } },
      { survey_id: 'arr', customer_id: 'C', sent_at: ['2025-01-01'] },
    ]);
    expect(quality.rows).toBe(7);
    expect(ledger.surveyId).toEqual(['ok']);
    // true, NaN and Infinity are not integers; {} and the two structured timestamps are not values at all
    expect(quality.reasons).toEqual({ 'score-not-integer': 3, 'malformed-row': 3 });
    const c = await loadConcessions([
      {
        concession_id: 'K1',
        customer_id: 'C',
        granted_at: '2025-01-01',
        amount: '1,000',
        category: 'credit',
      },
      { concession_id: 'K2', customer_id: 'C', granted_at: '2025-01-01', amount: '$5', category: 'credit' },
      { concession_id: 'K3', customer_id: 'C', granted_at: '2025-01-01', amount: true, category: 'credit' },
      { concession_id: 'K4', customer_id: 'C', granted_at: '2025-01-01', amount: -0.01, category: 'credit' },
      { concession_id: 'K5', customer_id: 'C', granted_at: '2025-01-01', amount: '1e3', category: 'credit' },
    ]);
    expect(c.quality.reasons).toEqual({ 'bad-amount': 3, 'negative-amount': 1 });
    expect(Array.from(c.ledger.amount)).toEqual([1000]);
  });

  // Objects used to be turned into text, so an id cell holding an object became the id "[object Object]"
  // (different customers merged) and a score cell holding [9] became 9; they are now malformed rows.
  it('cells.ts: objects and arrays in id and score cells are quarantined, not stringified', async () => {
    const { quality } = await loadSurveys([
      { survey_id: 'S1', customer_id: { id: 1 }, sent_at: '2025-01-01' },
      { survey_id: 'S2', customer_id: { id: 2 }, sent_at: '2025-01-01' },
      { survey_id: 'S3', customer_id: 'C', sent_at: '2025-01-01', responded_at: '2025-01-02', ltr: [9] },
    ]);
    expect(quality.accepted).toBe(0);
  });

  it('a cell whose value cannot be turned into a string is quarantined, not a crash', async () => {
    const odd = Object.create(null) as object;
    const { quality } = await loadSurveys([
      { survey_id: 'S1', customer_id: 'C', sent_at: odd },
      { survey_id: 'S2', customer_id: 'C', sent_at: '2025-01-01', responded_at: '2025-01-02', ltr: odd },
    ]);
    expect(quality.rows).toBe(2);
    expect(quality.reasons).toEqual({ 'malformed-row': 2 });
  });

  // Amounts near Number.MAX_VALUE used to overflow to Infinity in detector evidence (sums of amounts);
  // the loader now quarantines amounts above 1e12 as bad-amount, so every sum stays finite.
  it('detectors: huge amounts do not overflow to Infinity anywhere in the document', async () => {
    const concessions = world.concessions.map((c, i) => (i % 3 === 0 ? { ...c, amount: '1e308' } : c));
    await runEverything({ surveys: world.surveys, concessions, interactions: world.interactions });
  });
});

describe('columns', () => {
  it('a missing required column is one clear error naming it and near matches', async () => {
    const text = goodSurveys.replace('customer_id', 'cust_id');
    await expect(loadSurveys(tempFile(text))).rejects.toThrow(LedgerError);
    await expect(loadSurveys(tempFile(text))).rejects.toThrow(
      /missing required column\(s\) customer_id.*cust_id/,
    );
  });

  it('extra and duplicated columns are warnings, the first of a duplicated name wins', async () => {
    const text = 'survey_id,customer_id,sent_at,notes,sent_at\nS1,C1,2025-01-01,hello,garbage\n';
    const { quality, ledger } = await loadSurveys(tempFile(text));
    expect(quality.accepted).toBe(1);
    expect(ledger.sentAt[0]).toBe(Date.parse('2025-01-01T00:00:00Z'));
    expect(quality.warnings.join(' ')).toMatch(/notes/);
  });

  it('header names with BOM, spaces and upper case are found', async () => {
    const text = '\ufeff Survey_ID ,CUSTOMER_ID,Sent_At\r\nS1,C1,2025-01-01\r\n';
    const { quality } = await loadSurveys(tempFile(text));
    expect(quality.accepted).toBe(1);
  });
});

describe('CSV accidents', () => {
  it('semicolon, tab and pipe files are read; decimal commas are bad amounts', async () => {
    for (const d of [';', '\t', '|']) {
      const text = `${CONCESSION_HEADER.replaceAll(',', d)}\nK1${d}C1${d}R1${d}2025-01-01${d}12,50${d}credit${d}\nK2${d}C1${d}R1${d}2025-01-01${d}3${d}credit${d}\n`;
      const { quality } = await loadConcessions(tempFile(text));
      expect(quality.rows, JSON.stringify(d)).toBe(2);
      expect(quality.accepted + (quality.reasons['bad-amount'] ?? 0), JSON.stringify(d)).toBe(2);
    }
  });

  it('a truncated last line is a malformed row; a stray quote mid-field is kept', async () => {
    const lines = goodConcessions.trimEnd().split('\n');
    const truncated = `${lines.join('\n')}\nK999999,C000001,R0001,2025-0`;
    const q = await loadConcessions(tempFile(truncated));
    expect(q.quality.rows).toBe(world.concessions.length + 1);
    expect(q.quality.reasons).toEqual({ 'malformed-row': 1 });
    const stray = `${CONCESSION_HEADER}\nK1,C1,R1,2025-01-01,5,cre"dit,\n`;
    expect((await loadConcessions(tempFile(stray))).quality.accepted).toBe(1);
  });

  it('an unclosed quote is one clear error naming the file and line, not a crash', async () => {
    const text = `${CONCESSION_HEADER}\nK1,C1,R1,2025-01-01,5,credit,\nK2,"C1,R1,2025-01-01,5,credit,\nK3,C1,R1,2025-01-01,5,credit,\n`;
    const path = tempFile(text);
    await expect(loadConcessions(path)).rejects.toThrow(LedgerError);
    await expect(loadConcessions(path)).rejects.toThrow(/malformed CSV near line \d+/);
  });

  it('quoted delimiters and newlines inside fields stay in their field', async () => {
    const text = `${CONCESSION_HEADER}\nK1,"C1,x",R1,2025-01-01,5,credit,"line one\nline two"\nK2,C2,R1,2025-01-01,5,credit,\n`;
    const { ledger, ids, quality } = await loadConcessions(tempFile(text));
    expect(quality.accepted).toBe(2);
    expect(ids.customer.values[ledger.customer[0]]).toBe('C1,x');
  });

  it('a UTF-16 file (with or without its byte-order mark) is one error saying so and how to convert it', async () => {
    for (const text of [`\ufeff${goodSurveys.slice(0, 2000)}`, goodSurveys.slice(0, 2000)]) {
      const utf16 = Buffer.from(text, 'utf16le');
      await expect(loadSurveys(tempFile(utf16))).rejects.toThrow(LedgerError);
      await expect(loadSurveys(tempFile(utf16))).rejects.toThrow(
        /is UTF-16 text .*not UTF-8.*iconv -f UTF-16 -t UTF-8/,
      );
    }
    const bigEndian = Buffer.from(`\ufeff${goodSurveys.slice(0, 200)}`, 'utf16le').swap16();
    await expect(loadSurveys(tempFile(bigEndian))).rejects.toThrow(/is UTF-16 text/);
  });

  it('binary garbage is an error or all-quarantined, never an accepted row', async () => {
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 2654435761) >>> 24;
    try {
      const { quality } = await loadSurveys(tempFile(bytes));
      expect(quality.accepted).toBe(0);
    } catch (error) {
      expect(error).toBeInstanceOf(LedgerError);
    }
  });

  it('a gigantic field is accepted or quarantined, and messages and examples stay short', async () => {
    const big = 'x'.repeat(2_000_000);
    const q = await withSurveyLines([
      surveyLine({ survey_id: 'G1', sent_at: big }),
      surveyLine({ survey_id: 'G2', ltr: big }),
      surveyLine({ survey_id: big }),
      surveyLine({ survey_id: big }),
    ]);
    expect(q.reasons).toEqual({ 'bad-timestamp': 1, 'score-not-integer': 1, 'duplicate-id': 1 });
    for (const examples of Object.values(q.examples)) {
      for (const e of examples ?? []) {
        expect(e.message.length).toBeLessThan(500);
        expect((e.value ?? '').length).toBeLessThanOrEqual(81); // 80 characters and an ellipsis
      }
    }
  });
});

describe('unicode', () => {
  it('ids with accents, CJK, emoji and surrounding no-break spaces are kept exactly (trimmed)', async () => {
    const { ids, ledger, quality } = await loadSurveys(
      tempFile(
        `${SURVEY_HEADER}\nS1,Ｃ１,Renée,,,2025-01-01,,,,,,\nS2,\u00a0客户\u00a0,😀,,,2025-01-01,,,,,,\n`,
      ),
    );
    expect(quality.accepted).toBe(2);
    expect(Array.from(ledger.customer, (c) => ids.customer.values[c])).toEqual(['Ｃ１', '客户']);
    expect(Array.from(ledger.rep, (r) => ids.rep.values[r])).toEqual(['Renée', '😀']);
  });

  it('a Windows-1252 file (Excel on Windows) keeps its accented ids apart and says how it was read', async () => {
    const text = `${SURVEY_HEADER}\nS1,C1,Montréal,,,2025-01-01,,,,,,\nS2,C2,Montrèal,,,2025-01-01,,,,,,\nS3,C3,"Zoë €",,,2025-01-01,,,,,,\n`;
    const { ids, ledger, quality } = await loadSurveys(
      tempFile(Buffer.from(text, 'latin1').fill(0x80, text.indexOf('€'), text.indexOf('€') + 1)),
    );
    expect(quality.accepted).toBe(3);
    // decoded as UTF-8 the first two would both be "Montr\uFFFDal": one rep, not two
    expect(Array.from(ledger.rep, (r) => ids.rep.values[r])).toEqual(['Montréal', 'Montrèal', 'Zoë €']);
    expect(quality.warnings.join('\n')).toMatch(/not UTF-8 and were read as Windows-1252/);
    // a UTF-8 file, even one with a real U+FFFD in it, is read as UTF-8, without the warning
    const utf8 = await loadSurveys(tempFile(`${SURVEY_HEADER}\nS1,C1,Montréal \uFFFD,,,2025-01-01,,,,,,\n`));
    expect(utf8.ids.rep.values).toEqual(['Montréal \uFFFD']);
    expect(utf8.quality.warnings.join('\n')).not.toMatch(/Windows-1252/);
  });
});

describe('shape of the data', () => {
  it('the same id in the survey and the concession ledger is two things, both accepted', async () => {
    const ledgers = await loadLedgers({
      surveys: [{ survey_id: 'X1', customer_id: 'C1', sent_at: '2025-01-01' }],
      concessions: [
        { concession_id: 'X1', customer_id: 'C1', granted_at: '2025-01-01', amount: 1, category: 'credit' },
      ],
    });
    expect([ledgers.surveys.length, ledgers.concessions.length]).toEqual([1, 1]);
  });

  it('concessions for never-surveyed customers and surveys by unknown reps run cleanly', async () => {
    const concessions = [
      ...world.concessions,
      ...Array.from({ length: 50 }, (_, i) => ({
        ...world.concessions[i],
        concession_id: `KX${i}`,
        customer_id: `NEVER-SURVEYED-${i % 7}`,
      })),
    ];
    const surveys = [
      ...world.surveys,
      ...world.surveys.slice(0, 60).map((s, i) => ({ ...s, survey_id: `SX${i}`, rep_id: `GHOST${i % 3}` })),
    ];
    await runEverything({ surveys, concessions, interactions: world.interactions });
  });

  it('a ledger of one row: every detector runs or says why not', async () => {
    const { result } = await runEverything({
      surveys: world.surveys.filter((s) => s.responded_at !== '').slice(0, 1),
      concessions: world.concessions.slice(0, 1),
      interactions: world.interactions.slice(0, 1),
    });
    expect(Object.keys(result.run.tested).length + result.run.skipped.length).toBe(9);
  });

  it('all rows invalid: everything quarantined with reasons, detectors skipped, valid document', async () => {
    const surveys = world.surveys.slice(0, 40).map((s) => ({ ...s, sent_at: 'not a date' }));
    const concessions = world.concessions.slice(0, 40).map((c) => ({ ...c, amount: 'free' }));
    const { result } = await runEverything({ surveys, concessions });
    expect(result.dataQuality.surveys).toEqual({
      accepted: 0,
      quarantined: 40,
      reasons: { 'bad-timestamp': 40 },
    });
    expect(result.dataQuality.concessions.reasons).toEqual({ 'bad-amount': 40 });
    expect(result.findings).toEqual([]);
    expect(result.run.skipped.length).toBe(9);
  });

  it('empty and header-only files are empty ledgers, not errors', async () => {
    for (const text of ['', '\ufeff', '\n\n', `${SURVEY_HEADER}\n`]) {
      const ledgers = await loadLedgers({
        surveys: tempFile(text),
        concessions: tempFile(`${CONCESSION_HEADER}\n`),
      });
      expect(ledgers.surveys.length).toBe(0);
      const document = toDocument(analyze(ledgers));
      expectValidDocument(document);
      expect(nonFinitePaths(document)).toEqual([]);
    }
  });

  it('NDJSON with broken lines and JSON of the wrong shape', async () => {
    const lines = world.concessions.slice(0, 5).map((c) => JSON.stringify(c));
    lines.splice(2, 0, '{"concession_id": "K-broken", ');
    lines.push('[1,2,3]', 'null', '"text"');
    const { quality } = await loadConcessions(tempFile(lines.join('\n'), '.ndjson'));
    expect(quality).toMatchObject({ rows: 9, accepted: 5, reasons: { 'malformed-row': 4 } });
    await expect(loadConcessions(tempFile('{"a": 1}', '.json'))).rejects.toThrow(/expected a JSON array/);
    await expect(loadConcessions(tempFile('[{"a": 1}', '.json'))).rejects.toThrow(/invalid JSON/);
  });

  it('a file that is not the Arrow or Parquet its name says is one clear error naming it', async () => {
    for (const ext of ['.arrow', '.parquet']) {
      const path = tempFile('garbage, not columnar', ext);
      await expect(loadConcessions(path)).rejects.toBeInstanceOf(LedgerError);
      await expect(loadConcessions(path)).rejects.toThrow(
        `${path}: invalid ${ext === '.arrow' ? 'Arrow IPC' : 'Parquet'} file`,
      );
    }
  });

  it('NDJSON streamed line by line: a BOM, CRLF line ends and blank lines are not rows', async () => {
    const lines = world.concessions.slice(0, 4).map((c) => JSON.stringify(c));
    const text = `\ufeff${lines[0]}\r\n\r\n${lines.slice(1).join('\r\n')}\r\n   \n`;
    const { quality } = await loadConcessions(tempFile(text, '.jsonl'));
    expect(quality).toMatchObject({ rows: 4, accepted: 4, quarantined: 0 });
  });
});
