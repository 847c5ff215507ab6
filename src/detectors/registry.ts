import type { DetectorId } from '../findings/types.js';
import { accountExtractionDetector } from './accountExtraction.js';
import { concessionBeforeSurveyDetector } from './concessionBeforeSurvey.js';
import { concessionDuringSurveyDetector } from './concessionDuringSurvey.js';
import { detractorFollowUpDetector } from './detractorFollowUp.js';
import { fabricatedResponsesDetector } from './fabricatedResponses.js';
import { repRelationshipGapDetector } from './repRelationshipGap.js';
import { scoreShiftDetector } from './scoreShift.js';
import { surveySuppressionDetector } from './surveySuppression.js';
import { topBoxInflationDetector } from './topBoxInflation.js';
import type { Detector } from './types.js';

/**
 * Every detector, keyed by its SPEC id, in SPEC order. A `Record` over the
 * `DetectorId` union: a detector id without an entry fails to compile.
 */
export const DETECTORS: Record<DetectorId, Detector> = {
  'concession-before-survey': concessionBeforeSurveyDetector,
  'concession-during-survey': concessionDuringSurveyDetector,
  'account-extraction': accountExtractionDetector,
  'rep-relationship-gap': repRelationshipGapDetector,
  'top-box-inflation': topBoxInflationDetector,
  'score-shift': scoreShiftDetector,
  'fabricated-responses': fabricatedResponsesDetector,
  'survey-suppression': surveySuppressionDetector,
  'detractor-follow-up': detractorFollowUpDetector,
};

/** The detectors in SPEC order. */
export function registeredDetectors(): Detector[] {
  return Object.values(DETECTORS);
}
