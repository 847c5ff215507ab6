import { describe, expect, it } from 'vitest';
import { labelStatistics, type SurveyRow, simulateRows } from '../../src/simulate/index.js';

const DAY = 86_400_000;
const t = (iso: string) => Date.parse(iso);
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

// one world per scenario, small enough to keep the suite fast
const demo = simulateRows({ scenario: 'demo', seed: 1 });
const nullWorld = simulateRows({ scenario: 'null', seed: 2, scale: 0.3 });
const stats = labelStatistics(demo, demo.truth);
const nullStats = labelStatistics(nullWorld, nullWorld.truth);

function responded(rows: SurveyRow[]): SurveyRow[] {
  return rows.filter((s) => s.responded_at !== '');
}

describe('planted gaming is visible in the data (demo)', () => {
  it('plants every label at the documented size', () => {
    expect(demo.surveys.length).toBeGreaterThan(3000);
    expect(demo.surveys.length).toBeLessThan(6500);
    expect(demo.truth.reps.length).toBe(40);
    for (const label of [
      'concession-buying-before',
      'concession-buying-during',
      'coaching',
      'fabrication',
      'suppression',
      'ignored-detractors',
      'clean-generous',
      'clean-excellent',
      'clean-small',
      'clean',
    ]) {
      expect(stats[label]?.reps, label).toBeGreaterThan(0);
    }
    expect(demo.truth.customers.filter((c) => c.labels.includes('extracting-account')).length).toBe(8);
    expect(demo.truth.reps.some((r) => r.labels.includes('coaching') && r.onset)).toBe(true);
  });

  it('concession-buying-before: most invitations follow the rep’s own concession', () => {
    expect(stats['concession-buying-before'].concessionBefore).toBeGreaterThan(0.5);
    expect(stats.clean.concessionBefore).toBeLessThan(0.3);
  });

  it('concession-buying-during: concessions between invitation and response, higher response rate', () => {
    expect(stats['concession-buying-during'].concessionDuring).toBeGreaterThan(0.5);
    expect(stats.clean.concessionDuring).toBeLessThan(0.02);
    expect(stats['concession-buying-during'].responseRate).toBeGreaterThan(stats.clean.responseRate + 0.1);
  });

  it('coaching: rep scores pile up at 10 while ltr barely moves', () => {
    expect(stats.coaching.topBox).toBeGreaterThan(stats.clean.topBox + 0.3);
    expect(stats.coaching.gap).toBeGreaterThan(stats.clean.gap + 0.5);
    expect(Math.abs(stats.coaching.meanLtr - stats.clean.meanLtr)).toBeLessThan(0.6);
  });

  it('coaching with an onset: the top-box share jumps at the onset', () => {
    const rep = demo.truth.reps.find((r) => r.labels.includes('coaching') && r.onset)!;
    const mine = responded(demo.surveys).filter((s) => s.rep_id === rep.id);
    const top = (xs: SurveyRow[]) => mean(xs.map((s) => (s.rep_score === '10' ? 1 : 0)));
    const before = mine.filter((s) => s.sent_at < rep.onset!);
    const after = mine.filter((s) => s.sent_at >= rep.onset!);
    expect(before.length).toBeGreaterThan(5);
    expect(after.length).toBeGreaterThan(5);
    expect(top(after)).toBeGreaterThan(top(before) + 0.2);
    expect(top(after)).toBeGreaterThan(0.8);
  });

  it('fabrication: answers within minutes, all 9–10, from a shared device', () => {
    expect(stats.fabrication.fastResponses).toBeGreaterThan(0.4);
    expect(stats.clean.fastResponses).toBeLessThan(0.08);
    expect(stats.fabrication.sharedDevice).toBeGreaterThan(0.4);
    expect(stats.clean.sharedDevice).toBeLessThan(0.05);
    const rep = demo.truth.reps.find((r) => r.labels.includes('fabrication'))!;
    const fast = responded(demo.surveys).filter(
      (s) => s.rep_id === rep.id && t(s.responded_at) - t(s.sent_at) < 15 * 60_000,
    );
    expect(fast.length).toBeGreaterThan(10);
    expect(
      fast.filter((s) => Number(s.ltr) >= 9 && Number(s.rep_score) >= 9).length / fast.length,
    ).toBeGreaterThan(0.9);
    // bursts: several fabricated answers within the same hour
    const hours = new Map<string, number>();
    for (const s of fast)
      hours.set(s.responded_at.slice(0, 13), (hours.get(s.responded_at.slice(0, 13)) ?? 0) + 1);
    expect(Math.max(...hours.values())).toBeGreaterThanOrEqual(2);
  });

  it('suppression: few invitations after failed interactions, normal after resolved ones', () => {
    expect(stats.suppression.inviteAfterFailure).toBeLessThan(0.35);
    expect(stats.clean.inviteAfterFailure).toBeGreaterThan(0.65);
    expect(stats.suppression.inviteAfterSuccess).toBeGreaterThan(0.65);
  });

  it('ignored-detractors: detractors are rarely followed up, honest reps follow up most within 24 h', () => {
    expect(stats['ignored-detractors'].followUp24h).toBeLessThan(0.3);
    expect(stats.clean.followUp24h).toBeGreaterThan(0.7);
  });

  it('extracting accounts: concessions before surveys, escalating, low → concession → high', () => {
    const ids = new Set(
      demo.truth.customers.filter((c) => c.labels.includes('extracting-account')).map((c) => c.id),
    );
    const concessions = new Map<string, { t: number; amount: number; reason: string }[]>();
    for (const k of demo.concessions) {
      const list = concessions.get(k.customer_id) ?? [];
      list.push({ t: t(k.granted_at), amount: Number(k.amount), reason: k.reason });
      concessions.set(k.customer_id, list);
    }
    const precededShare = (pick: (id: string) => boolean) => {
      const xs = demo.surveys.filter((s) => pick(s.customer_id));
      const hit = xs.filter((s) =>
        (concessions.get(s.customer_id) ?? []).some(
          (k) => k.t < t(s.sent_at) && k.t >= t(s.sent_at) - 10 * DAY,
        ),
      );
      return hit.length / xs.length;
    };
    expect(precededShare((id) => ids.has(id))).toBeGreaterThan(0.5);
    expect(precededShare((id) => !ids.has(id))).toBeLessThan(0.3);
    // escalating amounts of complaint/retention concessions
    let rising = 0;
    for (const id of ids) {
      const xs = (concessions.get(id) ?? []).filter(
        (k) => k.reason === 'complaint' || k.reason === 'retention',
      );
      const half = Math.floor(xs.length / 2);
      if (
        half > 0 &&
        mean(xs.slice(half).map((k) => k.amount)) > mean(xs.slice(0, half).map((k) => k.amount))
      )
        rising++;
    }
    expect(rising).toBeGreaterThanOrEqual(ids.size - 1);
    // score hostage: a low score, a concession within days, the next score high
    let sequences = 0;
    for (const id of ids) {
      const answers = responded(demo.surveys).filter((s) => s.customer_id === id);
      for (let i = 0; i + 1 < answers.length; i++) {
        const low = answers[i];
        const next = answers[i + 1];
        const bought = (concessions.get(id) ?? []).some(
          (k) => k.t > t(low.responded_at) && k.t < t(low.responded_at) + 5 * DAY,
        );
        if (Number(low.ltr) <= 3 && bought && Number(next.ltr) >= 9) sequences++;
      }
    }
    expect(sequences).toBeGreaterThanOrEqual(4);
  });

  it('contrast labels: generous reps give many concessions, excellent reps score high on both scores', () => {
    const perRep = new Map<string, number>();
    for (const k of demo.concessions) perRep.set(k.rep_id, (perRep.get(k.rep_id) ?? 0) + 1);
    const rate = (label: string) => {
      const reps = demo.truth.reps.filter((r) => r.labels.includes(label as never));
      const inter = demo.interactions.filter((i) => reps.some((r) => r.id === i.rep_id)).length;
      return reps.reduce((n, r) => n + (perRep.get(r.id) ?? 0), 0) / inter;
    };
    expect(rate('clean-generous')).toBeGreaterThan(2 * rate('clean'));
    expect(stats['clean-excellent'].meanRepScore).toBeGreaterThan(stats.clean.meanRepScore + 0.5);
    expect(stats['clean-excellent'].meanLtr).toBeGreaterThan(stats.clean.meanLtr + 0.5);
    expect(stats['clean-excellent'].gap).toBeLessThan(stats.clean.gap + 0.3);
    expect(stats['clean-small'].responses / stats['clean-small'].reps).toBeLessThan(20);
  });
});

describe('legitimate structure is present without any gaming (null)', () => {
  const { surveys, concessions, interactions, truth } = nullWorld;
  const answers = responded(surveys).filter((s) => s.rep_id !== '');

  it('plants no gaming at all', () => {
    for (const r of truth.reps) expect(r.labels.every((l) => l.startsWith('clean'))).toBe(true);
    expect(truth.customers.every((c) => c.labels.every((l) => l.startsWith('clean')))).toBe(true);
    expect(nullStats['clean-generous'].reps).toBeGreaterThan(0);
    expect(nullStats['clean-excellent'].reps).toBeGreaterThan(0);
    expect(nullStats['clean-small'].reps).toBeGreaterThan(0);
  });

  it('responses are partial (30–45%) and ltr runs below rep_score', () => {
    const rate = responded(surveys).length / surveys.length;
    expect(rate).toBeGreaterThan(0.3);
    expect(rate).toBeLessThan(0.45);
    const gap = mean(answers.map((s) => Number(s.rep_score) - Number(s.ltr)));
    expect(gap).toBeGreaterThan(1);
    expect(gap).toBeLessThan(2);
  });

  it('phone scores run higher than email; teams differ', () => {
    // within each rep (the reps' own channel mix confounds the raw means)
    const differences: number[] = [];
    for (const rep of truth.reps) {
      const of = (c: string) =>
        answers.filter((s) => s.rep_id === rep.id && s.channel === c).map((s) => Number(s.rep_score));
      const [phone, email] = [of('phone'), of('email')];
      if (phone.length > 3 && email.length > 3) differences.push(mean(phone) - mean(email));
    }
    expect(differences.length).toBeGreaterThan(5);
    expect(mean(differences)).toBeGreaterThan(0.3);
    const teams = new Map<string, number[]>();
    for (const s of answers) teams.set(s.team, [...(teams.get(s.team) ?? []), Number(s.rep_score)]);
    const means = [...teams.values()].filter((xs) => xs.length > 50).map(mean);
    expect(Math.max(...means) - Math.min(...means)).toBeGreaterThan(0.4);
  });

  it('reps have very different volumes, some under 20 responses', () => {
    const perRep = new Map<string, number>();
    for (const s of answers) perRep.set(s.rep_id, (perRep.get(s.rep_id) ?? 0) + 1);
    const counts = truth.reps.map((r) => perRep.get(r.id) ?? 0);
    expect(counts.filter((n) => n < 20).length).toBeGreaterThan(0);
    expect(Math.max(...counts)).toBeGreaterThan(5 * Math.max(1, Math.min(...counts)));
  });

  it('concessions and relationship surveys cluster on bill days', () => {
    // a customer's bill day = the day before its relationship surveys (billing-triggered)
    const billDay = new Map<string, number>();
    for (const s of surveys)
      if (!s.rep_id) billDay.set(s.customer_id, new Date(t(s.sent_at) - DAY).getUTCDate());
    let near = 0;
    let total = 0;
    for (const k of concessions) {
      const day = billDay.get(k.customer_id);
      if (day === undefined) continue;
      total++;
      const d = new Date(t(k.granted_at)).getUTCDate();
      const after = (d - day + 31) % 31;
      if (after <= 4) near++;
    }
    // uniform timing would put ~5/30 of concessions within 0–4 days after the bill
    expect(near / total).toBeGreaterThan(0.25);
    expect(concessions.filter((k) => k.reason === 'billing_error').length).toBeGreaterThan(20);
  });

  it('recovery concessions after failures raise the following scores', () => {
    const recoveries = new Map<string, number[]>();
    for (const k of concessions) {
      if (
        ['outage', 'billing_error', 'failed_install', 'complaint', 'missed_appointment'].includes(k.reason)
      ) {
        recoveries.set(k.customer_id, [...(recoveries.get(k.customer_id) ?? []), t(k.granted_at)]);
      }
    }
    const recovered: number[] = [];
    const unrecovered: number[] = [];
    const invitations = new Map<string, SurveyRow[]>();
    for (const s of answers) invitations.set(s.customer_id, [...(invitations.get(s.customer_id) ?? []), s]);
    for (const i of interactions) {
      if (i.resolved !== 'false' || i.issue === 'billing') continue;
      const at = t(i.occurred_at);
      const s = (invitations.get(i.customer_id) ?? []).find(
        (x) => x.rep_id === i.rep_id && t(x.sent_at) > at && t(x.sent_at) < at + 3 * DAY,
      );
      if (!s) continue;
      const fixed = (recoveries.get(i.customer_id) ?? []).some((k) => k >= at && k < t(s.sent_at));
      (fixed ? recovered : unrecovered).push(Number(s.rep_score));
    }
    expect(recovered.length).toBeGreaterThan(30);
    expect(unrecovered.length).toBeGreaterThan(30);
    expect(mean(recovered)).toBeGreaterThan(mean(unrecovered) + 0.8);
  });

  it('detractors are followed up within 24 h for most; contacts are mostly unique per customer', () => {
    expect(nullStats.clean.followUp24h).toBeGreaterThan(0.7);
    expect(nullStats.clean.followUp24h).toBeLessThan(0.95);
    const owners = new Map<string, Set<string>>();
    for (const s of surveys) owners.set(s.contact, (owners.get(s.contact) ?? new Set()).add(s.customer_id));
    const shared = [...owners.values()].filter((c) => c.size > 1).length;
    expect(shared / owners.size).toBeGreaterThan(0);
    expect(shared / owners.size).toBeLessThan(0.05);
  });
});

describe('b2b accounts', () => {
  const b2b = simulateRows({ scenario: 'b2b', seed: 1, scale: 0.3 });

  it('has multi-contact accounts and quarterly relationship surveys owned by account managers', () => {
    const managers = new Set(b2b.truth.reps.filter((r) => r.role === 'account-manager').map((r) => r.id));
    expect(managers.size).toBeGreaterThan(2);
    const contacts = new Map<string, Set<string>>();
    for (const s of b2b.surveys)
      contacts.set(s.customer_id, (contacts.get(s.customer_id) ?? new Set()).add(s.contact));
    expect(mean([...contacts.values()].map((c) => c.size))).toBeGreaterThan(2);
    const relationship = b2b.surveys.filter((s) => managers.has(s.rep_id));
    expect(relationship.length).toBeGreaterThan(b2b.surveys.length / 3);
    // quarterly: each account's relationship surveys fall in 4 distinct months of the year
    const months = new Map<string, Set<string>>();
    for (const s of relationship)
      months.set(s.customer_id, (months.get(s.customer_id) ?? new Set()).add(s.sent_at.slice(0, 7)));
    expect([...months.values()].every((m) => m.size === 4)).toBe(true);
    expect(b2b.truth.customers.filter((c) => c.labels.includes('extracting-account')).length).toBeGreaterThan(
      5,
    );
  });
});
