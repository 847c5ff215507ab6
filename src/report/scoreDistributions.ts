import {
  CONFIG,
  cell,
  describe,
  findingsOf,
  focusScale,
  HEIGHT,
  messageSpec,
  notRunView,
  num,
  PEERS,
  skipReason,
  str,
  tableOf,
  title,
  VEGA_LITE_SCHEMA,
  WIDTH,
} from './common.js';
import { scoreCounts } from './ledgerSummaries.js';
import type { ReportInput, ReportView, SpecOptions } from './types.js';

const DETECTOR = 'top-box-inflation';
const HEADING = 'Top-box inflation: rep-score distributions of flagged reps against peers';
const MAX_FOCUS = 4;

/**
 * `top-box-inflation`: the distribution of rep scores (share of each group's
 * scored responses at each value) of the flagged reps (at most four, by
 * q-value; from the findings' `scoreCounts`) against all other reps pooled
 * (needs the ledgers). Coaching shows as a spike at the top value and a
 * missing middle. Without findings, the rep with the largest excess top-box
 * share is shown, marked "not flagged" (needs the ledgers).
 */
export function scoreDistributionsView(result: ReportInput, options: SpecOptions = {}): ReportView {
  const reason = skipReason(result, DETECTOR);
  if (reason) return notRunView(DETECTOR, DETECTOR, HEADING, reason);
  const findings = findingsOf(result, DETECTOR)
    .filter((f) => f.entity.type === 'rep')
    .slice(0, MAX_FOCUS);
  const counts = new Map<string, Map<number, number>>();
  for (const f of findings) {
    const list = f.evidence.scoreCounts;
    if (Array.isArray(list)) counts.set(f.entity.id, new Map(list as [number, number][]));
  }
  let focus = findings.map((f) => f.entity.id);
  if (focus.length === 0 && options.ledgers) {
    const top = tableOf(result, DETECTOR)
      .filter((r) => r.tested === true)
      .sort(
        (a, b) =>
          cell(b, 'excessShare') - cell(a, 'excessShare') || str(a, 'rep').localeCompare(str(b, 'rep')),
      )[0];
    if (top) focus = [str(top, 'rep')];
  }
  if (options.ledgers) {
    const fromLedgers = scoreCounts(options.ledgers, new Set(focus));
    for (const id of focus) if (!counts.has(id)) counts.set(id, fromLedgers.get(id) ?? new Map());
    counts.set(PEERS, fromLedgers.get('') ?? new Map());
  }
  const flaggedIds = new Set(findings.map((f) => f.entity.id));
  const display = (id: string) => (id === PEERS || flaggedIds.has(id) ? id : `${id} (not flagged)`);
  const scale = options.ledgers?.surveys.scale ?? { min: 1, max: 10 };
  const values = Array.from({ length: scale.max - scale.min + 1 }, (_, i) => scale.min + i);
  const rows: Record<string, unknown>[] = [];
  for (const [id, m] of counts) {
    const total = [...m.values()].reduce((a, b) => a + b, 0);
    for (const score of values) {
      const count = m.get(score) ?? 0;
      rows.push({ group: display(id), score, count, share: num(total ? count / total : 0), total });
    }
  }
  const description = `${describe(DETECTOR)} Bars: the share of each group's scored responses at each rep-score value, flagged reps against all other reps pooled. Coaching ("anything less than a 10 is a fail") shows as a spike at the top and a missing middle.${options.ledgers ? '' : ' (Pass the ledgers to draw the peers.)'}`;
  if (rows.length === 0)
    return {
      id: DETECTOR,
      title: HEADING,
      detector: DETECTOR,
      description,
      spec: messageSpec(
        HEADING,
        'No rep flagged; pass the ledgers to compare score distributions with peers.',
      ),
    };
  const groups = [...counts.keys()].filter((id) => id !== PEERS).map(display);
  const subtitle = findings.map((f) => {
    const mm = f.evidence.missingMiddle as { rate?: number; expectedRate?: number } | undefined;
    const tb = f.evidence.topBox as { rate?: number; expectedRate?: number } | undefined;
    return `${f.entity.id}: top box ${pct(tb?.rate)} vs ${pct(tb?.expectedRate)} expected from peers' customers with the same ltr; middle ${pct(mm?.rate)} vs ${pct(mm?.expectedRate)}`;
  });
  return {
    id: DETECTOR,
    title: HEADING,
    detector: DETECTOR,
    description,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: title(
        HEADING,
        subtitle.length > 0 ? subtitle : 'Share of scored responses at each rep-score value',
      ),
      config: CONFIG,
      width: WIDTH,
      height: HEIGHT,
      data: { values: rows },
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'score', type: 'ordinal', title: 'Rep score', axis: { labelAngle: 0 } },
        xOffset: { field: 'group', type: 'nominal', sort: [...groups, PEERS] },
        y: {
          field: 'share',
          type: 'quantitative',
          title: 'Share of the group’s responses',
          axis: { format: '.0%' },
        },
        color: {
          field: 'group',
          type: 'nominal',
          title: null,
          scale: focusScale(groups),
          legend: { orient: 'top' },
        },
        tooltip: [
          { field: 'group', type: 'nominal', title: 'rep' },
          { field: 'score', type: 'ordinal', title: 'rep score' },
          { field: 'count', type: 'quantitative', title: 'responses' },
          { field: 'share', type: 'quantitative', format: '.1%' },
          { field: 'total', type: 'quantitative', title: 'scored responses' },
        ],
      },
    },
  };
}

const pct = (x: number | undefined) => (typeof x === 'number' ? `${Math.round(x * 100)}%` : '?');
