import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { findingsToCsv } from '../../src/findings/to-csv.js';
import type { Finding } from '../../src/findings/types.js';

const finding = (id: string, summary: string): Finding => ({
  detector: 'concession-before-survey',
  entity: { type: 'rep', id },
  effect: 0.25,
  effectLabel: 'excess share',
  ci: [0.1, 0.4],
  pValue: 1e-6,
  qValue: 1e-5,
  severity: 'high',
  evidence: {},
  summary,
});

describe('findingsToCsv', () => {
  it('quotes delimiters, quotes and newlines so that every field round-trips', () => {
    const csv = findingsToCsv([finding('R "1", x', 'line one\nline two, with "quotes"')]);
    const [header, row] = parse(csv) as string[][];
    expect(header[2]).toBe('entity_id');
    expect(row[2]).toBe('R "1", x');
    expect(row[10]).toBe('line one\nline two, with "quotes"');
    expect(row.slice(4, 10)).toEqual(['0.25', 'excess share', '0.1', '0.4', '0.000001', '0.00001']);
  });

  it('defuses formula injection in ids and summaries', () => {
    const hostile = ['=HYPERLINK("http://x","y")', '+cmd|calc', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
    const rows = parse(findingsToCsv(hostile.map((id) => finding(id, id)))) as string[][];
    for (const [i, id] of hostile.entries()) {
      expect(rows[i + 1][2]).toBe(`'${id}`);
      expect(rows[i + 1][10]).toBe(`'${id}`);
    }
    const plain = parse(findingsToCsv([finding('R0042', 'fine')])) as string[][];
    expect(plain[1][2]).toBe('R0042');
  });
});
