import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { type AnalysisResult, analyze } from '../../src/analyze.js';
import { loadLedgers } from '../../src/ledger/load.js';
import type { Ledgers } from '../../src/ledger/types.js';

const DEMO = new URL('../../datasets/demo/', import.meta.url).pathname;
/** The fixed clock of report tests: `run.generatedAt` is the only time in a report. */
export const NOW = new Date('2026-11-24T06:00:00Z');

export interface Fixture {
  ledgers: Ledgers;
  result: AnalysisResult;
}

let demo: Promise<Fixture> | undefined;

/** The bundled demo dataset, loaded and analysed once per test file. */
export function demoFixture(): Promise<Fixture> {
  demo ??= (async () => {
    const ledgers = await loadLedgers({
      surveys: `${DEMO}surveys.csv`,
      concessions: `${DEMO}concessions.csv`,
      interactions: `${DEMO}interactions.csv`,
    });
    return { ledgers, result: analyze(ledgers, { now: NOW }) };
  })();
  return demo;
}

/** Ids that try to break out of HTML, attributes, JSON-in-script and Markdown. */
export const HOSTILE = {
  rep: 'R0037<script>window.__xss=1</script>',
  rep2: `R0016"><img src=x onerror="window.__xss=2">`,
  customer: `C000565'"><svg onload=window.__xss=3>`,
  category: 'credit</script><script>window.__xss=4</script>',
} as const;

const rows = (file: string): Record<string, string>[] =>
  parse(readFileSync(`${DEMO}${file}`, 'utf8'), { columns: true }) as Record<string, string>[];

/**
 * The demo ledgers with hostile ids: two flagged reps, a flagged account and
 * a concession category renamed to HTML/JS payloads (arrays of objects, so no
 * CSV quoting gets in the way). The detectors still flag them.
 */
export async function hostileFixture(): Promise<Fixture> {
  const rename = (row: Record<string, string>) => {
    if (row.rep_id === 'R0037') row.rep_id = HOSTILE.rep;
    if (row.rep_id === 'R0016') row.rep_id = HOSTILE.rep2;
    if (row.customer_id === 'C000565') row.customer_id = HOSTILE.customer;
    if (row.category === 'credit') row.category = HOSTILE.category;
    return row;
  };
  const ledgers = await loadLedgers({
    surveys: rows('surveys.csv').map(rename),
    concessions: rows('concessions.csv').map(rename),
    interactions: rows('interactions.csv').map(rename),
  });
  return { ledgers, result: analyze(ledgers, { now: NOW }) };
}
