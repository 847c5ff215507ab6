import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { expect } from 'vitest';
import { type AnalysisResult, analyze, toDocument } from '../../src/analyze.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import { type LedgerInputs, type LoadOptions, loadLedgers } from '../../src/ledger/load.js';
import type { LedgerQuality, Ledgers } from '../../src/ledger/types.js';

/** The published findings schema, compiled once (date-time checked by a round trip through Date). */
const ajv = new Ajv({ allErrors: true, strict: true });
ajv.addFormat('date-time', {
  type: 'string',
  validate: (s: string) => /^\d{4}-\d{2}-\d{2}T/.test(s) && !Number.isNaN(Date.parse(s)),
});
const schema = JSON.parse(
  readFileSync(new URL('../../src/findings/findings.schema.json', import.meta.url), 'utf8'),
);
export const validateFindings = ajv.compile(schema);

/** Fails with ajv's messages unless `document` satisfies findings.schema.json. */
export function expectValidDocument(document: FindingsDocument): void {
  const ok = validateFindings(document);
  expect(ok, ajv.errorsText(validateFindings.errors)).toBe(true);
}

/**
 * Paths (as `$.a.b[2].c`) of every value inside `value` that JSON cannot
 * carry faithfully: NaN and ±Infinity (written as null), undefined,
 * functions, bigints, and objects other than plain objects and arrays
 * (typed arrays, Maps, Dates are written as something else or nothing).
 */
export function nonFinitePaths(value: unknown, path = '$'): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [`${path} = ${value}`];
  if (typeof value === 'string' || typeof value === 'boolean' || value === null) return [];
  if (typeof value !== 'object') return [`${path} is ${typeof value}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinitePaths(v, `${path}[${i}]`));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return [`${path} is a ${proto?.constructor?.name}`];
  return Object.entries(value).flatMap(([k, v]) => nonFinitePaths(v, `${path}.${k}`));
}

/** Every ledger's rows are accepted or quarantined, and the ledgers hold exactly the accepted rows. */
export function expectAccounted(ledgers: Ledgers, rows?: { surveys?: number; concessions?: number }): void {
  const check = (q: LedgerQuality | undefined, length: number | undefined, expected?: number) => {
    if (!q) return;
    expect(q.accepted + q.quarantined, `${q.source}: accepted + quarantined`).toBe(q.rows);
    expect(length, `${q.source}: ledger length`).toBe(q.accepted);
    const byReason = Object.values(q.reasons).reduce((a, b) => a + (b ?? 0), 0);
    expect(byReason, `${q.source}: reasons add up to quarantined`).toBe(q.quarantined);
    if (expected !== undefined) expect(q.rows, `${q.source}: rows`).toBe(expected);
  };
  check(ledgers.quality.surveys, ledgers.surveys.length, rows?.surveys);
  check(ledgers.quality.concessions, ledgers.concessions.length, rows?.concessions);
  check(ledgers.quality.interactions, ledgers.interactions?.length);
}

/**
 * The whole library path on one input: load, analyze with every detector
 * (listing every test), check the accounting, the schema and that no
 * NaN/Infinity reaches the document.
 */
export async function runEverything(
  inputs: LedgerInputs,
  options: LoadOptions = {},
  rows?: { surveys?: number; concessions?: number },
): Promise<{ ledgers: Ledgers; result: AnalysisResult; document: FindingsDocument }> {
  const ledgers = await loadLedgers(inputs, options);
  expectAccounted(ledgers, rows);
  const result = analyze(ledgers, { includeAll: true, now: FIXED_NOW });
  const document = toDocument(result);
  expectValidDocument(document);
  // only JSON values: what --json writes is the document itself (no NaN → null, no lost keys)
  expect(nonFinitePaths(document)).toEqual([]);
  return { ledgers, result, document };
}

export const FIXED_NOW = new Date('2026-01-01T00:00:00Z');

const tmp = mkdtempSync(join(tmpdir(), 'nps-gaming-reliability-'));
let counter = 0;

/** Write `text` to a fresh temporary file with the given extension; returns its path. */
export function tempFile(text: string | Buffer, ext = '.csv'): string {
  const path = join(tmp, `f${counter++}${ext}`);
  writeFileSync(path, text);
  return path;
}

/** A fresh temporary directory. */
export function tempDir(): string {
  return mkdtempSync(join(tmp, 'd'));
}

/** Rows of plain objects as CSV text (every value quoted when it needs to be). */
export function toCsv(rows: readonly Record<string, unknown>[], columns?: readonly string[]): string {
  const header = columns ?? Object.keys(rows[0] ?? {});
  const quote = (v: unknown) => {
    const s = v === undefined || v === null ? '' : String(v);
    return /[",\r\n]/.test(s) || s.trim() !== s ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `${[header.join(','), ...rows.map((r) => header.map((h) => quote(r[h])).join(','))].join('\n')}\n`;
}

/** The findings document without its clock, for comparing runs. */
export function comparable(document: FindingsDocument): unknown {
  const { generatedAt: _clock, ...run } = document.run;
  return { ...document, run };
}
