import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  CONCESSION_COLUMNS,
  INTERACTION_COLUMNS,
  SURVEY_COLUMNS,
  simulate,
  simulateRows,
} from '../../src/simulate/index.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const small = { scenario: 'demo', seed: 3, scale: 0.3 } as const;

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

function toCsv(columns: readonly string[], rows: Record<string, string>[]): string {
  return `${columns.join(',')}\n${rows.map((r) => `${columns.map((c) => r[c]).join(',')}\n`).join('')}`;
}

describe('determinism', () => {
  it('gives the same rows for the same seed and different rows for another seed', () => {
    const a = simulateRows(small);
    const b = simulateRows(small);
    const c = simulateRows({ ...small, seed: 4 });
    expect(b).toEqual(a);
    expect(c.surveys).not.toEqual(a.surveys);
    expect(c.truth.reps).not.toEqual(a.truth.reps);
  });

  it('writes byte-identical files twice, equal to the in-memory rows', async () => {
    const one = await mkdtemp(join(tmpdir(), 'sim-a-'));
    const two = await mkdtemp(join(tmpdir(), 'sim-b-'));
    dirs.push(one, two);
    const s1 = await simulate({ ...small, outDir: one });
    await simulate({ ...small, outDir: two });
    for (const file of ['surveys.csv', 'concessions.csv', 'interactions.csv', 'truth.json']) {
      expect(await readFile(join(two, file))).toEqual(await readFile(join(one, file)));
    }
    const rows = simulateRows(small);
    expect(await readFile(join(one, 'surveys.csv'), 'utf8')).toBe(toCsv(SURVEY_COLUMNS, rows.surveys));
    expect(await readFile(join(one, 'concessions.csv'), 'utf8')).toBe(
      toCsv(CONCESSION_COLUMNS, rows.concessions),
    );
    expect(await readFile(join(one, 'interactions.csv'), 'utf8')).toBe(
      toCsv(INTERACTION_COLUMNS, rows.interactions),
    );
    expect(JSON.parse(await readFile(join(one, 'truth.json'), 'utf8'))).toEqual(rows.truth);
    expect(s1.counts).toEqual(rows.counts);
    expect(s1.counts.surveys).toBe(rows.surveys.length);
  });

  it('switching one behaviour off (strength 0) leaves the rest of the world unchanged', () => {
    // one stream per customer-month and one fork per event: only the fabricators' answers change
    const a = simulateRows(small);
    const b = simulateRows({ ...small, strength: { fabrication: 0 } });
    const fabricators = new Set(
      a.truth.reps.filter((r) => r.labels.includes('fabrication')).map((r) => r.id),
    );
    expect(fabricators.size).toBeGreaterThan(0);
    expect(b.truth.reps.filter((r) => r.labels.includes('fabrication'))).toEqual([]);
    const extracting = new Set(a.truth.customers.map((c) => c.id));
    const withoutId = (rows: typeof a.surveys) =>
      rows
        .filter((s) => !fabricators.has(s.rep_id) && !extracting.has(s.customer_id))
        .map(({ survey_id, ...rest }) => JSON.stringify(rest));
    expect(withoutId(b.surveys)).toEqual(withoutId(a.surveys));
    expect(b.interactions).toEqual(a.interactions);
    expect(b.surveys.length).toBe(a.surveys.length);
  });
});

describe('canonical format', () => {
  const { surveys, concessions, interactions, truth } = simulateRows({
    scenario: 'demo',
    seed: 1,
    scale: 0.3,
  });

  it('uses the canonical columns, ids and value domains', () => {
    expect(Object.keys(surveys[0])).toEqual([...SURVEY_COLUMNS]);
    expect(Object.keys(concessions[0])).toEqual([...CONCESSION_COLUMNS]);
    expect(Object.keys(interactions[0])).toEqual([...INTERACTION_COLUMNS]);
    surveys.forEach((s, i) => {
      expect(s.survey_id).toBe(`S${String(i + 1).padStart(7, '0')}`);
      expect(s.customer_id).toMatch(/^C\d{6}$/);
      expect(s.rep_id).toMatch(/^(R\d{4})?$/);
      expect(s.team).toMatch(s.rep_id ? /^T\d{2}$/ : /^$/);
      expect(['phone', 'email', 'chat']).toContain(s.channel);
      expect(s.sent_at).toMatch(ISO);
      expect(s.contact).toMatch(/^ct[0-9a-f]{16}$/);
      if (s.responded_at) {
        expect(s.responded_at).toMatch(ISO);
        expect(s.responded_at >= s.sent_at).toBe(true);
        expect(Number(s.ltr)).toBeGreaterThanOrEqual(0);
        expect(Number(s.ltr)).toBeLessThanOrEqual(10);
        if (s.rep_id) expect(s.rep_score).toMatch(/^([1-9]|10)$/);
        expect(s.device).toMatch(/^dv[0-9a-f]{16}$/);
      } else {
        expect([s.ltr, s.rep_score, s.followed_up_at, s.device]).toEqual(['', '', '', '']);
      }
      if (s.followed_up_at) expect(s.followed_up_at >= s.responded_at).toBe(true);
    });
    concessions.forEach((k, i) => {
      expect(k.concession_id).toBe(`K${String(i + 1).padStart(6, '0')}`);
      expect(k.granted_at).toMatch(ISO);
      expect(k.amount).toMatch(/^\d+\.\d{2}$/);
      expect(['credit', 'discount', 'fee_waiver', 'free_product', 'upgrade', 'service']).toContain(
        k.category,
      );
      expect([
        '',
        'goodwill',
        'retention',
        'outage',
        'billing_error',
        'failed_install',
        'complaint',
        'missed_appointment',
      ]).toContain(k.reason);
    });
    interactions.forEach((x, i) => {
      expect(x.interaction_id).toBe(`I${String(i + 1).padStart(7, '0')}`);
      expect(x.rep_id).toMatch(/^R\d{4}$/);
      expect(['true', 'false']).toContain(x.resolved);
    });
  });

  it('orders rows by time', () => {
    const sorted = (xs: string[]) => xs.every((x, i) => i === 0 || xs[i - 1] <= x);
    expect(sorted(surveys.map((s) => s.sent_at))).toBe(true);
    expect(sorted(concessions.map((k) => k.granted_at))).toBe(true);
    expect(sorted(interactions.map((x) => x.occurred_at))).toBe(true);
  });

  it('lists every rep once and every labelled customer in the truth', () => {
    const repIds = new Set([...surveys, ...interactions].map((r) => r.rep_id).filter(Boolean));
    const truthIds = truth.reps.map((r) => r.id);
    expect(new Set(truthIds).size).toBe(truthIds.length);
    for (const id of repIds) expect(truthIds).toContain(id);
    expect(truth.customers.every((c) => c.labels.length > 0 && !c.labels.includes('clean'))).toBe(true);
    expect(truth.period).toEqual({ start: '2025-01-01', end: '2026-01-01' });
  });

  it('rejects bad options with a RangeError', () => {
    expect(() => simulateRows({ scenario: 'nope' as 'demo' })).toThrow(RangeError);
    expect(() => simulateRows({ seed: 1.5 })).toThrow(/seed/);
    expect(() => simulateRows({ scale: 0 })).toThrow(/scale/);
    expect(() => simulateRows({ start: '2025-02-30' })).toThrow(/start/);
    expect(() => simulateRows({ strength: { coaching: 2 } })).toThrow(/strength/);
  });
});
