import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerSimulate } from '../../src/cli/commands/simulate.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sim-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  process.exitCode = undefined;
  vi.restoreAllMocks();
});

async function run(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const program = new Command('nps-gaming').exitOverride();
  registerSimulate(program);
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  vi.spyOn(console, 'error').mockImplementation((...args) => {
    err += `${args.join(' ')}\n`;
  });
  await program.parseAsync(argv, { from: 'user' });
  vi.restoreAllMocks();
  const code = typeof process.exitCode === 'number' ? process.exitCode : 0;
  process.exitCode = undefined;
  return { code, out, err };
}

describe('simulate command', () => {
  it('writes the four files and prints a summary', async () => {
    const out = join(dir, 'small');
    const r = await run('simulate', '--scenario', 'demo', '--seed', '5', '--scale', '0.1', '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^demo \(seed 5, scale 0\.1\)/);
    expect(r.out).toMatch(/invitations/);
    const truth = JSON.parse(await readFile(join(out, 'truth.json'), 'utf8'));
    expect(truth).toMatchObject({ version: 1, scenario: 'demo', seed: 5, scale: 0.1 });
    expect((await readFile(join(out, 'surveys.csv'), 'utf8')).split('\n')[0]).toBe(
      'survey_id,customer_id,rep_id,team,channel,sent_at,responded_at,ltr,rep_score,followed_up_at,contact,device',
    );
  });

  it.each([
    [['--scenario', 'mars', '--out', 'x'], /unknown scenario "mars"/],
    [['--seed', '1.5', '--out', 'x'], /--seed must be an integer/],
    [['--scale', '-1', '--out', 'x'], /--scale must be a number/],
    [['--scale', 'abc', '--out', 'x'], /--scale must be a number/],
    [['--months', '0', '--out', 'x'], /--months must be an integer/],
    [['--start', '2025-13-01', '--out', 'x'], /start must be a YYYY-MM-DD date/],
    [[], /--out <dir> is required/],
  ])('rejects %j with one line and exit code 2', async (args, message) => {
    const r = await run('simulate', ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('evaluate command', () => {
  it('prints tables, or JSON with --json', async () => {
    const truth = {
      version: 1,
      scenario: 'demo',
      seed: 1,
      scale: 1,
      period: { start: '2025-01-01', end: '2026-01-01' },
      reps: [{ id: 'R0001', team: 'T01', role: 'agent', labels: ['coaching'], strength: { coaching: 0.5 } }],
      customers: [],
    };
    const findings = {
      findings: [{ detector: 'top-box-inflation', entity: { type: 'rep', id: 'R0001' }, qValue: 0.001 }],
    };
    await writeFile(join(dir, 'truth.json'), JSON.stringify(truth));
    await writeFile(join(dir, 'findings.json'), JSON.stringify(findings));
    const args = ['evaluate', '--findings', join(dir, 'findings.json'), '--truth', join(dir, 'truth.json')];
    const table = await run(...args);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/coaching\s+1\s+1\s+100%/);
    const json = await run(...args, '--json', '--alpha', '0.1');
    expect(JSON.parse(json.out)).toMatchObject({ alpha: 0.1, recall: { coaching: { found: 1 } } });
  });

  it('rejects missing flags, unreadable files and a bad alpha with exit code 2', async () => {
    expect((await run('evaluate', '--truth', 't.json')).err).toMatch(/--findings <file> is required/);
    const missing = await run(
      'evaluate',
      '--findings',
      join(dir, 'nope.json'),
      '--truth',
      join(dir, 'nope.json'),
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot read findings .*ENOENT/);
    await writeFile(join(dir, 'bad.json'), '{');
    const bad = await run('evaluate', '--findings', join(dir, 'bad.json'), '--truth', join(dir, 'bad.json'));
    expect(bad.err).toMatch(/not valid JSON/);
    const alpha = await run('evaluate', '--findings', 'a', '--truth', 'b', '--alpha', 'x');
    expect(alpha.code).toBe(2);
    expect(alpha.err).toMatch(/--alpha must be a number/);
    await writeFile(join(dir, 'other.json'), '{"version": 2}');
    const notTruth = await run(
      'evaluate',
      '--findings',
      join(dir, 'other.json'),
      '--truth',
      join(dir, 'other.json'),
    );
    expect(notTruth.err).toMatch(/is not a truth\.json/);
  });
});
