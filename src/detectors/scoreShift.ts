import type { EntityType, Test } from '../findings/types.js';
import type { Ledgers } from '../ledger/types.js';
import { numberOption } from '../options.js';
import { createRandom } from '../stats/index.js';
import { DAY_MS, round } from './format.js';
import {
  clamp,
  fixed1,
  leaveOutMeans,
  ltrGroup,
  missingScoreColumns,
  nestedKeys,
  rescaledScore,
  scoredResponses,
} from './scorePeers.js';
import type { Detector, DetectorResult } from './types.js';

/** Options of {@link detectScoreShift}. */
export interface ScoreShiftOptions {
  /** Minimum responses on each side of a change point; entities with fewer than twice as many are not tested. Default `10`. */
  minSegment?: number;
  /** Permutations of the series' order per entity (199..9999). Default `199`. */
  permutations?: number;
  /** Seed of the permutations. Default `1`. */
  seed?: number;
  /** Pseudo-responses with which a stratum's (or month's) peer mean is shrunk toward its parent. Default `20`. */
  cellPrior?: number;
}

const Z95 = 1.959963984540054;
/** Besag–Clifford sequential stopping: stop permuting once this many null maxima reach the observed one. */
const STOP_EXCEEDANCES = 20;
/** Below this many exceedances the p-value comes from a Gumbel tail fitted to the null maxima. */
const TAIL_EXCEEDANCES = 10;
const EULER_GAMMA = 0.5772156649015329;

/**
 * `score-shift`: the date from which a rep's (or a team's) rep scores jump
 * upward relative to the customers' likelihood-to-recommend — the onset of
 * coaching ("anything less than a 10 is a fail").
 *
 * Series: each scored response's excess gap, (rep score on 0..10 − ltr)
 * minus the mean gap of other reps' (teams') responses in the same ltr group
 * × channel (× team, for reps) stratum, minus other entities' mean excess in
 * the same calendar month; ordered by invitation time. The gap rather than the
 * top-box indicator because it uses the whole score (a shift from 8 to 9
 * counts), cancels changes of customer mood that move both scores (outages,
 * seasons), and the monthly peer adjustment cancels organisation-wide changes
 * (a new survey form).
 *
 * Change point: the single best upward split, maximising
 * T = (mean after − mean before)·√(n₁n₂/n)/s over splits with at least
 * `minSegment` responses on each side (s = the series' standard deviation,
 * unchanged by permutation; Hinkley 1970). Significance by permutation: the
 * order is shuffled and the maximum recomputed, which accounts for searching
 * over dates; one-sided (only upward shifts). Permutations stop early once
 * 20 null maxima reach T (Besag & Clifford 1991); when fewer than 10 of B
 * do, p comes from a Gumbel distribution fitted by moments to the B null
 * maxima (the tail of a maximum; Knijnenburg et al. 2009 use the same idea
 * with a generalised Pareto tail), so that strong shifts are not all tied at
 * 1/(B + 1), which Benjamini–Hochberg could not resolve.
 *
 * effect = mean after − mean before (points on 0..10), ci = ± 1.96 Welch
 * standard error (conditional on the chosen split, so somewhat optimistic);
 * evidence: the onset date (first invitation after the split), the last
 * before, the raw gap and top-box rate on each side.
 *
 * Reference: Hinkley (1970), Biometrika 57:1–17; Besag & Clifford (1991),
 * Biometrika 78:301–304; Knijnenburg et al. (2009), Bioinformatics
 * 25:i161–i168.
 *
 * Cost: O(n · B) for n scored responses and B permutations (less with early stopping).
 *
 * @throws {OptionError} on an invalid option.
 *
 * @example
 * const result = detectScoreShift(ledgers, { permutations: 499, seed: 7 });
 * if (result.ran) result.tests.map((t) => t.evidence.onset);
 */
export function detectScoreShift(ledgers: Ledgers, options: ScoreShiftOptions = {}): DetectorResult {
  const o = options as Record<string, unknown>;
  const minSegment = numberOption(o, 'minSegment', 10, { min: 2, integer: true });
  const permutations = numberOption(o, 'permutations', 199, { min: 199, max: 9999, integer: true });
  const seed = numberOption(o, 'seed', 1, { integer: true });
  const cellPrior = numberOption(o, 'cellPrior', 20, { min: 0 });

  const missing = missingScoreColumns(ledgers);
  if (missing)
    return { ran: false, reason: `${missing}: score shifts are measured on the rep score − ltr gap` };
  const s = ledgers.surveys;
  const rows = scoredResponses(s);
  if (rows.length === 0)
    return { ran: false, reason: 'no answered survey has a rep, an ltr and a rep score' };

  const n = rows.length;
  const ids = ledgers.ids;
  const gap = new Float64Array(n);
  const rep = new Int32Array(n);
  const team = new Int32Array(n);
  const group = new Int32Array(n);
  const channel = new Int32Array(n);
  const month = new Int32Array(n);
  const teamGroup = new Int32Array(n);
  const nTeams = ids.team.values.length;
  for (let j = 0; j < n; j++) {
    const r = rows[j];
    gap[j] = rescaledScore(s, r) - s.ltr[r];
    rep[j] = s.rep[r];
    team[j] = s.team[r];
    teamGroup[j] = s.team[r] + 1; // missing team is a group of its own
    group[j] = ltrGroup(s.ltr[r]);
    channel[j] = s.channel[r];
    const d = new Date(s.sentAt[r]);
    month[j] = d.getUTCFullYear() * 12 + d.getUTCMonth();
  }
  const nChannels = ids.channel.values.length;
  const residualFor = (owner: Int32Array, withTeam: boolean): Float64Array => {
    const factors = withTeam ? [group, channel, team] : [group, channel];
    const sizes = withTeam ? [3, nChannels, nTeams] : [3, nChannels];
    const expected = leaveOutMeans(gap, nestedKeys(factors, sizes), owner, cellPrior);
    const excess = new Float64Array(n);
    for (let j = 0; j < n; j++) excess[j] = gap[j] - expected[j];
    let minMonth = Number.POSITIVE_INFINITY;
    for (let j = 0; j < n; j++) minMonth = Math.min(minMonth, month[j]);
    const monthCode = Int32Array.from(month, (m) => m - minMonth);
    const trend = leaveOutMeans(excess, [monthCode], owner, cellPrior);
    for (let j = 0; j < n; j++) excess[j] -= trend[j];
    return excess;
  };

  const tests: Test[] = [];
  const table: Record<string, unknown>[] = [];
  const run = (
    type: EntityType,
    owner: Int32Array,
    names: string[],
    residual: Float64Array,
    skip: (g: number) => boolean,
  ) => {
    const byOwner = new Map<number, number[]>();
    for (let j = 0; j < n; j++) {
      if (skip(owner[j])) continue;
      const list = byOwner.get(owner[j]);
      if (list) list.push(j);
      else byOwner.set(owner[j], [j]);
    }
    const entries = [...byOwner]
      .map(([g, list]) => ({ id: names[g], list }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (const { id, list } of entries) {
      if (list.length < 2 * minSegment) {
        table.push({
          entity: type,
          id,
          tested: false,
          responses: list.length,
          reason: `fewer than ${2 * minSegment} scored responses`,
        });
        continue;
      }
      list.sort((a, b) => s.sentAt[rows[a]] - s.sentAt[rows[b]] || rows[a] - rows[b]);
      const series = Float64Array.from(list, (j) => residual[j]);
      const rng = createRandom(
        mixSeed(seed, type, series.length, s.sentAt[rows[list[0]]], s.sentAt[rows[list[list.length - 1]]]),
      );
      const result = testShift(series, minSegment, permutations, rng);
      const k = result.index;
      const before = list.slice(0, k);
      const after = list.slice(k);
      const side = (part: number[]) => {
        let g = 0;
        let topBox = 0;
        for (const j of part) {
          g += gap[j];
          topBox += s.repScore[rows[j]] === s.scale.max ? 1 : 0;
        }
        return {
          responses: part.length,
          meanGap: round(g / part.length),
          topBoxRate: round(topBox / part.length),
        };
      };
      const onsetTime = s.sentAt[rows[after[0]]];
      const onset = isoDate(onsetTime);
      const lastBefore = isoDate(s.sentAt[rows[before[before.length - 1]]]);
      const b = side(before);
      const a = side(after);
      const { effect, se } = result;
      tests.push({
        detector: 'score-shift',
        entity: { type, id },
        effect,
        effectLabel:
          'rise of the rep score − ltr gap relative to peers after the change point, points on 0–10',
        ci: [effect - Z95 * se, effect + Z95 * se],
        pValue: result.pValue,
        evidence: {
          onset,
          lastBefore,
          before: b,
          after: a,
          statistic: round(result.statistic),
          permutations: result.permutations,
          exceedances: result.exceedances,
          pValueMethod: result.method,
          responses: list.length,
        },
        summary: `${type === 'rep' ? '' : 'Team '}${id}'s rep scores rose against customers' likelihood-to-recommend from ${onset}: the gap went from ${fixed1(b.meanGap)} to ${fixed1(a.meanGap)} points (${fixed1(effect)} more than peers' change; ${b.responses} responses before, ${a.responses} after).`,
      });
      table.push({
        entity: type,
        id,
        tested: true,
        responses: list.length,
        onset,
        lastBefore,
        shift: round(effect),
        gapBefore: b.meanGap,
        gapAfter: a.meanGap,
        topBoxBefore: b.topBoxRate,
        topBoxAfter: a.topBoxRate,
        pValue: result.pValue,
      });
    }
  };
  run('rep', rep, ids.rep.values, residualFor(rep, true), () => false);
  if (ledgers.surveys.columns.has('team')) {
    run('team', teamGroup, ['', ...ids.team.values], residualFor(teamGroup, false), (g) => g === 0);
  }
  return { ran: true, tests, table };
}

interface ShiftResult {
  index: number;
  statistic: number;
  effect: number;
  se: number;
  pValue: number;
  permutations: number;
  exceedances: number;
  method: 'permutation' | 'permutation, Gumbel tail';
}

/** The best upward split of `x` (first index after it) and its statistic, with prefix sums. */
function bestUpwardSplit(
  x: Float64Array,
  minSegment: number,
  sd: number,
): { index: number; statistic: number } {
  const n = x.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += x[i];
  let prefix = 0;
  let best = Number.NEGATIVE_INFINITY;
  let index = minSegment;
  for (let k = 1; k <= n - minSegment; k++) {
    prefix += x[k - 1];
    if (k < minSegment) continue;
    const before = prefix / k;
    const after = (total - prefix) / (n - k);
    const t = ((after - before) * Math.sqrt((k * (n - k)) / n)) / sd;
    if (t > best) {
      best = t;
      index = k;
    }
  }
  return { index, statistic: best };
}

/** Change-point test of one series: best split, permutation p-value, effect and its standard error. */
function testShift(
  x: Float64Array,
  minSegment: number,
  permutations: number,
  rng: ReturnType<typeof createRandom>,
): ShiftResult {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  if (!(sd > 1e-12)) {
    const index = Math.floor(n / 2);
    return {
      index,
      statistic: 0,
      effect: 0,
      se: 0,
      pValue: 1,
      permutations: 0,
      exceedances: 0,
      method: 'permutation',
    };
  }
  const { index, statistic } = bestUpwardSplit(x, minSegment, sd);
  const shuffled = Float64Array.from(x);
  const nulls: number[] = [];
  let exceedances = 0;
  for (let b = 0; b < permutations; b++) {
    for (let i = n - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const tmp = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = tmp;
    }
    const value = bestUpwardSplit(shuffled, minSegment, sd).statistic;
    nulls.push(value);
    if (value >= statistic - 1e-12 * Math.max(1, Math.abs(statistic))) {
      exceedances++;
      if (exceedances >= STOP_EXCEEDANCES) break;
    }
  }
  let pValue: number;
  let method: ShiftResult['method'] = 'permutation';
  if (exceedances >= STOP_EXCEEDANCES) pValue = exceedances / nulls.length;
  else {
    pValue = (1 + exceedances) / (1 + nulls.length);
    if (exceedances < TAIL_EXCEEDANCES) {
      let m = 0;
      for (const v of nulls) m += v;
      m /= nulls.length;
      let v2 = 0;
      for (const v of nulls) v2 += (v - m) ** 2;
      const scale = (Math.sqrt(v2 / (nulls.length - 1)) * Math.sqrt(6)) / Math.PI;
      if (scale > 0) {
        const location = m - EULER_GAMMA * scale;
        // upper tail 1 − exp(−e^{−y}), computed without cancellation
        pValue = -Math.expm1(-Math.exp(-(statistic - location) / scale));
        method = 'permutation, Gumbel tail';
      }
    }
  }
  let before = 0;
  let after = 0;
  for (let i = 0; i < n; i++) {
    if (i < index) before += x[i];
    else after += x[i];
  }
  before /= index;
  after /= n - index;
  let vb = 0;
  let va = 0;
  for (let i = 0; i < n; i++) {
    if (i < index) vb += (x[i] - before) ** 2;
    else va += (x[i] - after) ** 2;
  }
  vb /= Math.max(1, index - 1);
  va /= Math.max(1, n - index - 1);
  const se = Math.sqrt(vb / index + va / (n - index));
  return {
    index,
    statistic,
    effect: after - before,
    se: Number.isFinite(se) ? se : 0,
    pValue: clamp(pValue, Number.MIN_VALUE, 1),
    permutations: nulls.length,
    exceedances,
    method,
  };
}

/**
 * A per-entity seed from its data (series length and first/last invitation time), not its id: an
 * entity's permutations depend neither on which other entities exist nor on what its id is called.
 */
function mixSeed(seed: number, type: string, length: number, first: number, last: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  for (const x of [type === 'rep' ? 1 : 2, length, first / 1000, last / 1000]) {
    h = Math.imul(h ^ (x >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ Math.floor(x / 4294967296), 0x01000193) >>> 0;
  }
  return h;
}

/** `YYYY-MM-DD` of an epoch-ms time (UTC). */
function isoDate(t: number): string {
  return new Date(Math.floor(t / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** The `score-shift` detector for the registry. */
export const scoreShiftDetector: Detector = {
  id: 'score-shift',
  description:
    "Reps and teams whose rep scores jump upward against customers' likelihood-to-recommend from some date on (change point, permutation test over dates).",
  run: (ledgers, options) => detectScoreShift(ledgers, options),
};
