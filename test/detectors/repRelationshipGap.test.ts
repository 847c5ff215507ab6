import { describe, expect, it } from 'vitest';
import { detectRepRelationshipGap } from '../../src/detectors/repRelationshipGap.js';
import { loadLedgers } from '../../src/ledger/load.js';
import { simulateRows } from '../../src/simulate/index.js';
import { benjaminiHochberg, createRandom } from '../../src/stats/index.js';

type Row = Record<string, string>;

/** 30 honest reps (2 teams, phone/email), 40 responses each: rep score ≈ ltr + 1.2, clamped. */
function honestRows(seed = 3, reps = 30, perRep = 40): Row[] {
  const rng = createRandom(seed);
  const rows: Row[] = [];
  for (let r = 0; r < reps; r++) {
    const quality = rng.normal(0, 0.3);
    for (let k = 0; k < perRep; k++) {
      const u = rng.normal(0, 1.6);
      const ltr = Math.max(0, Math.min(10, Math.round(7.3 + u + rng.normal(0, 0.8))));
      const score = Math.max(1, Math.min(10, Math.round(8.6 + 0.8 * u + quality + rng.normal(0, 0.7))));
      rows.push(
        row(
          rows.length,
          `R${String(r).padStart(3, '0')}`,
          r % 2 ? 'T1' : 'T2',
          r % 3 ? 'phone' : 'email',
          k,
          ltr,
          score,
        ),
      );
    }
  }
  return rows;
}

function row(
  i: number,
  rep: string,
  team: string,
  channel: string,
  day: number,
  ltr: number,
  score: number,
): Row {
  const sent = new Date(Date.UTC(2025, 0, 1) + day * 86_400_000 + (i % 600) * 60_000);
  return {
    survey_id: `S${i}`,
    customer_id: `C${i}`,
    rep_id: rep,
    team,
    channel,
    sent_at: sent.toISOString(),
    responded_at: new Date(sent.getTime() + 3_600_000).toISOString(),
    ltr: String(ltr),
    rep_score: String(score),
  };
}

async function ledgersOf(rows: Row[], scale?: { min: number; max: number }) {
  return loadLedgers({ surveys: rows, concessions: [] }, scale ? { repScoreScale: scale } : {});
}

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
