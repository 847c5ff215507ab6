import type { Ledgers } from '../ledger/types.js';
import { indexByCustomer, windowOf } from './customerIndex.js';

/**
 * Per customer: how many of its interactions were followed by a concession
 * from the rep it dealt with (within `span`), and how many its reps and
 * kinds of issue predict: the sum over its interactions of that rep's rate of
 * conceding after an interaction, across all the rep's customers, times how
 * much more often that kind of issue ends in a concession (a cancellation call
 * gets a retention offer; with an `issue` column). A customer who deals with
 * generous reps, or calls to cancel, has a high expectation; one who extracts
 * concessions from whoever answers has far more than expected.
 */
export interface ContactConcessions {
  interactions: Int32Array;
  conceded: Int32Array;
  expected: Float64Array;
  /** per concession: 1 when it belongs to an interaction (granted by its rep within the span) */
  linked: Uint8Array;
}

/**
 * @param keep the concessions that count (e.g. non-recovery, not attributed to a rep's own gaming)
 * @param span how long after an interaction a concession belongs to it (ms)
 */
export function contactConcessions(
  ledgers: Ledgers,
  keep: (g: number) => boolean,
  span: number,
): ContactConcessions {
  const { concessions, ids } = ledgers;
  const interactions = ledgers.interactions;
  const customers = ids.customer.values.length;
  const out: ContactConcessions = {
    interactions: new Int32Array(customers),
    conceded: new Int32Array(customers),
    expected: new Float64Array(customers),
    linked: new Uint8Array(concessions.length),
  };
  if (!interactions?.columns.has('rep_id')) return out;
  const granted = indexByCustomer(concessions.customer, concessions.grantedAt, customers, keep);
  const conceded = new Uint8Array(interactions.length);
  for (let x = 0; x < interactions.length; x++) {
    const rep = interactions.rep[x];
    if (rep < 0) continue;
    const t = interactions.occurredAt[x];
    const [from, to] = windowOf(granted, interactions.customer[x], t, t + span);
    for (let j = from; j < to && !conceded[x]; j++)
      conceded[x] = concessions.rep[granted.order[j]] === rep ? 1 : 0;
  }
  const issues = interactions.columns.has('issue') ? interactions.issue : undefined;
  const { repRate, issueFactor } = repAndIssueRates(
    interactions.rep,
    issues,
    conceded,
    ids.rep.values.length,
  );
  for (let x = 0; x < interactions.length; x++) {
    const rep = interactions.rep[x];
    if (rep < 0) continue;
    const c = interactions.customer[x];
    out.interactions[c]++;
    out.conceded[c] += conceded[x];
    out.expected[c] += repRate[rep] * (issues && issues[x] >= 0 ? issueFactor[issues[x]] : 1);
  }
  return out;
}

/**
 * A multiplicative model, P(concession) = rep rate × issue factor, fitted by
 * iterative proportional fitting (a few rounds of raking; each round matches
 * the reps' and then the issues' observed totals). Without issues, the rep's plain rate.
 */
function repAndIssueRates(
  repOf: Int32Array,
  issueOf: Int32Array | undefined,
  conceded: Uint8Array,
  reps: number,
): { repRate: Float64Array; issueFactor: Float64Array } {
  let issues = 0;
  if (issueOf) for (const i of issueOf) issues = Math.max(issues, i + 1);
  const repRate = new Float64Array(reps);
  const issueFactor = new Float64Array(issues).fill(1);
  const observedByRep = new Float64Array(reps);
  const observedByIssue = new Float64Array(issues);
  for (let x = 0; x < repOf.length; x++) {
    if (repOf[x] < 0) continue;
    observedByRep[repOf[x]] += conceded[x];
    if (issueOf && issueOf[x] >= 0) observedByIssue[issueOf[x]] += conceded[x];
  }
  for (let round = 0; round < 5; round++) {
    const exposure = new Float64Array(reps);
    for (let x = 0; x < repOf.length; x++)
      if (repOf[x] >= 0) exposure[repOf[x]] += issueOf && issueOf[x] >= 0 ? issueFactor[issueOf[x]] : 1;
    for (let r = 0; r < reps; r++) repRate[r] = exposure[r] > 0 ? observedByRep[r] / exposure[r] : 0;
    if (!issueOf) break;
    const expected = new Float64Array(issues);
    for (let x = 0; x < repOf.length; x++)
      if (repOf[x] >= 0 && issueOf[x] >= 0) expected[issueOf[x]] += repRate[repOf[x]];
    for (let i = 0; i < issues; i++) issueFactor[i] = expected[i] > 0 ? observedByIssue[i] / expected[i] : 1;
  }
  return { repRate, issueFactor };
}
