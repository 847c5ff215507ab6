import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type LabelStatistics, labelStatistics, simulate, simulateRows } from '../../src/simulate/index.js';

const DEMO = join(import.meta.dirname, '..', '..', 'datasets', 'demo');
const FILES = ['surveys.csv', 'concessions.csv', 'interactions.csv', 'truth.json'];

describe('datasets/demo', () => {
  it('equals what `simulate --scenario demo --seed 1` regenerates (the committed files cannot drift)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-demo-'));
    try {
      const summary = await simulate({ scenario: 'demo', seed: 1, outDir: dir });
      expect(summary.counts.surveys).toBeGreaterThan(3000);
      for (const file of FILES) {
        const committed = await readFile(join(DEMO, file));
        const regenerated = await readFile(join(dir, file));
        expect(regenerated.equals(committed), `${file} differs from the regenerated demo`).toBe(true);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stays small (< 5 MB)', async () => {
    let total = 0;
    for (const file of FILES) total += (await readFile(join(DEMO, file))).length;
    expect(total).toBeLessThan(5 * 1024 * 1024);
  });
});

describe('datasets/README.md', () => {
  it('documents the demo as it is generated (counts and the per-label table)', async () => {
    const readme = await readFile(join(DEMO, '..', 'README.md'), 'utf8');
    const rows = simulateRows({ scenario: 'demo', seed: 1 });
    const n = (x: number) => x.toLocaleString('en-US');
    expect(readme).toContain(
      `${rows.counts.reps} reps, ${n(rows.counts.customers)} customers, ${n(rows.counts.surveys)} invitations ` +
        `(${n(rows.counts.responses)} responses), ${n(rows.counts.concessions)} concessions, ` +
        `${n(rows.counts.interactions)} interactions`,
    );
    const stats = labelStatistics(rows, rows.truth);
    const f = (x: number) => x.toFixed(2);
    const cells = (s: LabelStatistics) => [
      s.reps,
      s.invitations,
      f(s.responseRate),
      f(s.meanRepScore),
      f(s.meanLtr),
      f(s.gap),
      f(s.topBox),
      f(s.concessionBefore),
      f(s.concessionDuring),
      f(s.fastResponses),
      f(s.sharedDevice),
      f(s.followUp24h),
      f(s.inviteAfterFailure),
      f(s.inviteAfterSuccess),
    ];
    for (const [label, s] of Object.entries(stats)) {
      expect(readme).toContain(`| \`${label}\` | ${cells(s).join(' | ')} |`);
    }
  });
});
