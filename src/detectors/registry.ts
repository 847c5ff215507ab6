import type { DetectorId } from '../findings/types.js';
import { accountExtractionDetector } from './accountExtraction.js';
import { concessionBeforeSurveyDetector } from './concessionBeforeSurvey.js';
import { concessionDuringSurveyDetector } from './concessionDuringSurvey.js';
import type { Detector } from './types.js';

/**
 * Every implemented detector, keyed by its SPEC id. A detector that is not
 * implemented yet is simply absent (no stubs); once all nine exist this
 * becomes a full `Record<DetectorId, Detector>` so that the compiler checks it.
 */
export const DETECTORS: Partial<Record<DetectorId, Detector>> = {
  'concession-before-survey': concessionBeforeSurveyDetector,
  'concession-during-survey': concessionDuringSurveyDetector,
  'account-extraction': accountExtractionDetector,
};

/** The registered detectors in SPEC order. */
export function registeredDetectors(): Detector[] {
  return Object.values(DETECTORS).filter((d): d is Detector => d !== undefined);
}
