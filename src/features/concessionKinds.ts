import type { ConcessionLedger, IdDictionaries } from '../ledger/types.js';

/** Reasons that do not mark a service-recovery concession (matched case-insensitively). */
export const DEFAULT_NON_RECOVERY_REASONS = [
  'goodwill',
  'retention',
  'loyalty',
  'other',
  'none',
  'n/a',
  'unknown',
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

/** Per category code: 1 when the category is non-revenue. */
export function nonRevenueCodes(
  ids: IdDictionaries,
  categories: readonly string[] = DEFAULT_NON_REVENUE_CATEGORIES,
): Uint8Array {
  const set = new Set(categories.map((c) => c.toLowerCase()));
  return Uint8Array.from(ids.category.values, (c) => (set.has(c.toLowerCase()) ? 1 : 0));
}
