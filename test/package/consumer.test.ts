import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHILD_TIMEOUT_MS } from '../helpers/cli.js';

const root = new URL('../..', import.meta.url).pathname;
const fixture = (name: string) => join(root, 'test/fixtures/ledger', name);

/**
 * Pack the tarball as npm would publish it (from the dist/ that the test
 * script built: `--ignore-scripts`, because the `prepare` rebuild would wipe
 * dist/ under the CLI tests running in parallel), install it into an empty
 * project from the registry (its dependencies come from npm like a user's),
 * and use it from ESM, CJS and the `nps-gaming` binary.
 */
describe('the packed package, installed in an empty project', () => {
  let project: string;

  beforeAll(() => {
    const packDir = mkdtempSync(join(tmpdir(), 'nps-gaming-pack-'));
    execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', packDir], {
      cwd: root,
      stdio: 'pipe',
      timeout: CHILD_TIMEOUT_MS,
    });
    const tarball = join(packDir, readdirSync(packDir).find((f) => f.endsWith('.tgz')) ?? '');
    project = mkdtempSync(join(tmpdir(), 'nps-gaming-consumer-'));
    // The same override the project needs (TOOLCHAIN.md): overrides do not reach consumers, so the README tells them.
    const manifest = {
      name: 'consumer',
      version: '1.0.0',
      private: true,
      overrides: { '@uwdata/flechette': '2.6.0' },
    };
    writeFileSync(join(project, 'package.json'), JSON.stringify(manifest));
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball], {
      cwd: project,
      stdio: 'pipe',
      // under the hook's 300 s: a stalled registry fetch fails the hook instead of hanging the suite
      timeout: 280_000,
    });
  }, 300_000);

  it('ships only dist (with the schema and the demo data)', () => {
    const files = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
      timeout: CHILD_TIMEOUT_MS,
    });
    const paths = (JSON.parse(files)[0].files as { path: string }[]).map((f) => f.path);
    expect(
      paths.filter((p) => !['package.json', 'README.md', 'LICENSE'].includes(p) && !p.startsWith('dist/')),
    ).toEqual([]);
    expect(paths).toContain('dist/findings.schema.json');
    expect(paths).toContain('dist/demo/surveys.csv');
  });

  it('imports from ESM, with the findings schema subpath', () => {
    const script = `
      import { loadSurveys, DETECTOR_IDS } from 'nps-gaming';
      import schema from 'nps-gaming/findings.schema.json' with { type: 'json' };
      const { quality } = await loadSurveys(${JSON.stringify(fixture('surveys.csv'))});
      console.log(JSON.stringify({ accepted: quality.accepted, detectors: DETECTOR_IDS.length, schema: schema.title }));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: project,
      encoding: 'utf8',
      timeout: CHILD_TIMEOUT_MS,
    });
    expect(JSON.parse(out)).toEqual({
      accepted: 4,
      detectors: 9,
      schema: 'nps-gaming findings document, version 1',
    });
  });

  it('requires from CJS', () => {
    const script = `
      const { loadSurveys } = require('nps-gaming');
      loadSurveys(${JSON.stringify(fixture('surveys.csv'))}).then(({ quality }) => console.log(quality.accepted));`;
    const out = execFileSync(process.execPath, ['-e', script], {
      cwd: project,
      encoding: 'utf8',
      timeout: CHILD_TIMEOUT_MS,
    });
    expect(out.trim()).toBe('4');
  });

  it('runs the nps-gaming binary, on the bundled demo data by default', () => {
    const bin = join(project, 'node_modules/.bin/nps-gaming');
    const validate = spawnSync(bin, ['validate'], {
      cwd: project,
      encoding: 'utf8',
      timeout: CHILD_TIMEOUT_MS,
    });
    expect(validate.stderr).toBe('');
    expect(validate.status).toBe(0);
    expect(validate.stdout).toMatch(/surveys\.csv: \d+ rows, \d+ accepted/);
  });

  it('detect --engine duckdb says how to install @duckdb/node-api when it is missing (exit 2)', () => {
    const bin = join(project, 'node_modules/.bin/nps-gaming');
    const run = spawnSync(bin, ['detect', '--engine', 'duckdb'], {
      cwd: project,
      encoding: 'utf8',
      timeout: CHILD_TIMEOUT_MS,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('needs the optional package "@duckdb/node-api", which is not installed');
  });

  it('nps-gaming/danfo says how to install danfojs-node when it is missing', () => {
    const script = `
      import { toDanfo } from 'nps-gaming/danfo';
      try { await toDanfo([{ a: 1 }]); console.log('loaded'); } catch (e) { console.log(e.name + ': ' + e.message); }`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: project,
      encoding: 'utf8',
      timeout: CHILD_TIMEOUT_MS,
    });
    expect(out.trim()).toBe(
      'MissingPeerError: nps-gaming/danfo needs the optional package "danfojs-node", which is not installed; run: npm install danfojs-node',
    );
  });
});
