import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, toDocument } from '../../src/analyze.js';
import { loadLedgers } from '../../src/ledger/load.js';
import { simulate, simulateRows } from '../../src/simulate/simulate.js';
import { runCli } from '../helpers/cli.js';
import { comparable, tempDir } from './helpers.js';

/**
 * Determinism: the same input and options give the same findings document,
 * byte for byte apart from `run.generatedAt`: in one process, across
 * processes (the CLI twice), with every permutation test seeded; findings
 * are ranked by q, then p, then detector, entity type and id, so ties never
 * depend on input order.
 */

const world = simulateRows({ scenario: 'demo', seed: 4, scale: 0.2 });
const inputs = { surveys: world.surveys, concessions: world.concessions, interactions: world.interactions };

describe('determinism', () => {
  it('same input, same options → identical JSON apart from generatedAt (tables too)', async () => {
    const a = analyze(await loadLedgers(inputs), { includeAll: true, seed: 17 });
    const b = analyze(await loadLedgers(inputs), { includeAll: true, seed: 17 });
    expect(JSON.stringify(comparable(toDocument(a)))).toBe(JSON.stringify(comparable(toDocument(b))));
    expect(JSON.stringify(a.tables)).toBe(JSON.stringify(b.tables));
  });

  it('the permutation seed is the only source of randomness: another seed moves only permutation p-values', async () => {
    const ledgers = await loadLedgers(inputs);
    const a = analyze(ledgers, { includeAll: true, seed: 1 });
    const b = analyze(ledgers, { includeAll: true, seed: 2 });
    const pOf = (r: typeof a, d: string) =>
      JSON.stringify(
        r.findings
          .filter((f) => f.detector === d)
          .map((f) => [f.entity.id, f.pValue])
          .sort(),
      );
    // closed-form detectors do not depend on the seed at all
    for (const d of [
      'rep-relationship-gap',
      'top-box-inflation',
      'detractor-follow-up',
      'concession-during-survey',
    ]) {
      expect(pOf(b, d), d).toBe(pOf(a, d));
    }
  });

  it('ranking: q, then p, then detector, entity type, id — ties included', async () => {
    const { findings } = analyze(await loadLedgers(inputs), { includeAll: true });
    let ties = 0;
    for (let i = 1; i < findings.length; i++) {
      const [x, y] = [findings[i - 1], findings[i]];
      expect(x.qValue <= y.qValue, `q order at ${i}`).toBe(true);
      if (x.qValue !== y.qValue) continue;
      expect(x.pValue <= y.pValue, `p order at ${i}`).toBe(true);
      if (x.pValue !== y.pValue) continue;
      ties++;
      const kx = [x.detector, x.entity.type, x.entity.id];
      const ky = [y.detector, y.entity.type, y.entity.id];
      const c = kx.map((v, j) => v.localeCompare(ky[j])).find((v) => v !== 0) ?? 0;
      expect(c, `tie order at ${i}: ${kx} vs ${ky}`).toBeLessThan(0);
    }
    expect(ties, 'the world has tied p-values (p = 1) to order').toBeGreaterThan(10);
  });

  it('the CLI twice on the same files writes the same findings file apart from generatedAt', async () => {
    const dir = tempDir();
    await simulate({ scenario: 'demo', seed: 4, scale: 0.2, outDir: dir });
    const docs = [1, 2].map((k) => {
      const out = join(dir, `findings-${k}.json`);
      const r = runCli([
        'detect',
        '--surveys',
        join(dir, 'surveys.csv'),
        '--concessions',
        join(dir, 'concessions.csv'),
        '--interactions',
        join(dir, 'interactions.csv'),
        '--json',
        out,
        '--all',
        '--seed',
        '3',
      ]);
      expect(r.status, r.stderr).toBe(0);
      return JSON.parse(readFileSync(out, 'utf8'));
    });
    expect(JSON.stringify(comparable(docs[0]))).toBe(JSON.stringify(comparable(docs[1])));
  });
});
