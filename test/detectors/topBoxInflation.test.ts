import { describe, expect, it } from 'vitest';
import { detectRepRelationshipGap } from '../../src/detectors/repRelationshipGap.js';
import { detectTopBoxInflation } from '../../src/detectors/topBoxInflation.js';
import { loadLedgers } from '../../src/ledger/load.js';
import { simulateRows } from '../../src/simulate/index.js';
import { benjaminiHochberg, createRandom } from '../../src/stats/index.js';
import { honestRows, ledgersOf, row } from '../helpers/scoreWorld.js';

interface CoachingRecall {
  /** planted coaching reps of strength >= 0.4 that top-box-inflation tested (>= 10 scored responses) */
  whole: { planted: number; found: number };
  late: { planted: number; found: number };
  /** late-onset reps whose test on their post-onset responses alone (onset known) has p < 1e-4, and how many were found */
  informative: { planted: number; found: number };
  /** the same reps (whole-period and late-onset) by how many responses their coaching set to the top (truth's `coachedResponses`) */
  byCoached: Record<CoachedBin, { planted: number; found: number }>;
  flags: number;
  falseFlags: number;
  lines: string[];
}

/** Bins of truth's `coachedResponses`, set before measuring. */
const COACHED_BINS = ['0-9', '10-19', '20+'] as const;
type CoachedBin = (typeof COACHED_BINS)[number];
const coachedBin = (n: number): CoachedBin => (n <= 9 ? '0-9' : n <= 19 ? '10-19' : '20+');
const emptyBins = () =>
  Object.fromEntries(COACHED_BINS.map((b) => [b, { planted: 0, found: 0 }])) as CoachingRecall['byCoached'];

/**
 * Coaching reps (strength >= 0.4, tested) flagged by the union of top-box-inflation and rep-relationship-gap
 * (one BH over both), whole-period and late-onset apart, and false discoveries. For the late-onset reps the
 * detector is also run on a ledger without their pre-onset responses: the p-value it would reach if the onset
 * were known and nothing had to be paid for searching it, an upper bound on what a scan over onsets can do.
 */
async function measure(scenario: 'carrier' | 'b2b' | 'subtle', seed: number): Promise<CoachingRecall> {
  const sim = simulateRows({ scenario, seed, scale: 1 });
  const ledgers = await loadLedgers({ surveys: sim.surveys, concessions: sim.concessions });
  const top = detectTopBoxInflation(ledgers);
  const results = [top, detectRepRelationshipGap(ledgers)];
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
  const tested = new Set(top.ran ? top.tests.map((t) => t.entity.id) : []);
  const coached = sim.truth.reps.filter(
    (r) => r.labels.includes('coaching') && (r.strength?.coaching ?? 0) >= 0.4 && tested.has(r.id),
  );
  const onsets = new Map(coached.filter((r) => r.onset).map((r) => [r.id, Date.parse(r.onset!)]));
  const known = detectTopBoxInflation(
    await loadLedgers({
      surveys: sim.surveys.filter((row) => {
        const onset = onsets.get(row.rep_id as string);
        return onset === undefined || Date.parse(row.sent_at as string) >= onset;
      }),
      concessions: sim.concessions,
    }),
  );
  const knownP = new Map(known.ran ? known.tests.map((t) => [t.entity.id, t.pValue]) : []);
  const out: CoachingRecall = {
    whole: { planted: 0, found: 0 },
    late: { planted: 0, found: 0 },
    informative: { planted: 0, found: 0 },
    byCoached: emptyBins(),
    flags: flagged.length,
    falseFlags: flagged.filter((f) => !accepted(f.entity.id) && !inflating(f.entity.id)).length,
    lines: [],
  };
  for (const r of coached) {
    const found = flagged.some((f) => f.entity.id === r.id);
    const kind = r.onset ? out.late : out.whole;
    kind.planted++;
    if (found) kind.found++;
    const bin = out.byCoached[coachedBin(r.coachedResponses ?? 0)];
    bin.planted++;
    if (found) bin.found++;
    if (!r.onset) continue;
    const p = knownP.get(r.id) ?? 1;
    if (p < 1e-4) {
      out.informative.planted++;
      if (found) out.informative.found++;
    }
    out.lines.push(
      `  ${r.id} strength ${r.strength?.coaching} onset ${r.onset}: p ${p.toExponential(1)} on the post-onset responses alone, ${found ? 'found' : 'missed'}`,
    );
  }
  return out;
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

  // Measured (carrier seeds 1-2, b2b seeds 1-2, subtle seed 1, scale 1): whole-period 10/12, late-onset 4/10,
  // 18 flags, none false. Late onset is the hard part: from an onset 30-70% into the year a rep has 10-35
  // coached responses. Every late rep whose post-onset responses alone (onset known, nothing paid for
  // searching it) give p < 1e-4 is found (4/4); for the 6 missed ones that oracle p is 4.7e-4 (R0112 of
  // carrier 2) .. 0.12, while the Benjamini-Hochberg cut for one more flag, 0.05·(flags + 1) / tests, is
  // 8e-4 .. 1.2e-3 in the worlds with misses: only R0112 is under it, and only before paying for the search
  // over onsets (the scans below gave it 7e-4 .. 4e-3). Issue #5: a weighted-Bonferroni test of the last
  // 2/3, 1/2 and 1/3 of each rep's responses, and a Monte Carlo test of the best suffix, were measured on
  // carrier and b2b seeds 1-5 (40 + 15 planted reps >= 0.4) and left recall unchanged (27/40, 10/15), so
  // neither is used.
  // By what the ledgers hold (truth's coachedResponses, bins set before measuring): 0-9 coached responses
  // 1/4 found, 10-19 3/7, 20+ 10/11. With every detector (score-shift too) on carrier and b2b seeds 1-6:
  // 0/11, 10/17 and 34/38 (1/11 before the tail fix below); 11 of those 66 reps of strength >= 0.4 had
  // fewer than 10 coached responses.
  // Since the p-value integrates the honest spread's far tail (2026-12-06, see the detector's doc) the
  // oracle p-values above grew (R0112 of carrier 2: 5.4e-4, R0123 of carrier 1: 1.3e-4, found anyway) and
  // 2 late reps reach p < 1e-4 (both found, was 4/4); found and flagged as before but one flag fewer (17).
  it('with rep-relationship-gap, finds the planted coaching reps the data can reveal on carrier, b2b and subtle', async () => {
    const total = {
      whole: { planted: 0, found: 0 },
      late: { planted: 0, found: 0 },
      informative: { planted: 0, found: 0 },
      byCoached: emptyBins(),
      flags: 0,
      falseFlags: 0,
    };
    const lines: string[] = [];
    for (const [scenario, seed] of [
      ['carrier', 1],
      ['carrier', 2],
      ['b2b', 1],
      ['b2b', 2],
      ['subtle', 1],
    ] as const) {
      const m = await measure(scenario, seed);
      lines.push(
        `${scenario} ${seed}: whole-period ${m.whole.found}/${m.whole.planted}, late-onset ${m.late.found}/${m.late.planted}, flags ${m.flags} (false ${m.falseFlags})`,
        ...m.lines,
      );
      for (const k of ['whole', 'late', 'informative'] as const) {
        total[k].planted += m[k].planted;
        total[k].found += m[k].found;
      }
      for (const b of COACHED_BINS) {
        total.byCoached[b].planted += m.byCoached[b].planted;
        total.byCoached[b].found += m.byCoached[b].found;
      }
      total.flags += m.flags;
      total.falseFlags += m.falseFlags;
    }
    console.log([...lines, JSON.stringify(total)].join('\n'));
    expect(total.whole.planted).toBeGreaterThanOrEqual(8);
    expect(total.whole.found / total.whole.planted).toBeGreaterThanOrEqual(0.7);
    expect(total.late.planted).toBeGreaterThanOrEqual(5);
    expect(total.late.found).toBeGreaterThanOrEqual(3);
    expect(total.informative.planted).toBeGreaterThanOrEqual(2);
    expect(total.informative.found).toBe(total.informative.planted);
    expect(total.falseFlags / Math.max(1, total.flags)).toBeLessThanOrEqual(0.05);
    // the more responses the coaching changed, the more often it is found
    const rate = (b: CoachedBin) => total.byCoached[b].found / Math.max(1, total.byCoached[b].planted);
    expect(total.byCoached['20+'].planted).toBeGreaterThanOrEqual(8);
    expect(rate('20+')).toBeGreaterThanOrEqual(0.8);
    expect(rate('20+')).toBeGreaterThan(rate('10-19'));
    expect(rate('10-19')).toBeGreaterThanOrEqual(rate('0-9'));
  }, 120_000);
});
