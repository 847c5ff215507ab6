import type { TopLevelSpec } from 'vega-lite';
import type { AnalysisResult } from '../analyze.js';
import type { DetectorId, FindingsDocument } from '../findings/types.js';
import type { Ledgers } from '../ledger/types.js';

/** A Vega-Lite specification (`$schema` v6), as the spec builders return it. */
export type VegaLiteSpec = TopLevelSpec;

/**
 * What the report functions accept: the result of `analyze` (findings document
 * plus per-detector tables). A bare findings document (e.g. a `findings.json`
 * read back) works too; views that need a table then show what the findings
 * carry.
 */
export type ReportInput = FindingsDocument & { tables?: AnalysisResult['tables'] };

/** Options shared by the spec builders. */
export interface SpecOptions {
  /**
   * The ledgers the result was computed from. Optional: views that compare a
   * flagged entity with its peers on raw data (lag histograms of peers, score
   * distributions, the (ltr, rep score) heatmap, monthly timelines, account
   * sequences with every concession) use them when given and fall back to the
   * findings' evidence otherwise. Default: none.
   */
  ledgers?: Ledgers;
}

/** One chart of the report. */
export interface ReportView {
  /** Stable id, also the chart's file name (`charts/<id>.svg`). */
  id: string;
  title: string;
  /** The detector this view belongs to; none for overview views. */
  detector?: DetectorId;
  /** One or two sentences: what the chart shows and how to read it. */
  description: string;
  spec: VegaLiteSpec;
}

/** A builder of one detector's view. */
export type DetectorViewBuilder = (result: ReportInput, options: SpecOptions) => ReportView;
