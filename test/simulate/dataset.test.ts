import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate/index.js';

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
