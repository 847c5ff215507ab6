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
  // positions first, objects only for the findings kept (a run at 1M surveys has ~55k tests and a
  // few hundred findings: a copy of every test cost ~0.15 s at the end of the run, when nothing
  // else runs)
  const kept: number[] = [];
  for (let i = 0; i < tests.length; i++) if (includeAll || q[i] <= alpha) kept.push(i);
  kept.sort((i, j) => {
    const a = tests[i];
    const b = tests[j];
    return (
      q[i] - q[j] ||
      a.pValue - b.pValue ||
      byCodePoint(a.detector, b.detector) ||
      byCodePoint(a.entity.type, b.entity.type) ||
      byCodePoint(a.entity.id, b.entity.id)
    );
  });
  return kept.map((i) => {
    const { detector, entity, effect, effectLabel, ci, pValue, evidence, summary } = tests[i];
    const qValue = q[i];
    return {
      detector,
      entity,
      effect,
      effectLabel,
      ci,
      pValue,
      qValue,
      severity: severityOf(qValue),
      evidence,
      summary,
    };
  });
}
