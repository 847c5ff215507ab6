import type { FindingsDocument } from '../findings/types.js';
import { OptionError } from '../log/errors.js';
import { compareFindings } from './compare.js';
import { renderHtml } from './renderHtml.js';
import { renderMarkdown } from './renderMarkdown.js';
import { renderPng } from './renderPng.js';
import { renderSvg } from './renderSvg.js';
import { specs } from './specs.js';
import type { ReportInput, SpecOptions } from './types.js';

/** What {@link renderReport} produces for each format. */
export interface ReportOutputs {
  /** The self-contained offline HTML report. */
  html: string;
  /** The Markdown summary (e-mail, chat). */
  markdown: string;
  /** Every view's Vega-Lite spec: `{ version: 1, views: [{ id, title, detector?, description, spec }] }`, pretty-printed. */
  json: string;
  /** Every view as SVG, keyed by view id. */
  svg: Record<string, string>;
  /** Every view as PNG (twice the SVG's size), keyed by view id. */
  png: Record<string, Uint8Array>;
}

export type ReportFormat = keyof ReportOutputs;

export const REPORT_FORMATS: readonly ReportFormat[] = ['html', 'markdown', 'json', 'svg', 'png'];

/** Options of {@link renderReport}. */
export interface RenderReportOptions<F extends ReportFormat = ReportFormat> extends SpecOptions {
  /** Output format. Required. */
  format: F;
  /** A previous run's findings document: the HTML and Markdown then show new, persisting and resolved findings. Default: none. */
  baseline?: FindingsDocument;
  /** Heading of the HTML and Markdown reports. Default `'Score-gaming report'`. */
  title?: string;
}

/**
 * Render the report of an `analyze` result in one format. Deterministic:
 * the same result, ledgers and options give the same output.
 *
 * @throws {OptionError} on an unknown format.
 *
 * @example
 * const result = analyze(ledgers);
 * const html = await renderReport(result, { format: 'html', ledgers });
 * const charts = await renderReport(result, { format: 'svg' }); // { 'overview-funnel': '<svg…', … }
 */
export async function renderReport<F extends ReportFormat>(
  result: ReportInput,
  options: RenderReportOptions<F>,
): Promise<ReportOutputs[F]> {
  const { format } = options;
  if (!REPORT_FORMATS.includes(format))
    throw new OptionError(
      `format must be one of ${REPORT_FORMATS.join(', ')}, got ${JSON.stringify(format)}`,
    );
  const comparison = options.baseline ? compareFindings(result, options.baseline) : undefined;
  const out = async (): Promise<ReportOutputs[ReportFormat]> => {
    switch (format) {
      case 'html':
        return renderHtml(result, { ledgers: options.ledgers, comparison, title: options.title });
      case 'markdown':
        return renderMarkdown(result, { comparison, title: options.title });
      case 'json':
        return specsJson(result, options);
      case 'svg':
      case 'png': {
        const svgs: Record<string, string> = {};
        for (const view of specs(result, options)) svgs[view.id] = await renderSvg(view.spec);
        if (format === 'svg') return svgs;
        const pngs: Record<string, Uint8Array> = {};
        for (const [id, svg] of Object.entries(svgs)) pngs[id] = await renderPng(svg);
        return pngs;
      }
    }
    throw new OptionError(`unknown format ${String(format)}`);
  };
  return (await out()) as ReportOutputs[F];
}

/** The views' specs as pretty-printed JSON (the `json` format). */
export function specsJson(result: ReportInput, options: SpecOptions = {}): string {
  const views = specs(result, options).map(({ id, title, detector, description, spec }) => ({
    id,
    title,
    ...(detector ? { detector } : {}),
    description,
    spec,
  }));
  return `${JSON.stringify({ version: 1, views }, null, 2)}\n`;
}
