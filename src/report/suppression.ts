import {
  COLORS,
  CONFIG,
  cell,
  describe,
  flaggedBy,
  HEIGHT,
  messageSpec,
  notRunView,
  num,
  skipReason,
  str,
  tableOf,
  title,
  VEGA_LITE_SCHEMA,
} from './common.js';
import type { ReportInput, ReportView, SpecOptions } from './types.js';

const DETECTOR = 'survey-suppression';
const HEADING = 'Survey suppression: invitations after unresolved vs resolved interactions';

/**
 * `survey-suppression`: each rep's invitation rate after unresolved
 * interactions (y) against after resolved ones (x), dot area by the number
 * of unresolved interactions; the diagonal is "the same rate". Reps far below
 * it skip surveying unhappy customers; flagged reps are red and labelled.
 */
export function suppressionView(result: ReportInput, _options: SpecOptions = {}): ReportView {
  const reason = skipReason(result, DETECTOR);
  if (reason) return notRunView(DETECTOR, DETECTOR, HEADING, reason);
  const flagged = flaggedBy(result, DETECTOR, 'rep');
  let rows = tableOf(result, DETECTOR)
    .filter((r) => (r.entityType ?? 'rep') === 'rep' && cell(r, 'unresolved') > 0 && cell(r, 'resolved') > 0)
    .map((r) => ({
      rep: str(r, 'entity'),
      unresolved: cell(r, 'unresolved'),
      unresolvedInvited: cell(r, 'unresolvedInvited'),
      resolved: cell(r, 'resolved'),
      resolvedInvited: cell(r, 'resolvedInvited'),
    }));
  if (rows.length === 0)
    rows = [...flagged.values()].map((f) => ({
      rep: f.entity.id,
      unresolved: Number(f.evidence.unresolved),
      unresolvedInvited: Number(f.evidence.unresolvedInvited),
      resolved: Number(f.evidence.resolved),
      resolvedInvited: Number(f.evidence.resolvedInvited),
    }));
  const data = rows
    .map((r) => ({
      ...r,
      unresolvedRate: num(r.unresolvedInvited / r.unresolved),
      resolvedRate: num(r.resolvedInvited / r.resolved),
      status: flagged.has(r.rep) ? 'flagged' : 'not flagged',
      q: num(flagged.get(r.rep)?.qValue, 12),
    }))
    .sort((a, b) => a.rep.localeCompare(b.rep));
  const description = `${describe(DETECTOR)} Each dot is a rep: the share of its unresolved interactions followed by a survey invitation (y) against the share of its resolved ones (x); dot area is the number of unresolved interactions. On the diagonal both are invited alike; far below it, unhappy customers go unsurveyed. Flagged reps are red.`;
  if (data.length === 0)
    return {
      id: DETECTOR,
      title: HEADING,
      detector: DETECTOR,
      description,
      spec: messageSpec(HEADING, 'No rep has both resolved and unresolved interactions.'),
    };
  const x = {
    field: 'resolvedRate',
    type: 'quantitative',
    title: 'Invited after resolved interactions',
    scale: { domain: [0, 1] as number[] },
    axis: { format: '.0%' },
  } as const;
  const y = {
    field: 'unresolvedRate',
    type: 'quantitative',
    title: 'Invited after unresolved interactions',
    scale: { domain: [0, 1] as number[] },
    axis: { format: '.0%' },
  } as const;
  return {
    id: DETECTOR,
    title: HEADING,
    detector: DETECTOR,
    description,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: title(HEADING, 'Diagonal: the same invitation rate after unresolved and resolved interactions'),
      config: CONFIG,
      width: HEIGHT + 60,
      height: HEIGHT + 60,
      layer: [
        {
          data: {
            values: [
              { resolvedRate: 0, unresolvedRate: 0 },
              { resolvedRate: 1, unresolvedRate: 1 },
            ],
          },
          mark: { type: 'line', color: COLORS.reference, strokeDash: [4, 3], strokeWidth: 1 },
          encoding: { x, y },
        },
        {
          data: { values: data },
          mark: { type: 'circle', opacity: 0.8 },
          encoding: {
            x,
            y,
            size: { field: 'unresolved', type: 'quantitative', title: 'Unresolved interactions' },
            color: {
              field: 'status',
              type: 'nominal',
              title: null,
              scale: { domain: ['flagged', 'not flagged'], range: [COLORS.flagged, COLORS.peers] },
            },
            tooltip: [
              { field: 'rep', type: 'nominal' },
              { field: 'unresolvedInvited', type: 'quantitative', title: 'invited after unresolved' },
              { field: 'unresolved', type: 'quantitative', title: 'unresolved interactions' },
              { field: 'resolvedInvited', type: 'quantitative', title: 'invited after resolved' },
              { field: 'resolved', type: 'quantitative', title: 'resolved interactions' },
              { field: 'q', type: 'quantitative', title: 'q-value', format: '.2e' },
            ],
          },
        },
        {
          data: { values: data },
          transform: [{ filter: { field: 'status', equal: 'flagged' } }],
          mark: { type: 'text', align: 'left', dx: 8, fontWeight: 'bold', color: COLORS.flagged },
          encoding: { x, y, text: { field: 'rep', type: 'nominal' } },
        },
      ],
    },
  };
}
