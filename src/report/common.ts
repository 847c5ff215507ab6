/**
 * Shared pieces of the spec builders: the schema URL, the palette, the
 * config every chart uses, number rounding for inline data (stable golden
 * files and small HTML) and look-ups into a result.
 */
import { DETECTORS } from '../detectors/registry.js';
import type { DetectorId, Finding, Severity } from '../findings/types.js';
import type { ReportInput, ReportView, VegaLiteSpec } from './types.js';

export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Flagged entities, peers, reference lines. */
export const COLORS = {
  flagged: '#c0392b',
  focus: '#e67e22',
  peers: '#8c8c8c',
  reference: '#2c3e50',
  limits95: '#7f8c8d',
  limits998: '#34495e',
  concession: '#2e86c1',
  score: '#c0392b',
} as const;

export const SEVERITY_COLORS: Record<Severity, string> = {
  high: '#b2182b',
  medium: '#ef8a62',
  low: '#f4c7a1',
};

/** Chart config: one font everywhere (DejaVu Sans is what PNG rendering finds on Debian). */
export const CONFIG = {
  font: 'DejaVu Sans, Helvetica, Arial, sans-serif',
  view: { stroke: '#dddddd' },
  title: { anchor: 'start', fontSize: 14, subtitleColor: '#555555' },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: '#eeeeee' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320, titleLimit: 320 },
} as const;

export const WIDTH = 560;
export const HEIGHT = 300;

/**
 * A number for inline chart data: rounded to `digits` decimals (default 4)
 * with -0 normalised, `null` when not finite (Vega-Lite skips nulls).
 */
export function num(x: unknown, digits = 4): number | null {
  if (typeof x !== 'number' || !Number.isFinite(x)) return null;
  const f = 10 ** digits;
  const r = Math.round(x * f) / f;
  return r === 0 ? 0 : r;
}

/** The listed findings of one detector, in the document's (q-value) order. */
export function findingsOf(result: ReportInput, detector: DetectorId): Finding[] {
  return result.findings.filter((f) => f.detector === detector);
}

/** The per-entity table of one detector, or `[]` when it did not run or the input has no tables. */
export function tableOf(result: ReportInput, detector: DetectorId): Record<string, unknown>[] {
  return result.tables?.[detector] ?? [];
}

/** Why a detector the run did not choose did not run: the DuckDB engine runs two detectors only. */
export function notChosen(result: ReportInput, short = false): string {
  if (result.run.options.engine === 'duckdb') return 'not run by the DuckDB engine';
  return short ? 'not selected' : 'not selected for this run';
}

/** Why a detector did not run, or `undefined` when it ran. */
export function skipReason(result: ReportInput, detector: DetectorId): string | undefined {
  const skipped = result.run.skipped.find((s) => s.detector === detector);
  if (skipped) return skipped.reason;
  if (result.run.tested[detector] === undefined) return notChosen(result);
  return undefined;
}

/** Map of flagged entity id → its most severe finding of `detector` (optionally of one entity type). */
export function flaggedBy(
  result: ReportInput,
  detector: DetectorId,
  type?: Finding['entity']['type'],
): Map<string, Finding> {
  const out = new Map<string, Finding>();
  for (const f of findingsOf(result, detector)) {
    if (type && f.entity.type !== type) continue;
    if (!out.has(f.entity.id)) out.set(f.entity.id, f);
  }
  return out;
}

/** Map of rep id → the detectors that flagged it (in document order), over all detectors. */
export function flaggedReps(result: ReportInput): Map<string, DetectorId[]> {
  const out = new Map<string, DetectorId[]>();
  for (const f of result.findings) {
    if (f.entity.type !== 'rep') continue;
    const list = out.get(f.entity.id) ?? [];
    if (!list.includes(f.detector)) list.push(f.detector);
    out.set(f.entity.id, list);
  }
  return out;
}

/** A string cell of a table row ('' when absent). */
export const str = (row: Record<string, unknown>, key: string): string =>
  typeof row[key] === 'string' ? (row[key] as string) : '';

/** A numeric cell of a table row (NaN when absent). */
export const cell = (row: Record<string, unknown>, key: string): number =>
  typeof row[key] === 'number' ? (row[key] as number) : Number.NaN;

/** Title block with a subtitle. */
export function title(text: string, subtitle?: string | string[]) {
  return subtitle === undefined ? { text } : { text, subtitle };
}

/** A chart that says, in its plot area, why there is nothing to draw (keeps every view renderable). */
export function messageSpec(heading: string, message: string): VegaLiteSpec {
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: title(heading),
    config: CONFIG,
    width: WIDTH,
    height: 60,
    data: { values: [{ message }] },
    mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 13, color: '#555555', x: 0 },
    encoding: { text: { field: 'message', type: 'nominal' } },
  };
}

/** The view of a detector that did not run: its reason, in the chart. */
export function notRunView(id: string, detector: DetectorId, heading: string, reason: string): ReportView {
  return {
    id,
    title: heading,
    detector,
    description: `${DETECTORS[detector].description} Did not run: ${reason}.`,
    spec: messageSpec(heading, `Did not run: ${reason}.`),
  };
}

/** A detector's one-sentence description (from the registry). */
export const describe = (detector: DetectorId): string => DETECTORS[detector].description;

/** Colours of up to four focus entities; peers are grey. */
export const FOCUS_PALETTE = ['#c0392b', '#e67e22', '#8e44ad', '#16a085'] as const;

/** The label of the peer group in comparisons. */
export const PEERS = 'peers (all other reps)';

/** A colour scale: each focus id in order from the palette, peers grey. */
export function focusScale(ids: readonly string[], peers = PEERS) {
  return {
    domain: [...ids, peers],
    range: [...ids.map((_, i) => FOCUS_PALETTE[i % FOCUS_PALETTE.length]), COLORS.peers],
  };
}

/** The options a detector ran with (from `run.options.detectorOptions`). */
export function detectorOption(result: ReportInput, detector: DetectorId, key: string): unknown {
  const all = result.run.options.detectorOptions as Record<string, Record<string, unknown>> | undefined;
  return all?.[detector]?.[key];
}

/**
 * Vertical pixel offsets for the labels of a few highlighted points so that
 * they do not overprint each other: points in pixel space (x, y), labels
 * about 7 px per character wide and 12 px high, placed greedily above,
 * below, further above … their point. Returns one offset per point.
 */
export function labelOffsets(points: readonly { x: number; y: number; text: string }[]): number[] {
  const candidates = [-8, 10, -20, 22, -32, 34];
  const placed: { left: number; right: number; top: number; bottom: number }[] = [];
  return points.map((p) => {
    const width = 7 * p.text.length;
    let chosen = candidates[0];
    for (const dy of candidates) {
      const box = { left: p.x + 6, right: p.x + 6 + width, top: p.y + dy - 6, bottom: p.y + dy + 6 };
      const clash = placed.some(
        (b) => box.left < b.right && box.right > b.left && box.top < b.bottom && box.bottom > b.top,
      );
      if (!clash) {
        chosen = dy;
        break;
      }
    }
    placed.push({ left: p.x + 6, right: p.x + 6 + width, top: p.y + chosen - 6, bottom: p.y + chosen + 6 });
    return chosen;
  });
}
