import type { Severity } from './types.js';

/**
 * Severity of a listed finding from its run-wide q-value: `high` at
 * q ≤ 0.001, `medium` at q ≤ 0.01, `low` otherwise. Severity ranks how sure
 * the statistics are, never how bad the behaviour is: a finding stays a lead.
 */
export function severityOf(qValue: number): Severity {
  if (qValue <= 0.001) return 'high';
  if (qValue <= 0.01) return 'medium';
  return 'low';
}

const ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

/** True when `severity` is at least as severe as `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
  return ORDER[severity] <= ORDER[threshold];
}
