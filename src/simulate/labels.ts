import type { DetectorId } from '../findings/types.js';

/**
 * The ground-truth labels the simulator plants, and which detectors are
 * expected to find each one. Rep labels describe a rep's behaviour over the
 * whole period (or from `onset` on); customer labels describe an account.
 */

/** Gaming behaviours planted on reps. */
export const REP_GAMING_LABELS = [
  'concession-buying-before',
  'concession-buying-during',
  'coaching',
  'fabrication',
  'suppression',
  'ignored-detractors',
] as const;

/** Gaming behaviours planted on customers. */
export const CUSTOMER_GAMING_LABELS = ['extracting-account'] as const;

/** Legitimate contrast labels on reps: behaviour that fools naive detectors. */
export const REP_CLEAN_LABELS = ['clean-generous', 'clean-excellent', 'clean-small', 'clean'] as const;

/** Legitimate contrast labels on customers (`clean` customers are not listed in truth.json). */
export const CUSTOMER_CLEAN_LABELS = ['clean-troubled', 'clean'] as const;

export type RepGamingLabel = (typeof REP_GAMING_LABELS)[number];
export type CustomerGamingLabel = (typeof CUSTOMER_GAMING_LABELS)[number];
export type GamingLabel = RepGamingLabel | CustomerGamingLabel;
export type RepCleanLabel = (typeof REP_CLEAN_LABELS)[number];
export type CustomerCleanLabel = (typeof CUSTOMER_CLEAN_LABELS)[number];
export type CleanLabel = RepCleanLabel | CustomerCleanLabel;
export type Label = GamingLabel | CleanLabel;

/** Every gaming label, rep labels first. */
export const GAMING_LABELS: readonly GamingLabel[] = [...REP_GAMING_LABELS, ...CUSTOMER_GAMING_LABELS];

/** Every clean label (each once). */
export const CLEAN_LABELS: readonly CleanLabel[] = [
  'clean-generous',
  'clean-excellent',
  'clean-small',
  'clean-troubled',
  'clean',
];

/** True for a gaming (non-clean) label. */
export function isGamingLabel(label: string): label is GamingLabel {
  return (GAMING_LABELS as readonly string[]).includes(label);
}

/**
 * The detectors expected to find each planted gaming label (used for recall:
 * an entity counts as found when any of these detectors flags it). Coaching
 * with an `onset` date is also expected to be found by `score-shift`
 * ({@link expectedDetectors}).
 */
export const LABEL_DETECTORS: Readonly<Record<GamingLabel, readonly DetectorId[]>> = {
  'concession-buying-before': ['concession-before-survey'],
  'concession-buying-during': ['concession-during-survey'],
  coaching: ['rep-relationship-gap', 'top-box-inflation'],
  fabrication: ['fabricated-responses'],
  suppression: ['survey-suppression'],
  'ignored-detractors': ['detractor-follow-up'],
  'extracting-account': ['account-extraction'],
};

/**
 * Detectors whose flag on an entity carrying the label is a true discovery
 * even though the label is not their target: the planted mechanism really
 * produces their signal (fabricated 10/10 answers are top-box inflation; an
 * extracting account really receives concessions before its surveys; a
 * coaching rep's scores really shift). Used with {@link LABEL_DETECTORS} for
 * the false discovery proportion, never for recall.
 */
export const LABEL_ALSO_DETECTED_BY: Readonly<Record<GamingLabel, readonly DetectorId[]>> = {
  'concession-buying-before': ['score-shift'],
  'concession-buying-during': ['score-shift'],
  coaching: ['score-shift'],
  fabrication: ['top-box-inflation', 'score-shift'],
  suppression: [],
  'ignored-detractors': ['rep-relationship-gap'],
  'extracting-account': ['concession-before-survey'],
};

/** The detectors expected to find `label` on one entity (adds `score-shift` for coaching with an onset). */
export function expectedDetectors(label: GamingLabel, onset?: string): readonly DetectorId[] {
  const base = LABEL_DETECTORS[label];
  return label === 'coaching' && onset ? [...base, 'score-shift'] : base;
}

/**
 * How much of a label's planted gaming actually came off, where truth.json records it (its
 * strength is a chance per opportunity, and opportunities vary): the entity's field and the lower
 * bounds of the bins {@link evaluate} breaks recall down by.
 */
export const REALIZED: Readonly<
  Partial<
    Record<GamingLabel, { field: 'extractions' | 'coachedResponses'; what: string; from: readonly number[] }>
  >
> = {
  coaching: { field: 'coachedResponses', what: 'responses coached to the top score', from: [0, 10, 20] },
  'extracting-account': { field: 'extractions', what: 'concessions extracted', from: [0, 4, 8] },
};

/** Detectors whose flag on an entity with `label` counts as a true discovery. */
export function acceptedDetectors(label: GamingLabel): readonly DetectorId[] {
  return [...LABEL_DETECTORS[label], ...LABEL_ALSO_DETECTED_BY[label]];
}
