import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The benchmark's window-feature engines (bench/engines/*_window.*) against
 * counts worked out by hand: the window ends are where engines written three
 * ways most easily disagree (a concession exactly 7 days before, at the
 * response, or 7 days after it).
 */
const engines = join(__dirname, '../../bench/engines');
const PYTHON = '/usr/bin/python3';

// sent, responded (e = responded, else sent): before [s − 7 d, s), during [s, e), after [e, e + 7 d)
const SURVEYS = `survey_id,customer_id,rep_id,sent_at,responded_at
S1,C1,R1,2025-01-10T00:00:00Z,2025-01-12T00:00:00Z
S2,C1,R2,2025-02-01T00:00:00Z,
S3,C2,,2025-01-10T00:00:00Z,
S4,C2,R1,2025-03-01T00:00:00Z,2025-03-01T12:00:00Z
`;
const CONCESSIONS = `concession_id,customer_id,rep_id,granted_at
K1,C1,R1,2025-01-03T00:00:00Z
K2,C1,R2,2025-01-11T00:00:00Z
K3,C1,,2025-01-12T00:00:00Z
K4,C1,R1,2025-01-19T00:00:00Z
K5,C1,R2,2025-01-31T23:00:00Z
K6,C1,R2,2025-02-01T00:00:00Z
K7,C2,R1,2025-03-01T06:00:00Z
K8,C2,R1,2025-01-09T00:00:00Z
`;
const EXPECTED = [
  // S1: K1 before (exactly 7 days: in), K2 during (another rep), K3 after (at the response: in, no rep),
  // K4 at e + 7 d (out); S4: K7 during. S3 has no rep: K8 counts for nobody.
  {
    rep_id: 'R1',
    surveys: 2,
    answered: 2,
    before_same: 1,
    before_any: 1,
    during_same: 1,
    during_any: 2,
    after_same: 0,
    after_any: 1,
  },
  // S2 (unanswered: no during window): K5 before, K6 after (at the invitation: in)
  {
    rep_id: 'R2',
    surveys: 1,
    answered: 0,
    before_same: 1,
    before_any: 1,
    during_same: 0,
    during_any: 0,
    after_same: 1,
    after_any: 1,
  },
];

describe('benchmark window-feature engines', () => {
  let dir: string;
  const run = (command: string, script: string, ...rest: string[]) => {
    const out = join(dir, `${script}-${rest.join('-')}.json`);
    const files = [join(dir, 'surveys.csv'), join(dir, 'concessions.csv')];
    execFileSync(command, [join(engines, script), ...files, ...rest, out], { stdio: 'pipe' });
    const rows = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>[];
    // DuckDB writes BIGINTs as strings
    return rows.map((r) =>
      Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === 'rep_id' ? v : Number(v)])),
    );
  };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ng-window-'));
    writeFileSync(join(dir, 'surveys.csv'), SURVEYS);
    writeFileSync(join(dir, 'concessions.csv'), CONCESSIONS);
  });

  it('DuckDB, bucket join', () => {
    expect(run('node', 'duckdb_window.mjs', 'bucket')).toEqual(EXPECTED);
  });
  it('DuckDB, range join', () => {
    expect(run('node', 'duckdb_window.mjs', 'range')).toEqual(EXPECTED);
  });
  it('arquero', () => {
    expect(run('node', 'arquero_window.mjs')).toEqual(EXPECTED);
  });
  it('pandas (Debian python3-pandas, scripts/setup-bench.sh)', () => {
    expect(run(PYTHON, 'pandas_window.py')).toEqual(EXPECTED);
  });
});
