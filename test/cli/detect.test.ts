import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import schema from '../../src/findings/findings.schema.json' with { type: 'json' };
import { DETECTOR_IDS } from '../../src/findings/types.js';
import { runCli } from '../helpers/cli.js';

describe('nps-gaming detect', () => {
  it('runs every detector on the bundled demo and writes schema-valid JSON and CSV', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nps-gaming-detect-'));
    const run = runCli(['detect', '--json', join(dir, 'findings.json'), '--csv', join(dir, 'findings.csv')]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const document = JSON.parse(readFileSync(join(dir, 'findings.json'), 'utf8'));
    const ajv = new Ajv({ allErrors: true, validateFormats: false });
    expect(new Date(document.run.generatedAt).toISOString()).toBe(document.run.generatedAt);
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(document.run.generator).toBe(`nps-gaming ${version}`);
    const valid = ajv.validate(schema, document);
    expect(ajv.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(Object.keys(document.run.tested).sort()).toEqual([...DETECTOR_IDS].sort());
    expect(document.findings.length).toBeGreaterThan(5);
    expect(document.findings.every((f: { qValue: number }) => f.qValue <= 0.05)).toBe(true);
    const csv = readFileSync(join(dir, 'findings.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(
      'detector,entity_type,entity_id,severity,effect,effect_label,ci_low,ci_high,p_value,q_value,summary',
    );
    expect(csv).toHaveLength(document.findings.length + 1);
    expect(run.stdout).toMatch(/^tested: concession-before-survey \(\d+\)/);
    expect(run.stdout).toMatch(/\d+ finding\(s\) at q <= 0\.05 over \d+ test\(s\)/);
  });

  it('runs only the detectors asked for, and rejects unknown ones', () => {
    const only = runCli(['detect', '--detectors', 'survey-suppression']);
    expect(only.status).toBe(0);
    expect(only.stdout).toMatch(/^tested: survey-suppression \(\d+\)\n/);
    const bad = runCli(['detect', '--detectors', 'bogus']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown detector "bogus"; known: concession-before-survey/);
  });

  it('says what the load quarantined and warned about, on the terminal and in the JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nps-gaming-detect-'));
    const surveys = join(dir, 'surveys.csv');
    const demo = readFileSync(new URL('../../datasets/demo/surveys.csv', import.meta.url), 'latin1');
    // one bad timestamp, and one cell that is not UTF-8 (a Windows-1252 é in a team name)
    writeFileSync(
      surveys,
      Buffer.from(
        `${demo.trimEnd()}\nX1,C1,R1,T\u00e9,chat,yesterday,,,,,,\nX2,C2,R1,T\u00e9,chat,2025-03-01T10:00:00Z,,,,,,\n`,
        'latin1',
      ),
    );
    const out = join(dir, 'findings.json');
    const concessions = new URL('../../datasets/demo/concessions.csv', import.meta.url).pathname;
    const run = runCli(['detect', '--surveys', surveys, '--concessions', concessions, '--json', out]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^quarantined: surveys: 1 of \d+ rows \(bad-timestamp 1; see validate\)$/m);
    expect(run.stdout).toMatch(/^warning: surveys: some cells are not UTF-8 and were read as Windows-1252/m);
    const document = JSON.parse(readFileSync(out, 'utf8'));
    expect(document.dataQuality.surveys.warnings).toEqual([expect.stringMatching(/Windows-1252/)]);
    const ajv = new Ajv({ allErrors: true, validateFormats: false });
    expect(ajv.validate(schema, document), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('rejects a misspelt detector option in the config file before loading anything', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nps-gaming-detect-'));
    const config = join(dir, 'nps-gaming.config.json');
    writeFileSync(config, JSON.stringify({ detectorOptions: { 'score-shift': { minSegments: 5 } } }));
    const run = runCli([
      'detect',
      '--config',
      config,
      '--surveys',
      '/nonexistent.csv',
      '--concessions',
      'x.csv',
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^nps-gaming: unknown option "minSegments" for score-shift \(did you mean "minSegment"\?\)/,
    );
  });
});

describe('nps-gaming detect --engine duckdb', () => {
  const demo = (name: string) => new URL(`../../datasets/demo/${name}`, import.meta.url).pathname;
  const files = ['--surveys', demo('surveys.csv'), '--concessions', demo('concessions.csv')];
  const numbers = (path: string) =>
    (
      JSON.parse(readFileSync(path, 'utf8')).findings as {
        detector: string;
        entity: { id: string };
        pValue: number;
        qValue: number;
      }[]
    ).map((f) => [f.detector, f.entity.id, f.pValue.toPrecision(10), f.qValue.toPrecision(10)]);

  it('gives the findings of the in-memory engine for the two concession-timing detectors, as a schema-valid document', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nps-gaming-detect-duckdb-'));
    const sql = runCli(['detect', '--engine', 'duckdb', ...files, '--json', join(dir, 'sql.json'), '--all']);
    expect(sql.stderr).toBe('');
    expect(sql.status).toBe(0);
    const memory = runCli([
      'detect',
      ...files,
      '--detectors',
      'concession-before-survey,concession-during-survey',
      '--json',
      join(dir, 'memory.json'),
      '--all',
    ]);
    expect(memory.status).toBe(0);
    expect(numbers(join(dir, 'sql.json')).length).toBeGreaterThan(20);
    expect(numbers(join(dir, 'sql.json'))).toEqual(numbers(join(dir, 'memory.json')));
    const ajv = new Ajv({ allErrors: true, validateFormats: false });
    expect(ajv.validate(schema, JSON.parse(readFileSync(join(dir, 'sql.json'), 'utf8')))).toBe(true);
  });

  it('says what it does not cover: other detectors (exit 2), the interaction ledger (a warning)', () => {
    const other = runCli(['detect', '--engine', 'duckdb', ...files, '--detectors', 'score-shift']);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain(
      '--engine duckdb runs concession-before-survey and concession-during-survey only, not score-shift',
    );
    const interactions = runCli([
      'detect',
      '--engine',
      'duckdb',
      ...files,
      '--interactions',
      demo('interactions.csv'),
    ]);
    expect(interactions.status).toBe(0);
    expect(interactions.stderr).toContain('--engine duckdb does not read the interaction ledger');
    expect(runCli(['detect', '--engine', 'spark']).status).toBe(2);
    // --strict as with the in-memory engine: rows the SQL path leaves out fail the run (exit 1)
    const bad = new URL('../fixtures/ledger/surveys-bad.csv', import.meta.url).pathname;
    const strict = runCli([
      'detect',
      '--engine',
      'duckdb',
      '--surveys',
      bad,
      '--concessions',
      demo('concessions.csv'),
      '--strict',
    ]);
    expect(strict.status).toBe(1);
    expect(strict.stderr).toContain('surveys-bad.csv: strict mode: 6 row(s) quarantined');
    const limit = runCli(['detect', '--memory-limit', '4GB']);
    expect(limit.status).toBe(2);
    expect(limit.stderr).toContain('--memory-limit and --temp-directory are options of --engine duckdb');
  });

  it("a missing file: the in-memory engine's one-line error (exit 2), not DuckDB's", () => {
    const missing = demo('no-such-surveys.csv');
    for (const engine of ['memory', 'duckdb']) {
      const run = runCli([
        'detect',
        '--engine',
        engine,
        '--surveys',
        missing,
        '--concessions',
        demo('concessions.csv'),
      ]);
      expect(run.status, engine).toBe(2);
      expect(run.stderr, engine).toBe(`nps-gaming: ${missing}: cannot read the file (no such file)\n`);
    }
  });

  it("files the SQL path does not read: the loader's one-line errors (exit 2)", () => {
    const dir = mkdtempSync(join(tmpdir(), 'ng-duckdb-'));
    const header = 'survey_id,customer_id,rep_id,sent_at,responded_at';
    const cases: [string, string | Buffer, string][] = [
      [
        'surveys.json',
        '[]',
        'the SQL path reads CSV, TSV and Parquet files (also gzipped CSV and TSV), not .json',
      ],
      ['surveys.xlsx', 'x', 'unknown file type (save an Excel workbook as "CSV UTF-8")'],
      ['empty.csv', '', 'the file is empty, without even a header'],
      [
        'utf16.csv',
        Buffer.from(`\ufeff${header}\nS1,C1,R1,2025-03-01T10:00:00Z,\n`, 'utf16le'),
        'the file is UTF-16 text',
      ],
      ['surveys.parquet.gz', gzipSync('PAR1'), 'the file is gzip-compressed .parquet data'],
      ['zstd.csv', Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0, 0, 0, 0]), 'the file is Zstandard-compressed'],
    ];
    for (const [name, content, message] of cases) {
      const file = join(dir, name);
      writeFileSync(file, content);
      const run = runCli([
        'detect',
        '--engine',
        'duckdb',
        '--surveys',
        file,
        '--concessions',
        demo('concessions.csv'),
      ]);
      expect(run.status, name).toBe(2);
      expect(run.stderr.trim().split('\n'), name).toHaveLength(1);
      expect(run.stderr, name).toContain(`nps-gaming: ${file}: ${message}`);
    }
  });

  it('a quote that never closes: refused as the in-memory engine refuses it, not read as a letter', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ng-duckdb-'));
    const lines = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, i) => `S${from + i},C${from + i},R1,2025-03-01T10:00:00Z,`);
    const header = 'survey_id,customer_id,rep_id,sent_at,responded_at';
    const open = 'S0,"C0,R1,2025-03-01T10:00:00Z,';
    // early: DuckDB's sniffer fails on it; deep in the file (past what it sniffs): DuckDB rejects the record
    const early = join(dir, 'early.csv');
    writeFileSync(early, `${[header, ...lines(1, 50), open, ...lines(50, 100)].join('\n')}\n`);
    const deep = join(dir, 'deep.csv');
    writeFileSync(deep, `${[header, ...lines(1, 30_000), open, ...lines(30_000, 30_100)].join('\n')}\n`);
    const run = (file: string, engine: string) =>
      runCli(['detect', '--engine', engine, '--surveys', file, '--concessions', demo('concessions.csv')]);
    for (const file of [early, deep]) expect(run(file, 'memory').status, file).toBe(2);
    const atStart = run(early, 'duckdb');
    expect(atStart.status).toBe(2);
    expect(atStart.stderr).toContain(
      `${early}: DuckDB cannot read it as CSV (a malformed record, such as a quote that never closes`,
    );
    expect(atStart.stderr).toContain('`nps-gaming validate` names the first bad record');
    const later = run(deep, 'duckdb');
    expect(later.status).toBe(2);
    expect(later.stderr).toContain(
      `${deep}, line 30001: DuckDB cannot read this record (Value with unterminated quote found.)`,
    );
  });

  it('a file DuckDB cannot read: one line naming it (exit 2), not an internal error', () => {
    const binary = join(mkdtempSync(join(tmpdir(), 'ng-duckdb-')), 'surveys.csv');
    // bytes from a fixed linear congruential sequence: no text, no delimiter
    const bytes = Buffer.alloc(3000);
    for (let i = 0, x = 1; i < bytes.length; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      bytes[i] = x >>> 24;
    }
    writeFileSync(binary, bytes);
    const run = runCli([
      'detect',
      '--engine',
      'duckdb',
      '--surveys',
      binary,
      '--concessions',
      demo('concessions.csv'),
    ]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain(`nps-gaming: ${binary}: DuckDB cannot read it as CSV (`);
  });

  it("a record over DuckDB's line limit: says so and how to raise it; --max-record-mib raises it", () => {
    // DuckDB's limit is 2 MB, the loader's 64 MiB; DuckDB's own first line said "CSV Error on Line: 1"
    const dir = mkdtempSync(join(tmpdir(), 'ng-duckdb-'));
    const long = join(dir, 'long.csv');
    writeFileSync(long, `survey_id,customer_id,sent_at\nS1,C1,${'9'.repeat(3_000_000)}\n`);
    const args = [
      'detect',
      '--engine',
      'duckdb',
      '--surveys',
      long,
      '--concessions',
      demo('concessions.csv'),
    ];
    const refused = runCli(args);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/DuckDB cannot read it \(Maximum line size of \d+ bytes exceeded/);
    expect(refused.stderr).toContain('raise the limit (--max-record-mib on the command line');
    // the record is read (and left out for its timestamp, as the in-memory engine leaves it out)
    const raised = runCli([...args, '--max-record-mib', '8', '--json', join(dir, 'out.json')]);
    expect(raised.status).toBe(0);
    const document = JSON.parse(readFileSync(join(dir, 'out.json'), 'utf8'));
    expect(document.run.inputs.surveys).toBe(1);
    // further on (past what DuckDB sniffs) the record is refused with its line, with the same advice
    const rows = Array.from({ length: 30_000 }, (_, i) => `S${i},C${i},2025-03-01T10:00:00Z`);
    const deep = join(dir, 'deep.csv');
    writeFileSync(
      deep,
      `${['survey_id,customer_id,sent_at', ...rows, `S,C,${'9'.repeat(3_000_000)}`].join('\n')}\n`,
    );
    const later = runCli([
      'detect',
      '--engine',
      'duckdb',
      '--surveys',
      deep,
      '--concessions',
      demo('concessions.csv'),
    ]);
    expect(later.status).toBe(2);
    expect(later.stderr).toContain(`${deep}, line 30002: DuckDB cannot read this record (Maximum line size`);
    expect(later.stderr).toContain('raise the limit (--max-record-mib on the command line');
  });
});
