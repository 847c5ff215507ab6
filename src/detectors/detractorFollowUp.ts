import type { EntityType, Test } from '../findings/types.js';
import { stringAt } from '../ledger/packed-strings.js';
import type { Ledgers, SurveyLedger } from '../ledger/types.js';
import { booleanOption, numberOption } from '../options.js';
import { binomialCdf } from '../stats/index.js';
import { HOUR_MS, percent, round } from './format.js';
import { compareWithPeers, fitPeerPrior, median } from './repPeers.js';
import type { Detector, DetectorResult } from './types.js';

/** Options of {@link detectDetractorFollowUp}. */
export interface DetractorFollowUpOptions {
  /** A detractor counts as followed up when `followed_up_at` is within this many hours of the response. Default `48`. */
  followUpHours?: number;
  /** The organisation's target share of detractors followed up in time (evidence and labels). Default `0.8`. */
  target?: number;
  /** Responses with ltr at most this are detractors. Default `6` (NPS). */
  detractorMaxLtr?: number;
  /**
   * When ltr is missing, a rep score in the bottom `detractorRepScoreShare` of the
   * scale (score <= min + share × (max − min)) marks a detractor: 1..10 → ≤ 6, 1..5 → ≤ 3. Default `0.6`.
   */
  detractorRepScoreShare?: number;
  /** Reps and teams with fewer detractors due are listed untested. Default `5`. */
  minDetractors?: number;
  /** Also test teams (when the survey ledger has a team column). Default `true`. */
  teams?: boolean;
  /** Example survey ids (detractors not followed up in time) per entity in the evidence. Default `20`. */
  maxExamples?: number;
}

/**
 * Find reps and teams that leave detractors without a follow-up: the share of
 * detractor responses followed up within `followUpHours` is low against peers.
 *
 * Method. Detractors are responses with ltr ≤ `detractorMaxLtr` (rep score in
 * the bottom of the scale when ltr is missing). A detractor whose response is
 * less than `followUpHours` before the end of the data (the latest timestamp
 * in the survey ledger) is not yet due and left out, so the last days of a
 * ledger do not look like neglect. Each rep (and, separately, each team) with
 * at least `minDetractors` due detractors gets one test: its count of timely
 * follow-ups against the beta-binomial fitted to its peers (reps vs reps,
 * teams vs teams; trimmed of extreme units, see `repPeers.ts`), one-sided
 * lower tail (too few follow-ups). The beta-binomial keeps honest spread
 * between reps in the null. The `target` is reported as evidence (the gap
 * and an exact binomial lower-tail p-value against it) but does not enter
 * the test: a whole organisation below target is a policy finding, not a rep's.
 *
 * Effect: peers' mean share minus the entity's share (positive = fewer
 * follow-ups than peers), 95% CI from the entity's Clopper–Pearson interval.
 *
 * Needs `followed_up_at` (and `responded_at`) in the survey ledger.
 * Cost: O(surveys) plus O(Σ detractors) for the tails.
 *
 * @example
 * const result = detectDetractorFollowUp(ledgers, { followUpHours: 24, target: 0.9 });
 */
export function detectDetractorFollowUp(
  ledgers: Ledgers,
  options: DetractorFollowUpOptions = {},
): DetectorResult {
  const o = options as Record<string, unknown>;
  const followUpHours = numberOption(o, 'followUpHours', 48, { min: 0 });
  const target = numberOption(o, 'target', 0.8, { min: 0, max: 1 });
  const detractorMaxLtr = numberOption(o, 'detractorMaxLtr', 6, { min: 0, max: 10, integer: true });
  const detractorRepScoreShare = numberOption(o, 'detractorRepScoreShare', 0.6, { min: 0, max: 1 });
  const minDetractors = numberOption(o, 'minDetractors', 5, { min: 1, integer: true });
  const withTeams = booleanOption(o, 'teams', true);
  const maxExamples = numberOption(o, 'maxExamples', 20, { min: 0, integer: true });

  const s = ledgers.surveys;
  if (!s.columns.has('followed_up_at')) {
    return { ran: false, reason: 'the survey ledger has no followed_up_at column: follow-ups are unknown' };
  }
  if (!s.columns.has('responded_at')) {
    return {
      ran: false,
      reason: 'the survey ledger has no responded_at column: follow-up delays are unknown',
    };
  }
  if (!s.columns.has('ltr') && !s.columns.has('rep_score')) {
    return { ran: false, reason: 'the survey ledger has neither ltr nor rep_score: detractors are unknown' };
  }
  const windowMs = followUpHours * HOUR_MS;
  const repScoreCut = s.scale.min + detractorRepScoreShare * (s.scale.max - s.scale.min);
  const end = latestTime(s);

  const detractors: number[] = [];
  let notYetDue = 0;
  for (let i = 0; i < s.length; i++) {
    if (Number.isNaN(s.respondedAt[i])) continue;
    const ltr = s.ltr[i];
    const rs = s.repScore[i];
    const detractor = ltr >= 0 ? ltr <= detractorMaxLtr : rs >= 0 && rs <= repScoreCut;
    if (!detractor) continue;
    if (s.respondedAt[i] + windowMs > end) notYetDue++;
    else detractors.push(i);
  }

  const groups: { type: EntityType; codes: Int32Array; names: string[] }[] = [];
  if (s.columns.has('rep_id')) groups.push({ type: 'rep', codes: s.rep, names: ledgers.ids.rep.values });
  if (withTeams && s.columns.has('team'))
    groups.push({ type: 'team', codes: s.team, names: ledgers.ids.team.values });
  if (groups.length === 0) {
    return { ran: false, reason: 'the survey ledger has neither rep_id nor team: nobody to compare' };
  }

  const settings = { followUpHours, target, windowMs, minDetractors, maxExamples, notYetDue };
  const tests: Test[] = [];
  const table: Record<string, unknown>[] = [];
  const reasons: string[] = [];
  for (const group of groups) {
    const result = testGroup(s, detractors, group, settings);
    if (typeof result === 'string') reasons.push(result);
    else {
      tests.push(...result.tests);
      table.push(...result.table);
    }
  }
  if (tests.length === 0) return { ran: false, reason: reasons.join('; ') };
  return { ran: true, tests, table };
}

interface Settings {
  followUpHours: number;
  target: number;
  windowMs: number;
  minDetractors: number;
  maxExamples: number;
  notYetDue: number;
}

interface Unit {
  code: number;
  n: number;
  k: number;
  late: number;
  beforeResponse: number;
  delaysHours: number[];
  examples: string[];
}

function testGroup(
  s: SurveyLedger,
  detractors: number[],
  group: { type: EntityType; codes: Int32Array; names: string[] },
  settings: Settings,
): { tests: Test[]; table: Record<string, unknown>[] } | string {
  const { followUpHours, target, windowMs, minDetractors, maxExamples } = settings;
  const units = new Map<number, Unit>();
  for (const i of detractors) {
    const code = group.codes[i];
    if (code < 0) continue;
    let u = units.get(code);
    if (!u) {
      u = { code, n: 0, k: 0, late: 0, beforeResponse: 0, delaysHours: [], examples: [] };
      units.set(code, u);
    }
    u.n++;
    const delay = s.followedUpAt[i] - s.respondedAt[i];
    if (Number.isNaN(delay)) {
      if (u.examples.length < maxExamples) u.examples.push(stringAt(s, 'surveyId', i));
      continue;
    }
    u.delaysHours.push(delay / HOUR_MS);
    if (delay < 0) u.beforeResponse++;
    // a follow-up dated before the response did not answer it: not timely (counting it timely
    // raised the peers' share and so every other rep's shortfall)
    if (delay >= 0 && delay <= windowMs) u.k++;
    else {
      u.late++;
      if (u.examples.length < maxExamples) u.examples.push(stringAt(s, 'surveyId', i));
    }
  }
  const all = [...units.values()];
  const tested = all.filter((u) => u.n >= minDetractors);
  if (tested.length < 3) {
    return `only ${tested.length} ${group.type}(s) have at least ${minDetractors} detractors due for follow-up: a peer comparison needs 3 or more`;
  }
  const prior = fitPeerPrior(
    tested.map((u) => u.k),
    tested.map((u) => u.n),
    'lower',
  );
  const peerMedianShare = median(tested.map((u) => u.k / u.n));
  const allDelays = tested.flatMap((u) => u.delaysHours);
  const peerMedianHours = allDelays.length ? median(allDelays) : null;
  const hours = `${round(followUpHours, 1)} h`;

  const tests: Test[] = [];
  const table: Record<string, unknown>[] = [];
  for (const u of all) {
    const id = group.names[u.code];
    const medianHours = u.delaysHours.length ? round(median(u.delaysHours), 1) : null;
    const row: Record<string, unknown> = {
      entityType: group.type,
      entity: id,
      tested: u.n >= minDetractors,
      detractors: u.n,
      followedUpInTime: u.k,
      share: round(u.k / u.n),
      peerShare: round(prior.mean),
      target,
      medianHoursToFollowUp: medianHours,
    };
    if (u.n < minDetractors) {
      table.push(row);
      continue;
    }
    const cmp = compareWithPeers(u.k, u.n, prior, 'lower');
    const targetPValue = binomialCdf(u.k, u.n, target);
    row.shrunkShare = round(cmp.shrunkRate);
    row.pValue = cmp.pValue;
    table.push(row);
    const timing =
      medianHours === null ? 'none was ever followed up' : `median ${medianHours} h to follow-up`;
    tests.push({
      detector: 'detractor-follow-up',
      entity: { type: group.type, id },
      effect: prior.mean - cmp.rate,
      effectLabel: `shortfall in the share of detractors followed up within ${hours} below peers (target ${percent(target)})`,
      ci: [prior.mean - cmp.rateCi[1], prior.mean - cmp.rateCi[0]],
      pValue: cmp.pValue,
      evidence: {
        followUpHours,
        detractors: u.n,
        followedUpInTime: u.k,
        followedUpLate: u.late,
        neverFollowedUp: u.n - u.k - u.late,
        followUpBeforeResponse: u.beforeResponse,
        share: round(cmp.rate),
        shareCi: cmp.rateCi.map((x) => round(x)),
        shrunkShare: round(cmp.shrunkRate),
        peerShare: round(prior.mean),
        peerMedianShare: round(peerMedianShare),
        peerOverdispersion: round(prior.overdispersion, 6),
        peers: prior.fitted,
        peersTrimmed: prior.trimmed,
        target,
        belowTarget: cmp.rate < target,
        gapToTarget: round(target - cmp.rate),
        belowTargetPValue: targetPValue,
        medianHoursToFollowUp: medianHours,
        peerMedianHoursToFollowUp: peerMedianHours === null ? null : round(peerMedianHours, 1),
        detractorsNotYetDue: settings.notYetDue,
        exampleSurveyIds: u.examples,
      },
      summary: `${id} followed up ${percent(cmp.rate)} of ${u.n} detractors within ${hours} vs ${percent(prior.mean)} for peers and a target of ${percent(target)} (${timing}).`,
    });
  }
  return { tests, table };
}

/** The latest finite timestamp of the survey ledger: the end of the observed data. */
function latestTime(s: SurveyLedger): number {
  let end = Number.NEGATIVE_INFINITY;
  for (const column of [s.sentAt, s.respondedAt, s.followedUpAt]) {
    for (const t of column) if (t > end) end = t;
  }
  return end;
}

/** The `detractor-follow-up` detector for the registry. */
export const detractorFollowUpDetector: Detector = {
  id: 'detractor-follow-up',
  reads: ['surveys'],
  options: [
    'followUpHours',
    'target',
    'detractorMaxLtr',
    'detractorRepScoreShare',
    'minDetractors',
    'teams',
    'maxExamples',
  ],
  description:
    'Reps and teams that follow up fewer detractors in time than their peers (beta-binomial), with the share against the target as evidence.',
  run: (ledgers, options) => detectDetractorFollowUp(ledgers, options as DetractorFollowUpOptions),
};
