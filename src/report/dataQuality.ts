import { CONFIG, title, VEGA_LITE_SCHEMA } from './common.js';
import type { ReportInput, ReportView } from './types.js';

const HEADING = 'Data quality: rows accepted and quarantined';

/**
 * The data-quality panel: for each ledger, rows accepted and quarantined
 * (left) and the quarantine reasons with their counts (right). Every input
 * row is one of the two; a quarantined row never enters the statistics.
 */
export function dataQualityView(result: ReportInput): ReportView {
  const ledgers = (['surveys', 'concessions', 'interactions'] as const).filter(
    (name) => result.dataQuality[name] !== undefined,
  );
  const totals: Record<string, unknown>[] = [];
  const reasons: Record<string, unknown>[] = [];
  for (const ledger of ledgers) {
    const q = result.dataQuality[ledger]!;
    const rows = q.accepted + q.quarantined;
    totals.push({ ledger, status: 'accepted', rows: q.accepted, share: rows ? q.accepted / rows : 0 });
    totals.push({
      ledger,
      status: 'quarantined',
      rows: q.quarantined,
      share: rows ? q.quarantined / rows : 0,
    });
    for (const reason of Object.keys(q.reasons).sort())
      reasons.push({ ledger, reason, rows: q.reasons[reason] });
  }
  const quarantined = reasons.length > 0;
  const left = {
    width: 320,
    height: { step: 28 },
    title: 'Rows per ledger',
    data: { values: totals },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'ledger', type: 'nominal', title: null, sort: [...ledgers] },
      x: { field: 'rows', type: 'quantitative', title: 'Rows', stack: 'zero' },
      color: {
        field: 'status',
        type: 'nominal',
        title: null,
        scale: { domain: ['accepted', 'quarantined'], range: ['#4c9f70', '#c0392b'] },
        legend: { orient: 'bottom' },
      },
      tooltip: [
        { field: 'ledger', type: 'nominal' },
        { field: 'status', type: 'nominal' },
        { field: 'rows', type: 'quantitative' },
        { field: 'share', type: 'quantitative', format: '.2%' },
      ],
    },
  };
  const right = quarantined
    ? {
        width: 280,
        height: { step: 20 },
        title: 'Quarantine reasons',
        data: { values: reasons },
        mark: { type: 'bar', color: '#c0392b' },
        encoding: {
          y: { field: 'reason', type: 'nominal', title: null },
          x: { field: 'rows', type: 'quantitative', title: 'Rows quarantined' },
          row: { field: 'ledger', type: 'nominal', title: null, sort: [...ledgers] },
          tooltip: [
            { field: 'ledger', type: 'nominal' },
            { field: 'reason', type: 'nominal' },
            { field: 'rows', type: 'quantitative' },
          ],
        },
      }
    : {
        width: 280,
        height: 40,
        title: 'Quarantine reasons',
        data: { values: [{ message: 'No row was quarantined.' }] },
        mark: { type: 'text', align: 'left', x: 0, fontSize: 13, color: '#4c9f70' },
        encoding: { text: { field: 'message', type: 'nominal' } },
      };
  return {
    id: 'data-quality',
    title: HEADING,
    description:
      'Every input row is accepted or quarantined with a reason; quarantined rows never enter the statistics. Left: rows per ledger; right: the quarantine reasons.',
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: title(HEADING),
      config: CONFIG,
      hconcat: [left, right] as never[],
      resolve: { scale: { color: 'independent' } },
    },
  };
}
