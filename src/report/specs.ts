import type { DetectorId } from '../findings/types.js';
import { accountSequencesView } from './accountSequences.js';
import { concessionsDuringView } from './concessionsDuring.js';
import { dataQualityView } from './dataQuality.js';
import { followUpView } from './followUp.js';
import { overviewFunnelView } from './funnelPlot.js';
import { instantResponsesView } from './instantResponses.js';
import { lagHistogramView } from './lagHistogram.js';
import { relationshipGapView } from './relationshipGap.js';
import { scoreDistributionsView } from './scoreDistributions.js';
import { summaryTableView } from './summaryTable.js';
import { suppressionView } from './suppression.js';
import { timelinesView } from './timelines.js';
import type { DetectorViewBuilder, ReportInput, ReportView, SpecOptions } from './types.js';

/**
 * The view of every detector, keyed by its id: a `Record` over the
 * `DetectorId` union, so that a detector without a view fails to compile.
 */
export const DETECTOR_VIEWS: Record<DetectorId, DetectorViewBuilder> = {
  'concession-before-survey': lagHistogramView,
  'concession-during-survey': concessionsDuringView,
  'account-extraction': accountSequencesView,
  'rep-relationship-gap': relationshipGapView,
  'top-box-inflation': scoreDistributionsView,
  'score-shift': timelinesView,
  'fabricated-responses': instantResponsesView,
  'survey-suppression': suppressionView,
  'detractor-follow-up': followUpView,
};

/**
 * Every chart of the report as a Vega-Lite (v6) spec, in report order: the
 * summary table, the overview funnel plot of reps, one view per detector (in
 * SPEC order; a detector that did not run gets a chart saying why) and the
 * data-quality panel. Pure: the same result (and ledgers) give the same specs.
 *
 * @example
 * const result = analyze(ledgers);
 * for (const view of specs(result, { ledgers })) console.log(view.id, view.title);
 */
export function specs(result: ReportInput, options: SpecOptions = {}): ReportView[] {
  return [
    summaryTableView(result),
    overviewFunnelView(result, options),
    ...Object.values(DETECTOR_VIEWS).map((build) => build(result, options)),
    dataQualityView(result),
  ];
}
