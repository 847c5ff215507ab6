import { cell, describe, detectorOption, flaggedBy, notRunView, skipReason, str, tableOf } from './common.js';
import { funnelSpec } from './funnelPlot.js';
import type { ReportInput, ReportView, SpecOptions } from './types.js';

const DETECTOR = 'detractor-follow-up';
const HEADING = 'Detractor follow-up: share of detractors followed up in time';

/**
 * `detractor-follow-up`: a funnel plot of each rep's share of detractors
 * followed up in time against its number of detractors due, with
 * over-dispersed control limits and the organisation's target (dashed);
 * flagged reps red and labelled (teams are in the findings, not the plot).
 */
export function followUpView(result: ReportInput, _options: SpecOptions = {}): ReportView {
  const reason = skipReason(result, DETECTOR);
  if (reason) return notRunView(DETECTOR, DETECTOR, HEADING, reason);
  const flagged = flaggedBy(result, DETECTOR, 'rep');
  const rows = tableOf(result, DETECTOR).filter((r) => (r.entityType ?? 'rep') === 'rep');
  let units = rows
    .filter((r) => cell(r, 'detractors') > 0)
    .map((r) => ({ id: str(r, 'entity'), k: cell(r, 'followedUpInTime'), n: cell(r, 'detractors') }));
  if (units.length === 0)
    units = [...flagged.values()].map((f) => ({
      id: f.entity.id,
      k: Number(f.evidence.followedUpInTime),
      n: Number(f.evidence.detractors),
    }));
  const targetOption = detectorOption(result, DETECTOR, 'target');
  const target =
    typeof targetOption === 'number'
      ? targetOption
      : (rows.map((r) => cell(r, 'target')).find(Number.isFinite) ?? 0.8);
  const hoursOption = detectorOption(result, DETECTOR, 'followUpHours');
  const hours = typeof hoursOption === 'number' ? hoursOption : 48;
  return {
    id: DETECTOR,
    title: HEADING,
    detector: DETECTOR,
    description: `${describe(DETECTOR)} Each dot is a rep: the share of its detractors followed up within ${hours} h against how many were due, inside control limits widened by ordinary rep-to-rep variation; the dashed line is the target (${Math.round(target * 100)}%). Flagged reps (low outliers) are red.`,
    spec: funnelSpec(
      units.map((u) => ({ ...u, flagged: flagged.has(u.id), note: flagged.has(u.id) ? DETECTOR : '' })),
      {
        heading: HEADING,
        rateTitle: `Share followed up within ${hours} h`,
        volumeTitle: 'Detractors due',
        target,
      },
    ),
  };
}
