import type { Ledgers } from '../ledger/types.js';
import { indexByCustomer, windowOf } from './customerIndex.js';

/**
 * Per customer: how many of its interactions were followed by a concession
 * from the rep it dealt with (within `span`), and how many the reps' own
 * habits predict: the sum over its interactions of that rep's rate of
 * conceding after an interaction, across all the rep's customers. A customer
 * who deals with generous reps has a high expectation; one who extracts
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
  const reps = ids.rep.values.length;
  const repInteractions = new Float64Array(reps);
  const repConceded = new Float64Array(reps);
  const conceded = new Uint8Array(interactions.length);
  for (let x = 0; x < interactions.length; x++) {
    const rep = interactions.rep[x];
    if (rep < 0) continue;
    const t = interactions.occurredAt[x];
    const [from, to] = windowOf(granted, interactions.customer[x], t, t + span);
    for (let j = from; j < to && !conceded[x]; j++)
      conceded[x] = concessions.rep[granted.order[j]] === rep ? 1 : 0;
    repInteractions[rep]++;
    repConceded[rep] += conceded[x];
  }
  for (let x = 0; x < interactions.length; x++) {
    const rep = interactions.rep[x];
    if (rep < 0) continue;
    const c = interactions.customer[x];
    out.interactions[c]++;
    out.conceded[c] += conceded[x];
    out.expected[c] += repConceded[rep] / repInteractions[rep];
  }
  return out;
}
