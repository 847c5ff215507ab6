import { benjaminiHochberg } from '../stats/benjaminiHochberg.js';
import { severityOf } from './severity.js';
import type { Finding, Test } from './types.js';

/** Locale-independent string order, so that findings sort the same on every machine. */
export const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The findings of a run from all its tests: one Benjamini–Hochberg
 * adjustment over every test, severity from the q-value, only `qValue <=
 * alpha` unless `includeAll`, ranked by q then p, ties broken by detector,
 * entity type and id (deterministic), fields in the contract's order.
 */
export function rankFindings(
  tests: readonly Test[],
  { alpha, includeAll = false }: { alpha: number; includeAll?: boolean },
): Finding[] {
  const q = benjaminiHochberg(tests.map((t) => t.pValue));
  return tests
    .map((t, i) => ({ ...t, qValue: q[i], severity: severityOf(q[i]) }))
    .filter((f) => includeAll || f.qValue <= alpha)
    .sort(
      (a, b) =>
        a.qValue - b.qValue ||
        a.pValue - b.pValue ||
        byCodePoint(a.detector, b.detector) ||
        byCodePoint(a.entity.type, b.entity.type) ||
        byCodePoint(a.entity.id, b.entity.id),
    )
    .map(({ detector, entity, effect, effectLabel, ci, pValue, qValue, severity, evidence, summary }) => ({
      detector,
      entity,
      effect,
      effectLabel,
      ci,
      pValue,
      qValue,
      severity,
      evidence,
      summary,
    }));
}
