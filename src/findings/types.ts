import type { DataQuality } from '../ledger/types.js';

/** The stable detector ids of SPEC.md. */
export const DETECTOR_IDS = [
  'concession-before-survey',
  'concession-during-survey',
  'account-extraction',
  'rep-relationship-gap',
  'top-box-inflation',
  'score-shift',
  'fabricated-responses',
  'survey-suppression',
  'detractor-follow-up',
] as const;

export type DetectorId = (typeof DETECTOR_IDS)[number];

export type EntityType = 'rep' | 'customer' | 'team';

export type Severity = 'high' | 'medium' | 'low';

export interface Entity {
  type: EntityType;
  id: string;
}

/** One lead for a human review (SPEC.md "Findings"). */
export interface Finding {
  detector: DetectorId;
  entity: Entity;
  effect: number;
  effectLabel: string;
  ci: [number, number];
  pValue: number;
  qValue: number;
  severity: Severity;
  evidence: Record<string, unknown>;
  summary: string;
}

/**
 * One statistical test made by a detector, before the run-wide
 * Benjamini–Hochberg adjustment. Every test counts in the adjustment, also
 * those that end up not listed.
 */
export interface Test extends Omit<Finding, 'qValue' | 'severity'> {}

/** Why a detector did not run (missing optional ledger or column). */
export interface Skipped {
  detector: DetectorId;
  reason: string;
}

export interface RunInfo {
  generatedAt: string;
  /** The library and version that made the document, e.g. "nps-gaming 0.1.0" (absent before 0.1.0's `--version`). */
  generator?: string;
  options: Record<string, unknown>;
  inputs: { surveys: number; concessions: number; interactions?: number };
  tested: Partial<Record<DetectorId, number>>;
  skipped: Skipped[];
}

/** The stable output contract, `version: 1`. */
export interface FindingsDocument {
  version: 1;
  run: RunInfo;
  findings: Finding[];
  dataQuality: {
    surveys: QualitySummary;
    concessions: QualitySummary;
    interactions?: QualitySummary;
  };
}

export interface QualitySummary {
  accepted: number;
  quarantined: number;
  reasons: Record<string, number>;
  /** what the load noticed without refusing a row (a missing optional column, cells read as Windows-1252); absent when none */
  warnings?: string[];
}

export type { DataQuality };
