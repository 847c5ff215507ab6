import { describe, expect, it } from 'vitest';
import { detectRepRelationshipGap } from '../../src/detectors/repRelationshipGap.js';
import { loadLedgers } from '../../src/ledger/load.js';
import { simulateRows } from '../../src/simulate/index.js';
import { benjaminiHochberg, createRandom } from '../../src/stats/index.js';
import { honestRows, ledgersOf, row } from '../helpers/scoreWorld.js';

describe('detectRepRelationshipGap', () => {
  it('finds the seed case: detractors giving the rep a 10', async () => {
    const rows = honestRows();
    // RSEED: 30 responses, half from detractors (ltr 1-4) who all give 10
    for (let k = 0; k < 30; k++) {
      const ltr = k % 2 ? 1 + (k % 4) : 8 + (k % 3);
      rows.push(row(rows.length, 'RSEED', 'T1', 'phone', k, ltr, k % 2 ? 10 : 9));
    }
    const result = detectRepRelationshipGap(await ledgersOf(rows));
    expect(result.ran).toBe(true);
    if (!result.ran) return;
    const seed = result.tests.find((t) => t.entity.id === 'RSEED')!;
    const q = benjaminiHochberg(result.tests.map((t) => t.pValue));
    expect(q[result.tests.indexOf(seed)]).toBeLessThan(0.05);
    expect(seed.effect).toBeGreaterThan(2);
    expect(seed.ci[0]).toBeGreaterThan(0);
    const ignored = seed.evidence.ignoredDetractors as { count: number; surveyIds: string[] };
    expect(ignored.count).toBe(15);
    expect(ignored.surveyIds.length).toBe(15);
    expect(seed.summary).toMatch(/^RSEED's rep score exceeds .* \(30 responses; 15 of 15 detractors/);
    // the honest reps are not flagged
    const flagged = result.tests.filter((_, i) => q[i] <= 0.05).map((t) => t.entity.id);
    expect(flagged).toEqual(['RSEED']);
    for (const t of result.tests) {
      expect([t.effect, ...t.ci, t.pValue].every(Number.isFinite)).toBe(true);
    }
  });

  it('does not flag an excellent rep (high rep score and high ltr) or a rep with 9 tens out of 9', async () => {
    const rows = honestRows();
    const rng = createRandom(11);
    for (let k = 0; k < 40; k++) {
      const ltr = Math.min(10, Math.round(9.2 + rng.normal(0, 0.8)));
      rows.push(
        row(
          rows.length,
          'REXCEL',
          'T2',
          'phone',
          k,
          ltr,
          Math.min(10, Math.round(ltr + 0.6 + rng.normal(0, 0.6))),
        ),
      );
    }
    for (let k = 0; k < 9; k++) rows.push(row(rows.length, 'RNINE', 'T1', 'phone', k, k % 2 ? 10 : 9, 10));
    const result = detectRepRelationshipGap(await ledgersOf(rows));
    if (!result.ran) throw new Error(result.reason);
    expect(result.tests.find((t) => t.entity.id === 'REXCEL')!.pValue).toBeGreaterThan(0.05);
    // 9 responses < minResponses 10: listed, not tested
    expect(result.tests.some((t) => t.entity.id === 'RNINE')).toBe(false);
    expect(result.table.find((r) => r.rep === 'RNINE')).toMatchObject({ tested: false, responses: 9 });
    const tested = detectRepRelationshipGap(await ledgersOf(rows), { minResponses: 5 });
    if (!tested.ran) throw new Error(tested.reason);
    expect(tested.tests.find((t) => t.entity.id === 'RNINE')!.pValue).toBeGreaterThan(0.05);
  });

  it('rescales a 1..5 rep score to 0..10', async () => {
    const rows = honestRows().map((r) => ({
      ...r,
      rep_score: String(Math.max(1, Math.ceil(Number(r.rep_score) / 2))),
    }));
    const result = detectRepRelationshipGap(await ledgersOf(rows, { min: 1, max: 5 }));
    if (!result.ran) throw new Error(result.reason);
    const meanGaps = result.table.map((r) => r.meanGap as number);
    expect(Math.max(...meanGaps)).toBeLessThan(10);
    expect(Math.min(...meanGaps)).toBeGreaterThan(-10);
  });

  it('does not run without an ltr column, and validates options', async () => {
    const rows = honestRows(3, 3, 5).map(({ ltr: _ltr, ...rest }) => rest);
    const ledgers = await ledgersOf(rows);
    const result = detectRepRelationshipGap(ledgers);
    expect(result).toEqual({ ran: false, reason: expect.stringContaining('"ltr"') });
    expect(() => detectRepRelationshipGap(ledgers, { minResponses: 0 })).toThrow(/minResponses/);
  });

  it('stays quiet on the null world and flags no clean-excellent or clean-small rep', async () => {
    let flagged = 0;
    let tests = 0;
    for (const seed of [1, 2, 3]) {
      const sim = simulateRows({ scenario: 'null', seed, scale: 0.5 });
      const result = detectRepRelationshipGap(
        await loadLedgers({ surveys: sim.surveys, concessions: sim.concessions }),
      );
      if (!result.ran) throw new Error(result.reason);
      const q = benjaminiHochberg(result.tests.map((t) => t.pValue));
      const ids = result.tests.filter((_, i) => q[i] <= 0.05).map((t) => t.entity.id);
      tests += result.tests.length;
      flagged += ids.length;
      const special = new Set(
        sim.truth.reps
          .filter((r) => r.labels.some((l) => l === 'clean-excellent' || l === 'clean-small'))
          .map((r) => r.id),
      );
      expect(ids.filter((id) => special.has(id))).toEqual([]);
    }
    expect(flagged / tests).toBeLessThanOrEqual(0.05);
  });
});
