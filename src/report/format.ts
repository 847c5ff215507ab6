/** Number and summary formatting shared by the HTML and Markdown reports (stable across runs). */
import type { FindingsDocument, Severity } from '../findings/types.js';

/** A q- or p-value: two significant digits, exponent form below 0.001. */
export function formatP(x: number): string {
  if (x === 0) return '0';
  return x < 0.001 ? x.toExponential(1) : Number(x.toPrecision(2)).toString();
}

/** An effect or interval end: three significant digits, exponent form for huge values. */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) >= 1e5) return x.toExponential(2);
  return Number(x.toPrecision(3)).toString();
}

export const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];

/** Findings per severity. */
export function severityCounts(doc: FindingsDocument): Record<Severity, number> {
  const counts: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const f of doc.findings) counts[f.severity]++;
  return counts;
}

/** Total tests made in the run. */
export function totalTests(doc: FindingsDocument): number {
  return Object.values(doc.run.tested).reduce((a, b) => a + (b ?? 0), 0);
}

/** Entities flagged by two or more detectors, most detectors first. */
export function repeatOffenders(doc: FindingsDocument): { entity: string; detectors: string[] }[] {
  const map = new Map<string, string[]>();
  for (const f of doc.findings) {
    const key = `${f.entity.type} ${f.entity.id}`;
    const list = map.get(key) ?? [];
    if (!list.includes(f.detector)) list.push(f.detector);
    map.set(key, list);
  }
  return [...map]
    .filter(([, d]) => d.length > 1)
    .map(([entity, detectors]) => ({ entity, detectors }))
    .sort((a, b) => b.detectors.length - a.detectors.length || a.entity.localeCompare(b.entity));
}

/** The run's false discovery rate. */
export const alphaOf = (doc: FindingsDocument): number =>
  typeof doc.run.options.alpha === 'number' ? doc.run.options.alpha : 0.05;
