/**
 * nps-gaming: find score gaming in NPS/CSAT survey and concession ledgers.
 * Explicit named exports only; heavy optional parts live behind subpaths
 * (`nps-gaming/danfo`).
 */
export {
  type AnalysisResult,
  type AnalyzeOptions,
  analyze,
  analyzeAsync,
  DEFAULT_ALPHA,
  type LoadAndAnalyzeOptions,
  loadAndAnalyze,
  toDocument,
  unreadColumns,
} from './analyze.js';
export {
  type AccountExtractionOptions,
  detectAccountExtraction,
} from './detectors/accountExtraction.js';
export {
  type ConcessionBeforeSurveyOptions,
  detectConcessionBeforeSurvey,
} from './detectors/concessionBeforeSurvey.js';
export {
  type ConcessionDuringSurveyOptions,
  detectConcessionDuringSurvey,
} from './detectors/concessionDuringSurvey.js';
export { type DetractorFollowUpOptions, detectDetractorFollowUp } from './detectors/detractorFollowUp.js';
export {
  detectFabricatedResponses,
  type FabricatedResponsesOptions,
} from './detectors/fabricatedResponses.js';
export { DETECTORS, registeredDetectors } from './detectors/registry.js';
export { detectRepRelationshipGap, type RepRelationshipGapOptions } from './detectors/repRelationshipGap.js';
export { detectScoreShift, type ScoreShiftOptions } from './detectors/scoreShift.js';
export { detectSurveySuppression, type SurveySuppressionOptions } from './detectors/surveySuppression.js';
export { detectTopBoxInflation, type TopBoxInflationOptions } from './detectors/topBoxInflation.js';
export type { CommonDetectorOptions, Detector, DetectorResult } from './detectors/types.js';
export { atLeast, severityOf } from './findings/severity.js';
export { findingsToCsv } from './findings/to-csv.js';
export {
  DETECTOR_IDS,
  type DetectorId,
  type Entity,
  type EntityType,
  type Finding,
  type FindingsDocument,
  type QualitySummary,
  type RunInfo,
  type Severity,
  type Skipped,
  type Test,
} from './findings/types.js';
export {
  type LedgerInputs,
  type Loaded,
  type LoadOptions,
  type LoadProgress,
  loadConcessions,
  loadInteractions,
  loadLedgers,
  loadSurveys,
  OMITTABLE_COLUMNS,
  type OmittableColumn,
  type QuarantinedRow,
} from './ledger/load.js';
export { describeQuality } from './ledger/quality.js';
export type { ArqueroLike, DanfoLike, LedgerInput } from './ledger/read-input.js';
export type { ColumnMapping } from './ledger/resolve-columns.js';
export { SCHEMAS } from './ledger/schema.js';
export { parseTimestamp } from './ledger/timestamp.js';
export type {
  ConcessionLedger,
  DataQuality,
  Dictionary,
  IdDictionaries,
  InteractionLedger,
  LedgerName,
  LedgerQuality,
  Ledgers,
  QuarantineExample,
  QuarantineReason,
  ScoreScale,
  SurveyLedger,
} from './ledger/types.js';
export { LedgerError, MissingPeerError, OptionError } from './log/errors.js';
export {
  type ComparedFinding,
  type Comparison,
  compareFindings,
  DETECTOR_VIEWS,
  type DetectorViewBuilder,
  describeReview,
  type FindingReview,
  findingKey,
  type HtmlOptions,
  loadReviews,
  type MarkdownOptions,
  matchReviews,
  type PngOptions,
  REPORT_FORMATS,
  REVIEW_DECISIONS,
  type RenderReportOptions,
  type ReportFormat,
  type ReportInput,
  type ReportOutputs,
  type ReportView,
  type Review,
  type ReviewDecision,
  type ReviewMatch,
  renderHtml,
  renderMarkdown,
  renderPng,
  renderReport,
  renderSvg,
  type SpecOptions,
  type SvgOptions,
  specs,
  specsJson,
  type VegaLiteSpec,
} from './report/index.js';
export * from './simulate/index.js';
export * as stats from './stats/index.js';
export { createRandom, type Random } from './stats/random.js';
