import type { EntityType } from '../findings/types.js';
import {
  COLORS,
  CONFIG,
  cell,
  describe,
  FOCUS_PALETTE,
  findingsOf,
  notRunView,
  num,
  skipReason,
  str,
  tableOf,
  title,
  VEGA_LITE_SCHEMA,
  WIDTH,
} from './common.js';
import { monthlyGaps } from './ledgerSummaries.js';
import type { ReportInput, ReportView, SpecOptions, VegaLiteSpec } from './types.js';

const DETECTOR = 'score-shift';
const HEADING = 'Score shift: timelines with detected change points';
const MAX_FOCUS = 4;
const ALL = 'all responses';

interface Candidate {
  type: EntityType;
  id: string;
  onset: string;
  /** the onset's 95% interval (p <= 0.05), else null */
  onsetFrom: string | null;
  onsetTo: string | null;
  gapBefore: number | null;
  gapAfter: number | null;
  shift: number | null;
  responses: number;
  pValue: number | null;
  flagged: boolean;
}

/**
 * `score-shift`:
 * - with the ledgers, the monthly mean (rep score − ltr) gap of the flagged
 *   reps and teams (at most four; without findings, the two strongest
 *   candidates, marked "not flagged") against all responses, a rule at each
 *   detected onset and dashed segments at the mean gap before and after it;
 * - always, every tested entity's detected onset (x) against the size of
 *   the shift (y, points on 0–10), flagged entities red.
 */
export function timelinesView(result: ReportInput, options: SpecOptions = {}): ReportView {
  const reason = skipReason(result, DETECTOR);
  if (reason) return notRunView(DETECTOR, DETECTOR, HEADING, reason);
  const flagged = findingsOf(result, DETECTOR);
  const flaggedKeys = new Set(flagged.map((f) => `${f.entity.type} ${f.entity.id}`));
  let candidates: Candidate[] = tableOf(result, DETECTOR)
    .filter((r) => r.tested === true)
    .map((r) => ({
      type: str(r, 'entity') as EntityType,
      id: str(r, 'id'),
      onset: str(r, 'onset'),
      onsetFrom: str(r, 'onsetFrom') || null,
      onsetTo: str(r, 'onsetTo') || null,
      gapBefore: num(cell(r, 'gapBefore'), 3),
      gapAfter: num(cell(r, 'gapAfter'), 3),
      shift: num(cell(r, 'shift'), 3),
      responses: cell(r, 'responses'),
      pValue: num(cell(r, 'pValue'), 6),
      flagged: flaggedKeys.has(`${str(r, 'entity')} ${str(r, 'id')}`),
    }));
  if (candidates.length === 0) {
    candidates = flagged.map((f) => {
      const before = f.evidence.before as { meanGap?: number; responses?: number } | undefined;
      const after = f.evidence.after as { meanGap?: number; responses?: number } | undefined;
      return {
        type: f.entity.type,
        id: f.entity.id,
        onset: String(f.evidence.onset ?? ''),
        onsetFrom: (f.evidence.onsetInterval as string[] | undefined)?.[0] ?? null,
        onsetTo: (f.evidence.onsetInterval as string[] | undefined)?.[1] ?? null,
        gapBefore: num(before?.meanGap, 3),
        gapAfter: num(after?.meanGap, 3),
        shift: num(f.effect, 3),
        responses: Number(f.evidence.responses ?? 0),
        pValue: num(f.pValue, 6),
        flagged: true,
      };
    });
  }
  const label = (c: Candidate) => `${c.type} ${c.id}${c.flagged ? '' : ' (not flagged)'}`;
  const focus = candidates.some((c) => c.flagged)
    ? flagged
        .slice(0, MAX_FOCUS)
        .map((f) => candidates.find((c) => c.type === f.entity.type && c.id === f.entity.id))
        .filter((c): c is Candidate => c !== undefined)
    : [...candidates]
        .sort((a, b) => (a.pValue ?? 1) - (b.pValue ?? 1) || a.id.localeCompare(b.id))
        .slice(0, 2);

  const panels: VegaLiteSpec[] = [];
  if (options.ledgers && focus.length > 0) panels.push(monthlyPanel(options, focus, label));
  panels.push(onsetPanel(candidates));
  return {
    id: DETECTOR,
    title: HEADING,
    detector: DETECTOR,
    description: `${describe(DETECTOR)} ${options.ledgers ? 'Top: the monthly mean (rep score − ltr) gap of flagged entities (or the strongest candidates) against all responses, with the detected onset (rule), its 95% interval where p ≤ 0.05 (band) and the mean gap before and after it (dashed). ' : ''}Bottom: every tested rep's and team's detected onset against the size of the shift; flagged entities in red.`,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: title(HEADING, 'Gap = rep score on 0–10 minus likelihood to recommend'),
      config: CONFIG,
      vconcat: panels as never[],
      resolve: { scale: { color: 'independent' } },
    },
  };
}

function monthlyPanel(
  options: SpecOptions,
  focus: Candidate[],
  label: (c: Candidate) => string,
): VegaLiteSpec {
  const series = monthlyGaps(
    options.ledgers!,
    focus.map((c) => ({ type: c.type, id: c.id })),
  );
  const names = new Map(focus.map((c) => [`${c.type} ${c.id}`, label(c)]));
  const lines = series.map((p) => ({
    series: p.key === '' ? ALL : (names.get(p.key) ?? p.key),
    month: `${p.month}-15`,
    gap: num(p.gap, 3),
    responses: p.n,
  }));
  const months = series.map((p) => p.month).sort();
  const first = `${months[0]}-01`;
  const last = `${months[months.length - 1]}-28`;
  const marks = focus.map((c) => ({
    series: label(c),
    onset: c.onset,
    onsetFrom: c.onsetFrom,
    onsetTo: c.onsetTo,
    first,
    last,
    gapBefore: c.gapBefore,
    gapAfter: c.gapAfter,
    shift: c.shift,
    pValue: c.pValue,
  }));
  const domain = [...focus.map(label), ALL];
  const color = {
    field: 'series',
    type: 'nominal',
    title: null,
    scale: { domain, range: [...focus.map((_, i) => FOCUS_PALETTE[i % FOCUS_PALETTE.length]), COLORS.peers] },
    legend: { orient: 'top' },
  } as const;
  const x = { type: 'temporal', title: null, scale: { type: 'utc' }, axis: { format: '%b %Y' } } as const;
  return {
    width: WIDTH,
    height: 240,
    title: 'Monthly mean gap, onset (band: its 95% interval) and mean gap before and after',
    layer: [
      {
        data: { values: marks.filter((m) => m.onsetFrom !== null) },
        mark: { type: 'rect', opacity: 0.12 },
        encoding: {
          x: { ...x, field: 'onsetFrom' },
          x2: { field: 'onsetTo' },
          color,
          tooltip: [
            { field: 'series', type: 'nominal' },
            { field: 'onsetFrom', type: 'temporal', format: '%Y-%m-%d', title: 'onset from (95%)' },
            { field: 'onsetTo', type: 'temporal', format: '%Y-%m-%d', title: 'onset to (95%)' },
          ],
        },
      },
      {
        data: { values: lines },
        mark: { type: 'line', point: true, strokeWidth: 1.5 },
        encoding: {
          x: { ...x, field: 'month' },
          y: { field: 'gap', type: 'quantitative', title: 'Mean rep score − ltr' },
          color,
          tooltip: [
            { field: 'series', type: 'nominal' },
            { field: 'month', type: 'temporal', format: '%b %Y', title: 'month' },
            { field: 'gap', type: 'quantitative', title: 'mean gap' },
            { field: 'responses', type: 'quantitative' },
          ],
        },
      },
      {
        data: { values: marks },
        mark: { type: 'rule', strokeWidth: 2 },
        encoding: {
          x: { ...x, field: 'onset' },
          color,
          tooltip: [
            { field: 'series', type: 'nominal' },
            { field: 'onset', type: 'temporal', format: '%Y-%m-%d', title: 'onset' },
            { field: 'shift', type: 'quantitative', title: 'shift vs peers' },
            { field: 'pValue', type: 'quantitative', title: 'p-value', format: '.2e' },
          ],
        },
      },
      {
        data: { values: marks },
        mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: {
          x: { ...x, field: 'first' },
          x2: { field: 'onset' },
          y: { field: 'gapBefore', type: 'quantitative' },
          color,
        },
      },
      {
        data: { values: marks },
        mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
        encoding: {
          x: { ...x, field: 'onset' },
          x2: { field: 'last' },
          y: { field: 'gapAfter', type: 'quantitative' },
          color,
        },
      },
    ],
  } as VegaLiteSpec;
}

function onsetPanel(candidates: Candidate[]): VegaLiteSpec {
  const rows = candidates
    .map((c) => ({
      entity: `${c.type} ${c.id}`,
      type: c.type,
      onset: c.onset,
      shift: c.shift,
      gapBefore: c.gapBefore,
      gapAfter: c.gapAfter,
      responses: c.responses,
      pValue: c.pValue,
      status: c.flagged ? 'flagged' : 'not flagged',
    }))
    .sort((a, b) => a.entity.localeCompare(b.entity));
  return {
    width: WIDTH,
    height: 200,
    title: 'Detected onset and size of the shift, every tested rep and team',
    data: { values: rows },
    mark: { type: 'point', filled: true, opacity: 0.85 },
    encoding: {
      x: {
        field: 'onset',
        type: 'temporal',
        title: 'Detected onset',
        scale: { type: 'utc' },
        axis: { format: '%b %Y' },
      },
      y: { field: 'shift', type: 'quantitative', title: 'Shift vs peers (points on 0–10)' },
      size: { field: 'responses', type: 'quantitative', title: 'Responses', legend: null },
      shape: { field: 'type', type: 'nominal', title: null, legend: { orient: 'bottom' } },
      color: {
        field: 'status',
        type: 'nominal',
        title: null,
        scale: { domain: ['flagged', 'not flagged'], range: [COLORS.flagged, COLORS.peers] },
        legend: { orient: 'bottom' },
      },
      tooltip: [
        { field: 'entity', type: 'nominal' },
        { field: 'onset', type: 'temporal', format: '%Y-%m-%d' },
        { field: 'shift', type: 'quantitative' },
        { field: 'gapBefore', type: 'quantitative', title: 'gap before' },
        { field: 'gapAfter', type: 'quantitative', title: 'gap after' },
        { field: 'responses', type: 'quantitative' },
        { field: 'pValue', type: 'quantitative', title: 'p-value', format: '.2e' },
      ],
    },
  } as VegaLiteSpec;
}
