import type { Ledgers } from '../ledger/types.js';

/**
 * The span both the survey and the concession ledger cover: from the later of
 * their first timestamps to the earlier of their last (invitations' `sent_at`,
 * concessions' `granted_at`). Placebo windows must lie inside it: a window
 * before the concession export starts holds no concession for want of data,
 * not of behaviour, and counting it as a miss would make the real windows look
 * richer than the placebo ones (an anti-conservative bias).
 * An empty span comes back with start > end.
 */
export function coveredPeriod(ledgers: Ledgers): [number, number] {
  const [surveysFrom, surveysTo] = range(ledgers.surveys.sentAt);
  const [concessionsFrom, concessionsTo] = range(ledgers.concessions.grantedAt);
  return [Math.max(surveysFrom, concessionsFrom), Math.min(surveysTo, concessionsTo)];
}

function range(times: Float64Array): [number, number] {
  let from = Infinity;
  let to = -Infinity;
  // indexed: for-of on a typed array here (run once, so never optimised) allocated an iterator
  // result per row, ~170 MB of garbage in account-extraction at 1M surveys (2M concessions)
  for (let i = 0; i < times.length; i++) {
    const t = times[i];
    if (t < from) from = t;
    if (t > to) to = t;
  }
  return [from, to];
}
