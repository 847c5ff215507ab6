import { cell, describe, flaggedBy, notRunView, skipReason, str, tableOf } from './common.js';
import { funnelSpec } from './funnelPlot.js';
import type { ReportInput, ReportView, SpecOptions } from './types.js';

const DETECTOR = 'fabricated-responses';
const HEADING = 'Fabricated responses: answers within minutes of the invitation';

/**
 * `fabricated-responses`: a funnel plot of each rep's share of responses
 * that came within minutes of the invitation against its number of
 * responses, with over-dispersed control limits; flagged reps red and
 * labelled, the tooltip naming the strongest supporting signal (shared
 * device or contact, identical answers, bursts).
 */
export function instantResponsesView(result: ReportInput, _options: SpecOptions = {}): ReportView {
  const reason = skipReason(result, DETECTOR);
  if (reason) return notRunView(DETECTOR, DETECTOR, HEADING, reason);
  const flagged = flaggedBy(result, DETECTOR, 'rep');
  const minutes = [...flagged.values()]
    .map((f) => f.evidence.instantMinutes)
    .find((m) => typeof m === 'number');
  let units = tableOf(result, DETECTOR)
    .filter((r) => (r.entityType ?? 'rep') === 'rep' && cell(r, 'responses') > 0)
    .map((r) => ({ id: str(r, 'entity'), k: cell(r, 'instantResponses'), n: cell(r, 'responses') }));
  if (units.length === 0)
    units = [...flagged.values()].map((f) => ({
      id: f.entity.id,
      k: Number(f.evidence.instantResponses),
      n: Number(f.evidence.responses),
    }));
  return {
    id: DETECTOR,
    title: HEADING,
    detector: DETECTOR,
    description: `${describe(DETECTOR)} Each dot is a rep: the share of its responses that came within ${minutes ?? 'a few'} minutes of the invitation against its number of responses, inside control limits widened by ordinary rep-to-rep variation. Flagged reps are red; their findings list the shared devices, identical answers and bursts.`,
    spec: funnelSpec(
      units.map((u) => ({ ...u, flagged: flagged.has(u.id), note: flagged.has(u.id) ? DETECTOR : '' })),
      {
        heading: HEADING,
        rateTitle: `Share of responses within ${minutes ?? 'a few'} minutes`,
        volumeTitle: 'Responses',
      },
    ),
  };
}
