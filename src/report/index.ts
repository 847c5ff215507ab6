/**
 * Reports: Vega-Lite spec builders (one view per file, one per detector
 * plus an overview, a summary table and a data-quality panel) and renderers
 * (spec JSON, SVG, PNG, offline HTML, Markdown).
 */
export { type ComparedFinding, type Comparison, compareFindings, findingKey } from './compare.js';
export { type HtmlOptions, renderHtml } from './renderHtml.js';
export { type MarkdownOptions, renderMarkdown } from './renderMarkdown.js';
export { type PngOptions, renderPng } from './renderPng.js';
export {
  REPORT_FORMATS,
  type RenderReportOptions,
  type ReportFormat,
  type ReportOutputs,
  renderReport,
  specsJson,
} from './renderReport.js';
export { renderSvg, type SvgOptions } from './renderSvg.js';
export {
  describeReview,
  type FindingReview,
  loadReviews,
  matchReviews,
  REVIEW_DECISIONS,
  type Review,
  type ReviewDecision,
  type ReviewMatch,
} from './reviews.js';
export { DETECTOR_VIEWS, specs } from './specs.js';
export type { DetectorViewBuilder, ReportInput, ReportView, SpecOptions, VegaLiteSpec } from './types.js';
