import { funnelAnalysis } from '../stats/funnelAnalysis.js';
import { funnelLimits } from '../stats/funnelLimits.js';
import {
  COLORS,
  CONFIG,
  cell,
  flaggedReps,
  HEIGHT,
  labelOffsets,
  messageSpec,
  num,
  str,
  tableOf,
  title,
  VEGA_LITE_SCHEMA,
  WIDTH,
} from './common.js';
import { repTopBox } from './ledgerSummaries.js';
import type { ReportInput, ReportView, SpecOptions, VegaLiteSpec } from './types.js';

/** One unit (rep, team) of a funnel plot: k events out of n. */
export interface FunnelUnit {
  id: string;
  k: number;
  n: number;
  /** Flagged units are drawn in red and labelled. */
  flagged: boolean;
  /** Shown in the tooltip, e.g. which detectors flagged the unit. */
  note?: string;
}

/** Options of {@link funnelSpec}. */
export interface FunnelSpecOptions {
  heading: string;
  subtitle?: string;
  /** Axis title of the rate. */
  rateTitle: string;
  /** Axis title of the volume. */
  volumeTitle: string;
  /** Coverage of the two pairs of control limits. Default `[0.95, 0.998]`. */
  levels?: readonly number[];
  /** A target drawn as a dashed rule (e.g. a follow-up target). Default: none. */
  target?: number;
}

/**
 * A funnel plot (Spiegelhalter 2005): each unit's rate k/n against its
 * volume n, with the pooled rate θ₀ and control limits
 * θ₀ ± z √(θ₀(1 − θ₀)/n + τ²) whose additive over-dispersion τ² is estimated
 * from the units themselves (winsorized, so that the outliers do not widen
 * their own limits). Flagged units are red and labelled. With fewer than two
 * units, or a pooled rate of 0 or 1, the chart says so instead.
 */
export function funnelSpec(units: readonly FunnelUnit[], options: FunnelSpecOptions): VegaLiteSpec {
  const usable = units.filter((u) => u.n >= 1 && u.k >= 0 && u.k <= u.n);
  const totalK = usable.reduce((a, u) => a + u.k, 0);
  const totalN = usable.reduce((a, u) => a + u.n, 0);
  if (usable.length < 2 || totalK <= 0 || totalK >= totalN)
    return messageSpec(options.heading, 'Not enough units with events to draw control limits.');
  const analysis = funnelAnalysis(
    usable.map((u) => u.k),
    usable.map((u) => u.n),
  );
  const { p0, tau2 } = analysis;
  const levels = options.levels ?? [0.95, 0.998];
  const maxN = Math.max(...usable.map((u) => u.n));
  const minN = Math.max(1, Math.min(...usable.map((u) => u.n)));
  const steps = 48;
  const limits: Record<string, unknown>[] = [];
  for (let i = 0; i <= steps; i++) {
    const n = minN * (maxN / minN) ** (i / steps);
    for (const l of funnelLimits(n, { p0, tau2, levels })) {
      limits.push({
        n: num(n, 2),
        level: `${num(l.level * 100, 1)}%`,
        lower: num(l.lower),
        upper: num(l.upper),
      });
    }
  }
  const points = usable
    .map((u, i) => ({
      id: u.id,
      n: u.n,
      k: u.k,
      rate: num(u.k / u.n),
      z: num(analysis.units[i].zAdditive, 2),
      status: u.flagged ? 'flagged' : 'not flagged',
      note: u.note ?? '',
    }))
    .sort((a, b) => a.id.localeCompare(b.id));
  // label offsets in pixels (x scale 0..maxN, y scale 0..1, as drawn)
  const flaggedPoints = points.filter((p) => p.status === 'flagged');
  const offsets = labelOffsets(
    flaggedPoints.map((p) => ({ x: (p.n / maxN) * WIDTH, y: (1 - (p.rate ?? 0)) * HEIGHT, text: p.id })),
  );
  const labels = flaggedPoints.map((p, i) => ({
    id: p.id,
    n: p.n,
    labelY: num(Math.min(1, Math.max(0, (p.rate ?? 0) - offsets[i] / HEIGHT))),
  }));
  const x = { field: 'n', type: 'quantitative', title: options.volumeTitle, scale: { zero: true } } as const;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: title(
      options.heading,
      options.subtitle ??
        `Pooled rate ${num(p0 * 100, 1)}%; limits at ${levels.map((l) => `${l * 100}%`).join(' and ')} with over-dispersion τ = ${num(Math.sqrt(tau2), 3)}`,
    ),
    config: CONFIG,
    width: WIDTH,
    height: HEIGHT,
    layer: [
      {
        data: { values: limits },
        mark: { type: 'line', strokeWidth: 1.2, clip: true },
        encoding: {
          x,
          y: {
            field: 'upper',
            type: 'quantitative',
            title: options.rateTitle,
            scale: { domain: [0, 1] as number[] },
            axis: { format: '.0%' },
          },
          strokeDash: {
            field: 'level',
            type: 'nominal',
            title: 'Control limits',
            sort: 'descending',
            scale: {
              range: [
                [1, 0],
                [5, 3],
              ],
            },
          },
          color: { value: COLORS.limits998 },
        },
      },
      {
        data: { values: limits },
        mark: { type: 'line', strokeWidth: 1.2, clip: true },
        encoding: {
          x,
          y: { field: 'lower', type: 'quantitative' },
          strokeDash: { field: 'level', type: 'nominal', sort: 'descending' },
          color: { value: COLORS.limits998 },
        },
      },
      {
        data: { values: [{ p0: num(p0), label: 'pooled rate' }] },
        mark: { type: 'rule', color: COLORS.reference, strokeWidth: 1 },
        encoding: {
          y: { field: 'p0', type: 'quantitative' },
          tooltip: [
            { field: 'label', type: 'nominal', title: 'line' },
            { field: 'p0', type: 'quantitative', title: 'rate', format: '.1%' },
          ],
        },
      },
      ...(options.target === undefined
        ? []
        : [
            {
              data: { values: [{ target: num(options.target), label: 'target' }] },
              mark: { type: 'rule' as const, color: COLORS.focus, strokeDash: [2, 2], strokeWidth: 1.5 },
              encoding: {
                y: { field: 'target', type: 'quantitative' as const },
                tooltip: [
                  { field: 'label', type: 'nominal' as const, title: 'line' },
                  { field: 'target', type: 'quantitative' as const, format: '.0%' },
                ],
              },
            },
          ]),
      {
        data: { values: points },
        mark: { type: 'circle', size: 60, opacity: 0.85 },
        encoding: {
          x,
          y: { field: 'rate', type: 'quantitative' },
          color: {
            field: 'status',
            type: 'nominal',
            title: null,
            scale: { domain: ['flagged', 'not flagged'], range: [COLORS.flagged, COLORS.peers] },
          },
          tooltip: [
            { field: 'id', type: 'nominal', title: 'id' },
            { field: 'k', type: 'quantitative', title: 'events' },
            { field: 'n', type: 'quantitative', title: 'volume' },
            { field: 'rate', type: 'quantitative', format: '.1%' },
            { field: 'z', type: 'quantitative', title: 'z (over-dispersed)' },
            { field: 'note', type: 'nominal', title: 'flagged by' },
          ],
        },
      },
      {
        data: { values: labels },
        mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 11, fontWeight: 'bold' },
        encoding: {
          x,
          y: { field: 'labelY', type: 'quantitative' },
          text: { field: 'id', type: 'nominal' },
          color: { value: COLORS.flagged },
        },
      },
    ],
  };
}

/**
 * The overview: every rep's top-box rep-score rate against its number of
 * scored responses, with over-dispersed control limits; reps flagged by any
 * detector are red and labelled (the tooltip says by which).
 * Source: the `top-box-inflation` table, or the ledgers when it is missing.
 */
export function overviewFunnelView(result: ReportInput, options: SpecOptions = {}): ReportView {
  const heading = 'Reps: top-box rate against volume';
  const flagged = flaggedReps(result);
  const table = tableOf(result, 'top-box-inflation');
  let units: { id: string; k: number; n: number }[] = table
    .filter((r) => Number.isFinite(cell(r, 'topBox')) && cell(r, 'responses') > 0)
    .map((r) => ({ id: str(r, 'rep'), k: cell(r, 'topBox'), n: cell(r, 'responses') }));
  if (units.length === 0 && options.ledgers) units = repTopBox(options.ledgers);
  const spec = funnelSpec(
    units.map((u) => ({
      ...u,
      flagged: flagged.has(u.id),
      note: (flagged.get(u.id) ?? []).join(', '),
    })),
    {
      heading,
      rateTitle: 'Share of top-box rep scores',
      volumeTitle: 'Scored responses',
    },
  );
  return {
    id: 'overview-funnel',
    title: heading,
    description:
      "Each dot is a rep: its share of top-box rep scores against its number of scored responses. The funnel lines are the pooled rate's control limits, widened by the ordinary rep-to-rep variation; reps flagged by any detector are red and labelled (the tooltip lists the detectors). Dots outside the funnel are unusual for their volume; inside is ordinary.",
    spec,
  };
}
