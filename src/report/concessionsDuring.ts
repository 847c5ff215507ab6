import {
  COLORS,
  CONFIG,
  cell,
  describe,
  flaggedBy,
  messageSpec,
  notRunView,
  num,
  skipReason,
  str,
  tableOf,
  title,
  VEGA_LITE_SCHEMA,
  WIDTH,
} from './common.js';
import type { ReportInput, ReportView, SpecOptions } from './types.js';

const DETECTOR = 'concession-during-survey';
const HEADING = 'Concession-during-survey: concessions while a survey was open';
const MAX_ROWS = 30;

/**
 * `concession-during-survey`: per rep, the concessions granted to customers
 * between their invitation and their response (dots) against what the rep's
 * own concession rate predicts for that much open-survey time (ticks).
 * Reps with none and not flagged are left out; at most 30 rows.
 */
export function concessionsDuringView(result: ReportInput, _options: SpecOptions = {}): ReportView {
  const reason = skipReason(result, DETECTOR);
  if (reason) return notRunView(DETECTOR, DETECTOR, HEADING, reason);
  const flagged = flaggedBy(result, DETECTOR, 'rep');
  let rows = tableOf(result, DETECTOR).map((r) => ({
    rep: str(r, 'rep'),
    observed: cell(r, 'concessionsDuring'),
    expected: num(cell(r, 'expected'), 3),
    answered: cell(r, 'answeredSurveys'),
  }));
  if (rows.length === 0) {
    rows = [...flagged.values()].map((f) => ({
      rep: f.entity.id,
      observed: Number(f.evidence.concessionsDuring),
      expected: num(f.evidence.expectedFromOwnRate, 3),
      answered: Number(f.evidence.answeredSurveys),
    }));
  }
  const data = rows
    .filter((r) => r.observed > 0 || flagged.has(r.rep))
    .map((r) => ({
      ...r,
      status: flagged.has(r.rep) ? 'flagged' : 'not flagged',
      q: num(flagged.get(r.rep)?.qValue, 12),
    }))
    .sort((a, b) => b.observed - a.observed || a.rep.localeCompare(b.rep))
    .slice(0, MAX_ROWS);
  const description = `${describe(DETECTOR)} Dots: concessions granted while the customer's survey was open (between invitation and response); ticks: what the rep's own concession rate predicts for that much open-survey time. Reps with none are left out.`;
  if (data.length === 0)
    return {
      id: DETECTOR,
      title: HEADING,
      detector: DETECTOR,
      description,
      spec: messageSpec(HEADING, 'No rep granted a concession while a survey was open.'),
    };
  const y = {
    field: 'rep',
    type: 'nominal',
    title: null,
    sort: data.map((d) => d.rep),
  } as const;
  const tooltip = [
    { field: 'rep', type: 'nominal' },
    { field: 'observed', type: 'quantitative', title: 'concessions during survey' },
    { field: 'expected', type: 'quantitative', title: 'expected from own rate' },
    { field: 'answered', type: 'quantitative', title: 'answered surveys' },
    { field: 'q', type: 'quantitative', title: 'q-value', format: '.2e' },
  ] as const;
  return {
    id: DETECTOR,
    title: HEADING,
    detector: DETECTOR,
    description,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: title(HEADING, 'Dots: observed; ticks: expected from the rep’s own concession rate'),
      config: CONFIG,
      width: WIDTH,
      height: { step: 16 },
      data: { values: data },
      layer: [
        {
          mark: { type: 'rule', color: '#cccccc' },
          encoding: {
            y,
            x: { field: 'expected', type: 'quantitative' },
            x2: { field: 'observed' },
          },
        },
        {
          mark: { type: 'tick', color: COLORS.reference, thickness: 2 },
          encoding: {
            y,
            x: { field: 'expected', type: 'quantitative' },
            tooltip: [...tooltip],
          },
        },
        {
          mark: { type: 'circle', size: 80, opacity: 0.9 },
          encoding: {
            y,
            x: { field: 'observed', type: 'quantitative', title: 'Concessions while a survey was open' },
            color: {
              field: 'status',
              type: 'nominal',
              title: null,
              scale: { domain: ['flagged', 'not flagged'], range: [COLORS.flagged, COLORS.peers] },
            },
            tooltip: [...tooltip],
          },
        },
      ],
    },
  };
}
