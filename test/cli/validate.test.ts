import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const fixture = (name: string) => new URL(`../fixtures/ledger/${name}`, import.meta.url).pathname;

describe('nps-gaming validate', () => {
  it('prints the data-quality summary of canonical ledgers and exits 0', () => {
    const run = runCli([
      'validate',
      '--surveys',
      fixture('surveys.csv'),
      '--concessions',
      fixture('concessions.csv'),
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('surveys.csv: 4 rows, 4 accepted, 0 quarantined');
    expect(run.stdout).toContain('concessions.csv: 3 rows, 3 accepted, 0 quarantined');
  });

  it('shows a bad timestamp and a duplicate id with row numbers; --strict exits 1', () => {
    const args = [
      'validate',
      '--surveys',
      fixture('surveys-bad.csv'),
      '--concessions',
      fixture('concessions.csv'),
    ];
    const lenient = runCli(args);
    expect(lenient.status).toBe(0);
    expect(lenient.stdout).toMatch(
      /bad-timestamp: 1 \(row 2 column "sent_at": unparseable timestamp "2025-13-01T10:00:00Z"\)/,
    );
    expect(lenient.stdout).toMatch(
      /duplicate-id: 1 \(row 3 column "survey_id": duplicate survey_id "S1" \(first at row 1\)\)/,
    );
    const strict = runCli([...args, '--strict']);
    expect(strict.status).toBe(1);
    expect(strict.stdout).toMatch(/bad-timestamp/);
    expect(strict.stderr).toMatch(/strict mode: 12 row\(s\) quarantined/);
  });

  it('loads renamed columns with --columns, and fails with the near-match message without it', () => {
    const base = [
      'validate',
      '--surveys',
      fixture('surveys-renamed.csv'),
      '--concessions',
      fixture('concessions.csv'),
    ];
    const mapped = runCli([...base, '--columns', fixture('columns.json')]);
    expect(mapped.status).toBe(0);
    expect(mapped.stdout).toContain('surveys-renamed.csv: 2 rows, 2 accepted, 0 quarantined');
    const unmapped = runCli(base);
    expect(unmapped.status).toBe(2);
    expect(unmapped.stdout).toBe('');
    expect(unmapped.stderr.trim().split('\n')).toHaveLength(1);
    expect(unmapped.stderr).toMatch(
      /missing required column\(s\) survey_id, customer_id \(did you mean `cust_id`\?/,
    );
    expect(unmapped.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 with one line on bad arguments and unreadable files', () => {
    const unknown = runCli(['validate', '--bogus']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/^nps-gaming: unknown option '--bogus'/);
    const missing = runCli([
      'validate',
      '--surveys',
      '/nope/s.csv',
      '--concessions',
      fixture('concessions.csv'),
    ]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toBe('nps-gaming: /nope/s.csv: cannot read the file (no such file)\n');
    const scale = runCli(['validate', '--scale', 'five']);
    expect(scale.status).toBe(2);
    expect(scale.stderr).toMatch(/--scale must look like 1\.\.10/);
    const half = runCli(['validate', '--surveys', fixture('surveys.csv')]);
    expect(half.status).toBe(2);
    expect(half.stderr).toMatch(/--concessions is required/);
  });

  it('prints help for every command', () => {
    for (const command of [[], ['validate'], ['detect']]) {
      const run = runCli([...command, '--help']);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/Usage: nps-gaming/);
    }
  });

  it('prints the package version (a scheduled run can log which version made its findings)', () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    for (const flag of ['--version', '-V']) {
      const run = runCli([flag]);
      expect(run.status).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toBe(`${version}\n`);
    }
  });
});

describe('nps-gaming validate --quarantine', () => {
  it('writes every quarantined row of every ledger, as the report counts them', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { parse } = await import('csv-parse/sync');
    const out = join(mkdtempSync(join(tmpdir(), 'nps-quarantine-')), 'sub', 'quarantined.csv');
    const json = `${out}.json`;
    const run = runCli([
      'validate',
      '--surveys',
      fixture('surveys-bad.csv'),
      '--concessions',
      fixture('concessions-bad.csv'),
      '--quarantine',
      out,
      '--json',
      json,
    ]);
    expect(run.status).toBe(0);
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    const quality = JSON.parse(readFileSync(json, 'utf8'));
    for (const ledger of ['surveys', 'concessions'] as const) {
      const mine = rows.filter((r) => r.ledger === ledger);
      expect(mine.length).toBe(quality[ledger].quarantined);
      const tally: Record<string, number> = {};
      for (const r of mine) tally[r.reason] = (tally[r.reason] ?? 0) + 1;
      expect(tally).toEqual(quality[ledger].reasons);
      // the report's examples are the first rows of each reason
      for (const [reason, examples] of Object.entries(quality[ledger].examples) as [
        string,
        { row: number }[],
      ][])
        expect(
          mine
            .filter((r) => r.reason === reason)
            .slice(0, examples.length)
            .map((r) => Number(r.row)),
        ).toEqual(examples.map((e) => e.row));
    }
    expect(rows.find((r) => r.reason === 'bad-timestamp' && r.ledger === 'surveys')).toEqual({
      ledger: 'surveys',
      file: fixture('surveys-bad.csv'),
      row: '2',
      reason: 'bad-timestamp',
      column: 'sent_at',
      value: '2025-13-01T10:00:00Z',
      message: 'unparseable timestamp "2025-13-01T10:00:00Z"',
    });
  });

  it('a formula-like cell is written so that no spreadsheet runs it', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'nps-quarantine-'));
    writeFileSync(join(dir, 's.csv'), 'survey_id,customer_id,sent_at\nS1,C1,=HYPERLINK("x")\n');
    const run = runCli([
      'validate',
      '--surveys',
      join(dir, 's.csv'),
      '--concessions',
      fixture('concessions.csv'),
      '--quarantine',
      join(dir, 'q.csv'),
    ]);
    expect(run.status).toBe(0);
    expect(readFileSync(join(dir, 'q.csv'), 'utf8')).toContain(`,"'=HYPERLINK(""x"")",`);
  });
});
