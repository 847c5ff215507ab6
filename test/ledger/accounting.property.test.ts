import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConcessions, loadSurveys } from '../../src/ledger/load.js';
import { readCsv } from '../../src/ledger/read-input.js';

const tmp = mkdtempSync(join(tmpdir(), 'nps-gaming-fuzz-'));
let counter = 0;

const HEADER = ['survey_id', 'customer_id', 'rep_id', 'sent_at', 'responded_at', 'ltr', 'rep_score'];

/** Cells that are valid, nearly valid or garbage, with quoting hazards. */
const cell = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'S1',
    'S2',
    'C1',
    'R1',
    '10',
    '10.0',
    '11',
    '-1',
    'ten',
    '7.5',
    '0',
    'NaN',
    'Infinity',
  ),
  fc.constantFrom(
    '2025-03-01T10:00:00Z',
    '2025-02-30',
    '2025-03-01',
    '2025-03-01 25:00',
    '01/03/2025',
    '2025-03-01T10:00:00+14:00',
  ),
  fc.string({ maxLength: 12 }),
  fc.constantFrom(
    'a,b',
    'x"y',
    '"quoted"',
    'line\nbreak',
    'cr\r\nlf',
    '\u00e9\u4e2d\ud83d\ude00',
    '<script>',
  ),
);

const quote = (value: string) =>
  /[",\r\n]/.test(value) || value.trim() !== value ? `"${value.replaceAll('"', '""')}"` : value;

/** Rows of 1..9 fields (7 is well-formed) with a guaranteed non-empty first cell, so no row is a blank line. */
const row = fc
  .tuple(
    fc.string({ minLength: 1, maxLength: 6 }).filter((s) => s.trim() !== ''),
    fc.array(cell, { minLength: 0, maxLength: 8 }),
  )
  .map(([first, rest]) => [first, ...rest]);

describe('accounting invariant', () => {
  it('accepted + quarantined = data rows, for arbitrary malformed CSV (surveys)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 40 }), fc.boolean(), async (rows, crlf) => {
        const eol = crlf ? '\r\n' : '\n';
        const text = [HEADER.join(','), ...rows.map((r) => r.map(quote).join(','))].join(eol) + eol;
        const records = readCsv(text, 'fuzz.csv').records.length;
        expect(records).toBe(rows.length);
        const { quality, ledger } = await loadSurveys(writeTemp(text));
        expect(quality.accepted + quality.quarantined).toBe(rows.length);
        expect(quality.rows).toBe(rows.length);
        expect(ledger.length).toBe(quality.accepted);
        for (const v of ledger.sentAt) expect(Number.isFinite(v)).toBe(true);
      }),
      { seed: 20261124, numRuns: 200 },
    );
  });

  it('accepted + quarantined = data rows for concessions fed as objects with arbitrary values', async () => {
    const value = fc.oneof(cell, fc.integer(), fc.double(), fc.constant(null), fc.boolean());
    const concession = fc.record({
      concession_id: value,
      customer_id: value,
      granted_at: value,
      amount: value,
      category: value,
    });
    await fc.assert(
      fc.asyncProperty(fc.array(concession, { maxLength: 40 }), async (rows) => {
        const { quality, ledger } = await loadConcessions(rows);
        expect(quality.accepted + quality.quarantined).toBe(rows.length);
        for (const a of ledger.amount) expect(Number.isFinite(a) && a >= 0).toBe(true);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

/** Load through a real file: the same code path as a user's CSV. */
function writeTemp(text: string): string {
  const path = join(tmp, `fuzz-${counter++}.csv`);
  writeFileSync(path, text);
  return path;
}
