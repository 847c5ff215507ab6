import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONCESSION_COLUMNS, INTERACTION_COLUMNS, SURVEY_COLUMNS } from '../../src/simulate/types.js';
import { runEverything, tempFile, toCsv } from './helpers.js';

/**
 * Fuzz: messy ledgers (mostly plausible rows, with wrong types, bad and
 * mixed timestamps, out-of-scale scores, duplicate ids, unknown reps and
 * customers, quoting hazards) through `loadLedgers` and `analyze` with every
 * detector. Properties: every row is accounted for, the document validates
 * against findings.schema.json and holds no NaN/Infinity, nothing throws.
 * Seeded and bounded in time, so CI sees the same cases every run.
 */

const START = Date.parse('2025-01-06T00:00:00Z');

const pad = (n: number) => String(n).padStart(2, '0');
/** The instant `t` written in one of the formats a ledger may use. */
function formatTime(t: number, style: number): string | number {
  const d = new Date(t);
  const naive = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  switch (style) {
    case 0:
      return `${naive}Z`;
    case 1: {
      const shifted = new Date(t + 2 * 3_600_000).toISOString().slice(0, 19);
      return `${shifted}+02:00`;
    }
    case 2:
      return naive.replace('T', ' ');
    case 3:
      return naive.slice(0, 10);
    default:
      return t; // epoch ms, as Arrow hands them over
  }
}

const garbageTime = fc.constantFrom(
  '',
  ' ',
  '2025-02-30',
  '01/03/2025',
  'soon',
  '2025-13-01T00:00:00Z',
  1e20,
  -1e19,
);
/** A timestamp within ~4 months, in a random format; sometimes garbage. */
const time = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.tuple(fc.integer({ min: 0, max: 120 * 24 * 60 }), fc.integer({ min: 0, max: 4 })),
  },
  { weight: 1, arbitrary: garbageTime },
);
const render = (v: [number, number] | string | number, base = START) =>
  Array.isArray(v) ? formatTime(base + v[0] * 60_000, v[1]) : v;

const score = fc.oneof(
  { weight: 12, arbitrary: fc.integer({ min: 0, max: 10 }).map(String) },
  { weight: 2, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constantFrom('10.0', 'ten', '11', '-1', ' 7 ', '7.5', 'NaN', true, 9, null) },
);
const rep = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 1, max: 8 }).map((i) => `R${i}`) },
  { weight: 1, arbitrary: fc.constantFrom('', ' R1 ', 'Renée', '😀', 'R"9', 'a,b', 'line\nbreak', '=cmd()') },
);
const customer = fc.oneof(
  { weight: 10, arbitrary: fc.integer({ min: 1, max: 40 }).map((i) => `C${i}`) },
  { weight: 1, arbitrary: fc.constantFrom('', 'NEVER-SURVEYED', '\ufeffC1', 'Ｃ１') },
);

const survey = fc
  .record({
    id: fc.integer({ min: 1, max: 600 }),
    customer,
    rep,
    team: fc.constantFrom('T1', 'T2', ''),
    channel: fc.constantFrom('phone', 'email', 'chat', ''),
    sent: time,
    answered: fc.oneof(fc.constant(-1), fc.integer({ min: -60, max: 14 * 24 * 60 })),
    ltr: score,
    repScore: score,
    followUp: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 10 * 24 * 60 })),
    device: fc.constantFrom('', 'd1', 'd2'),
  })
  .map((r) => {
    const sent = render(r.sent);
    const base = typeof sent === 'number' ? sent : Date.parse(String(sent)) || START;
    return {
      survey_id: `S${r.id}`,
      customer_id: r.customer,
      rep_id: r.rep,
      team: r.team,
      channel: r.channel,
      sent_at: sent,
      responded_at: r.answered < 0 ? '' : formatTime(base + r.answered * 60_000, 0),
      ltr: r.answered < 0 ? '' : r.ltr,
      rep_score: r.answered < 0 ? '' : r.repScore,
      followed_up_at: r.followUp < 0 ? '' : formatTime(base + r.followUp * 60_000, 0),
      contact: '',
      device: r.device,
    };
  });

const concession = fc
  .record({
    id: fc.integer({ min: 1, max: 300 }),
    customer,
    rep,
    granted: time,
    amount: fc.oneof(
      { weight: 10, arbitrary: fc.double({ min: 0, max: 500, noNaN: true }).map((x) => x.toFixed(2)) },
      { weight: 1, arbitrary: fc.constantFrom('', '-3', 'free', '1e3', '12,50', Number.NaN, -0) },
    ),
    category: fc.constantFrom('credit', 'discount', 'fee_waiver', 'free_product', ''),
    reason: fc.constantFrom('', '', 'goodwill', 'billing_error', 'outage'),
  })
  .map((r) => ({
    concession_id: `K${r.id}`,
    customer_id: r.customer,
    rep_id: r.rep,
    granted_at: render(r.granted),
    amount: r.amount,
    category: r.category,
    reason: r.reason,
  }));

const interaction = fc
  .record({
    id: fc.integer({ min: 1, max: 600 }),
    customer,
    rep,
    at: time,
    resolved: fc.constantFrom('true', 'false', '', 'yes', 'maybe'),
  })
  .map((r) => ({
    interaction_id: `I${r.id}`,
    customer_id: r.customer,
    rep_id: r.rep,
    occurred_at: render(r.at),
    issue: 'billing',
    resolved: r.resolved,
  }));

const ledgers = fc.record({
  surveys: fc.array(survey, { maxLength: 400, size: 'max' }),
  concessions: fc.array(concession, { maxLength: 150, size: 'max' }),
  interactions: fc.option(fc.array(interaction, { maxLength: 300, size: 'max' }), { nil: undefined }),
  asFiles: fc.boolean(),
});

describe('fuzz: messy ledgers through load + analyze (all detectors)', () => {
  it('accounts for every row, validates against the schema, no NaN/Infinity, no crash', async () => {
    const ran = new Map<string, number>();
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(ledgers, async ({ surveys, concessions, interactions, asFiles }) => {
        // files: epoch numbers become text, which the loader must reject or read the same way
        const inputs = asFiles
          ? {
              surveys: tempFile(toCsv(surveys, SURVEY_COLUMNS)),
              concessions: tempFile(toCsv(concessions, CONCESSION_COLUMNS)),
              interactions: interactions && tempFile(toCsv(interactions, INTERACTION_COLUMNS)),
            }
          : { surveys, concessions, interactions };
        const { result } = await runEverything(
          inputs,
          {},
          {
            surveys: surveys.length,
            concessions: concessions.length,
          },
        );
        runs++;
        for (const id of Object.keys(result.run.tested)) ran.set(id, (ran.get(id) ?? 0) + 1);
      }),
      { seed: 20260214, numRuns: 100, interruptAfterTimeLimit: 15_000, markInterruptAsFailure: false },
    );
    console.log(`fuzz: ${runs} ledgers; runs in which each detector ran:`, Object.fromEntries(ran));
    // the fuzz must reach the detectors, not only the loader
    expect(runs).toBeGreaterThanOrEqual(20);
    expect(ran.size).toBeGreaterThanOrEqual(6);
  }, 60_000);
});
