import {
  CONFIG,
  cell,
  describe,
  detectorOption,
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
import { lagCounts } from './ledgerSummaries.js';
import type { ReportInput, ReportView, SpecOptions } from './types.js';

const DETECTOR = 'concession-before-survey';
const HEADING = 'Concession-before-survey: days from concession to invitation';
/** At most this many flagged reps are drawn against their peers. */
const MAX_FOCUS = 4;

/**
 * `concession-before-survey`: the lag from each of a rep's concessions to its
 * next invitation of the same customer, as shares of the rep's pre-survey
 * concessions by lag day; flagged reps (at most four, by q-value) against all
 * other reps pooled. Bought scores pile up at lag 0–1 day. Flagged reps come
 * from the findings' `lagHistogramDays`; the peers' histogram needs the ledgers.
 * Without findings, the rep with the highest share is shown, marked "not flagged".
 */
export function lagHistogramView(result: ReportInput, options: SpecOptions = {}): ReportView {
  const reason = skipReason(result, DETECTOR);
  if (reason) return notRunView('concession-before-survey', DETECTOR, HEADING, reason);
  const windowValue = detectorOption(result, DETECTOR, 'windowDays');
  const windowDays = typeof windowValue === 'number' ? windowValue : 7;
  const findings = findingsOf(result, DETECTOR).slice(0, MAX_FOCUS);
  const histograms = new Map<string, number[]>();
  for (const f of findings) {
    const h = f.evidence.lagHistogramDays;
    if (Array.isArray(h)) histograms.set(f.entity.id, h as number[]);
  }
  let labels = findings.map((f) => f.entity.id);
  if (findings.length === 0) {
    const top = tableOf(result, DETECTOR)
      .filter((r) => r.tested === true)
      .sort((a, b) => cell(b, 'share') - cell(a, 'share') || str(a, 'rep').localeCompare(str(b, 'rep')))[0];
    if (top && options.ledgers) labels = [str(top, 'rep')];
  }
  if (options.ledgers) {
    const nonRecovery = detectorOption(result, DETECTOR, 'nonRecoveryReasons');
    const counts = lagCounts(
      options.ledgers,
      new Set(labels),
      windowDays,
      Array.isArray(nonRecovery) ? (nonRecovery as string[]) : undefined,
    );
    for (const id of labels) if (!histograms.has(id)) histograms.set(id, counts.get(id) ?? []);
    histograms.set(PEERS, counts.get('') ?? []);
  }
  const flaggedIds = new Set(findings.map((f) => f.entity.id));
  const display = (id: string) => (id === PEERS || flaggedIds.has(id) ? id : `${id} (not flagged)`);
  const rows: Record<string, unknown>[] = [];
  for (const [id, h] of histograms) {
    const total = h.reduce((a, b) => a + b, 0);
    h.forEach((count, day) => {
      rows.push({
        group: display(id),
        day,
        count,
        share: num(total ? count / total : 0),
        total,
      });
    });
  }
  const groups = [...histograms.keys()].filter((id) => id !== PEERS).map(display);
  const description = `${describe(DETECTOR)} Bars: the share of each rep's concessions that its next invitation of the same customer followed by 0, 1, 2 … days (within ${windowDays} days), flagged reps against all other reps pooled. Bought scores pile up at 0–1 day.${options.ledgers ? '' : ' (Pass the ledgers to draw the peers.)'}`;
  if (rows.length === 0) {
    return {
      id: 'concession-before-survey',
      title: HEADING,
      detector: DETECTOR,
      description,
      spec: messageSpec(
        HEADING,
        'No rep flagged; pass the ledgers to compare the lag distribution of reps with their peers.',
      ),
    };
  }
  return {
    id: 'concession-before-survey',
    title: HEADING,
    detector: DETECTOR,
    description,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: title(HEADING, `Concessions followed by the same rep's invitation within ${windowDays} days`),
      config: CONFIG,
      width: WIDTH,
      height: HEIGHT,
      data: { values: rows },
      mark: { type: 'bar' },
      encoding: {
        x: {
          field: 'day',
          type: 'ordinal',
          title: 'Days from concession to invitation',
          axis: { labelAngle: 0 },
        },
        xOffset: { field: 'group', type: 'nominal', sort: [...groups, PEERS] },
        y: {
          field: 'share',
          type: 'quantitative',
          title: 'Share of the group’s pre-survey concessions',
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
          { field: 'day', type: 'ordinal', title: 'days' },
          { field: 'count', type: 'quantitative', title: 'concessions' },
          { field: 'share', type: 'quantitative', format: '.1%' },
          { field: 'total', type: 'quantitative', title: 'pre-survey concessions' },
        ],
      },
    },
  };
}
