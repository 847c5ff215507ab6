import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const script = new URL('../../scripts/detector-options.mjs', import.meta.url).pathname;

it('docs/detector-options.md lists every option of every detector, as the source documents it', () => {
  const run = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const page = readFileSync(new URL('../../docs/detector-options.md', import.meta.url), 'utf8');
  expect(page.match(/^## `/gm)).toHaveLength(9);
  expect(page).toContain('| `hostageDays` | `number` |');
});
