import { CONFIG, messageSpec, SEVERITY_COLORS, title, VEGA_LITE_SCHEMA } from './common.js';
import type { ReportInput, ReportView } from './types.js';

const HEADING = 'Findings, ranked by q-value';
const MAX_ROWS = 30;
/** Columns and their left edge in pixels. */
const COLUMNS = [
  ['#', 0],
  ['severity', 28],
  ['detector', 92],
  ['entity', 292],
  ['effect', 432],
  ['q-value', 492],
] as const;
const WIDTH = 560;

/** Effect for display: 3 significant digits. */
const effectText = (x: number) =>
  Math.abs(x) >= 1000 ? x.toExponential(2) : Number(x.toPrecision(3)).toString();

/**
 * The summary table as a chart (for the PNG/SVG bundle and chat posts): the
 * first 30 findings by q-value with severity, detector, entity, effect and
 * q-value; the tooltip carries the one-sentence summary.
 */
export function summaryTableView(result: ReportInput): ReportView {
  const findings = result.findings.slice(0, MAX_ROWS);
  const cells: Record<string, unknown>[] = COLUMNS.map(([column, x]) => ({
    rank: 0,
    column,
    x,
    value: column,
    header: true,
    severity: '',
    entity: '',
    detector: '',
    summary: '',
  }));
  findings.forEach((f, i) => {
    const values: Record<string, string> = {
      '#': String(i + 1),
      severity: f.severity,
      detector: f.detector,
      entity: `${f.entity.type} ${f.entity.id}`,
      effect: effectText(f.effect),
      'q-value': f.qValue.toExponential(1),
    };
    for (const [column, x] of COLUMNS)
      cells.push({
        rank: i + 1,
        column,
        x,
        value: values[column],
        header: false,
        severity: column === 'severity' ? f.severity : 'none',
        entity: values.entity,
        detector: f.detector,
        summary: f.summary,
      });
  });
  const alpha = String(result.run.options.alpha ?? 0.05);
  const description = `The ${findings.length < result.findings.length ? `first ${MAX_ROWS} of the ` : ''}${result.findings.length} findings at q ≤ ${alpha}, ranked by q-value; hover a row for its summary.`;
  if (findings.length === 0)
    return {
      id: 'summary-table',
      title: HEADING,
      description,
      spec: messageSpec(HEADING, `No finding at q ≤ ${alpha}.`),
    };
  const x = {
    field: 'x',
    type: 'quantitative',
    scale: { domain: [0, WIDTH] as number[], range: [0, WIDTH] as number[] },
    axis: null,
  } as const;
  const y = { field: 'rank', type: 'ordinal', axis: null } as const;
  return {
    id: 'summary-table',
    title: HEADING,
    description,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: title(HEADING, `${result.findings.length} finding(s); severity from the run-wide q-value`),
      config: { ...CONFIG, view: { stroke: null } },
      width: WIDTH,
      height: { step: 18 },
      data: { values: cells },
      layer: [
        {
          transform: [{ filter: { field: 'header', equal: true } }],
          mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 11, fontWeight: 'bold' },
          encoding: { x, y, text: { field: 'value', type: 'nominal' } },
        },
        {
          transform: [{ filter: { field: 'header', equal: false } }],
          mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 11, limit: 195 },
          encoding: {
            x,
            y,
            text: { field: 'value', type: 'nominal' },
            color: {
              field: 'severity',
              type: 'nominal',
              legend: null,
              scale: {
                domain: ['high', 'medium', 'low', 'none'],
                range: [SEVERITY_COLORS.high, SEVERITY_COLORS.medium, '#b7950b', '#222222'],
              },
            },
            tooltip: [
              { field: 'rank', type: 'ordinal', title: '#' },
              { field: 'entity', type: 'nominal' },
              { field: 'detector', type: 'nominal' },
              { field: 'summary', type: 'nominal' },
            ],
          },
        },
      ],
    },
  };
}
