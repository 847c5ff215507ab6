import type { Finding } from './types.js';

const HEADER = [
  'detector',
  'entity_type',
  'entity_id',
  'severity',
  'effect',
  'effect_label',
  'ci_low',
  'ci_high',
  'p_value',
  'q_value',
  'summary',
];

/** RFC 4180 quoting: quote fields holding a delimiter, quote or newline; double inner quotes. */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * Text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return, prefixed with `'`, so that
 * a spreadsheet never runs it as a formula (OWASP "CSV injection").
 */
export const spreadsheetSafe = (text: string) => (/^[=+\-@\t\r]/.test(text) ? `'${text}` : text);

/**
 * Findings as CSV, one row per finding (evidence stays in the JSON).
 * Cells that start with `=`, `+`, `-`, `@`, a tab or a carriage return are
 * prefixed with `'` so that a spreadsheet never runs an id as a formula
 * (OWASP "CSV injection").
 */
export function findingsToCsv(findings: readonly Finding[]): string {
  const safe = spreadsheetSafe;
  const rows = findings.map((f) =>
    [
      f.detector,
      f.entity.type,
      safe(f.entity.id),
      f.severity,
      f.effect,
      safe(f.effectLabel),
      f.ci[0],
      f.ci[1],
      f.pValue,
      f.qValue,
      safe(f.summary),
    ]
      .map(csvField)
      .join(','),
  );
  return `${[HEADER.join(','), ...rows].join('\n')}\n`;
}
