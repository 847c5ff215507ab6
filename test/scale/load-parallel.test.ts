import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
// the built package: the worker thread runs dist/load-worker.js
import { LedgerError, type Ledgers, loadLedgers } from '../../dist/index.js';

/**
 * `loadLedgers` may load the concession file on a worker thread (`parallel`), with dictionaries
 * of its own merged afterwards: everything must be what the sequential load gives.
 */

const fixture = (name: string) => new URL(`../fixtures/ledger/${name}`, import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'nps-parallel-'));
let files = 0;
const file = (text: string) => {
  const path = join(dir, `c${files++}.csv`);
  writeFileSync(path, text);
  return path;
};

const byJson = (a: unknown, b: unknown) => JSON.stringify(a).localeCompare(JSON.stringify(b));

function comparable(l: Ledgers) {
  const plain = (x: object) =>
    Object.fromEntries(
      Object.entries(x).map(([k, v]) => [k, ArrayBuffer.isView(v) ? Array.from(v as Int32Array) : v]),
    );
  return {
    surveys: plain(l.surveys),
    concessions: plain(l.concessions),
    ids: Object.fromEntries(Object.entries(l.ids).map(([k, d]) => [k, [d.values, [...d.index]]])),
    quality: l.quality,
  };
}

async function both(surveys: string, concessions: string, options = {}) {
  const inWorker = await loadLedgers({ surveys, concessions }, { ...options, parallel: true });
  const here = await loadLedgers({ surveys, concessions }, { ...options, parallel: false });
  return [comparable(inWorker), comparable(here)];
}

describe('loadLedgers with the concessions on a worker thread', () => {
  it('has a built worker script to run', () => {
    expect(existsSync(new URL('../../dist/load-worker.js', import.meta.url))).toBe(true);
  });

  it('gives the sequential result on gzipped files', async () => {
    const gz = (name: string) => {
      const path = join(dir, `${files++}-${name}.gz`);
      writeFileSync(path, gzipSync(readFileSync(fixture(name))));
      return path;
    };
    const [a, b] = await both(gz('surveys-bad.csv'), gz('concessions-bad.csv'));
    expect(a).toEqual(b);
    expect(a.quality.concessions.quarantined).toBeGreaterThan(0);
  });

  it('forwards the worker thread’s progress, ending with the whole file read', async () => {
    const seen: { ledger: string; rows: number; fraction?: number }[] = [];
    const l = await loadLedgers(
      { surveys: fixture('surveys-bad.csv'), concessions: fixture('concessions-bad.csv') },
      { parallel: true, onProgress: (p) => seen.push(p) },
    );
    expect(seen.filter((p) => p.ledger === 'concessions').at(-1)).toEqual({
      ledger: 'concessions',
      rows: l.quality.concessions.rows,
      fraction: 1,
    });
  });

  it('forwards every quarantined row from the worker thread, as the sequential load meets them', async () => {
    const inputs = { surveys: fixture('surveys-bad.csv'), concessions: fixture('concessions-bad.csv') };
    const rows = async (parallel: boolean) => {
      const seen: unknown[] = [];
      const l = await loadLedgers(inputs, { parallel, onQuarantine: (r) => seen.push(r) });
      return { seen, quarantined: l.quality.surveys.quarantined + l.quality.concessions.quarantined };
    };
    const [there, here] = [await rows(true), await rows(false)];
    expect(there.seen.length).toBe(there.quarantined);
    expect([...there.seen].sort(byJson)).toEqual([...here.seen].sort(byJson));
    expect(here.seen.some((r) => (r as { ledger: string }).ledger === 'concessions')).toBe(true);
  });

  it('gives the sequential result on a directory of files', async () => {
    const [header, ...rows] = readFileSync(fixture('concessions-bad.csv'), 'utf8').trimEnd().split('\n');
    const set = join(dir, `set${files++}`);
    mkdirSync(set);
    writeFileSync(join(set, 'part-1.csv'), `${[header, ...rows.slice(0, 3)].join('\n')}\n`);
    writeFileSync(join(set, 'part-2.csv.gz'), gzipSync(`${[header, ...rows.slice(3)].join('\n')}\n`));
    const [a, b] = await both(fixture('surveys-bad.csv'), set);
    expect(a).toEqual(b);
    expect(a.quality.concessions.rows).toBe(rows.length);
  });

  it('gives the sequential result on the fixtures, clean and bad, and into given dictionaries', async () => {
    const [a, b] = await both(fixture('surveys.csv'), fixture('concessions.csv'));
    expect(a).toEqual(b);
    const [c, d] = await both(fixture('surveys-bad.csv'), fixture('concessions-bad.csv'), {
      timeZone: 'Europe/Berlin',
    });
    expect(c).toEqual(d);
    // plain { values, index } dictionaries (not made by createDictionary), some ids already in them
    const dict = (...values: string[]) => ({ values, index: new Map(values.map((v, i) => [v, i])) });
    const given = () => ({
      customer: dict('Z9', 'C2', 'é'),
      rep: dict(),
      team: dict(),
      channel: dict(),
      category: dict('credit'),
      contact: dict(),
      device: dict(),
      reason: dict(),
      issue: dict(),
    });
    const [e, f] = [
      comparable(
        await loadLedgers(
          { surveys: fixture('surveys.csv'), concessions: fixture('concessions.csv') },
          { ids: given(), parallel: true },
        ),
      ),
      comparable(
        await loadLedgers(
          { surveys: fixture('surveys.csv'), concessions: fixture('concessions.csv') },
          { ids: given(), parallel: false },
        ),
      ),
    ];
    expect(e).toEqual(f);
  });

  it('gives the sequential result from Parquet files (the worker reads them too)', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const connection = await (await DuckDBInstance.create(':memory:')).connect();
    const parquet: Record<string, string> = {};
    for (const name of ['surveys', 'concessions-bad']) {
      parquet[name] = join(dir, `${name}.parquet`);
      await connection.run(
        `COPY (SELECT * FROM read_csv('${fixture(`${name}.csv`)}', header = true, all_varchar = true)) TO '${parquet[name]}' (FORMAT parquet)`,
      );
    }
    connection.closeSync();
    const [a, b] = await both(parquet.surveys, parquet['concessions-bad']);
    expect(a.concessions.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
  });

  it('property: same codes, rows and reasons on random concession files sharing customers and reps', async () => {
    const id = fc.constantFrom('C1', 'C2', 'C3', 'C9', ' C1', 'é', '', 'R1', 'R2', '"R 3"');
    const row = fc.tuple(
      id,
      id,
      fc.constantFrom('2025-03-01T10:00:00Z', '2025-03-01', '2025-02-30', '', '2025-03-01T11:00:00+01:00'),
      fc.constantFrom('10.00', '5', '-1', 'x', ''),
      fc.constantFrom('credit', 'discount', 'é', ''),
      fc.constantFrom('', 'outage', 'goodwill'),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 40 }), async (rows) => {
        const text = rows.map((r, i) => [`K${i % 30}`, ...r].join(',')).join('\n');
        const concessions = file(
          `concession_id,customer_id,rep_id,granted_at,amount,category,reason\n${text}\n`,
        );
        const [a, b] = await both(fixture('surveys.csv'), concessions);
        expect(a).toEqual(b);
      }),
      { numRuns: 15 },
    );
  });

  it('throws what the sequential load throws: strict mode, unclosed quote, missing file, failed surveys', async () => {
    const cases: [string, string, object][] = [
      [fixture('surveys.csv'), fixture('concessions-bad.csv'), { strict: true }],
      [fixture('surveys.csv'), file('concession_id,customer_id\nK1,"C1\n'), {}],
      [fixture('surveys.csv'), join(dir, 'missing.csv'), {}],
      [fixture('surveys-bad.csv'), fixture('concessions.csv'), { strict: true }],
    ];
    for (const [surveys, concessions, options] of cases) {
      const outcome = async (parallel: boolean) => {
        try {
          await loadLedgers({ surveys, concessions }, { ...options, parallel });
          return 'no error';
        } catch (error) {
          const e = error as LedgerError;
          return [e instanceof LedgerError, e.name, e.message, e.location];
        }
      };
      const inWorker = await outcome(true);
      expect(inWorker).not.toBe('no error');
      expect(inWorker).toEqual(await outcome(false));
    }
  });
});
