import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { analyzeWithDuckDb } from '../../src/duckdb.js';
import type { Finding } from '../../src/findings/types.js';
import { loadLedgers } from '../../src/ledger/load.js';
import { simulateRows } from '../../src/simulate/simulate.js';
import { EXPORT_DIALECTS, writeAs } from '../helpers/exportDialects.js';

/**
 * The SQL path reads the ledgers as other tools export them as the in-memory loader does: the
 * same tests, with the same numbers, from each dialect's files (SQL Server's datetimeoffset with
 * a space before the offset once read as no timestamp at all: every row was left out).
 */
describe('the DuckDB path on export dialects', () => {
  const world = simulateRows({ scenario: 'demo', seed: 11, scale: 0.25 });
  const dir = mkdtempSync(join(tmpdir(), 'nps-duckdb-dialects-'));
  const detectors = ['concession-before-survey', 'concession-during-survey'] as const;
  const numbers = (findings: Finding[]) =>
    new Map(
      findings.map((f) => [
        `${f.detector}|${f.entity.id}`,
        [f.pValue, f.effect].map((x) => x.toPrecision(10)),
      ]),
    );

  it.each(Object.keys(EXPORT_DIALECTS))(
    '%s',
    async (name) => {
      const dialect = EXPORT_DIALECTS[name];
      const memory = analyze(await loadLedgers({ surveys: world.surveys, concessions: world.concessions }), {
        detectors: [...detectors],
        includeAll: true,
      });
      const files = { surveys: join(dir, `${name}-s.csv`), concessions: join(dir, `${name}-c.csv`) };
      writeFileSync(
        files.surveys,
        writeAs(world.surveys, ['sent_at', 'responded_at', 'followed_up_at'], dialect),
      );
      writeFileSync(files.concessions, writeAs(world.concessions, ['granted_at'], dialect));
      const sql = await analyzeWithDuckDb(files, { includeAll: true });
      expect(memory.findings.length).toBeGreaterThan(10);
      expect(numbers(sql.findings)).toEqual(numbers(memory.findings));
    },
    60_000,
  );
});
