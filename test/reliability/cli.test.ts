import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../src/simulate/simulate.js';
import { CONCESSION_COLUMNS, SURVEY_COLUMNS } from '../../src/simulate/types.js';
import { CHILD_TIMEOUT_MS, CLI, runCli } from '../helpers/cli.js';
import { expectValidDocument, nonFinitePaths, tempDir, tempFile } from './helpers.js';

/**
 * Adversarial inputs through the built CLI: each gets exit 0 (with
 * quarantine reasons), 1 (strict mode) or 2 (one clear line on stderr),
 * never an internal error (exit 70), a stack trace, or NaN in --json.
 */

const SURVEYS = `${SURVEY_COLUMNS.join(',')}\nS1,C1,R1,T1,phone,2025-03-01T10:00:00Z,2025-03-01T12:00:00Z,8,9,,,\n`;
const CONCESSIONS = `${CONCESSION_COLUMNS.join(',')}\nK1,C1,R1,2025-02-28T10:00:00Z,5,credit,\n`;

/**
 * Runs `detect --json` (and `validate` when asked: same input path, so only
 * where its report matters) on the two files; checks the common promises.
 */
function both(surveys: string, concessions: string, { validate = false } = {}) {
  const out = join(tempDir(), 'findings.json');
  const runs = {
    detect: runCli(['detect', '--surveys', surveys, '--concessions', concessions, '--json', out]),
    ...(validate
      ? { validate: runCli(['validate', '--surveys', surveys, '--concessions', concessions]) }
      : {}),
  };
  for (const [name, run] of Object.entries(runs)) {
    const context = `${name}: ${run.stderr}`;
    expect([0, 1, 2], context).toContain(run.status);
    expect(run.stderr, context).not.toMatch(/internal error|\n\s+at /);
    if (run.status === 2) expect(run.stderr.trim().split('\n'), context).toHaveLength(1);
  }
  let document: unknown;
  if (runs.detect.status === 0) {
    const text = readFileSync(out, 'utf8');
    expect(text).not.toMatch(/NaN|Infinity/);
    document = JSON.parse(text);
    expectValidDocument(document as never);
    expect(nonFinitePaths(document)).toEqual([]);
  } else expect(existsSync(out), 'no findings file after a failed run').toBe(false);
  return { ...runs, document };
}

describe('CLI on bad input', () => {
  it('missing, unreadable, unknown-format and directory paths: exit 2, one line', () => {
    const ok = tempFile(CONCESSIONS);
    for (const surveys of ['/nonexistent/surveys.csv', tempDir(), tempFile(SURVEYS, '.xlsx')]) {
      expect(both(surveys, ok).detect.status).toBe(2);
    }
  });

  it('an unclosed quote, a missing column, a UTF-16 file: exit 2 naming the file', () => {
    const ok = tempFile(CONCESSIONS);
    const cases = [
      tempFile(`${SURVEYS}S2,"C1,R1,T1,phone,2025-03-01,,,,,,\n`),
      tempFile(SURVEYS.replace('customer_id', 'cust')),
      tempFile(Buffer.from(`\ufeff${SURVEYS}`, 'utf16le')),
    ];
    for (const surveys of cases) {
      const r = both(surveys, ok);
      expect(r.detect.status).toBe(2);
      expect(r.detect.stderr).toContain(surveys);
    }
  });

  it('all rows invalid: validate lists the reasons, detect writes a valid empty document', () => {
    const surveys = tempFile(
      `${SURVEY_COLUMNS.join(',')}\nS1,C1,R1,,,01/03/2025,,,,,,\nS2,C1,R1,,,2025-03-01,2025-03-02,ten,11,,,\nS3,C1,R1,,,2025-03-01\n`,
    );
    const concessions = tempFile(`${CONCESSION_COLUMNS.join(',')}\nK1,C1,R1,2025-03-01,free,credit,\n`);
    const r = both(surveys, concessions, { validate: true });
    expect(r.validate?.status).toBe(0);
    expect(r.validate?.stdout).toMatch(/3 rows, 0 accepted, 3 quarantined/);
    expect(r.validate?.stdout).toMatch(/bad-timestamp: 1/);
    expect(r.validate?.stdout).toMatch(/malformed-row: 1/);
    expect(r.detect.status).toBe(0);
    expect((r.document as { findings: unknown[] }).findings).toEqual([]);
    const strict = runCli(['detect', '--surveys', surveys, '--concessions', concessions, '--strict']);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toMatch(/strict mode: 3 row\(s\) quarantined/);
  });

  it('empty files, a one-row ledger, binary garbage, a gigantic field: never an internal error', () => {
    const garbage = Buffer.alloc(8192);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 2654435761) >>> 24;
    const huge = `${SURVEY_COLUMNS.join(',')}\nS1,C1,R1,,,${'9'.repeat(3_000_000)},,,,,,\n`;
    for (const [surveys, concessions] of [
      [tempFile(''), tempFile('')],
      [tempFile(SURVEYS), tempFile(CONCESSIONS)],
      [tempFile(garbage), tempFile(CONCESSIONS)],
      [tempFile(huge), tempFile(CONCESSIONS)],
    ]) {
      const r = both(surveys, concessions, { validate: true });
      // the report of a gigantic bad cell stays readable
      for (const line of r.validate?.stdout.split('\n') ?? []) expect(line.length).toBeLessThan(2000);
    }
  });

  it('a record above --max-record-mib: exit 2, one line naming the file and line', () => {
    const surveys = tempFile(`${SURVEY_COLUMNS.join(',')}\nS1,C1,R1,,,${'9'.repeat(3_000_000)},,,,,,\n`);
    const concessions = tempFile(CONCESSIONS);
    const args = ['detect', '--surveys', surveys, '--concessions', concessions];
    const refused = runCli([...args, '--max-record-mib', '1']);
    expect(refused.status).toBe(2);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain(`${surveys}: the record starting at line 2 is longer than 1 MiB`);
    expect(runCli([...args, '--max-record-mib', '0']).stderr).toMatch(/--max-record-mib must be a number/);
    expect(runCli([...args, '--max-record-mib', '4']).status).toBe(0);
  });
});

const hasScript =
  spawnSync('script', ['--version'], { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS }).status === 0;

describe('CLI progress and Ctrl-C', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempDir();
    await simulate({ scenario: 'null', seed: 5, scale: 0.5, outDir: dir });
  });

  it('no progress on stderr without a terminal (scripts and cron logs stay clean)', () => {
    const r = runCli([
      'detect',
      '--surveys',
      join(dir, 'surveys.csv'),
      '--concessions',
      join(dir, 'concessions.csv'),
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it.skipIf(!hasScript)(
    'on a terminal: one progress line per detector; Ctrl-C stops cleanly (exit 130, no output file)',
    async () => {
      const out = join(tempDir(), 'findings.json');
      const args = ['detect', '--surveys', 'surveys.csv', '--concessions', 'concessions.csv'];
      const command = `'${process.execPath}' '${CLI}' ${args.join(' ')} --interactions interactions.csv --json '${out}'`;
      const { transcript, status } = await interruptOnTerminal(command, dir, /\[2\/9\]/);
      expect(transcript).toMatch(/\[1\/9\] concession-before-survey/);
      expect(transcript).toMatch(/interrupted; no output written/);
      expect(status).toBe(130);
      expect(transcript).not.toMatch(/\[9\/9\]/);
      expect(existsSync(out)).toBe(false);
    },
    60_000,
  );

  it.skipIf(!hasScript)(
    '--engine duckdb on a terminal: one line per step; Ctrl-C interrupts DuckDB (exit 130, no output file)',
    async () => {
      // enough concessions that DuckDB is still reading them when ^C arrives
      const rows = Array.from({ length: 600_000 }, (_, i) => {
        const cells: Record<string, string> = {
          concession_id: `K${i + 1}`,
          customer_id: `C${i % 5000}`,
          rep_id: `R${i % 40}`,
          granted_at: `2025-03-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z`,
          amount: '10.00',
          category: 'discount',
        };
        return CONCESSION_COLUMNS.map((c) => cells[c] ?? '').join(',');
      });
      writeFileSync(
        join(dir, 'many-concessions.csv'),
        `${[CONCESSION_COLUMNS.join(','), ...rows].join('\n')}\n`,
      );
      const out = join(tempDir(), 'findings.json');
      const args = [
        'detect',
        '--engine',
        'duckdb',
        '--surveys',
        'surveys.csv',
        '--concessions',
        'many-concessions.csv',
      ];
      const command = `'${process.execPath}' '${CLI}' ${args.join(' ')} --json '${out}'`;
      const { transcript, status } = await interruptOnTerminal(command, dir, /\[2\/6\]/);
      expect(transcript).toMatch(/\[1\/6\] DuckDB: reading surveys/);
      expect(transcript).toMatch(/interrupted; no output written/);
      expect(status).toBe(130);
      expect(transcript).not.toMatch(/\[6\/6\]/);
      expect(existsSync(out)).toBe(false);
    },
    60_000,
  );
});

/**
 * Run `command` on a real terminal (`script`), type Ctrl-C into it once its output matches `when`,
 * and return what it printed and its exit status. `script -c` runs the command with $SHELL; bash
 * execs a single command, so the CLI is the terminal's foreground process and `-e` passes its exit
 * status through (130 = died of SIGINT, or exited 130).
 */
function interruptOnTerminal(
  command: string,
  cwd: string,
  when: RegExp,
): Promise<{ transcript: string; status: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      cwd,
      env: { ...process.env, TZ: 'UTC', SHELL: '/bin/bash' },
    });
    let text = '';
    let interrupted = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000);
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (!interrupted && when.test(text)) {
        interrupted = true;
        child.stdin.write('\x03'); // Ctrl-C on the terminal
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ transcript: text, status: code });
    });
  });
}
