import type { ConcessionRow, InteractionRow, SurveyRow, Truth } from './types.js';

/** The value of `key`, inserted from `make()` when missing. */
function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/**
 * Plain descriptive statistics of simulated rows, pooled per rep label: what
 * each planted mechanism does to the data, in the terms a detector sees. Used
 * by the tests (each mechanism must be visible) and to document the planted
 * effect sizes in datasets/README.md. Cost O(rows · concessions per customer);
 * meant for small worlds (timestamps are parsed with `Date.parse`).
 */
export interface LabelStatistics {
  reps: number;
  invitations: number;
  responses: number;
  /** responses / invitations */
  responseRate: number;
  meanRepScore: number;
  meanLtr: number;
  /** mean (rep_score − ltr) */
  gap: number;
  /** share of responses with rep_score 10 */
  topBox: number;
  /** share of invitations preceded by a concession of the same rep to the same customer in the 7 days before */
  concessionBefore: number;
  /** share of responses with a concession of the same rep to the same customer between invitation and response */
  concessionDuring: number;
  /** share of responses within 15 minutes of the invitation */
  fastResponses: number;
  /** share of responses from a device that answered for 3 or more customers */
  sharedDevice: number;
  /** detractors (ltr ≤ 6) followed up within 24 h / detractors */
  followUp24h: number;
  /** failed interactions followed by the same rep's invitation to the customer within 3 days / failed interactions */
  inviteAfterFailure: number;
  /** same, after resolved interactions */
  inviteAfterSuccess: number;
}

interface Sums {
  reps: number;
  invitations: number;
  responses: number;
  rs: number;
  ltr: number;
  pairs: number;
  gap: number;
  topBox: number;
  before: number;
  during: number;
  fast: number;
  shared: number;
  detractors: number;
  followed: number;
  failed: number;
  failedInvited: number;
  resolved: number;
  resolvedInvited: number;
}

const empty = (): Sums => ({
  reps: 0,
  invitations: 0,
  responses: 0,
  rs: 0,
  ltr: 0,
  pairs: 0,
  gap: 0,
  topBox: 0,
  before: 0,
  during: 0,
  fast: 0,
  shared: 0,
  detractors: 0,
  followed: 0,
  failed: 0,
  failedInvited: 0,
  resolved: 0,
  resolvedInvited: 0,
});

const DAY = 86_400_000;
const ratio = (a: number, b: number) => (b > 0 ? a / b : Number.NaN);

/** Per-label pooled statistics of the reps of `truth` (a rep with two labels counts in both). */
export function labelStatistics(
  rows: { surveys: SurveyRow[]; concessions: ConcessionRow[]; interactions: InteractionRow[] },
  truth: Truth,
): Record<string, LabelStatistics> {
  const byCustomer = new Map<string, { t: number; rep: string }[]>();
  for (const k of rows.concessions) {
    const list = entry(byCustomer, k.customer_id, () => []);
    list.push({ t: Date.parse(k.granted_at), rep: k.rep_id });
  }
  const deviceCustomers = new Map<string, Set<string>>();
  for (const s of rows.surveys) {
    if (!s.device) continue;
    const set = entry(deviceCustomers, s.device, () => new Set());
    set.add(s.customer_id);
  }
  const invitedAt = new Map<string, number[]>();
  const perRep = new Map<string, Sums>();
  const sums = (rep: string) => {
    const s = entry(perRep, rep, () => empty());
    return s;
  };
  for (const s of rows.surveys) {
    if (!s.rep_id) continue;
    const acc = sums(s.rep_id);
    const sent = Date.parse(s.sent_at);
    const key = `${s.rep_id}|${s.customer_id}`;
    const sentList = entry(invitedAt, key, () => []);
    sentList.push(sent);
    acc.invitations++;
    const concessions = (byCustomer.get(s.customer_id) ?? []).filter((k) => k.rep === s.rep_id);
    if (concessions.some((k) => k.t < sent && k.t >= sent - 7 * DAY)) acc.before++;
    if (!s.responded_at) continue;
    const responded = Date.parse(s.responded_at);
    acc.responses++;
    if (concessions.some((k) => k.t >= sent && k.t < responded)) acc.during++;
    if (responded - sent <= 15 * 60_000) acc.fast++;
    if ((deviceCustomers.get(s.device)?.size ?? 0) >= 3) acc.shared++;
    const ltr = s.ltr === '' ? Number.NaN : Number(s.ltr);
    const rs = s.rep_score === '' ? Number.NaN : Number(s.rep_score);
    if (!Number.isNaN(rs)) {
      acc.rs += rs;
      if (rs === 10) acc.topBox++;
    }
    if (!Number.isNaN(ltr)) acc.ltr += ltr;
    if (!Number.isNaN(rs) && !Number.isNaN(ltr)) {
      acc.pairs++;
      acc.gap += rs - ltr;
    }
    if (ltr <= 6) {
      acc.detractors++;
      if (s.followed_up_at && Date.parse(s.followed_up_at) - responded <= DAY) acc.followed++;
    }
  }
  for (const i of rows.interactions) {
    const acc = sums(i.rep_id);
    const t = Date.parse(i.occurred_at);
    const invited = (invitedAt.get(`${i.rep_id}|${i.customer_id}`) ?? []).some(
      (x) => x > t && x <= t + 3 * DAY,
    );
    if (i.resolved === 'false') {
      acc.failed++;
      if (invited) acc.failedInvited++;
    } else {
      acc.resolved++;
      if (invited) acc.resolvedInvited++;
    }
  }
  const pooled = new Map<string, Sums>();
  for (const rep of truth.reps) {
    const s = perRep.get(rep.id) ?? empty();
    for (const label of rep.labels) {
      const p = entry(pooled, label, () => empty());
      p.reps++;
      for (const k of Object.keys(s) as (keyof Sums)[]) if (k !== 'reps') p[k] += s[k];
    }
  }
  const out: Record<string, LabelStatistics> = {};
  for (const [label, p] of pooled) {
    out[label] = {
      reps: p.reps,
      invitations: p.invitations,
      responses: p.responses,
      responseRate: ratio(p.responses, p.invitations),
      meanRepScore: ratio(p.rs, p.responses),
      meanLtr: ratio(p.ltr, p.responses),
      gap: ratio(p.gap, p.pairs),
      topBox: ratio(p.topBox, p.responses),
      concessionBefore: ratio(p.before, p.invitations),
      concessionDuring: ratio(p.during, p.responses),
      fastResponses: ratio(p.fast, p.responses),
      sharedDevice: ratio(p.shared, p.responses),
      followUp24h: ratio(p.followed, p.detractors),
      inviteAfterFailure: ratio(p.failedInvited, p.failed),
      inviteAfterSuccess: ratio(p.resolvedInvited, p.resolved),
    };
  }
  return out;
}
