import type { DetectorId, Entity, FindingsDocument, Severity } from '../findings/types.js';

/** One finding in a comparison with a baseline run. */
export interface ComparedFinding {
  /** `detector|entity type|entity id`: what identifies a finding across runs. */
  key: string;
  detector: DetectorId;
  entity: Entity;
  /** This run's severity and q-value (the baseline's for resolved findings). */
  severity: Severity;
  qValue: number;
  summary: string;
  /** The baseline's severity and q-value (persisting findings only). */
  previous?: { severity: Severity; qValue: number };
}

/** New, persisting and resolved findings against a baseline run. */
export interface Comparison {
  baseline: { generatedAt: string; findings: number };
  /** Listed now, not in the baseline. */
  new: ComparedFinding[];
  /** Listed in both runs. */
  persisting: ComparedFinding[];
  /** Listed in the baseline, not now (below the threshold, or gone). */
  resolved: ComparedFinding[];
}

/** The key of a finding across runs: detector and entity. */
export const findingKey = (f: { detector: string; entity: Entity }): string =>
  `${f.detector}|${f.entity.type}|${f.entity.id}`;

/**
 * Compare this run's findings with a baseline's (e.g. last week's
 * `findings.json`), keyed by detector + entity: new, persisting (with the
 * previous severity and q-value) and resolved. Each list keeps its run's
 * q-value order; a key listed twice in one run counts once.
 */
export function compareFindings(current: FindingsDocument, baseline: FindingsDocument): Comparison {
  const index = (doc: FindingsDocument) => {
    const map = new Map<string, FindingsDocument['findings'][number]>();
    for (const f of doc.findings) if (!map.has(findingKey(f))) map.set(findingKey(f), f);
    return map;
  };
  const now = index(current);
  const before = index(baseline);
  const entry = (f: FindingsDocument['findings'][number]): ComparedFinding => ({
    key: findingKey(f),
    detector: f.detector,
    entity: { type: f.entity.type, id: f.entity.id },
    severity: f.severity,
    qValue: f.qValue,
    summary: f.summary,
  });
  const comparison: Comparison = {
    baseline: { generatedAt: baseline.run.generatedAt, findings: baseline.findings.length },
    new: [],
    persisting: [],
    resolved: [],
  };
  for (const [key, f] of now) {
    const previous = before.get(key);
    if (previous)
      comparison.persisting.push({
        ...entry(f),
        previous: { severity: previous.severity, qValue: previous.qValue },
      });
    else comparison.new.push(entry(f));
  }
  for (const [key, f] of before) if (!now.has(key)) comparison.resolved.push(entry(f));
  return comparison;
}
