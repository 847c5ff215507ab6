import type { ConcessionLedger, IdDictionaries, Ledgers } from '../ledger/types.js';
import { DAY_MS } from './calendar.js';
import { indexByCustomer, windowOf } from './customerIndex.js';

/**
 * Reasons that do not mark a service-recovery concession (matched case-insensitively). The last
 * four are how exports spell an empty reason (SQL engines' NULL, R's NA, MySQL's \N, Excel's
 * #N/A): read as a reason, each would make every concession legitimate recovery. Their usual
 * spellings never get here (an id cell reads them as empty: MISSING_IDS, in both paths); these
 * entries catch the other cases of them ("Na", "NULl").
 */
export const DEFAULT_NON_RECOVERY_REASONS = [
  'goodwill',
  'retention',
  'loyalty',
  'other',
  'none',
  'n/a',
  'unknown',
  'null',
  'na',
  '\\n',
  '#n/a',
];

/** Categories that cost revenue nothing a rep is paid on: they stand out when timed to surveys. */
export const DEFAULT_NON_REVENUE_CATEGORIES = ['service', 'free_product', 'upgrade', 'fee_waiver'];

/**
 * Which concessions are service recovery: those with a reason that is a
 * failure or complaint code, i.e. any non-empty reason not listed in
 * `nonRecoveryReasons`. Recovery concessions are legitimate and are left out
 * of timing tests (and counted in the evidence).
 */
export function recoveryMask(
  concessions: ConcessionLedger,
  ids: IdDictionaries,
  nonRecoveryReasons: readonly string[] = DEFAULT_NON_RECOVERY_REASONS,
): Uint8Array {
  const plain = new Set(nonRecoveryReasons.map((r) => r.toLowerCase()));
  const isRecoveryCode = ids.reason.values.map((r) => !plain.has(r.toLowerCase()));
  const mask = new Uint8Array(concessions.length);
  for (let i = 0; i < concessions.length; i++) {
    const reason = concessions.reason[i];
    mask[i] = reason >= 0 && isRecoveryCode[reason] ? 1 : 0;
  }
  return mask;
}

/**
 * Per category code: 1 when the category is non-revenue. Names match whatever their case and
 * their separators ("Free Product", "free-product" and "free_product" are one category).
 */
export function nonRevenueCodes(
  ids: IdDictionaries,
  categories: readonly string[] = DEFAULT_NON_REVENUE_CATEGORIES,
): Uint8Array {
  const set = new Set(categories.map(categoryKey));
  return Uint8Array.from(ids.category.values, (c) => (set.has(categoryKey(c)) ? 1 : 0));
}

/** A category name as matched: lower case, runs of spaces, hyphens and underscores as one underscore. */
export const categoryKey = (name: string) => name.toLowerCase().replace(/[\s_-]+/g, '_');

/** Reasons a customer can invoke without any logged failure: recovery only when a failure was logged. */
export const DEFAULT_COMPLAINT_REASONS = ['complaint'];

/**
 * Which concessions count as obtained by the customer (for `account-extraction`):
 * not failure-coded recovery. A complaint-type reason is recovery only when
 * the interaction ledger logs a failure (an unresolved interaction) of the same
 * customer in the `failureDays` before it; without an interaction ledger it is
 * taken as recovery (the cautious reading).
 */
export function obtainedMask(
  ledgers: Ledgers,
  {
    nonRecoveryReasons = DEFAULT_NON_RECOVERY_REASONS,
    complaintReasons = DEFAULT_COMPLAINT_REASONS,
    failureDays = 7,
  }: {
    nonRecoveryReasons?: readonly string[];
    complaintReasons?: readonly string[];
    failureDays?: number;
  } = {},
): Uint8Array {
  const { concessions, ids, interactions } = ledgers;
  const recovery = recoveryMask(concessions, ids, nonRecoveryReasons);
  const complaint = new Set(complaintReasons.map((r) => r.toLowerCase()));
  const isComplaint = ids.reason.values.map((r) => complaint.has(r.toLowerCase()));
  const failures =
    interactions?.columns.has('resolved') === true
      ? indexByCustomer(
          interactions.customer,
          interactions.occurredAt,
          ids.customer.values.length,
          (x) => interactions.resolved[x] === 0,
        )
      : undefined;
  const mask = new Uint8Array(concessions.length);
  for (let g = 0; g < concessions.length; g++) {
    if (!recovery[g]) {
      mask[g] = 1;
      continue;
    }
    if (!failures || !isComplaint[concessions.reason[g]]) continue;
    const t = concessions.grantedAt[g];
    const [from, to] = windowOf(failures, concessions.customer[g], t - failureDays * DAY_MS, t + 1);
    mask[g] = to > from ? 0 : 1;
  }
  return mask;
}
