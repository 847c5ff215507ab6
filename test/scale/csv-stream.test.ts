import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, openCsvStream } from '../../src/ledger/csv-stream.js';
import { type RawRecord, readCsv, readInputStream } from '../../src/ledger/read-input.js';

const dir = mkdtempSync(join(tmpdir(), 'nps-csv-stream-'));
let files = 0;
function file(text: string | Buffer, ext = '.csv'): string {
  const path = join(dir, `t${files++}${ext}`);
  writeFileSync(path, text);
  return path;
}

/** The reference: csv-parse with the options of `readCsv`, records with their `info.lines`. */
function reference(text: string): { fields: string[]; lines: number }[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows = parse(body, {
    delimiter: ',',
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    info: true,
  }) as unknown as { record: string[]; info: { lines: number } }[];
  return rows.map((r) => ({ fields: r.record, lines: r.info.lines }));
}

async function streamed(path: string, chunkBytes?: number) {
  const csv = await openCsvStream(path, { delimiter: ',', chunkBytes });
  const out: { fields: string[]; lines: number }[] = [];
  for await (const batch of csv.batches()) out.push(...batch);
  return { header: csv.header, records: out, maxBufferBytes: csv.maxBufferBytes };
}

async function allRecords(path: string): Promise<{ header: string[]; records: RawRecord[] }> {
  const table = await readInputStream(path, 'x');
  const records: RawRecord[] = [];
  for await (const batch of table.batches) records.push(...batch);
  return { header: table.header, records };
}

const TRICKY = [
  'a,b\n1,2\n\n3\n',
  'a,b\r\n1,"x\ny"\r\n\r\n4,5,6\r\n',
  'a,b\n  \n1,2',
  'a,b\n""\n1,2',
  'a,b\n1,a"b"c\n',
  'a,b\n1,"ab"c\n',
  'a,b\n1, "ab"\n',
  'a,b\n1,"a""b"\n',
  'a,b\r1,2\r',
  'a,b\n1,2\r\n3,4\n',
  'a,b\n1,x\ry\n',
  'a,b\n,\n',
  'a,b\n1,""\n',
  'a,b\n"a""b"c,d\n',
  'a,b\n"a,b"c,d\n',
  'a,b\n"ab"c"d,e\n',
  'a,b\n"ab" ,x\n',
  'a,b\n"a\nb"c,d\n',
  'a,b\n1,"ab"\r\n',
  'a,b\r\n1,"ab"\n2,3\r\n',
  'a,b\n1,x"\n2,3\n',
  'a,b\n1,"x\r\ny"\n2,3\n',
  'a,b\r\n1,x\ry\r\n2,3\r\n',
  'a,b\r1,x\ny\r2,3\r',
  'a,b\r\n1,"x\r\ny"\r\n2,3\r\n',
  'a,b\n1,x\r\r\n2,3\n',
  'a,b\n\r\n2,3\n',
  'a,b\r\n\n2,3\r\n',
  '\ufeffa,b\r\n"C1, Inc.",2\r\n',
  'a,b\n"ünï","ço, dé"\n€,😀\n',
  'a,b',
  'a,b\n',
];

describe('the streaming CSV reader agrees with csv-parse (the reference path)', () => {
  it.each(TRICKY.map((t) => [JSON.stringify(t), t]))('%s', async (_, text) => {
    const ref = reference(text);
    for (const chunkBytes of [16, 17, 64, undefined]) {
      const got = await streamed(file(text), chunkBytes);
      expect([{ fields: got.header, lines: ref[0]?.lines }, ...got.records]).toEqual(
        ref.length ? [{ ...ref[0], fields: ref[0].fields.map((h) => h.trim()) }, ...ref.slice(1)] : [],
      );
    }
  });

  it('readInputStream gives the same raw records as readCsv, malformed rows and row numbers included', async () => {
    for (const text of TRICKY) {
      const path = file(text);
      const expected = readCsv(text, path);
      const got = await allRecords(path);
      expect(got.header).toEqual(expected.header);
      expect(got.records).toEqual(expected.records);
    }
  });

  it('an empty or whitespace-only file is empty; a quote never closed is a LedgerError', async () => {
    for (const text of ['', '\ufeff', ' \n\r\n\t']) {
      const table = await readInputStream(file(text), 'x');
      expect(table.header).toEqual([]);
      expect(table.hasContent).toBe(false);
      expect(table.warnings[0]).toMatch(/file is empty/);
    }
    const open = file('a,b\n1,"ab');
    await expect(allRecords(open)).rejects.toThrow(/malformed CSV near line 2/);
    expect(() => readCsv('a,b\n1,"ab', open)).toThrow(/malformed CSV near line 2/);
    // the stream reader also says where the quote opened: the end of the file is not where to look
    const later = file('a,b\n1,2\n3,"x\n4,5\n6,7\n');
    await expect(allRecords(later)).rejects.toThrow(
      /near line 5: a quote opened in the record at line 3 is never closed/,
    );
  });

  it('a missing file or a directory is an unreadable-file LedgerError, as on the reference path', async () => {
    await expect(readInputStream(join(dir, 'missing.csv'), 'x')).rejects.toThrow(/no such file/);
    const folder = join(dir, 'folder.csv');
    mkdirSync(folder);
    await expect(readInputStream(folder, 'x')).rejects.toThrow(/it is a directory/);
  });

  it('TSV files use the tab delimiter; other files sniff it from the header', async () => {
    const tsv = await allRecords(file('a\tb\n1,2\t3\n', '.tsv'));
    expect(tsv.records[0].values).toEqual(['1,2', '3']);
    const semi = await allRecords(file('a;b;c\n1;2;3\n'));
    expect(semi.records[0].values).toEqual(['1', '2', '3']);
  });

  it('property: random quoted/CRLF/embedded-newline tables parse identically, at any chunk size', async () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.constantFrom('', ' ', '"', '""', ',', '\n', '\r\n', '\r', 'a"b', 'ü€', '😀', 'x,y', '"q"'),
    );
    const quote = (v: string) => (/[",\r\n]/.test(v) || v === '' ? `"${v.replaceAll('"', '""')}"` : v);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(cell, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 16, max: 80 }),
        async (rows, eol, bom, blank, chunkBytes) => {
          const lines = ['h1,h2,h3', ...rows.map((r) => r.map(quote).join(','))];
          if (blank) lines.splice(1, 0, '');
          const text = (bom ? '\ufeff' : '') + lines.join(eol) + eol;
          const ref = reference(text);
          const got = await streamed(file(text), chunkBytes);
          expect(got.records).toEqual(ref.slice(1));
          expect(got.maxBufferBytes).toBeLessThanOrEqual(Math.max(chunkBytes, 2 * Buffer.byteLength(text)));
        },
      ),
      { numRuns: 150, seed: 7 },
    );
  });
});

describe('bounded memory', () => {
  it('never holds more than one chunk of a large file', async () => {
    const row = 'S0000001,C000017,R0031,T04,chat,2025-01-02T09:26:54Z,,,,,ct7d372325592eba8a,\n';
    const text = `survey_id,a,b,c,d,e,f,g,h,i,j,k\n${row.repeat(60_000)}`; // ~4.6 MB
    const got = await streamed(file(text), 4096);
    expect(got.records.length).toBe(60_000);
    expect(got.maxBufferBytes).toBe(4096);
  });

  it('grows the buffer only to fit a record longer than a chunk', async () => {
    const long = 'x'.repeat(10_000);
    const got = await streamed(file(`a,b\n1,"${long}"\n2,3\n`), 1024);
    expect(got.records.map((r) => r.fields[1].length)).toEqual([10_000, 1]);
    expect(got.maxBufferBytes).toBeGreaterThan(10_000);
    expect(got.maxBufferBytes).toBeLessThanOrEqual(4 * 10_000);
  });
});

describe('decode', () => {
  it('reads a field that is not UTF-8 as Windows-1252, 0x80..0x9F included', () => {
    const bytes = Buffer.from(Array.from({ length: 32 }, (_, i) => 0x80 + i).concat([0xe9]));
    const decoding = { windows1252: false };
    // python3 -c "print(''.join(bytes([b]).decode('cp1252', errors='ignore') or chr(b) for b in range(0x80, 0xa0)))"
    // (the five bytes cp1252 leaves undefined pass through, as WHATWG's index has them)
    const reference =
      '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
      '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
    expect(decode(bytes, 0, bytes.length, 0x80, decoding)).toBe(`${reference}é`);
    expect(decoding.windows1252).toBe(true);
    const utf8 = Buffer.from('Zoë €', 'utf8');
    const untouched = { windows1252: false };
    expect(decode(utf8, 0, utf8.length, 0x80, untouched)).toBe('Zoë €');
    expect(untouched.windows1252).toBe(false);
  });
});
