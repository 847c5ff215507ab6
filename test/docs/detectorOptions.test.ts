import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { DETECTORS } from '../../src/detectors/registry.js';
import { CHILD_TIMEOUT_MS } from '../helpers/cli.js';

const script = new URL('../../scripts/detector-options.mjs', import.meta.url).pathname;

it('docs/detector-options.md lists every option of every detector, as the source documents it', () => {
  const run = spawnSync(process.execPath, [script, '--check'], {
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const page = readFileSync(new URL('../../docs/detector-options.md', import.meta.url), 'utf8');
  expect(page.match(/^## `/gm)).toHaveLength(9);
  expect(page).toContain('| `hostageDays` | `number` |');
});

it("every detector's registration declares exactly the options its interface documents", async () => {
  // @ts-expect-error: a plain .mjs script without types
  const { detectorOptionNames } = await import('../../scripts/detector-options.mjs');
  const documented = detectorOptionNames() as Record<string, string[]>;
  const declared = Object.fromEntries(
    Object.values(DETECTORS).map((d) => [d.id, ['seed', ...d.options].sort()]),
  );
  const fromInterfaces = Object.fromEntries(
    Object.entries(documented).map(([id, names]) => [id, [...new Set(['seed', ...names])].sort()]),
  );
  expect(declared).toEqual(fromInterfaces);
});
