import { describe, expect, it } from 'vitest';
import { loadLedgers } from '../../src/ledger/load.js';
import { power, shapeOf } from '../../src/simulate/power.js';
import { simulateRows } from '../../src/simulate/simulate.js';

const demo = new URL('../../datasets/demo/', import.meta.url).pathname;

describe('power', () => {
  it('measures recall per label and strength, and reads the smallest detectable strength off it', async () => {
    const progress: number[] = [];
    const result = await power({
      scenario: 'demo',
      strengths: [0.9, 0.15],
      seeds: 1,
      labels: ['concession-buying-before', 'suppression', 'extracting-account'],
      onProgress: (done) => progress.push(done),
    });
    expect(progress).toEqual([1, 2]);
    expect(result.rows.map((r) => [r.label, r.strength])).toEqual([
      ['concession-buying-before', 0.15],
      ['suppression', 0.15],
      ['extracting-account', 0.15],
      ['concession-buying-before', 0.9],
      ['suppression', 0.9],
      ['extracting-account', 0.9],
    ]);
    for (const r of result.rows) {
      expect(r.planted).toBeGreaterThan(0);
      expect(r.recall).toBe(r.found / r.planted);
    }
    // stronger gaming is found at least as often, summed over the labels
    const found = (s: number) => result.rows.filter((r) => r.strength === s).reduce((a, r) => a + r.found, 0);
    expect(found(0.9)).toBeGreaterThan(found(0.15));
    for (const [label, min] of Object.entries(result.minimumStrength)) {
      const first = result.rows.find((r) => r.label === label && r.recall >= 0.8);
      expect(min).toBe(first?.strength ?? null);
    }
  }, 60_000);

  it('rejects strengths outside (0, 1]', async () => {
    await expect(power({ strengths: [0, 0.5] })).rejects.toThrow('strengths must be numbers in (0, 1]');
  });
});

describe('shapeOf', () => {
  it("reads the demo's volumes, and a world simulated with them has similar volumes", async () => {
    const ledgers = await loadLedgers({
      surveys: `${demo}surveys.csv`,
      concessions: `${demo}concessions.csv`,
      interactions: `${demo}interactions.csv`,
    });
    const shape = shapeOf(ledgers);
    expect(shape.agents).toBe(40);
    expect(shape.customers).toBeGreaterThan(600);
    expect(shape.customers).toBeLessThanOrEqual(700);
    expect(shape.responseRate).toBeCloseTo(ledgers.quality.surveys.accepted ? 2427 / 5939 : 0, 2);
    // Same scenario structure (billing, outages, relationship cycles), volumes read back from the data:
    // a world shaped like the demo has about the demo's volumes.
    const copy = simulateRows({ scenario: 'demo', seed: 3, shape, strength: {} });
    const ratio = copy.counts.surveys / ledgers.surveys.length;
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.25);
  });
});
