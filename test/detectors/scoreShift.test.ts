import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import { detectScoreShift } from '../../src/detectors/scoreShift.js';
import { loadLedgers } from '../../src/ledger/load.js';
import { evaluate, simulateRows } from '../../src/simulate/index.js';
import { benjaminiHochberg, createRandom } from '../../src/stats/index.js';
import { honestRows, ledgersOf, row } from '../helpers/scoreWorld.js';

describe('detectScoreShift', () => {
  it('recovers a known onset date of coaching', async () => {
    const rows = honestRows(3, 20, 80);
    const rng = createRandom(9);
    for (let k = 0; k < 80; k++) {
      const u = rng.normal(0, 1.6);
      const ltr = Math.max(0, Math.min(10, Math.round(7.3 + u + rng.normal(0, 0.8))));
      const honest = Math.max(1, Math.min(10, Math.round(8.6 + 0.8 * u + rng.normal(0, 0.7))));
      // one response a day from 2025-01-01; coaching from day 40 (2025-02-10)
      rows.push(
        row(rows.length, 'RSHIFT', 'T1', 'phone', k, ltr, k >= 40 && rng.uniform() < 0.8 ? 10 : honest),
      );
    }
    const result = detectScoreShift(await ledgersOf(rows));
    if (!result.ran) throw new Error(result.reason);
    const q = benjaminiHochberg(result.tests.map((t) => t.pValue));
    const shift = result.tests.find((t) => t.entity.type === 'rep' && t.entity.id === 'RSHIFT')!;
    expect(q[result.tests.indexOf(shift)]).toBeLessThan(0.05);
    const onset = Date.parse(shift.evidence.onset as string);
    expect(Math.abs(onset - Date.UTC(2025, 1, 10)) / 86_400_000).toBeLessThanOrEqual(7);
    expect(shift.effect).toBeGreaterThan(0);
    expect(shift.ci[0]).toBeGreaterThan(0);
    expect(shift.summary).toMatch(
      /^RSHIFT's top-box rep scores rose from 2025-02-\d\d \(95% interval 2025-0/,
    );
    // the onset's bootstrap interval holds the true onset and the estimate, and is weeks wide, not months
    const [from, to] = (shift.evidence.onsetInterval as string[]).map((d) => Date.parse(d));
    expect(from).toBeLessThanOrEqual(Date.UTC(2025, 1, 10));
    expect(to).toBeGreaterThanOrEqual(Date.UTC(2025, 1, 10));
    expect(from <= onset && onset <= to).toBe(true);
    expect((to - from) / 86_400_000).toBeLessThan(30);
    // no interval where nobody will look (p above 0.05)
    for (const t of result.tests)
      expect(t.pValue <= 0.05 || t.evidence.onsetInterval === undefined).toBe(true);
    expect(
      shift.evidence.lastBefore! <= shift.evidence.onset! &&
        shift.evidence.onset! <= shift.evidence.firstAfter!,
    ).toBe(true);
    const reps = result.tests
      .filter((t, i) => t.entity.type === 'rep' && q[i] <= 0.05)
      .map((t) => t.entity.id);
    expect(reps).toEqual(['RSHIFT']);
    expect(result.tests.some((t) => t.entity.type === 'team')).toBe(true);
    for (const t of result.tests) expect([t.effect, ...t.ci, t.pValue].every(Number.isFinite)).toBe(true);
  });

  it('is deterministic for a seed, and does not run without rep scores', async () => {
    const ledgers = await ledgersOf(honestRows(4, 6, 30));
    const a = detectScoreShift(ledgers, { seed: 7 });
    const b = detectScoreShift(ledgers, { seed: 7 });
    expect(a).toEqual(b);
    const none = await ledgersOf(honestRows(4, 2, 5).map(({ rep_score: _s, ...rest }) => rest));
    expect(detectScoreShift(none).ran).toBe(false);
    expect(() => detectScoreShift(ledgers, { permutations: 10 })).toThrow(/permutations/);
    // no shrinkage toward the parent stratum: a stratum without peers would be 0/0
    expect(() => detectScoreShift(ledgers, { cellPrior: 0 })).toThrow(/cellPrior/);
  });

  it('on the null world flags within the nominal rate', async () => {
    let flagged = 0;
    let tests = 0;
    for (const seed of [1, 2, 3]) {
      const sim = simulateRows({ scenario: 'null', seed, scale: 0.5 });
      const result = detectScoreShift(
        await loadLedgers({ surveys: sim.surveys, concessions: sim.concessions }),
      );
      if (!result.ran) throw new Error(result.reason);
      const q = benjaminiHochberg(result.tests.map((t) => t.pValue));
      tests += result.tests.length;
      flagged += q.filter((x) => x <= 0.05).length;
    }
    expect(flagged / tests).toBeLessThanOrEqual(0.05);
  });

  // Measured: 16 late-onset reps, 13 tested, 2 flagged, onset within 14 d for 4 (7 within 30 d), no false
  // flag. Dating is limited by the data more than by the split: a rep answers every few days to two weeks, so
  // 14 d is a few responses. Issue #5, on carrier and b2b seeds 1-12 (54 tested late reps of strength >= 0.4):
  // this split on the top-box excess (without the month adjustment) dates 24 within 14 d; the maximum-
  // likelihood onset under the coaching model (a share s of answers forced to the top from the onset, the
  // rep's own logit offset throughout) 25. On seeds 1-5, weighting the excess by 1/√(p(1 − p)) or 1/p dated 7
  // and 6 of 25 planted reps within 14 d (unweighted: 9) and flagged no more, so the series stays unweighted.
  it('dates late-starting coaching on carrier and b2b (scale 1)', async () => {
    const DAY = 86_400_000;
    const worlds = [
      ...[1, 2, 3].map((seed) => ({ scenario: 'carrier' as const, seed })),
      ...[1, 2, 3, 4].map((seed) => ({ scenario: 'b2b' as const, seed })),
    ];
    const tally = {
      late: 0,
      tested: 0,
      flagged: 0,
      flaggedWithin: 0,
      within: 0,
      within30: 0,
      falseFlags: 0,
      flags: 0,
      withInterval: 0,
      covered: 0,
    };
    const lines: string[] = [];
    for (const world of worlds) {
      const sim = simulateRows({ ...world, scale: 1 });
      const ledgers = await loadLedgers({ surveys: sim.surveys, concessions: sim.concessions });
      const result = analyze(ledgers, { detectors: ['score-shift'], includeAll: true });
      const ev = evaluate(result, sim.truth);
      tally.flags += ev.fdp.flagged;
      tally.falseFlags += ev.fdp.false;
      for (const rep of sim.truth.reps) {
        if (!rep.labels.includes('coaching') || !rep.onset) continue;
        tally.late++;
        const f = result.findings.find((x) => x.entity.type === 'rep' && x.entity.id === rep.id);
        if (!f) {
          lines.push(`${world.scenario} ${world.seed} ${rep.id}: not tested (too few responses)`);
          continue;
        }
        tally.tested++;
        const days = Math.abs(Date.parse(f.evidence.onset as string) - Date.parse(rep.onset)) / DAY;
        const flagged = f.qValue <= 0.05;
        if (flagged) tally.flagged++;
        if (days <= 14) tally.within++;
        if (days <= 30) tally.within30++;
        if (flagged && days <= 14) tally.flaggedWithin++;
        const interval = f.evidence.onsetInterval as string[] | undefined;
        if (interval) {
          tally.withInterval++;
          if (interval[0] <= rep.onset && rep.onset <= interval[1]) tally.covered++;
        }
        lines.push(
          `${world.scenario} ${world.seed} ${rep.id}: onset ${rep.onset}, estimated ${f.evidence.onset} (${days} d), q ${f.qValue.toPrecision(2)}, ${f.evidence.responses} responses`,
        );
      }
    }
    console.log(
      [
        'score-shift on late-onset coaching, carrier seeds 1-3 and b2b seeds 1-4, scale 1:',
        ...lines,
        `late-onset coaching reps ${tally.late}, tested ${tally.tested}, flagged (q<=0.05) ${tally.flagged}, flagged with onset within 14 d ${tally.flaggedWithin}; onset within 14 d (flagged or not) ${tally.within}, within 30 d ${tally.within30}; score-shift flags ${tally.flags}, false ${tally.falseFlags}; the onset's 95% interval (p <= 0.05) holds the true onset for ${tally.covered} of ${tally.withInterval}`,
      ].join('\n'),
    );
    expect(tally.late).toBeGreaterThanOrEqual(12);
    expect(tally.flagged).toBeGreaterThanOrEqual(2);
    expect(tally.flaggedWithin).toBeGreaterThanOrEqual(1);
    expect(tally.within).toBeGreaterThanOrEqual(4);
    expect(tally.falseFlags).toBeLessThanOrEqual(Math.max(1, 0.2 * tally.flags));
    // the bootstrap interval under-covers somewhat, as residual bootstraps of a change point do with
    // moderate shifts (carrier and b2b seeds 1-6: 18 of 21); a broken one (e.g. the point alone) covers few
    expect(tally.withInterval).toBeGreaterThanOrEqual(5);
    expect(tally.covered / tally.withInterval).toBeGreaterThanOrEqual(0.7);
  }, 180_000); // ~12 s alone; seven simulated worlds can take over 30 s on a busy machine
});
