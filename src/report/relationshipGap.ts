import type { Finding } from '../findings/types.js';
import {
  COLORS,
  CONFIG,
  cell,
  describe,
  findingsOf,
  flaggedBy,
  messageSpec,
  notRunView,
  num,
  skipReason,
  str,
  tableOf,
  title,
  VEGA_LITE_SCHEMA,
} from './common.js';
import { jointScores, repScoreMeans } from './ledgerSummaries.js';
import type { ReportInput, ReportView, SpecOptions, VegaLiteSpec } from './types.js';

const DETECTOR = 'rep-relationship-gap';
const HEADING = 'Rep score against relationship score (likelihood to recommend)';
const Z95 = 1.959963984540054;
/** Reps with fewer scored responses are left out of the means panel (the detector's default minimum). */
const MIN_RESPONSES = 10;
const clamp10 = (x: number) => Math.min(10, Math.max(0, x));

type Triple = [number, number, number];

/**
 * `rep-relationship-gap`, two panels:
 * - per-rep means with 95% intervals: with the ledgers, mean ltr (x) against
 *   mean rep score on 0..10 (y), both with intervals; without, each rep's mean
 *   (rep score − ltr) gap with its interval against the gap expected from
 *   peers with the same channel, team and ltr mix (the detector's table).
 *   Reps flagged by this detector or by `top-box-inflation` are red.
 * - the joint distribution of (ltr, rep score) of one rep against its peers
 *   as heatmaps (share of each group's responses): coaching shows as a top
 *   row that spans every ltr, "ltr 1, rep score 10". The rep is this
 *   detector's first finding (its evidence), else the first `top-box-inflation`
 *   finding or the rep with the largest excess (both need the ledgers).
 */
export function relationshipGapView(result: ReportInput, options: SpecOptions = {}): ReportView {
  const reason = skipReason(result, DETECTOR);
  if (reason) return notRunView(DETECTOR, DETECTOR, HEADING, reason);
  const flagged = new Map<string, Finding>([
    ...flaggedBy(result, 'top-box-inflation', 'rep'),
    ...flaggedBy(result, DETECTOR, 'rep'),
  ]);
  const means = meansPanel(result, options, flagged);
  const heat = heatmapPanel(result, options);
  const panels = [means, heat].filter((p): p is VegaLiteSpec => p !== undefined);
  const description = `${describe(DETECTOR)} Left: per-rep means with 95% intervals, reps flagged here or for top-box inflation in red. Right: how one rep's responses spread over (likelihood to recommend, rep score) against its peers'; coaching shows as a top row spanning every ltr ("ltr 1, rep score 10").`;
  if (panels.length === 0)
    return {
      id: DETECTOR,
      title: HEADING,
      detector: DETECTOR,
      description,
      spec: messageSpec(HEADING, 'No rep has enough scored responses to compare.'),
    };
  return {
    id: DETECTOR,
    title: HEADING,
    detector: DETECTOR,
    description,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: title(HEADING, 'Per-rep means with 95% intervals; joint distribution of one rep against peers'),
      config: CONFIG,
      hconcat: panels as never[],
      resolve: { scale: { color: 'independent' } },
    },
  };
}

function meansPanel(
  result: ReportInput,
  options: SpecOptions,
  flagged: Map<string, Finding>,
): VegaLiteSpec | undefined {
  const status = (id: string) => (flagged.has(id) ? 'flagged' : 'not flagged');
  const color = {
    field: 'status',
    type: 'nominal',
    title: null,
    scale: { domain: ['flagged', 'not flagged'], range: [COLORS.flagged, COLORS.peers] },
    legend: { orient: 'bottom' },
  } as const;
  if (options.ledgers) {
    const rows = repScoreMeans(options.ledgers)
      .filter((r) => r.n >= MIN_RESPONSES)
      .map((r) => ({
        rep: r.id,
        responses: r.n,
        ltr: num(r.ltr, 3),
        ltrLow: num(clamp10(r.ltr - Z95 * r.ltrSe), 3),
        ltrHigh: num(clamp10(r.ltr + Z95 * r.ltrSe), 3),
        score: num(r.score, 3),
        scoreLow: num(clamp10(r.score - Z95 * r.scoreSe), 3),
        scoreHigh: num(clamp10(r.score + Z95 * r.scoreSe), 3),
        status: status(r.id),
        flaggedBy: flagged.get(r.id)?.detector ?? '',
      }));
    if (rows.length === 0) return undefined;
    const tooltip = [
      { field: 'rep', type: 'nominal' },
      { field: 'responses', type: 'quantitative' },
      { field: 'ltr', type: 'quantitative', title: 'mean ltr' },
      { field: 'score', type: 'quantitative', title: 'mean rep score (0–10)' },
      { field: 'flaggedBy', type: 'nominal', title: 'flagged by' },
    ] as const;
    const x = {
      field: 'ltr',
      type: 'quantitative',
      title: 'Mean likelihood to recommend (0–10)',
      scale: { zero: false },
    } as const;
    const y = {
      field: 'score',
      type: 'quantitative',
      title: 'Mean rep score (rescaled to 0–10)',
      scale: { zero: false },
    } as const;
    return {
      width: 340,
      height: 300,
      title: 'Per-rep means, 95% intervals',
      data: { values: rows },
      layer: [
        {
          mark: { type: 'rule', strokeOpacity: 0.45 },
          encoding: { x: { ...x, field: 'ltrLow' }, x2: { field: 'ltrHigh' }, y, color },
        },
        {
          mark: { type: 'rule', strokeOpacity: 0.45 },
          encoding: { x, y: { ...y, field: 'scoreLow' }, y2: { field: 'scoreHigh' }, color },
        },
        {
          mark: { type: 'circle', size: 50, opacity: 0.9 },
          encoding: { x, y, color, tooltip: [...tooltip] },
        },
        {
          transform: [{ filter: { field: 'status', equal: 'flagged' } }],
          mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontWeight: 'bold', color: COLORS.flagged },
          encoding: { x, y, text: { field: 'rep', type: 'nominal' } },
        },
      ],
    } as VegaLiteSpec;
  }
  const rows = tableOf(result, DETECTOR)
    .filter((r) => r.tested === true)
    .map((r) => {
      const gap = cell(r, 'meanGap');
      const se = cell(r, 'standardError');
      return {
        rep: str(r, 'rep'),
        responses: cell(r, 'responses'),
        gap: num(gap, 3),
        low: num(gap - Z95 * se, 3),
        high: num(gap + Z95 * se, 3),
        expected: num(cell(r, 'expectedGap'), 3),
        excess: num(cell(r, 'excess'), 3),
        status: status(str(r, 'rep')),
      };
    })
    .sort((a, b) => (b.excess ?? 0) - (a.excess ?? 0) || a.rep.localeCompare(b.rep));
  if (rows.length === 0) return undefined;
  const y = { field: 'rep', type: 'nominal', title: null, sort: rows.map((r) => r.rep) } as const;
  return {
    width: 340,
    height: { step: 12 },
    title: 'Mean (rep score − ltr) gap, 95% interval; tick: expected from peers',
    data: { values: rows },
    layer: [
      {
        mark: { type: 'rule' },
        encoding: {
          y,
          x: { field: 'low', type: 'quantitative', title: 'Rep score − ltr (points on 0–10)' },
          x2: { field: 'high' },
          color,
        },
      },
      {
        mark: { type: 'circle', size: 40 },
        encoding: {
          y,
          x: { field: 'gap', type: 'quantitative' },
          color,
          tooltip: [
            { field: 'rep', type: 'nominal' },
            { field: 'responses', type: 'quantitative' },
            { field: 'gap', type: 'quantitative', title: 'mean gap' },
            { field: 'expected', type: 'quantitative', title: 'expected gap' },
            { field: 'excess', type: 'quantitative' },
          ],
        },
      },
      {
        mark: { type: 'tick', color: COLORS.reference },
        encoding: { y, x: { field: 'expected', type: 'quantitative' } },
      },
    ],
  } as VegaLiteSpec;
}

function heatmapPanel(result: ReportInput, options: SpecOptions): VegaLiteSpec | undefined {
  let rep: string | undefined;
  let joint: { rep: Triple[]; peers: Triple[] } | undefined;
  let note = '';
  const own = findingsOf(result, DETECTOR).find((f) => f.entity.type === 'rep');
  const jointEvidence = own?.evidence.joint as { rep?: Triple[]; peers?: Triple[] } | undefined;
  if (own && Array.isArray(jointEvidence?.rep) && Array.isArray(jointEvidence?.peers)) {
    rep = own.entity.id;
    joint = { rep: jointEvidence.rep, peers: jointEvidence.peers };
    note = 'peers in the same channel and team cells';
  } else if (options.ledgers) {
    const topBox = findingsOf(result, 'top-box-inflation').find((f) => f.entity.type === 'rep');
    const largest = tableOf(result, DETECTOR)
      .filter((r) => r.tested === true)
      .sort((a, b) => cell(b, 'excess') - cell(a, 'excess') || str(a, 'rep').localeCompare(str(b, 'rep')))[0];
    rep = own?.entity.id ?? topBox?.entity.id ?? (largest ? str(largest, 'rep') : undefined);
    if (rep) {
      joint = jointScores(options.ledgers, rep);
      note = own
        ? 'flagged for the gap'
        : topBox
          ? 'flagged for top-box inflation'
          : 'largest excess gap, not flagged';
      note += '; peers: all other reps';
    }
  }
  if (!rep || !joint) return undefined;
  const evidenceScale = own?.evidence.scale as { min?: number; max?: number } | undefined;
  const scale = options.ledgers?.surveys.scale ?? {
    min: evidenceScale?.min ?? 1,
    max: evidenceScale?.max ?? 10,
  };
  const peersLabel = 'peers';
  const rows: Record<string, unknown>[] = [];
  for (const [group, triples] of [
    [rep, joint.rep],
    [peersLabel, joint.peers],
  ] as const) {
    const total = triples.reduce((a, t) => a + t[2], 0);
    for (const [ltr, score, count] of triples)
      rows.push({ group, ltr, score, count, share: num(total ? count / total : 0) });
  }
  return {
    title: { text: `(ltr, rep score): ${rep} against peers`, subtitle: note },
    data: { values: rows },
    facet: {
      column: {
        field: 'group',
        type: 'nominal',
        title: null,
        sort: [rep, peersLabel],
        header: { labelFontSize: 12 },
      },
    },
    spec: {
      width: 200,
      height: 200,
      mark: { type: 'rect' },
      encoding: {
        x: {
          field: 'ltr',
          type: 'ordinal',
          title: 'Likelihood to recommend',
          scale: { domain: range(0, 10) },
          axis: { labelAngle: 0 },
        },
        y: {
          field: 'score',
          type: 'ordinal',
          title: 'Rep score',
          scale: { domain: range(scale.min, scale.max).reverse() },
        },
        color: {
          field: 'share',
          type: 'quantitative',
          title: 'Share of group',
          scale: { scheme: 'oranges' },
          legend: { format: '.0%' },
        },
        tooltip: [
          { field: 'group', type: 'nominal', title: 'rep' },
          { field: 'ltr', type: 'ordinal' },
          { field: 'score', type: 'ordinal', title: 'rep score' },
          { field: 'count', type: 'quantitative', title: 'responses' },
          { field: 'share', type: 'quantitative', format: '.1%' },
        ],
      },
    },
  } as VegaLiteSpec;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
