import { describe, expect, it } from 'vitest';
import { detectRepRelationshipGap } from '../../src/detectors/repRelationshipGap.js';
import { detectTopBoxInflation } from '../../src/detectors/topBoxInflation.js';
import { loadLedgers } from '../../src/ledger/load.js';
import { simulateRows } from '../../src/simulate/index.js';
import { benjaminiHochberg, createRandom } from '../../src/stats/index.js';
import { honestRows, ledgersOf, row } from '../helpers/scoreWorld.js';

/** Recall of planted coaching reps (strength >= 0.4, whole period) by the union of gap and top-box, and false discoveries. */
async function measure(scenario: 'carrier' | 'b2b' | 'subtle', seed: number, scale: number) {
  const sim = simulateRows({ scenario, seed, scale });
  const ledgers = await loadLedgers({ surveys: sim.surveys, concessions: sim.concessions });
  const results = [detectTopBoxInflation(ledgers), detectRepRelationshipGap(ledgers)];
  const tests = results.flatMap((r) => (r.ran ? r.tests : []));
  const q = benjaminiHochberg(tests.map((t) => t.pValue));
  const flagged = tests.filter((_, i) => q[i] <= 0.05);
  const truth = new Map(sim.truth.reps.map((r) => [r.id, r]));
  const accepted = (id: string) =>
    (truth.get(id)?.labels ?? []).some(
      (l) => l === 'coaching' || l === 'fabrication' || l === 'ignored-detractors',
    );
  const inflating = (id: string) =>
    (truth.get(id)?.labels ?? []).some((l) => l.startsWith('concession-buying'));
  const coached = sim.truth.reps.filter(
    (r) => r.labels.includes('coaching') && !r.onset && (r.strength?.coaching ?? 0) >= 0.4,
  );
  return {
    planted: coached.length,
    found: coached.filter((r) => flagged.some((f) => f.entity.id === r.id)).length,
    flags: flagged.length,
    falseFlags: flagged.filter((f) => !accepted(f.entity.id) && !inflating(f.entity.id)).length,
    concessionBuyingFlags: flagged.filter((f) => inflating(f.entity.id)).length,
  };
}

describe('detectTopBoxInflation', () => {
  it('finds a coached rep: tens from detractors, a missing middle', async () => {
    const rows = honestRows();
    const rng = createRandom(5);
    for (let k = 0; k < 40; k++) {
      const u = rng.normal(0, 1.6);
      const ltr = Math.max(0, Math.min(10, Math.round(7.3 + u + rng.normal(0, 0.8))));
      const honest = Math.max(1, Math.min(10, Math.round(8.6 + 0.8 * u + rng.normal(0, 0.7))));
      rows.push(row(rows.length, 'RCOACH', 'T1', 'phone', k, ltr, rng.uniform() < 0.6 ? 10 : honest));
    }
    const result = detectTopBoxInflation(await ledgersOf(rows));
    if (!result.ran) throw new Error(result.reason);
    const q = benjaminiHochberg(result.tests.map((t) => t.pValue));
    const coach = result.tests.find((t) => t.entity.id === 'RCOACH')!;
    expect(q[result.tests.indexOf(coach)]).toBeLessThan(0.05);
    expect(coach.effect).toBeGreaterThan(0.2);
    const middle = coach.evidence.missingMiddle as { observed: number; expected: number };
    expect(middle.observed).toBeLessThan(middle.expected);
    expect(coach.summary).toMatch(
      /^RCOACH received the top rep score \(10\) on \d+% of 40 responses vs \d+% expected/,
    );
    expect(result.tests.filter((_, i) => q[i] <= 0.05).map((t) => t.entity.id)).toEqual(['RCOACH']);
  });

  it('does not flag 9 tens out of 9 from happy customers, nor an excellent rep', async () => {
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
          Math.min(10, Math.round(ltr + 0.2 + rng.normal(0, 0.7))),
        ),
      );
    }
    for (let k = 0; k < 9; k++) rows.push(row(rows.length, 'RNINE', 'T1', 'phone', k, k % 2 ? 10 : 9, 10));
    const result = detectTopBoxInflation(await ledgersOf(rows), { minResponses: 5 });
    if (!result.ran) throw new Error(result.reason);
    const q = benjaminiHochberg(result.tests.map((t) => t.pValue));
    for (const id of ['RNINE', 'REXCEL']) {
      const t = result.tests.find((x) => x.entity.id === id)!;
      expect(q[result.tests.indexOf(t)]).toBeGreaterThan(0.05);
      expect(t.pValue).toBeGreaterThan(0.01);
    }
    for (const t of result.tests) expect([t.effect, ...t.ci, t.pValue].every(Number.isFinite)).toBe(true);
  });

  it('does not run without a rep_score column', async () => {
    const rows = honestRows(3, 3, 5).map(({ rep_score: _s, ...rest }) => rest);
    expect(detectTopBoxInflation(await ledgersOf(rows)).ran).toBe(false);
  });

  it('on the null world flags few reps and no clean-small rep', async () => {
    let flagged = 0;
    let tests = 0;
    for (const seed of [1, 2, 3]) {
      const sim = simulateRows({ scenario: 'null', seed, scale: 0.5 });
      const result = detectTopBoxInflation(
        await loadLedgers({ surveys: sim.surveys, concessions: sim.concessions }),
      );
      if (!result.ran) throw new Error(result.reason);
      const q = benjaminiHochberg(result.tests.map((t) => t.pValue));
      const ids = result.tests.filter((_, i) => q[i] <= 0.05).map((t) => t.entity.id);
      tests += result.tests.length;
      flagged += ids.length;
      const special = new Set(
        sim.truth.reps.filter((r) => r.labels.includes('clean-small')).map((r) => r.id),
      );
      expect(ids.filter((id) => special.has(id))).toEqual([]);
    }
    expect(flagged / tests).toBeLessThanOrEqual(0.05);
  });

  // The simulator's clean-excellent reps score higher *given ltr* too (ltr is a noisy measure of the
  // customer's state); R0032 of null seed 2 (scale 0.5) used to exceed the estimated rep spread. The test
  // now predicts each rep's top-box shift from its scores below the top and its customers' ltr.
  it('flags no clean-excellent rep on null seed 2', async () => {
    const sim = simulateRows({ scenario: 'null', seed: 2, scale: 0.5 });
    const result = detectTopBoxInflation(
      await loadLedgers({ surveys: sim.surveys, concessions: sim.concessions }),
    );
    if (!result.ran) throw new Error(result.reason);
    const q = benjaminiHochberg(result.tests.map((t) => t.pValue));
    const excellent = new Set(
      sim.truth.reps.filter((r) => r.labels.includes('clean-excellent')).map((r) => r.id),
    );
    expect(result.tests.filter((t, i) => q[i] <= 0.05 && excellent.has(t.entity.id))).toEqual([]);
  });

  it('with rep-relationship-gap, finds most planted whole-period coaching reps on carrier, b2b and subtle', async () => {
    const rows: string[] = [];
    let planted = 0;
    let found = 0;
    let flags = 0;
    let falseFlags = 0;
    for (const [scenario, seed, scale] of [
      ['carrier', 1, 1],
      ['b2b', 1, 1],
      ['b2b', 2, 1],
      ['subtle', 1, 1],
    ] as const) {
      const m = await measure(scenario, seed, scale);
      rows.push(`${scenario} ${seed}: ${JSON.stringify(m)}`);
      planted += m.planted;
      found += m.found;
      flags += m.flags;
      falseFlags += m.falseFlags;
    }
    console.log(rows.join('\n'));
    expect(found / planted).toBeGreaterThanOrEqual(0.7);
    expect(falseFlags / Math.max(1, flags)).toBeLessThanOrEqual(0.05);
  }, 120_000);
});
