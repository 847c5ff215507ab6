import { localDate } from '../features/calendar.js';
import type { EntityType, Test } from '../findings/types.js';
import type { Ledgers } from '../ledger/types.js';
import { numberOption } from '../options.js';
import { createRandom } from '../stats/index.js';
import { DAY_MS, percent, round } from './format.js';
import {
  clamp,
  leaveOutMeans,
  missingScoreColumns,
  peerTopBox,
  rescaledScore,
  scoredResponses,
} from './scorePeers.js';
import type { Detector, DetectorResult } from './types.js';

/** Options of {@link detectScoreShift}. */
export interface ScoreShiftOptions {
  /** Minimum responses on each side of a change point; entities with fewer than twice as many are not tested. Default `10`. */
  minSegment?: number;
  /** Most permutations of the series' order per entity (199..99999); fewer when 20 null maxima reach the observed one. Default `9999`. */
  permutations?: number;
  /** Seed of the permutations. Default `1`. */
  seed?: number;
  /** Pseudo-responses with which a stratum's (or 30-day period's) peer mean is shrunk toward its parent. Default `20`. */
  cellPrior?: number;
}

const Z95 = 1.959963984540054;
/** Length of the periods whose peer mean excess is removed as an organisation-wide trend. */
const TREND_PERIOD_MS = 30 * DAY_MS;
/** Besag–Clifford sequential stopping: stop permuting once this many null maxima reach the observed one. */
const STOP_EXCEEDANCES = 20;
/** Entities with a p-value at most this get an interval for their onset (evidence `onsetInterval`). */
const INTERVAL_P = 0.05;
/** Bootstrap replicates of that interval. */
const INTERVAL_REPLICATES = 399;
/** Below this many exceedances the p-value comes from an exponential tail fitted to the largest null maxima. */
const TAIL_EXCEEDANCES = 10;

/**
 * `score-shift`: the date from which a rep's (or a team's) rep scores pile
 * up at the top box while the customers' likelihood-to-recommend does not
 * move — the onset of coaching ("anything less than a 10 is a fail").
 *
 * Series: each scored response's top-box excess, 1[rep score is the top] −
 * P(top | same ltr value, channel (and team, for reps) among other
 * entities' responses) ({@link peerTopBox}, the expectation
 * `top-box-inflation` uses), minus other entities' mean excess in the same
 * 30-day period counted from the run's first invitation (an
 * organisation-wide change, e.g. a new survey form, is not one entity's
 * onset); ordered by invitation time. The top-box indicator
 * rather than the rep score − ltr gap because coaching turns answers into
 * the top score and barely moves ltr, so a coached answer moves the
 * indicator by 1 − P(top) (often 0.6–0.9) but the gap only from, say, 8 or 9
 * to 10; on the simulator the gap's split dated almost no late onset.
 *
 * Change point: the single best upward split, maximising
 * T = (mean after − mean before)·√(n₁n₂/n)/s over splits with at least
 * `minSegment` responses on each side (s = the series' standard deviation,
 * unchanged by permutation; Hinkley 1970). Significance by permutation: the
 * order is shuffled and the maximum recomputed, which accounts for searching
 * over dates; one-sided (only upward shifts). Permutations continue until
 * 20 null maxima reach T (Besag & Clifford 1991 sequential stopping, so an
 * ordinary entity costs a few dozen) or B = `permutations` are done; when
 * fewer than 10 of B reach it, p comes from an exponential tail fitted to the
 * excesses of the largest max(10, B/100) null maxima over the next one
 * (peaks over threshold; Knijnenburg et al. 2009 use a generalised Pareto
 * tail), so that strong shifts are not all tied at 1/(B + 1), which
 * Benjamini–Hochberg could not resolve. An exponential tail is conservative
 * for the maximum of near-Gaussian partial sums, whose tail decays faster.
 *
 * effect = mean top-box excess after − before (a share of answers),
 * ci = ± 1.96 Welch standard error (conditional on the chosen split, so
 * somewhat optimistic). Evidence: the onset date, the midpoint between the
 * last invitation before the split (`lastBefore`) and the first after it
 * (`firstAfter`) — the onset lies somewhere in that interval — and on each
 * side the responses, top-box rate, peers' expected top-box rate and the raw
 * rep score − ltr gap. With 25–100 responses a year the split is uncertain by
 * a few responses, i.e. weeks: the date is a lead for a reviewer. For
 * entities with p <= 0.05, `onsetInterval` is a 95% residual-bootstrap
 * interval of the onset (see `splitInterval`), also in the summary. On the
 * simulator's late-onset coaching (carrier and b2b seeds 1-6) it held the true
 * onset for 18 of 21 reps, with a median width of 84 days: somewhat short of
 * 95%, as such intervals are for moderate shifts.
 *
 * Calibration, measured (2026-12-06) on gaming-free worlds (null seeds 1-100
 * at scale 0.5, 4,429 tests): p <= 0.05 for 5.4%, <= 0.01 for 1.1%, <= 0.001
 * for 0.14%, none <= 1e-4; a Benjamini–Hochberg flag in 5 of the 100 runs.
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
 * const result = detectScoreShift(ledgers, { permutations: 4999, seed: 7 });
 * if (result.ran) result.tests.map((t) => t.evidence.onset);
 */
export function detectScoreShift(ledgers: Ledgers, options: ScoreShiftOptions = {}): DetectorResult {
  const o = options as Record<string, unknown>;
  const minSegment = numberOption(o, 'minSegment', 10, { min: 2, integer: true });
  const permutations = numberOption(o, 'permutations', 9999, { min: 199, max: 99999, integer: true });
  const seed = numberOption(o, 'seed', 1, { integer: true });
  const cellPrior = numberOption(o, 'cellPrior', 20, { min: 0.01 });

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
  const teamGroup = new Int32Array(n);
  let firstSent = Number.POSITIVE_INFINITY;
  for (let j = 0; j < n; j++) {
    const r = rows[j];
    gap[j] = rescaledScore(s, r) - s.ltr[r];
    rep[j] = s.rep[r];
    teamGroup[j] = s.team[r] + 1; // missing team is a group of its own
    firstSent = Math.min(firstSent, s.sentAt[r]);
  }
  // periods counted from the first invitation, not calendar months: moving every timestamp by a
  // constant must not move the periods against the data
  const periodCode = Int32Array.from(rows, (r) => Math.floor((s.sentAt[r] - firstSent) / TREND_PERIOD_MS));
  const residualFor = (owner: Int32Array, withTeam: boolean) => {
    const { top, expected } = peerTopBox(ledgers, rows, owner, withTeam, cellPrior);
    const excess = new Float64Array(n);
    for (let j = 0; j < n; j++) excess[j] = top[j] - expected[j];
    const trend = leaveOutMeans(excess, [periodCode], owner, cellPrior);
    for (let j = 0; j < n; j++) excess[j] -= trend[j];
    return { excess, expected };
  };

  const tests: Test[] = [];
  const table: Record<string, unknown>[] = [];
  const run = (
    type: EntityType,
    owner: Int32Array,
    names: string[],
    signal: { excess: Float64Array; expected: Float64Array },
    skip: (g: number) => boolean,
  ) => {
    const { excess, expected } = signal;
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
      // ties in time ordered by value, so that the series (and its permutations) do not depend on
      // the input's row order; a change point never falls inside a tie (canSplit)
      list.sort((a, b) => s.sentAt[rows[a]] - s.sentAt[rows[b]] || excess[a] - excess[b]);
      const series = Float64Array.from(list, (j) => excess[j]);
      const canSplit = Uint8Array.from(
        list,
        (j, k) => +(k === 0 || s.sentAt[rows[j]] !== s.sentAt[rows[list[k - 1]]]),
      );
      const rng = createRandom(
        mixSeed(seed, type, series.length, s.sentAt[rows[list[list.length - 1]]] - s.sentAt[rows[list[0]]]),
      );
      const result = testShift(series, canSplit, minSegment, permutations, rng);
      const k = result.index;
      // the onset's interval, for the entities a reviewer may see (its own generator: the p-values stay as they were)
      const span =
        result.pValue <= INTERVAL_P
          ? splitInterval(
              series,
              canSplit,
              minSegment,
              k,
              createRandom(mixSeed(seed + 1, type, series.length, 0)),
            )
          : undefined;
      const before = list.slice(0, k);
      const after = list.slice(k);
      const side = (part: number[]) => {
        let g = 0;
        let topBox = 0;
        let peers = 0;
        for (const j of part) {
          g += gap[j];
          topBox += s.repScore[rows[j]] === s.scale.max ? 1 : 0;
          peers += expected[j];
        }
        return {
          responses: part.length,
          topBoxRate: round(topBox / part.length),
          expectedTopBoxRate: round(peers / part.length),
          meanGap: round(g / part.length),
        };
      };
      // the onset lies somewhere between the last invitation before the split and the first after it: the midpoint
      const zone = ledgers.timeZone;
      const between = (index: number) =>
        localDate((s.sentAt[rows[list[index - 1]]] + s.sentAt[rows[list[index]]]) / 2, zone);
      const onset = between(k);
      const lastBefore = localDate(s.sentAt[rows[before[before.length - 1]]], zone);
      const firstAfter = localDate(s.sentAt[rows[after[0]]], zone);
      const onsetInterval = span ? [between(span[0]), between(span[1])] : undefined;
      const b = side(before);
      const a = side(after);
      const { effect, se } = meanShift(series, k);
      tests.push({
        detector: 'score-shift',
        entity: { type, id },
        effect,
        effectLabel:
          "rise of the excess top-box rate (top-box share − peers' at the same ltr) after the change point",
        ci: [effect - Z95 * se, effect + Z95 * se],
        pValue: result.pValue,
        evidence: {
          onset,
          lastBefore,
          firstAfter,
          ...(onsetInterval ? { onsetInterval } : {}),
          before: b,
          after: a,
          statistic: round(result.statistic),
          permutations: result.permutations,
          exceedances: result.exceedances,
          pValueMethod: result.method,
          responses: list.length,
        },
        summary: `${type === 'rep' ? '' : 'Team '}${id}'s top-box rep scores rose from ${onset}${onsetInterval ? ` (95% interval ${onsetInterval[0]} to ${onsetInterval[1]})` : ''} while customers' likelihood-to-recommend did not: ${percent(b.topBoxRate)} top box before (peers ${percent(b.expectedTopBoxRate)}), ${percent(a.topBoxRate)} after (peers ${percent(a.expectedTopBoxRate)}); ${b.responses} responses before, ${a.responses} after.`,
      });
      table.push({
        entity: type,
        id,
        tested: true,
        responses: list.length,
        onset,
        lastBefore,
        firstAfter,
        onsetFrom: onsetInterval?.[0] ?? null,
        onsetTo: onsetInterval?.[1] ?? null,
        shift: round(effect),
        topBoxBefore: b.topBoxRate,
        topBoxAfter: a.topBoxRate,
        expectedTopBoxBefore: b.expectedTopBoxRate,
        expectedTopBoxAfter: a.expectedTopBoxRate,
        gapBefore: b.meanGap,
        gapAfter: a.meanGap,
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
  pValue: number;
  permutations: number;
  exceedances: number;
  method: 'permutation' | 'permutation, exponential tail';
}

/**
 * The best upward split of `x` (first index after it) and its statistic T = max over k of
 * (mean after − mean before)·√(k(n − k)/n)/sd, computed as (k·total − n·prefix)·scale[k]/sd with
 * scale[k] = 1/√(n·k·(n − k)) (the same quantity, without two divisions per split: the
 * permutations evaluate it ~10^8 times at 1M surveys). Only splits of nonzero scale count
 * ({@link splitScales}: a change point falls between two dates, not inside a group of
 * invitations sent at the same time).
 */
function bestUpwardSplit(
  x: Float64Array,
  scales: Float64Array,
  minSegment: number,
  sd: number,
): { index: number; statistic: number } {
  const n = x.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += x[i];
  let prefix = 0;
  for (let k = 1; k < minSegment; k++) prefix += x[k - 1];
  let best = Number.NEGATIVE_INFINITY;
  let index = minSegment;
  for (let k = minSegment; k <= n - minSegment; k++) {
    prefix += x[k - 1];
    if (scales[k] === 0) continue; // inside a tie in time
    const t = (k * total - n * prefix) * scales[k];
    if (t > best) {
      best = t;
      index = k;
    }
  }
  return { index, statistic: best / sd };
}

/**
 * A 95% interval for the change point (the first index after it): residual bootstrap, as Hušková
 * & Kirch (2008, J Time Ser Anal 29:947–972) do for a change in mean. Each replicate keeps the
 * two fitted means and resamples each segment's residuals within that segment; the spread of the
 * replicates' best split around the fitted one (k* − k̂) estimates that of k̂ around the true
 * change, so the interval is [k̂ − q₀.₉₇₅, k̂ − q₀.₀₂₅] of k* − k̂, within the allowed splits.
 */
function splitInterval(
  x: Float64Array,
  canSplit: Uint8Array,
  minSegment: number,
  k: number,
  rng: ReturnType<typeof createRandom>,
): [number, number] {
  const n = x.length;
  const scales = splitScales(n, canSplit, minSegment);
  const means = [0, 0];
  for (let i = 0; i < n; i++) means[i < k ? 0 : 1] += x[i];
  means[0] /= k;
  means[1] /= n - k;
  const residual = Float64Array.from(x, (v, i) => v - means[i < k ? 0 : 1]);
  const replicate = new Float64Array(n);
  const offsets = new Float64Array(INTERVAL_REPLICATES);
  for (let b = 0; b < INTERVAL_REPLICATES; b++) {
    for (let i = 0; i < k; i++) replicate[i] = means[0] + residual[rng.int(k)];
    for (let i = k; i < n; i++) replicate[i] = means[1] + residual[k + rng.int(n - k)];
    // the statistic's scale does not move its best split
    offsets[b] = bestUpwardSplit(replicate, scales, minSegment, 1).index - k;
  }
  offsets.sort();
  const at = (q: number) => offsets[Math.min(offsets.length - 1, Math.floor(q * offsets.length))];
  const clampSplit = (i: number) => Math.min(n - minSegment, Math.max(minSegment, i));
  // (the fitted split itself always inside, should the replicates all fall on one side of it)
  return [clampSplit(Math.min(k, k - at(0.975))), clampSplit(Math.max(k, k - at(0.025)))];
}

/** 1/√(n·k·(n − k)) for every split k of a series of length n with `minSegment` on each side; 0 where `canSplit` forbids it. */
function splitScales(n: number, canSplit: Uint8Array, minSegment: number): Float64Array {
  const scales = new Float64Array(n + 1);
  for (let k = minSegment; k <= n - minSegment; k++)
    if (canSplit[k]) scales[k] = 1 / Math.sqrt(n * k * (n - k));
  return scales;
}

/** Mean of `x` from `index` on minus before it, and its Welch standard error. */
function meanShift(x: Float64Array, index: number): { effect: number; se: number } {
  const n = x.length;
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
  return { effect: after - before, se: Number.isFinite(se) ? se : 0 };
}

/** Change-point test of one series: best split and its permutation p-value. */
function testShift(
  x: Float64Array,
  canSplit: Uint8Array,
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
  const scales = splitScales(n, canSplit, minSegment);
  const { index, statistic } = bestUpwardSplit(x, scales, minSegment, sd);
  if (!(sd > 1e-12) || statistic === Number.NEGATIVE_INFINITY) {
    // a constant series, or every invitation at one time: nothing to split
    return {
      index: Math.floor(n / 2),
      statistic: 0,
      pValue: 1,
      permutations: 0,
      exceedances: 0,
      method: 'permutation',
    };
  }
  const shuffled = Float64Array.from(x);
  const nulls: number[] = [];
  let exceedances = 0;
  for (let b = 0; b < permutations; b++) {
    const value = bestUpwardSplit(rng.shuffle(shuffled), scales, minSegment, sd).statistic;
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
      // peaks over threshold: the k largest null maxima's excesses over the (k+1)-th, exponential
      const sorted = [...nulls].sort((a, b) => b - a);
      const k = Math.max(TAIL_EXCEEDANCES, Math.floor(sorted.length / 100));
      const threshold = sorted[k];
      let excess = 0;
      for (let i = 0; i < k; i++) excess += sorted[i] - threshold;
      excess /= k;
      if (excess > 0 && statistic > threshold) {
        pValue = (k / sorted.length) * Math.exp(-(statistic - threshold) / excess);
        method = 'permutation, exponential tail';
      }
    }
  }
  return {
    index,
    statistic,
    pValue: clamp(pValue, Number.MIN_VALUE, 1),
    permutations: nulls.length,
    exceedances,
    method,
  };
}

/**
 * A per-entity seed from its data (series length and the time from its first to its last
 * invitation), not its id nor its dates: an entity's permutations depend neither on which other
 * entities exist, nor on what its id is called, nor on a constant shift of every timestamp.
 */
function mixSeed(seed: number, type: string, length: number, span: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  for (const x of [type === 'rep' ? 1 : 2, length, span / 1000]) {
    h = Math.imul(h ^ (x >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ Math.floor(x / 4294967296), 0x01000193) >>> 0;
  }
  return h;
}

/** The `score-shift` detector for the registry. */
export const scoreShiftDetector: Detector = {
  id: 'score-shift',
  reads: ['surveys'],
  options: ['minSegment', 'permutations', 'cellPrior'],
  description:
    "Reps and teams whose rep scores jump upward against customers' likelihood-to-recommend from some date on (change point, permutation test over dates).",
  run: (ledgers, options) => detectScoreShift(ledgers, options),
};
