/**
 * Small aggregations of the ledgers for the charts that compare a flagged
 * entity with its peers on raw data. Each is one pass (or one sort) over a
 * ledger and returns a few hundred numbers at most, so that specs stay small.
 */
import { DEFAULT_NON_RECOVERY_REASONS, recoveryMask } from '../features/concessionKinds.js';
import { stringAt } from '../ledger/packed-strings.js';
import type { Ledgers, SurveyLedger } from '../ledger/types.js';

const DAY_MS = 86_400_000;

/** True for an answered invitation with a rep, an ltr and a rep score. */
function scored(s: SurveyLedger, i: number): boolean {
  return s.rep[i] >= 0 && s.ltr[i] >= 0 && s.repScore[i] >= 0 && Number.isFinite(s.respondedAt[i]);
}

/** The rep score of row `i` rescaled to 0..10 (the scale ltr uses). */
function score10(s: SurveyLedger, i: number): number {
  const { min, max } = s.scale;
  return ((s.repScore[i] - min) / (max - min)) * 10;
}

/** Per rep: top-box rep scores (k) among scored responses (n). Sorted by rep id. */
export function repTopBox(ledgers: Ledgers): { id: string; k: number; n: number }[] {
  const s = ledgers.surveys;
  const reps = ledgers.ids.rep.values;
  const k = new Array<number>(reps.length).fill(0);
  const n = new Array<number>(reps.length).fill(0);
  for (let i = 0; i < s.length; i++) {
    if (!scored(s, i)) continue;
    n[s.rep[i]]++;
    if (s.repScore[i] === s.scale.max) k[s.rep[i]]++;
  }
  return reps
    .map((id, r) => ({ id, k: k[r], n: n[r] }))
    .filter((u) => u.n > 0)
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * Days from each non-recovery concession to the same rep's next invitation
 * of the same customer, within `windowDays`: counts per lag day for each rep
 * in `focus` and for all other reps pooled (key `''`). The same pairing as
 * `concession-before-survey` uses for its lag histogram.
 */
export function lagCounts(
  ledgers: Ledgers,
  focus: ReadonlySet<string>,
  windowDays: number,
  nonRecoveryReasons: readonly string[] = DEFAULT_NON_RECOVERY_REASONS,
): Map<string, number[]> {
  const { surveys, concessions, ids } = ledgers;
  const recovery = recoveryMask(concessions, ids, nonRecoveryReasons);
  // invitations per (customer, rep), sorted by time
  const byKey = new Map<string, number[]>();
  for (let i = 0; i < surveys.length; i++) {
    if (surveys.rep[i] < 0) continue;
    const key = `${surveys.customer[i]}:${surveys.rep[i]}`;
    const list = byKey.get(key);
    if (list) list.push(surveys.sentAt[i]);
    else byKey.set(key, [surveys.sentAt[i]]);
  }
  for (const list of byKey.values()) list.sort((a, b) => a - b);
  const bins = Math.ceil(windowDays) + 1;
  const out = new Map<string, number[]>();
  const window = windowDays * DAY_MS;
  for (let g = 0; g < concessions.length; g++) {
    const rep = concessions.rep[g];
    if (rep < 0 || recovery[g]) continue;
    const times = byKey.get(`${concessions.customer[g]}:${rep}`);
    if (!times) continue;
    const t = concessions.grantedAt[g];
    let lo = 0;
    let hi = times.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (times[mid] <= t) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= times.length || times[lo] - t > window) continue;
    const id = ids.rep.values[rep];
    const group = focus.has(id) ? id : '';
    let counts = out.get(group);
    if (!counts) {
      counts = new Array<number>(bins).fill(0);
      out.set(group, counts);
    }
    counts[Math.min(bins - 1, Math.floor((times[lo] - t) / DAY_MS))]++;
  }
  return out;
}

/** `[ltr, repScore, count]` triples of one rep's scored responses and of all other reps'. */
export function jointScores(
  ledgers: Ledgers,
  repId: string,
): { rep: [number, number, number][]; peers: [number, number, number][] } {
  const s = ledgers.surveys;
  const code = ledgers.ids.rep.index.get(repId) ?? -2;
  const width = s.scale.max + 1;
  const own = new Map<number, number>();
  const peers = new Map<number, number>();
  for (let i = 0; i < s.length; i++) {
    if (!scored(s, i)) continue;
    const key = s.ltr[i] * width + s.repScore[i];
    const target = s.rep[i] === code ? own : peers;
    target.set(key, (target.get(key) ?? 0) + 1);
  }
  const triples = (m: Map<number, number>) =>
    [...m]
      .map(([key, count]): [number, number, number] => [Math.floor(key / width), key % width, count])
      .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return { rep: triples(own), peers: triples(peers) };
}

/** Per rep: mean ltr and mean rep score (rescaled to 0..10) with their standard errors. */
export function repScoreMeans(
  ledgers: Ledgers,
): { id: string; n: number; ltr: number; ltrSe: number; score: number; scoreSe: number }[] {
  const s = ledgers.surveys;
  const reps = ledgers.ids.rep.values;
  const acc = reps.map(() => ({ n: 0, l: 0, l2: 0, r: 0, r2: 0 }));
  for (let i = 0; i < s.length; i++) {
    if (!scored(s, i)) continue;
    const a = acc[s.rep[i]];
    const r = score10(s, i);
    a.n++;
    a.l += s.ltr[i];
    a.l2 += s.ltr[i] ** 2;
    a.r += r;
    a.r2 += r * r;
  }
  const se = (sum: number, sum2: number, n: number) =>
    n > 1 ? Math.sqrt(Math.max(0, (sum2 - (sum * sum) / n) / (n - 1)) / n) : 0;
  return reps
    .map((id, k) => {
      const a = acc[k];
      return {
        id,
        n: a.n,
        ltr: a.l / a.n,
        ltrSe: se(a.l, a.l2, a.n),
        score: a.r / a.n,
        scoreSe: se(a.r, a.r2, a.n),
      };
    })
    .filter((x) => x.n > 0)
    .sort((a, b) => a.id.localeCompare(b.id));
}

/** Counts of each rep-score value for each rep in `focus` and for all other reps (key `''`). */
export function scoreCounts(ledgers: Ledgers, focus: ReadonlySet<string>): Map<string, Map<number, number>> {
  const s = ledgers.surveys;
  const out = new Map<string, Map<number, number>>();
  for (let i = 0; i < s.length; i++) {
    if (!scored(s, i)) continue;
    const id = ledgers.ids.rep.values[s.rep[i]];
    const group = focus.has(id) ? id : '';
    let m = out.get(group);
    if (!m) {
      m = new Map();
      out.set(group, m);
    }
    m.set(s.repScore[i], (m.get(s.repScore[i]) ?? 0) + 1);
  }
  return out;
}

/** `YYYY-MM` of an epoch-ms time (UTC). */
const monthOf = (t: number) => new Date(t).toISOString().slice(0, 7);

/**
 * Monthly mean (rep score on 0..10 − ltr) gap by invitation month for each
 * focus entity (rep or team) and for all responses (key `''`, the
 * organisation's line). Months are `YYYY-MM`.
 */
export function monthlyGaps(
  ledgers: Ledgers,
  focus: readonly { type: 'rep' | 'team' | 'customer'; id: string }[],
): { key: string; month: string; n: number; gap: number }[] {
  const s = ledgers.surveys;
  const acc = new Map<string, { n: number; sum: number }>();
  const add = (key: string, month: string, gap: number) => {
    const k = `${key}\u0000${month}`;
    const a = acc.get(k) ?? { n: 0, sum: 0 };
    a.n++;
    a.sum += gap;
    acc.set(k, a);
  };
  const repCodes = new Map<number, string[]>();
  const teamCodes = new Map<number, string[]>();
  for (const f of focus) {
    const dict = f.type === 'team' ? ledgers.ids.team : ledgers.ids.rep;
    const code = dict.index.get(f.id);
    if (code === undefined || f.type === 'customer') continue;
    const target = f.type === 'team' ? teamCodes : repCodes;
    target.set(code, [...(target.get(code) ?? []), `${f.type} ${f.id}`]);
  }
  for (let i = 0; i < s.length; i++) {
    if (!scored(s, i)) continue;
    const month = monthOf(s.sentAt[i]);
    const gap = score10(s, i) - s.ltr[i];
    add('', month, gap);
    for (const key of repCodes.get(s.rep[i]) ?? []) add(key, month, gap);
    for (const key of teamCodes.get(s.team[i]) ?? []) add(key, month, gap);
  }
  return [...acc]
    .map(([k, a]) => {
      const [key, month] = k.split('\u0000');
      return { key, month, n: a.n, gap: a.sum / a.n };
    })
    .sort((a, b) => a.key.localeCompare(b.key) || a.month.localeCompare(b.month));
}

/** One customer's invitations and concessions, in time order. */
export function accountEvents(
  ledgers: Ledgers,
  customerId: string,
): {
  surveys: { id: string; rep: string; sentAt: number; ltr: number; repScore: number }[];
  concessions: {
    id: string;
    rep: string;
    grantedAt: number;
    amount: number;
    category: string;
    reason: string;
  }[];
} {
  const code = ledgers.ids.customer.index.get(customerId);
  const { surveys: s, concessions: c, ids } = ledgers;
  const surveys = [];
  const concessions = [];
  if (code !== undefined) {
    for (let i = 0; i < s.length; i++) {
      if (s.customer[i] !== code) continue;
      surveys.push({
        id: stringAt(s, 'surveyId', i),
        rep: s.rep[i] >= 0 ? ids.rep.values[s.rep[i]] : '',
        sentAt: s.sentAt[i],
        ltr: s.ltr[i],
        repScore: s.repScore[i],
      });
    }
    for (let g = 0; g < c.length; g++) {
      if (c.customer[g] !== code) continue;
      concessions.push({
        id: stringAt(c, 'concessionId', g),
        rep: c.rep[g] >= 0 ? ids.rep.values[c.rep[g]] : '',
        grantedAt: c.grantedAt[g],
        amount: c.amount[g],
        category: c.category[g] >= 0 ? ids.category.values[c.category[g]] : '',
        reason: c.reason[g] >= 0 ? ids.reason.values[c.reason[g]] : '',
      });
    }
  }
  surveys.sort((a, b) => a.sentAt - b.sentAt || a.id.localeCompare(b.id));
  concessions.sort((a, b) => a.grantedAt - b.grantedAt || a.id.localeCompare(b.id));
  return { surveys, concessions };
}
