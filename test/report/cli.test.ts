import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findingsToCsv } from '../../src/findings/to-csv.js';
import type { FindingsDocument } from '../../src/findings/types.js';
import { CHILD_TIMEOUT_MS, CLI } from '../helpers/cli.js';

let dir: string;

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, 'report', ...args], {
    encoding: 'utf8',
    cwd: dir,
    env: { ...process.env, TZ: 'UTC', ...env },
    timeout: CHILD_TIMEOUT_MS,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function files(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(root, join(d, e.name)));
    }
  };
  walk(root);
  return out;
}

let first: ReturnType<typeof run>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nps-gaming-report-cli-'));
  first = run(['--out', 'a']);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('nps-gaming report', () => {
  it('writes the report of the bundled demo dataset', () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/\d+ finding\(s\): [1-9]\d* high/);
    const list = files(join(dir, 'a'));
    for (const f of [
      'index.html',
      'findings.json',
      'findings.csv',
      'summary.md',
      'charts/overview-funnel.svg',
      'charts/overview-funnel.png',
    ])
      expect(list).toContain(f);
    expect(list.filter((f) => f.endsWith('.svg'))).toHaveLength(12);
    expect(list.filter((f) => f.endsWith('.png'))).toHaveLength(12);
    const doc = JSON.parse(readFileSync(join(dir, 'a', 'findings.json'), 'utf8')) as FindingsDocument;
    expect(doc.version).toBe(1);
    expect(doc).not.toHaveProperty('tables');
    expect(readFileSync(join(dir, 'a', 'findings.csv'), 'utf8')).toBe(findingsToCsv(doc.findings));
  });

  it('is idempotent: a second run gives byte-identical files apart from the timestamp', () => {
    const second = run(['--out', 'b']);
    expect(second.status).toBe(0);
    const a = files(join(dir, 'a'));
    expect(files(join(dir, 'b'))).toEqual(a);
    const stamp = (root: string) =>
      JSON.parse(readFileSync(join(root, 'findings.json'), 'utf8')).run.generatedAt as string;
    const [ta, tb] = [stamp(join(dir, 'a')), stamp(join(dir, 'b'))];
    for (const f of a) {
      const x = readFileSync(join(dir, 'a', f));
      const y = readFileSync(join(dir, 'b', f));
      if (f.endsWith('.png')) expect(x.equals(y), f).toBe(true);
      else
        expect(y.toString('utf8').replaceAll(tb, 'T').replaceAll(tb.slice(0, 10), 'D'), f).toBe(
          x.toString('utf8').replaceAll(ta, 'T').replaceAll(ta.slice(0, 10), 'D'),
        );
    }
  });

  it('--fail-on high exits 3 on the demo, after writing; the config "out" expands {date}', () => {
    writeFileSync(join(dir, 'cfg.json'), JSON.stringify({ out: 'reports/{date}', alpha: 0.05 }));
    const r = run(['--config', 'cfg.json', '--fail-on', 'high', '--no-png'], {
      SOURCE_DATE_EPOCH: '1795478400',
    });
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('--fail-on high');
    const out = join(dir, 'reports', '2026-11-24');
    expect(existsSync(join(out, 'index.html'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')).run.generatedAt).toBe(
      '2026-11-24T00:00:00.000Z',
    );
    expect(files(out).some((f) => f.endsWith('.png'))).toBe(false);
  });

  it('--baseline classifies new, persisting and resolved findings', () => {
    const doc = JSON.parse(readFileSync(join(dir, 'a', 'findings.json'), 'utf8')) as FindingsDocument;
    const [dropped, changed] = doc.findings;
    const baseline: FindingsDocument = {
      ...doc,
      run: { ...doc.run, generatedAt: '2026-11-17T06:00:00.000Z' },
      findings: [
        { ...changed, severity: 'medium', qValue: 0.004 },
        ...doc.findings.slice(2),
        { ...changed, detector: 'score-shift', entity: { type: 'rep', id: 'R0001' }, summary: 'gone' },
      ],
    };
    writeFileSync(join(dir, 'baseline.json'), JSON.stringify(baseline));
    const r = run(['--out', 'c', '--baseline', 'baseline.json', '--no-png']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`1 new, ${doc.findings.length - 1} persisting, 1 resolved`);
    const c = JSON.parse(readFileSync(join(dir, 'c', 'comparison.json'), 'utf8'));
    expect(c.new.map((f: { entity: { id: string } }) => f.entity.id)).toEqual([dropped.entity.id]);
    expect(c.resolved.map((f: { key: string }) => f.key)).toEqual(['score-shift|rep|R0001']);
    const persisting = c.persisting.find(
      (f: { key: string }) => f.key === `${changed.detector}|rep|${changed.entity.id}`,
    );
    expect(persisting.previous).toEqual({ severity: 'medium', qValue: 0.004 });
    const html = readFileSync(join(dir, 'c', 'index.html'), 'utf8');
    expect(html).toContain('Changes since the baseline');
    expect(readFileSync(join(dir, 'c', 'summary.md'), 'utf8')).toContain('resolved: score-shift rep R0001');
  });

  it('--reviewed: reviewed leads are marked and do not trip --fail-on; an expired review does', () => {
    const doc = JSON.parse(readFileSync(join(dir, 'a', 'findings.json'), 'utf8')) as FindingsDocument;
    const high = doc.findings.filter((f) => f.severity === 'high');
    expect(high.length).toBeGreaterThan(1);
    const rows = (expires: string) =>
      [
        'detector,entity_type,entity_id,decision,reviewed_at,note,reviewer,severity,expires_at',
        ...high.map((f, i) =>
          [
            f.detector,
            f.entity.type,
            f.entity.id,
            'confirmed',
            '2026-11-20',
            `case ${i}`,
            'Ana',
            'high',
            i === 0 ? expires : '',
          ].join(','),
        ),
      ].join('\n');
    writeFileSync(join(dir, 'reviews.csv'), rows('2027-01-01'));
    const covered = run(['--out', 'r', '--reviewed', 'reviews.csv', '--fail-on', 'high', '--no-png'], {
      SOURCE_DATE_EPOCH: '1795478400', // 2026-11-24
    });
    expect(covered.status).toBe(0);
    expect(covered.stdout).toContain(`; ${high.length} covered by a review`);
    expect(readFileSync(join(dir, 'r', 'summary.md'), 'utf8')).toContain(
      'reviewed 2026-11-20 by Ana: confirmed (case 0)',
    );
    // the config names the reviews file, relative to itself; the first review has expired by then
    writeFileSync(join(dir, 'reviews.csv'), rows('2026-11-24'));
    writeFileSync(join(dir, 'review-cfg.json'), JSON.stringify({ reviewed: 'reviews.csv' }));
    const lapsed = run(['--config', 'review-cfg.json', '--out', 'r2', '--fail-on', 'high', '--no-png'], {
      SOURCE_DATE_EPOCH: '1795478400',
    });
    expect(lapsed.status).toBe(3);
    expect(lapsed.stderr).toContain('not covered by a review (--fail-on high)');
    writeFileSync(
      join(dir, 'bad-reviews.csv'),
      'detector,entity_type,entity_id,decision,reviewed_at\nscore-shift,rep,,confirmed,2026-11-20\n',
    );
    const bad = run(['--reviewed', 'bad-reviews.csv', '--no-png']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('bad-reviews.csv, row 1, column "entity_id": is empty');
  });

  it('--engine duckdb: the report of the DuckDB engine, its findings those of detect --engine duckdb', () => {
    const r = run(['--engine', 'duckdb', '--out', 'sql', '--no-png']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\d+ finding\(s\): [1-9]\d* high/);
    const detect = spawnSync(
      process.execPath,
      [CLI, 'detect', '--engine', 'duckdb', '--json', join(dir, 'sql-detect.json')],
      { encoding: 'utf8', cwd: dir, timeout: CHILD_TIMEOUT_MS },
    );
    expect(detect.status).toBe(0);
    const read = (path: string) => JSON.parse(readFileSync(join(dir, path), 'utf8')) as FindingsDocument;
    const doc = read('sql/findings.json');
    expect(doc.run.options.engine).toBe('duckdb');
    expect(doc.findings).toEqual(read('sql-detect.json').findings);
    expect(doc.findings.length).toBeGreaterThan(0);
    // the detectors it does not cover are said to be the engine's, not left unexplained
    const summary = readFileSync(join(dir, 'sql', 'summary.md'), 'utf8');
    expect(summary).toContain('top-box-inflation (not run by the DuckDB engine)');
    expect(readFileSync(join(dir, 'sql', 'index.html'), 'utf8')).toContain('not run by the DuckDB engine');
    expect(run(['--memory-limit', '4GB']).stderr).toContain(
      '--memory-limit and --temp-directory are options of --engine duckdb',
    );
  });

  it('rejects a bad --fail-on or baseline with exit 2', () => {
    expect(run(['--fail-on', 'severe']).status).toBe(2);
    writeFileSync(join(dir, 'bad.json'), '{"findings": 3}');
    const r = run(['--baseline', 'bad.json']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a findings document');
  });
});
