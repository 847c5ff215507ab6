import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analyze.js';
import type { DetectorId } from '../../src/findings/types.js';
import { loadLedgers } from '../../src/ledger/load.js';

// Small worlds without any gaming, each built around one confounder that once made a detector
// flag honest reps (found by an audit of the detectors, 2026-12-04; the numbers before the fix are
// in each case's comment). Every rep here is honest: a flag is a false accusation.

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.parse('2025-01-01T00:00:00Z');
const iso = (t: number) => new Date(t).toISOString();
type Row = Record<string, unknown>;

/** A seeded linear congruential generator: uniform in [0, 1). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** Goodwill concessions to `customer` from `rep` as a Poisson process (mean gap 30 days) over [from, to]. */
function poissonConcessions(
  rnd: () => number,
  out: Row[],
  customer: string,
  rep: string,
  from: number,
  to: number,
) {
  let t = from;
  for (;;) {
    t += -Math.log(1 - rnd()) * 30 * DAY;
    if (t > to) return;
    out.push({
      concession_id: `K${out.length}`,
      customer_id: customer,
      rep_id: rep,
      granted_at: iso(t),
      amount: 5,
      category: 'credit',
      reason: 'goodwill',
    });
  }
}

async function run(
  ledgers: { surveys: Row[]; concessions: Row[]; interactions?: Row[] },
  detector: DetectorId,
) {
  const result = analyze(await loadLedgers(ledgers), { detectors: [detector], includeAll: true });
  return result.findings;
}

/** Share of p-values at or below `at`. */
const share = (ps: number[], at: number) => ps.filter((p) => p <= at).length / ps.length;

describe('hand-built worlds without gaming flag nobody', () => {
  it('concession-before-survey on a 28-day ledger: no placebo window is no evidence (was: all 8 reps flagged)', async () => {
    const rnd = lcg(777);
    const surveys: Row[] = [];
    const concessions: Row[] = [];
    const interactions: Row[] = [];
    for (let r = 0; r < 8; r++) {
      for (let i = 0; i < 100; i++) {
        const customer = `C${r}-${i}`;
        const sent = START + (7 + Math.floor(rnd() * 21)) * DAY + 9 * HOUR;
        surveys.push({
          survey_id: `S${customer}`,
          customer_id: customer,
          rep_id: `R${r}`,
          sent_at: iso(sent),
        });
        interactions.push({
          interaction_id: `I${customer}`,
          customer_id: customer,
          rep_id: `R${r}`,
          occurred_at: iso(sent + 5 * DAY),
          resolved: 'true',
        });
        poissonConcessions(rnd, concessions, customer, `R${r}`, START - 10 * DAY, START + 28 * DAY);
      }
    }
    const findings = await run({ surveys, concessions, interactions }, 'concession-before-survey');
    expect(findings.filter((f) => f.qValue <= 0.05)).toEqual([]);
  });

  it('concession-before-survey: a rep generous at every contact who surveys every contact (was: p 1.2e-4, high)', async () => {
    const rnd = lcg(99);
    const surveys: Row[] = [];
    const concessions: Row[] = [];
    const interactions: Row[] = [];
    for (const rep of ['GEN', 'R1', 'R2', 'R3', 'R4', 'R5', 'R6']) {
      for (let i = 0; i < 60; i++) {
        const id = `${rep}-${i}`;
        const t = START + Math.floor(rnd() * 300) * DAY + 10 * HOUR;
        interactions.push({
          interaction_id: `I${id}`,
          customer_id: `C${id}`,
          rep_id: rep,
          occurred_at: iso(t),
          resolved: 'true',
        });
        if (rep === 'GEN' || rnd() < 0.8)
          surveys.push({ survey_id: `S${id}`, customer_id: `C${id}`, rep_id: rep, sent_at: iso(t + DAY) });
        if (rnd() < (rep === 'GEN' ? 0.95 : 0.05))
          concessions.push({
            concession_id: `K${id}`,
            customer_id: `C${id}`,
            rep_id: rep,
            granted_at: iso(t + 2 * HOUR),
            amount: 5,
            category: 'credit',
            reason: 'goodwill',
          });
      }
    }
    const findings = await run({ surveys, concessions, interactions }, 'concession-before-survey');
    expect(findings.filter((f) => f.qValue <= 0.05)).toEqual([]);
  });

  it('concession-during-survey: a rep whose surveys stay open 60 days (was: p 1.7e-7)', async () => {
    const rnd = lcg(12345);
    const surveys: Row[] = [];
    const concessions: Row[] = [];
    for (const rep of ['LONG', 'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8']) {
      for (let i = 0; i < 150; i++) {
        const customer = `C${rep}-${i}`;
        const sent = START + Math.floor(rnd() * 300) * DAY + 9 * HOUR;
        const open = rep === 'LONG' ? 55 + rnd() * 10 : 1 + rnd() * 2;
        surveys.push({
          survey_id: `S${customer}`,
          customer_id: customer,
          rep_id: rep,
          sent_at: iso(sent),
          responded_at: iso(sent + open * DAY),
          ltr: 8,
          rep_score: 9,
        });
        poissonConcessions(rnd, concessions, customer, rep, START - 50 * DAY, START + 350 * DAY);
      }
    }
    const findings = await run({ surveys, concessions }, 'concession-during-survey');
    expect(findings.filter((f) => f.qValue <= 0.05)).toEqual([]);
  });

  it('concession-during-survey: an account whose 5 contacts are surveyed at once counts a concession once (was 2.7% of p <= 0.001)', async () => {
    const pValues: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const rnd = lcg(seed * 31337);
      const surveys: Row[] = [];
      const concessions: Row[] = [];
      for (let r = 0; r < 20; r++) {
        for (let i = 0; i < 30; i++) {
          const customer = `C${r}-${i}`;
          for (let cycle = 0; cycle < 3; cycle++) {
            const sent = START + (cycle * 100 + Math.floor(rnd() * 90)) * DAY + 9 * HOUR;
            for (let j = 0; j < 5; j++)
              surveys.push({
                survey_id: `S${customer}-${cycle}-${j}`,
                customer_id: customer,
                rep_id: `R${r}`,
                sent_at: iso(sent),
                responded_at: iso(sent + rnd() * 8 * DAY),
                ltr: 8,
                rep_score: 9,
              });
          }
          poissonConcessions(rnd, concessions, customer, `R${r}`, START - 20 * DAY, START + 320 * DAY);
        }
      }
      pValues.push(...(await run({ surveys, concessions }, 'concession-during-survey')).map((f) => f.pValue));
    }
    console.log(
      `5-contact accounts, share of p <= 0.01 / 0.001: ${share(pValues, 0.01)} / ${share(pValues, 0.001)} of ${pValues.length}`,
    );
    expect(share(pValues, 0.001)).toBeLessThanOrEqual(0.005);
    expect(share(pValues, 0.01)).toBeLessThanOrEqual(0.02);
  }, 120_000);

  it('rep-relationship-gap: a rep who serves escalations (ltr 0-3), scored like everyone (was: p 5e-8, high)', async () => {
    const rnd = lcg(4242);
    const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
    const surveys: Row[] = [];
    for (let r = 0; r < 15; r++) {
      for (let i = 0; i < 100; i++) {
        const id = `${r}-${i}`;
        const ltr = r === 0 ? Math.floor(rnd() * 4) : Math.floor(rnd() * 11);
        const score = Math.max(1, Math.min(10, Math.round(5 + 0.5 * ltr + gauss())));
        const sent = START + Math.floor(rnd() * 300) * DAY;
        surveys.push({
          survey_id: `S${id}`,
          customer_id: `C${id}`,
          rep_id: r === 0 ? 'ESC' : `R${r}`,
          sent_at: iso(sent),
          responded_at: iso(sent + HOUR),
          ltr,
          rep_score: score,
        });
      }
    }
    const concessions = [
      {
        concession_id: 'K',
        customer_id: 'C0-0',
        rep_id: 'ESC',
        granted_at: iso(START),
        amount: 1,
        category: 'credit',
      },
    ];
    const findings = await run({ surveys, concessions }, 'rep-relationship-gap');
    expect(findings.filter((f) => f.qValue <= 0.05)).toEqual([]);
  });

  it('concession-before-survey in Asia/Tokyo: billing credits and surveys on the local 1st keep their phase (was: 10 of 10 reps flagged)', async () => {
    const rnd = lcg(5150);
    const pad = (n: number) => String(n).padStart(2, '0');
    const surveys: Row[] = [];
    const concessions: Row[] = [];
    const interactions: Row[] = [];
    for (let r = 0; r < 10; r++) {
      for (let i = 0; i < 60; i++) {
        const customer = `C${r}-${i}`;
        for (let m = 1; m <= 12; m++) {
          const day = `2025-${pad(m)}-01`;
          // surveys batched at 02:00 local on the 1st; the billing run's credits between 00:00 and 01:00
          if (rnd() < 0.5)
            surveys.push({
              survey_id: `S${customer}-${m}`,
              customer_id: customer,
              rep_id: `R${r}`,
              sent_at: `${day} 02:00:00`,
            });
          if (rnd() < 0.3)
            concessions.push({
              concession_id: `K${customer}-${m}`,
              customer_id: customer,
              rep_id: `R${r}`,
              granted_at: `${day} 00:${pad(Math.floor(rnd() * 60))}:00`,
              amount: 5,
              category: 'credit',
              reason: 'goodwill',
            });
        }
        interactions.push({
          interaction_id: `I${customer}`,
          customer_id: customer,
          rep_id: `R${r}`,
          occurred_at: '2025-06-15 12:00:00',
          resolved: 'true',
        });
      }
    }
    const ledgers = await loadLedgers({ surveys, concessions, interactions }, { timeZone: 'Asia/Tokyo' });
    const result = analyze(ledgers, { detectors: ['concession-before-survey', 'account-extraction'] });
    expect(result.findings).toEqual([]);
  });

  // Repeat callers: each customer's issue is 4 contacts within hours with one rep; whether it is
  // surveyed, conceded or resolved does not depend on anything else.
  function repeatCallers(seed: number, withConcessions: boolean) {
    const rnd = lcg(seed);
    const surveys: Row[] = [];
    const concessions: Row[] = [
      {
        concession_id: 'K0',
        customer_id: 'C0-0',
        rep_id: 'R0',
        granted_at: iso(START),
        amount: 1,
        category: 'credit',
      },
    ];
    const interactions: Row[] = [];
    for (let r = 0; r < 20; r++) {
      for (let i = 0; i < 40; i++) {
        const customer = `C${r}-${i}`;
        const t0 = START + Math.floor(rnd() * 300) * DAY + 9 * HOUR;
        const resolved = String(rnd() < 0.7);
        for (let b = 0; b < 4; b++)
          interactions.push({
            interaction_id: `I${customer}-${b}`,
            customer_id: customer,
            rep_id: `R${r}`,
            occurred_at: iso(t0 + b * HOUR),
            resolved,
          });
        if (rnd() < 0.6)
          surveys.push({
            survey_id: `S${customer}`,
            customer_id: customer,
            rep_id: `R${r}`,
            sent_at: iso(t0 + DAY),
          });
        if (withConcessions && rnd() < 0.3)
          concessions.push({
            concession_id: `K${customer}`,
            customer_id: customer,
            rep_id: `R${r}`,
            granted_at: iso(t0 + 4 * HOUR),
            amount: 5,
            category: 'credit',
            reason: 'goodwill',
          });
      }
    }
    return { surveys, concessions, interactions };
  }

  it('repeat contacts are one trial: concession-before-survey and survey-suppression stay calibrated (were 6.5% and 0.4% of p <= 0.001)', async () => {
    const before: number[] = [];
    const suppression: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      before.push(
        ...(await run(repeatCallers(seed * 7919, true), 'concession-before-survey')).map((f) => f.pValue),
      );
      suppression.push(
        ...(await run(repeatCallers(seed * 104729, false), 'survey-suppression')).map((f) => f.pValue),
      );
    }
    console.log(
      'repeat callers, share of p <= 0.01 / 0.001:',
      `concession-before-survey ${share(before, 0.01)} / ${share(before, 0.001)} of ${before.length};`,
      `survey-suppression ${share(suppression, 0.01)} / ${share(suppression, 0.001)} of ${suppression.length}`,
    );
    expect(share(before, 0.001)).toBeLessThanOrEqual(0.005);
    expect(share(before, 0.01)).toBeLessThanOrEqual(0.02);
    expect(share(suppression, 0.001)).toBeLessThanOrEqual(0.005);
    expect(share(suppression, 0.01)).toBeLessThanOrEqual(0.02);
  }, 120_000);
});
