import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type AnalysisResult, analyze } from '../../src/analyze.js';
import type { DetectorId, Finding } from '../../src/findings/types.js';
import { loadLedgers } from '../../src/ledger/load.js';
import { simulateRows } from '../../src/simulate/simulate.js';
import type { ConcessionRow, InteractionRow, SimulatedRows, SurveyRow } from '../../src/simulate/types.js';
import { EXPORT_DIALECTS, writeAs } from '../helpers/exportDialects.js';
import { FIXED_NOW, tempFile } from './helpers.js';

/**
 * Invariances on a small simulated world with planted gaming (so that there
 * are findings to lose): representations of the same data must give the
 * same findings. Every test is compared, not only the listed findings
 * (`includeAll`), by entity: p-value, q-value, effect and interval.
 */

type Rows = Pick<SimulatedRows, 'surveys' | 'concessions' | 'interactions'>;

const world = simulateRows({ scenario: 'demo', seed: 11, scale: 0.25 });
const ALPHA = 0.05;

async function run(rows: Rows): Promise<AnalysisResult> {
  const ledgers = await loadLedgers({
    surveys: rows.surveys,
    concessions: rows.concessions,
    interactions: rows.interactions,
  });
  return analyze(ledgers, { includeAll: true, now: FIXED_NOW });
}

/** detector|type|id → the numbers of its test. */
function byEntity(result: AnalysisResult, rename: (type: string, id: string) => string = (_, id) => id) {
  const out = new Map<string, Pick<Finding, 'pValue' | 'qValue' | 'effect' | 'ci'>>();
  for (const f of result.findings) {
    out.set(`${f.detector}|${f.entity.type}|${rename(f.entity.type, f.entity.id)}`, {
      pValue: f.pValue,
      qValue: f.qValue,
      effect: f.effect,
      ci: f.ci,
    });
  }
  return out;
}

const baseline = await run(world);
const base = byEntity(baseline);
const flagged = (r: AnalysisResult) =>
  r.findings.filter((f) => f.qValue <= ALPHA).map((f) => `${f.detector}|${f.entity.type}|${f.entity.id}`);

type Numbers = Pick<Finding, 'pValue' | 'qValue' | 'effect' | 'ci'>;

/**
 * Equal up to floating-point reassociation: the same data read in another
 * order is summed in another order (dictionary codes follow first
 * appearance), which moves the last few bits (observed: |Δp| ≤ 3e-12).
 * 1e-9 relative is far below anything that could change a flag or a digit shown.
 */
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-300);
const same = (a: Numbers, e: Numbers, withQ: boolean) =>
  close(a.pValue, e.pValue) &&
  close(a.effect, e.effect) &&
  close(a.ci[0], e.ci[0]) &&
  close(a.ci[1], e.ci[1]) &&
  (!withQ || close(a.qValue, e.qValue));

/** Per detector: how many tests differ (missing, extra, or other numbers) and the largest p-value change. */
function differences(actual: Map<string, Numbers>, expected: Map<string, Numbers>, withQ: boolean) {
  const out: Record<string, { differ: number; maxPChange: number; flagsChanged: number; example?: string }> =
    {};
  for (const key of new Set([...actual.keys(), ...expected.keys()])) {
    const a = actual.get(key);
    const e = expected.get(key);
    if (a && e && same(a, e, withQ)) continue;
    const detector = key.split('|')[0];
    out[detector] ??= { differ: 0, maxPChange: 0, flagsChanged: 0 };
    const d = out[detector];
    d.differ++;
    if (a && e) d.maxPChange = Math.max(d.maxPChange, Math.abs(a.pValue - e.pValue));
    if ((a?.qValue ?? 1) <= ALPHA !== (e?.qValue ?? 1) <= ALPHA) d.flagsChanged++;
    d.example ??= `${key}: ${JSON.stringify(e)} → ${JSON.stringify(a)}`;
  }
  return out;
}

/**
 * Same tests with the same numbers. With `detectors`, only their tests are
 * compared, and q-values are left out (they depend, through the one BH
 * adjustment, on every other detector's p-values).
 */
function expectSameTests(actual: Map<string, Numbers>, detectors?: readonly DetectorId[]) {
  const keep = (m: Map<string, Numbers>) =>
    new Map([...m].filter(([k]) => !detectors || detectors.includes(k.split('|')[0] as DetectorId)));
  const diff = differences(keep(actual), keep(base), !detectors);
  expect(diff, JSON.stringify(diff, null, 1)).toEqual({});
}

/**
 * Detectors with billing-calendar logic: account-extraction and
 * concession-before-survey (cycle surveys) compare a window with the same
 * window moved by ±1..±2 calendar months (addMonths clamps to month ends,
 * so a month is 28–31 days), because billing credits and billing-triggered
 * surveys recur on the same day of each calendar month. Shifting the data by
 * a constant that is not a whole calendar cycle moves it against month
 * boundaries (a credit on the 1st of every month lands on the 22nd–25th), so
 * their numbers legitimately change; their flags must not.
 */
const BILLING_CALENDAR: readonly DetectorId[] = ['account-extraction', 'concession-before-survey'];
const ALL = Object.keys(
  base.size ? Object.fromEntries([...base.keys()].map((k) => [k.split('|')[0], 1])) : {},
);
const NOT_CALENDAR = ALL.filter((d) => !BILLING_CALENDAR.includes(d as DetectorId)) as DetectorId[];

/** Deterministic permutation from a seed (xorshift32 Fisher–Yates). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    const j = (s >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

const mapTimes = <R extends Record<string, string>>(
  rows: R[],
  columns: (keyof R)[],
  f: (v: string) => string,
) =>
  rows.map((r) => {
    const copy = { ...r };
    for (const c of columns) if (copy[c] !== '') copy[c] = f(copy[c]) as R[keyof R];
    return copy;
  });

const SURVEY_TIMES: (keyof SurveyRow)[] = ['sent_at', 'responded_at', 'followed_up_at'];
const CONCESSION_TIMES: (keyof ConcessionRow)[] = ['granted_at'];
const INTERACTION_TIMES: (keyof InteractionRow)[] = ['occurred_at'];

function mapAllTimes(rows: Rows, f: (v: string) => string): Rows {
  return {
    surveys: mapTimes(rows.surveys, SURVEY_TIMES, f),
    concessions: mapTimes(rows.concessions, CONCESSION_TIMES, f),
    interactions: mapTimes(rows.interactions, INTERACTION_TIMES, f),
  };
}

describe('invariances (demo world, seed 11, scale 0.25)', () => {
  it('the world has findings to lose', () => {
    expect(flagged(baseline).length).toBeGreaterThan(3);
  });

  it('shuffling the rows of every ledger changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const result = await run({
          surveys: shuffled(world.surveys, seed),
          concessions: shuffled(world.concessions, seed + 1),
          interactions: shuffled(world.interactions, seed + 2),
        });
        expectSameTests(byEntity(result));
      }),
      { seed: 101, numRuns: 3 },
    );
  });

  it('writing the same instants with a +02:00 offset changes nothing', async () => {
    const plus2 = (v: string) => {
      const t = Date.parse(v);
      return `${new Date(t + 7_200_000).toISOString().slice(0, 19)}+02:00`;
    };
    expectSameTests(byEntity(await run(mapAllTimes(world, plus2))));
  });

  it('renaming ids consistently (a random bijection: sort order changes too) leaves every test unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), async (seed) => {
        const names = new Map<string, string>();
        const renamer = (prefix: string, values: string[]) => {
          const order = shuffled([...new Set(values)].filter(Boolean), seed);
          order.forEach((v, i) => {
            names.set(`${prefix}:${v}`, `${prefix}-${String(i).padStart(5, '0')}-${(i * 7919) % 97}`);
          });
          return (v: string) => (v === '' ? v : names.get(`${prefix}:${v}`)!);
        };
        const all = [...world.surveys, ...world.concessions, ...world.interactions] as Record<
          string,
          string
        >[];
        const rep = renamer(
          'rep',
          all.map((r) => r.rep_id),
        );
        const customer = renamer(
          'cust',
          all.map((r) => r.customer_id),
        );
        const team = renamer(
          'team',
          world.surveys.map((r) => r.team),
        );
        const sid = renamer(
          's',
          world.surveys.map((r) => r.survey_id),
        );
        const kid = renamer(
          'k',
          world.concessions.map((r) => r.concession_id),
        );
        const iid = renamer(
          'i',
          world.interactions.map((r) => r.interaction_id),
        );
        const result = await run({
          surveys: world.surveys.map((r) => ({
            ...r,
            survey_id: sid(r.survey_id),
            customer_id: customer(r.customer_id),
            rep_id: rep(r.rep_id),
            team: team(r.team),
          })),
          concessions: world.concessions.map((r) => ({
            ...r,
            concession_id: kid(r.concession_id),
            customer_id: customer(r.customer_id),
            rep_id: rep(r.rep_id),
          })),
          interactions: world.interactions.map((r) => ({
            ...r,
            interaction_id: iid(r.interaction_id),
            customer_id: customer(r.customer_id),
            rep_id: rep(r.rep_id),
          })),
        });
        const back = new Map<string, string>();
        for (const [k, v] of names) back.set(v, k.slice(k.indexOf(':') + 1));
        const renamedBack = byEntity(result, (_, id) => back.get(id) ?? id);
        expectSameTests(renamedBack);
      }),
      { seed: 202, numRuns: 2 },
    );
  });

  /** Every timestamp moved by `ms` milliseconds. */
  const shiftedBy = (ms: number) => mapAllTimes(world, (v) => new Date(Date.parse(v) + ms).toISOString());
  const anyShift = fc.integer({ min: -2 * 365 * 86_400, max: 2 * 365 * 86_400 }).filter((s) => s !== 0);

  it('shifting every timestamp by any constant leaves the detectors without billing-calendar logic unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(anyShift, async (seconds) => {
        expectSameTests(byEntity(await run(shiftedBy(seconds * 1000))), NOT_CALENDAR);
      }),
      // a week back and 13 hours forward always, then two drawn shifts
      { seed: 303, numRuns: 4, examples: [[-7 * 86_400], [13 * 3_600]] },
    );
  });

  it('shifting every timestamp by any constant moves no flag (billing-calendar p-values move, by design)', async () => {
    await fc.assert(
      fc.asyncProperty(anyShift, async (seconds) => {
        const result = await run(shiftedBy(seconds * 1000));
        const moved = differences(byEntity(result), base, false);
        console.log(`shift ${(seconds / 86_400).toFixed(2)} days: tests with other numbers`, moved);
        expect(flagged(result).sort()).toEqual(flagged(baseline).sort());
      }),
      { seed: 304, numRuns: 4, examples: [[-7 * 86_400], [45 * 86_400]] },
    );
  });

  // The Gregorian calendar repeats every 28 years between 1901 and 2099 (10,227 days: same
  // weekdays, month lengths and leap days), so this constant shift keeps every billing phase.
  it('a shift by 28 years (a whole calendar cycle) changes nothing at all, q-values included', async () => {
    expectSameTests(byEntity(await run(shiftedBy(-10_227 * 86_400_000))));
  });

  it('duplicating the whole input is quarantined as duplicate-id, not double-counted', async () => {
    const twice = {
      surveys: [...world.surveys, ...world.surveys],
      concessions: [...world.concessions, ...world.concessions],
      interactions: [...world.interactions, ...world.interactions],
    };
    const result = await run(twice);
    for (const [ledger, n] of [
      ['surveys', world.surveys.length],
      ['concessions', world.concessions.length],
    ] as const) {
      expect(result.dataQuality[ledger]).toEqual({
        accepted: n,
        quarantined: n,
        reasons: { 'duplicate-id': n },
      });
    }
    expect(result.dataQuality.interactions?.reasons).toEqual({ 'duplicate-id': world.interactions.length });
    expectSameTests(byEntity(result));
  });

  it('adding a clean rep or clean customers flags nobody else beyond what the FDR adjustment moves', async () => {
    const cleanRep = world.truth.reps.find((r) => r.labels.includes('clean') && r.role === 'agent')!;
    const gaming = new Set(world.truth.customers.map((c) => c.id));
    const cleanCustomers = [...new Set(world.surveys.map((s) => s.customer_id))]
      .filter((c) => !gaming.has(c))
      .slice(0, 40);
    const cloneRep = (id: string) => (id === cleanRep.id ? 'R-NEW-CLEAN' : id);
    const picked = new Set(cleanCustomers);
    const cloneCustomer = (id: string) => `${id}-CLONE`;
    const added: Rows = {
      surveys: [
        ...world.surveys,
        ...world.surveys
          .filter((s) => s.rep_id === cleanRep.id)
          .map((s) => ({ ...s, survey_id: `${s.survey_id}-R`, rep_id: cloneRep(s.rep_id) })),
        ...world.surveys
          .filter((s) => picked.has(s.customer_id))
          .map((s) => ({ ...s, survey_id: `${s.survey_id}-C`, customer_id: cloneCustomer(s.customer_id) })),
      ],
      concessions: [
        ...world.concessions,
        ...world.concessions
          .filter((c) => c.rep_id === cleanRep.id)
          .map((c) => ({ ...c, concession_id: `${c.concession_id}-R`, rep_id: cloneRep(c.rep_id) })),
        ...world.concessions
          .filter((c) => picked.has(c.customer_id))
          .map((c) => ({
            ...c,
            concession_id: `${c.concession_id}-C`,
            customer_id: cloneCustomer(c.customer_id),
          })),
      ],
      interactions: [
        ...world.interactions,
        ...world.interactions
          .filter((i) => i.rep_id === cleanRep.id)
          .map((i) => ({ ...i, interaction_id: `${i.interaction_id}-R`, rep_id: cloneRep(i.rep_id) })),
        ...world.interactions
          .filter((i) => picked.has(i.customer_id))
          .map((i) => ({
            ...i,
            interaction_id: `${i.interaction_id}-C`,
            customer_id: cloneCustomer(i.customer_id),
          })),
      ],
    };
    const result = await run(added);
    const before = new Map(
      baseline.findings.map((f) => [`${f.detector}|${f.entity.type}|${f.entity.id}`, f]),
    );
    const newlyFlagged = result.findings
      .filter((f) => f.qValue <= ALPHA)
      .map((f) => ({ key: `${f.detector}|${f.entity.type}|${f.entity.id}`, f }))
      .filter(({ key }) => !flagged(baseline).includes(key));
    console.log(
      'adding a clean rep and 40 clean customers: newly flagged',
      newlyFlagged.map(
        ({ key, f }) => `${key} q ${f.qValue.toFixed(3)} (before ${before.get(key)?.qValue.toFixed(3)})`,
      ),
    );
    for (const { key, f } of newlyFlagged) {
      // the clones themselves are clean: they must never be flagged
      expect(key).not.toMatch(/R-NEW-CLEAN|-CLONE/);
      // an existing entity may cross alpha only from just above it: one more peer and a few more
      // tests move q-values a little, they must not turn an unremarkable entity into a finding
      expect(before.get(key)?.qValue ?? 1, `${key} (q now ${f.qValue})`).toBeLessThanOrEqual(2 * ALPHA);
    }
  });
});

/**
 * The same ledgers as other tools export them: each dialect's timestamps, its spelling of an empty
 * cell (in every column, ids included), line ends, delimiter and encoding. Loaded from those files,
 * every test must equal the baseline's (loaded from the rows).
 */
describe('export dialects give the same tests', () => {
  for (const [name, dialect] of Object.entries(EXPORT_DIALECTS)) {
    it(`as ${name} writes them`, async () => {
      const ledgers = await loadLedgers({
        surveys: tempFile(writeAs(world.surveys, SURVEY_TIMES as string[], dialect)),
        concessions: tempFile(writeAs(world.concessions, CONCESSION_TIMES as string[], dialect)),
        interactions: tempFile(writeAs(world.interactions, INTERACTION_TIMES as string[], dialect)),
      });
      expect(ledgers.quality.surveys.quarantined + ledgers.quality.concessions.quarantined).toBe(
        baseline.dataQuality.surveys.quarantined + baseline.dataQuality.concessions.quarantined,
      );
      expectSameTests(byEntity(analyze(ledgers, { includeAll: true, now: FIXED_NOW })));
    });
  }
});
