import { describe, expect, it } from 'vitest';
import { detectAccountExtraction } from '../../src/detectors/accountExtraction.js';
import {
  concessionTimingPValues,
  detectConcessionBeforeSurvey,
} from '../../src/detectors/concessionBeforeSurvey.js';
import { detectConcessionDuringSurvey } from '../../src/detectors/concessionDuringSurvey.js';
import type { Test } from '../../src/findings/types.js';
import { loadLedgers } from '../../src/ledger/load.js';
import { createRandom } from '../../src/stats/random.js';

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString();
const START = Date.parse('2025-01-01T00:00:00Z');

/**
 * A small hand-built world: every rep serves customers in interactions, a
 * share `inviteRate` of them followed next day by the rep's survey invitation.
 * `buyer` concedes right before the invitations it sends; `generous` concedes
 * at half of all its interactions, surveyed or not; the rest rarely concede.
 */
function world(seed = 1, inviteRate = 0.8) {
  const rng = createRandom(seed);
  const surveys: Record<string, unknown>[] = [];
  const concessions: Record<string, unknown>[] = [];
  const interactions: Record<string, unknown>[] = [];
  const reps = ['buyer', 'generous', 'R1', 'R2', 'R3', 'R4', 'R5', 'R6'];
  let customer = 0;
  for (const rep of reps) {
    for (let i = 0; i < 120; i++) {
      const c = `C${customer++}`;
      const t = START + rng.int(300) * DAY + 10 * 3_600_000;
      const id = `${rep}-${i}`;
      interactions.push({
        interaction_id: `I${id}`,
        customer_id: c,
        rep_id: rep,
        occurred_at: iso(t),
        resolved: 'true',
      });
      const surveyed = rng.uniform() < inviteRate;
      const sent = t + DAY;
      if (surveyed) {
        const answered = rng.uniform() < 0.5;
        surveys.push({
          survey_id: `S${id}`,
          customer_id: c,
          rep_id: rep,
          sent_at: iso(sent),
          responded_at: answered ? iso(sent + 3 * 3_600_000) : '',
          ltr: answered ? 8 : '',
          rep_score: answered ? 9 : '',
        });
      }
      const concede =
        rep === 'generous'
          ? rng.uniform() < 0.5
          : rep === 'buyer'
            ? surveyed && rng.uniform() < 0.6
            : rng.uniform() < 0.05;
      if (concede) {
        concessions.push({
          concession_id: `K${id}`,
          customer_id: c,
          rep_id: rep,
          granted_at: iso(rep === 'buyer' ? sent - 2 * 3_600_000 : t + 3_600_000),
          amount: 20,
          category: rep === 'buyer' ? 'free_product' : 'credit',
          reason: 'goodwill',
        });
      }
      // a service-recovery credit after half of R1's interactions, all surveyed: legitimate, must not count
      if (rep === 'R1' && surveyed && i % 2 === 0) {
        concessions.push({
          concession_id: `KR${id}`,
          customer_id: c,
          rep_id: rep,
          granted_at: iso(t + 3_600_000),
          amount: 15,
          category: 'credit',
          reason: 'outage',
        });
      }
    }
  }
  return { surveys, concessions, interactions };
}

const byRep = (tests: Test[]) => new Map(tests.map((t) => [t.entity.id, t]));

describe('concession-before-survey', () => {
  it('flags the rep who concedes only before surveys, not the generous one nor the recovery-heavy one', async () => {
    const ledgers = await loadLedgers(world());
    const result = detectConcessionBeforeSurvey(ledgers);
    if (!result.ran) throw new Error(result.reason);
    const tests = byRep(result.tests);
    expect(tests.get('buyer')?.pValue).toBeLessThan(1e-6);
    expect(tests.get('generous')?.pValue).toBeGreaterThan(0.01);
    expect(tests.get('R1')?.pValue).toBeGreaterThan(0.01);
    expect(tests.get('R1')?.evidence.recoveryExcluded).toBeGreaterThan(40);
    const buyer = tests.get('buyer')!;
    expect(buyer.evidence.basis).toBe('interactions');
    expect(buyer.evidence.nonRevenueShareBefore).toBe(1);
    expect(buyer.summary).toMatch(
      /^buyer granted a concession before \d+% of its \d+ surveyed interactions vs 0% at other times/,
    );
    expect(buyer.ci[0]).toBeLessThan(buyer.effect);
    expect(buyer.ci[1]).toBeGreaterThan(buyer.effect);
  });

  it('reads an empty reason as exports spell it (NULL, NA, \\N, #N/A) as no reason, not as a recovery code', async () => {
    for (const spelling of ['NULL', 'NA', '\\N', '#N/A', 'null']) {
      const w = world();
      const concessions = w.concessions.map((k) =>
        k.reason === 'goodwill' ? { ...k, reason: spelling } : k,
      );
      const result = detectConcessionBeforeSurvey(await loadLedgers({ ...w, concessions }));
      if (!result.ran) throw new Error(result.reason);
      const buyer = byRep(result.tests).get('buyer');
      expect([spelling, buyer?.evidence.recoveryExcluded]).toEqual([spelling, 0]);
      expect(buyer?.pValue).toBeLessThan(1e-6);
    }
  });

  it('matches non-revenue categories whatever their case and separators (Free Product is free_product)', async () => {
    for (const spelling of ['Free Product', 'FREE-PRODUCT', 'free  product']) {
      const w = world();
      const concessions = w.concessions.map((k) =>
        k.category === 'free_product' ? { ...k, category: spelling } : k,
      );
      const result = detectConcessionBeforeSurvey(await loadLedgers({ ...w, concessions }));
      if (!result.ran) throw new Error(result.reason);
      expect([spelling, byRep(result.tests).get('buyer')?.evidence.nonRevenueShareBefore]).toEqual([
        spelling,
        1,
      ]);
    }
  });

  it("hands account-extraction each rep's p-value, from the run's own test when it has one", async () => {
    const ledgers = await loadLedgers(world());
    const options = { windowDays: 5 };
    const fresh = concessionTimingPValues(ledgers, options); // nothing to reuse: runs the test
    const result = detectConcessionBeforeSurvey(ledgers, options);
    if (!result.ran || !fresh) throw new Error('did not run');
    const reused = concessionTimingPValues(ledgers, options);
    reused?.fill(0); // a copy: the next caller's values are intact
    const again = concessionTimingPValues(ledgers, options);
    for (const t of result.tests) {
      const rep = ledgers.ids.rep.index.get(t.entity.id) as number;
      expect([fresh[rep], again?.[rep]]).toEqual([t.pValue, t.pValue]);
    }
    expect(again?.filter((p) => !Number.isNaN(p)).length).toBe(result.tests.length);
    // settings under which the test does not run
    expect(concessionTimingPValues(ledgers, { minInteractions: 10_000 })).toBeUndefined();
  });

  it('without interactions, compares the share of concessions preceding surveys with peers', async () => {
    // Honest concessions precede a survey as often as interactions are surveyed (here 30%),
    // so a buyer stands out against its peers' share.
    const { surveys, concessions } = world(1, 0.3);
    const result = detectConcessionBeforeSurvey(await loadLedgers({ surveys, concessions }));
    if (!result.ran) throw new Error(result.reason);
    const tests = byRep(result.tests);
    expect(tests.get('buyer')?.evidence.basis).toBe('concessions');
    expect(tests.get('buyer')?.pValue).toBeLessThan(1e-4);
    expect(tests.get('generous')?.pValue).toBeGreaterThan(0.05);
  });

  it('without interactions and with most interactions surveyed, it has little power (and says nothing)', async () => {
    // 80% surveyed: honest reps' concessions precede a survey 80% of the time, a buyer's 100%.
    // Only the interaction ledger separates them (first test); the peer share cannot, and must not pretend to.
    const { surveys, concessions } = world(1, 0.8);
    const result = detectConcessionBeforeSurvey(await loadLedgers({ surveys, concessions }));
    if (!result.ran) throw new Error(result.reason);
    expect(result.tests.every((t) => t.pValue > 0.01)).toBe(true);
  });

  it('says why it did not run', async () => {
    const { surveys } = world();
    const result = detectConcessionBeforeSurvey(await loadLedgers({ surveys, concessions: [] }));
    expect(result).toEqual({ ran: false, reason: 'the concession ledger is empty' });
  });

  it('rejects bad options with a clear message', async () => {
    const ledgers = await loadLedgers(world());
    expect(() => detectConcessionBeforeSurvey(ledgers, { windowDays: -1 })).toThrow(
      'option windowDays must be a number in [0.01, 365], got -1',
    );
  });
});

describe('concession-during-survey', () => {
  it('flags a rep who concedes while its surveys are open', async () => {
    const w = world(2);
    // R6 concedes between invitation and response on 10 of its answered surveys
    let n = 0;
    for (const s of w.surveys) {
      if (s.rep_id !== 'R6' || s.responded_at === '' || n >= 10) continue;
      n++;
      w.concessions.push({
        concession_id: `KD${n}`,
        customer_id: s.customer_id,
        rep_id: 'R6',
        granted_at: iso(Date.parse(s.sent_at as string) + 3_600_000),
        amount: 30,
        category: 'upgrade',
        reason: '',
      });
    }
    const result = detectConcessionDuringSurvey(await loadLedgers(w));
    if (!result.ran) throw new Error(result.reason);
    const tests = byRep(result.tests);
    expect(tests.get('R6')?.evidence.concessionsDuring).toBe(10);
    expect(tests.get('R6')?.pValue).toBeLessThan(1e-6);
    // a two-sided interval around the rate ratio, not the one-sided test's [lower, ∞)
    const r6 = tests.get('R6')!;
    expect(r6.ci[0]).toBeLessThan(r6.effect);
    expect(r6.ci[1]).toBeGreaterThan(r6.effect);
    expect(r6.ci[1]).toBeLessThan(1e6);
    expect(tests.get('generous')?.pValue).toBe(1);
  });

  it('does not run without responded_at', async () => {
    const { surveys, concessions } = world();
    const stripped = surveys.map(({ responded_at: _r, ltr: _l, rep_score: _s, ...rest }) => rest);
    const result = detectConcessionDuringSurvey(await loadLedgers({ surveys: stripped, concessions }));
    expect(result).toEqual({ ran: false, reason: 'the survey ledger has no responded_at column' });
  });
});

/**
 * 30 accounts `${prefix}0` … `${prefix}29` with quarterly survey cycles (the 10th of every third month
 * from 2025-01: placebo windows a month or two away fall between cycles), each with one concession
 * mid-cycle at a time unrelated to surveys; `planted` gives an account's concession before cycle `m`
 * (its rep, time, amount, reason), or nothing.
 */
function quarterlyAccounts(
  prefix: string,
  surveyRep: (m: number) => string,
  planted: (
    c: number,
    m: number,
    sent: number,
  ) => { rep: string; at: number; amount: number; reason: string } | undefined,
) {
  const surveys: Record<string, unknown>[] = [];
  const concessions: Record<string, unknown>[] = [];
  for (let c = 0; c < 30; c++) {
    const customer = `${prefix}${c}`;
    for (let m = 0; m < 18; m += 3) {
      const sent = Date.UTC(2025, m, 10, 10);
      surveys.push({
        survey_id: `S${c}-${m}`,
        customer_id: customer,
        rep_id: surveyRep(m),
        sent_at: iso(sent),
      });
      const k = planted(c, m, sent);
      if (k)
        concessions.push({
          concession_id: `K${c}-${m}`,
          customer_id: customer,
          rep_id: k.rep,
          granted_at: iso(k.at),
          amount: k.amount,
          category: 'credit',
          reason: k.reason,
        });
    }
    concessions.push({
      concession_id: `KX${c}`,
      customer_id: customer,
      rep_id: 'AM',
      granted_at: iso(Date.UTC(2025, 7, 25)),
      amount: 10,
      category: 'credit',
      reason: '',
    });
  }
  return { surveys, concessions };
}

describe('account-extraction', () => {
  it('flags an account that gets a concession before every survey cycle, not its quiet peers', async () => {
    // A0's amounts escalate, A1's stay the same; both from a different rep each cycle, 3 days ahead
    const { surveys, concessions } = quarterlyAccounts(
      'A',
      () => 'AM',
      (c, m, sent) =>
        c <= 1
          ? { rep: `R${m}`, at: sent - 3 * DAY, amount: c === 0 ? 50 + 10 * m : 40, reason: 'retention' }
          : undefined,
    );
    const result = detectAccountExtraction(await loadLedgers({ surveys, concessions }));
    if (!result.ran) throw new Error(result.reason);
    const a0 = result.tests.find((t) => t.entity.id === 'A0');
    expect(a0?.evidence).toMatchObject({
      surveyCycles: 6,
      cyclesPrecededByConcession: 6,
      cyclesPrecededOnlyBySurveyedRepWithinDay: 0,
      escalating: true,
    });
    expect(a0?.pValue).toBeLessThan(1e-4);
    expect(a0?.summary).toContain('amounts before surveys went from 50 to 200');
    const a1 = result.tests.find((t) => t.entity.id === 'A1');
    expect(a1?.pValue).toBeLessThan(1e-4);
    expect(a1?.summary).not.toContain('amounts');
    const quiet = result.tests.filter((t) => t.entity.id !== 'A0' && t.entity.id !== 'A1');
    expect(quiet.every((t) => t.pValue > 0.05)).toBe(true);
    // the cycle lists are made when read, after the loop has moved on to other accounts: each is its own
    const cyclesOf = (id: string) => result.tests.find((t) => t.entity.id === id)?.evidence.cycles;
    const expected = (c: number, amount: (m: number) => number) =>
      [0, 3, 6, 9, 12, 15].map((m) => ({
        sentAt: iso(Date.UTC(2025, m, 10, 10)),
        survey: `S${c}-${m}`,
        rep: 'AM',
        ltr: -1,
        concessionAmount: amount(m),
        concessions: [
          {
            concession: `K${c}-${m}`,
            grantedAt: iso(Date.UTC(2025, m, 7, 10)),
            rep: `R${m}`,
            amount: amount(m),
            category: 'credit',
          },
        ],
      }));
    expect(cyclesOf('A1')).toEqual(expected(1, () => 40));
    expect(cyclesOf('A0')).toEqual(expected(0, (m) => 50 + 10 * m));
    expect(JSON.parse(JSON.stringify(a0)).evidence.cycles).toEqual(expected(0, (m) => 50 + 10 * m));
  });
});

describe('account-extraction evidence', () => {
  it("counts the cycles that had only the surveyed rep's concession in the day before", async () => {
    // B0: a contact with rep Rm, a concession from Rm, then Rm's survey two hours later;
    // B1's concessions come from another rep, B2's from Rm three days before
    const { surveys, concessions } = quarterlyAccounts(
      'B',
      (m) => `R${m}`,
      (c, m, sent) =>
        c <= 2
          ? {
              rep: c === 1 ? 'other' : `R${m}`,
              at: c === 2 ? sent - 3 * DAY : sent - 2 * 3_600_000,
              amount: 20,
              reason: 'goodwill',
            }
          : undefined,
    );
    const result = detectAccountExtraction(await loadLedgers({ surveys, concessions }));
    if (!result.ran) throw new Error(result.reason);
    const b0 = result.tests.find((t) => t.entity.id === 'B0');
    expect(b0?.evidence.cyclesPrecededOnlyBySurveyedRepWithinDay).toBe(6);
    expect(b0?.summary).toContain('received a concession before 6 of its 6 survey cycles');
    const b1 = result.tests.find((t) => t.entity.id === 'B1');
    expect(b1?.evidence.cyclesPrecededOnlyBySurveyedRepWithinDay).toBe(0);
    const b2 = result.tests.find((t) => t.entity.id === 'B2');
    expect(b2?.evidence.cyclesPrecededByConcession).toBe(6);
    expect(b2?.evidence.cyclesPrecededOnlyBySurveyedRepWithinDay).toBe(0);
  });
});

describe('degenerate inputs', () => {
  it('concession-before-survey survives peers who never concede after unsurveyed interactions', async () => {
    const w = world(3);
    // only the buyer concedes, and only before surveys: every peer's unsurveyed rate is exactly 0
    const concessions = w.concessions.filter((c) => c.rep_id === 'buyer');
    const result = detectConcessionBeforeSurvey(await loadLedgers({ ...w, concessions }));
    if (!result.ran) throw new Error(result.reason);
    for (const t of result.tests) expect(Number.isFinite(t.pValue)).toBe(true);
    expect(byRep(result.tests).get('buyer')?.pValue).toBeLessThan(1e-6);
  });

  it('concession-during-survey names an empty concession ledger first', async () => {
    const { surveys } = world();
    const result = detectConcessionDuringSurvey(await loadLedgers({ surveys, concessions: [] }));
    expect(result).toEqual({ ran: false, reason: 'the concession ledger is empty' });
  });
});
