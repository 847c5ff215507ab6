import { stringAt } from '../ledger/packed-strings.js';
import type { Ledgers, SurveyLedger } from '../ledger/types.js';

/**
 * Shared machinery of the score detectors (`rep-relationship-gap`,
 * `top-box-inflation`, `score-shift`): which survey rows are usable
 * responses, leave-the-entity-out peer expectations in nested strata, and the
 * customer-clustered mean.
 */

/** Why a score detector cannot run on these ledgers, or undefined when it can. */
export function missingScoreColumns(ledgers: Ledgers): string | undefined {
  const { columns } = ledgers.surveys;
  const missing = (['rep_id', 'ltr', 'rep_score'] as const).filter((c) => !columns.has(c));
  if (missing.length === 0) return undefined;
  return `the survey ledger has no ${missing.map((c) => `"${c}"`).join(', ')} column${missing.length > 1 ? 's' : ''}`;
}

/**
 * Row indices of the usable responses: answered (`responded_at` set), with a
 * rep, an ltr and a rep score. Ordered by row.
 */
export function scoredResponses(s: SurveyLedger): Int32Array {
  let n = 0;
  const rows = new Int32Array(s.length);
  for (let i = 0; i < s.length; i++) {
    if (!Number.isNaN(s.respondedAt[i]) && s.rep[i] >= 0 && s.ltr[i] >= 0 && s.repScore[i] >= 0)
      rows[n++] = i;
  }
  return rows.slice(0, n);
}

/** The rep score on 0..10, whatever the configured scale (1..10 → 0..10, 1..5 → 0, 2.5, …, 10). */
export function rescaledScore(s: SurveyLedger, row: number): number {
  const { min, max } = s.scale;
  return ((s.repScore[row] - min) / (max - min)) * 10;
}

/** NPS group of an ltr answer: 0 detractor (0–6), 1 passive (7–8), 2 promoter (9–10). */
export function ltrGroup(ltr: number): number {
  return ltr <= 6 ? 0 : ltr <= 8 ? 1 : 2;
}

/** Name of an NPS group, for evidence. */
export const LTR_GROUP_NAMES = ['detractor (0-6)', 'passive (7-8)', 'promoter (9-10)'] as const;

/**
 * Composite integer keys of nested strata (coarsest first), one key per
 * response: level k combines the first k + 1 factors. Factor codes may be -1
 * (missing), which is a level of its own.
 *
 * @example
 * nestedKeys([ltrCodes, channelCodes, teamCodes], [11, nChannels, nTeams]);
 */
export function nestedKeys(factors: ArrayLike<number>[], sizes: number[]): Int32Array[] {
  const n = factors.length > 0 ? factors[0].length : 0;
  const levels: Int32Array[] = [];
  let previous = new Int32Array(n);
  for (let f = 0; f < factors.length; f++) {
    const size = sizes[f] + 1;
    const keys = new Int32Array(n);
    for (let i = 0; i < n; i++) keys[i] = previous[i] * size + factors[f][i] + 1;
    levels.push(keys);
    previous = keys;
  }
  return levels;
}

/**
 * Leave-the-group-out peer means in nested strata, shrunk level by level.
 *
 * For response i of group g (a rep, or a team), with y the value (a gap, a
 * top-box indicator …): m₀ = mean of y over every other group's responses;
 * at level k, mₖ = (Sₖ − Sₖ,g + a·mₖ₋₁) / (Nₖ − Nₖ,g + a), where Sₖ, Nₖ are
 * the sum and count of the response's stratum at that level and Sₖ,g, Nₖ,g
 * the group's own share. So a stratum with few peer responses falls back
 * smoothly to its parent (a = `prior` pseudo-responses), and a rep is never
 * compared with itself.
 *
 * Cost: O(n · levels). For several value columns over the same strata, use
 * {@link leaveOutPlan}.
 */
export function leaveOutMeans(
  values: Float64Array,
  levels: Int32Array[],
  group: Int32Array,
  prior: number,
): Float64Array {
  return leaveOutPlan(levels, group, prior)(values);
}

/**
 * {@link leaveOutMeans} with the strata prepared once: returns the function
 * of the values. What depends only on the strata and the groups (dense
 * stratum codes, the responses in group order, each response's count of
 * peer responses per level) is computed here, and each column's pass runs
 * over responses in group order, so its reads are sequential. Was one
 * `leaveOutMeans` per column, which redid all of that: top-box-inflation
 * calls it 15 times per run. Sums accumulate in response order as before,
 * so the means are the same to the last bit (test/detectors/scorePeers.test.ts).
 */
export function leaveOutPlan(
  levels: Int32Array[],
  group: Int32Array,
  prior: number,
): (values: Float64Array) => Float64Array {
  const n = group.length;
  let groups = 0;
  for (let i = 0; i < n; i++) groups = Math.max(groups, group[i] + 1);
  const groupCount = new Float64Array(groups);
  for (let i = 0; i < n; i++) groupCount[group[i]]++;
  const { rows, start } = groupRows(group, groups);
  const strata = levels.map((keys) => {
    const { codes, size } = denseCodes(keys);
    const count = new Float64Array(size);
    for (let i = 0; i < n; i++) count[codes[i]]++;
    // in group order: each response's stratum code and its count of other groups' responses there
    const code = new Int32Array(n);
    const peers = new Float64Array(n);
    const ownCount = new Float64Array(size);
    for (let g = 0; g < groups; g++) {
      for (let r = start[g]; r < start[g + 1]; r++) {
        code[r] = codes[rows[r]];
        ownCount[code[r]]++;
      }
      for (let r = start[g]; r < start[g + 1]; r++) peers[r] = count[code[r]] - ownCount[code[r]];
      for (let r = start[g]; r < start[g + 1]; r++) ownCount[code[r]] = 0;
    }
    return { codes, size, code, peers };
  });

  return (values) => {
    let total = 0;
    for (let i = 0; i < n; i++) total += values[i];
    const groupSum = new Float64Array(groups);
    for (let i = 0; i < n; i++) groupSum[group[i]] += values[i];
    const grand = n > 0 ? total / n : 0;
    const ordered = new Float64Array(n);
    const mean = new Float64Array(n);
    for (let g = 0; g < groups; g++) {
      const others = n - groupCount[g];
      const m = others > 0 ? (total - groupSum[g]) / others : grand;
      for (let r = start[g]; r < start[g + 1]; r++) {
        ordered[r] = values[rows[r]];
        mean[r] = m;
      }
    }
    for (const { codes, size, code, peers } of strata) {
      const sum = new Float64Array(size);
      for (let i = 0; i < n; i++) sum[codes[i]] += values[i];
      const own = new Float64Array(size);
      for (let g = 0; g < groups; g++) {
        const from = start[g];
        const to = start[g + 1];
        for (let r = from; r < to; r++) own[code[r]] += ordered[r];
        for (let r = from; r < to; r++) {
          const k = code[r];
          mean[r] = (sum[k] - own[k] + prior * mean[r]) / (peers[r] + prior);
        }
        for (let r = from; r < to; r++) own[code[r]] = 0;
      }
    }
    const out = new Float64Array(n);
    for (let r = 0; r < n; r++) out[rows[r]] = mean[r];
    return out;
  };
}

/** The responses of each group in increasing order (counting sort): group g's are `rows[start[g], start[g + 1])`. */
function groupRows(group: Int32Array, groups: number): { rows: Int32Array; start: Int32Array } {
  const start = new Int32Array(groups + 1);
  for (let i = 0; i < group.length; i++) start[group[i] + 1]++;
  for (let g = 0; g < groups; g++) start[g + 1] += start[g];
  const next = start.slice(0, groups);
  const rows = new Int32Array(group.length);
  for (let i = 0; i < group.length; i++) rows[next[group[i]]++] = i;
  return { rows, start };
}

/** Stratum keys renumbered 0..size-1: by offset from the smallest key when they span a small range, else by first appearance. */
function denseCodes(keys: Int32Array): { codes: Int32Array; size: number } {
  const n = keys.length;
  let min = 0;
  let max = -1;
  if (n > 0) {
    min = keys[0];
    max = keys[0];
    for (let i = 1; i < n; i++) {
      if (keys[i] < min) min = keys[i];
      else if (keys[i] > max) max = keys[i];
    }
  }
  const codes = new Int32Array(n);
  if (max - min < Math.max(1 << 16, 2 * n)) {
    for (let i = 0; i < n; i++) codes[i] = keys[i] - min;
    return { codes, size: max - min + 1 };
  }
  const index = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    let code = index.get(keys[i]);
    if (code === undefined) {
      code = index.size;
      index.set(keys[i], code);
    }
    codes[i] = code;
  }
  return { codes, size: index.size };
}

/** Per-response top-box indicators and their peers' expectation, from {@link peerTopBox}. */
export interface PeerTopBox {
  /** 1 when the rep score is the scale's top, else 0 */
  top: Float64Array;
  /** P(top box) among other entities' responses in the same ltr value × channel (× team) stratum */
  expected: Float64Array;
}

/**
 * Top-box indicators of the scored responses `rows` and, for each, the
 * leave-the-owner-out top-box rate of peers with the same ltr value and
 * channel (and team, when `withTeam`), shrunk toward ltr value × channel and
 * ltr value with `prior` pseudo-responses ({@link leaveOutMeans}). Coaching
 * moves the top-box rate and barely the ltr, so top − expected is its
 * per-response signal.
 *
 * Cost: O(n · strata levels).
 *
 * @example
 * const { top, expected } = peerTopBox(ledgers, rows, repCodes, true, 20);
 */
export function peerTopBox(
  ledgers: Ledgers,
  rows: Int32Array,
  owner: Int32Array,
  withTeam: boolean,
  prior: number,
): PeerTopBox {
  const s = ledgers.surveys;
  const n = rows.length;
  const top = new Float64Array(n);
  const ltr = new Int32Array(n);
  const channel = new Int32Array(n);
  const team = new Int32Array(n);
  for (let j = 0; j < n; j++) {
    const r = rows[j];
    top[j] = s.repScore[r] === s.scale.max ? 1 : 0;
    ltr[j] = s.ltr[r];
    channel[j] = s.channel[r];
    team[j] = s.team[r];
  }
  const { ids } = ledgers;
  const factors = withTeam ? [ltr, channel, team] : [ltr, channel];
  const sizes = withTeam
    ? [11, ids.channel.values.length, ids.team.values.length]
    : [11, ids.channel.values.length];
  return { top, expected: leaveOutMeans(top, nestedKeys(factors, sizes), owner, prior) };
}

/**
 * Mean of a group's values and its customer-clustered variance, shrunk toward
 * a pooled per-response variance: responses of one customer (B2B contacts,
 * repeat callers) are not independent, so the sandwich variance over customer
 * clusters is used; with few clusters it is unstable, so it is pooled with
 * `pooled` (per-response variance) carrying `priorDf` degrees of freedom.
 * Returns the mean and the variance of the mean.
 */
export function clusteredMean(
  values: readonly number[],
  clusters: readonly number[],
  pooled: number,
  priorDf: number,
): { mean: number; variance: number; clusters: number } {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  const byCluster = new Map<number, number>();
  for (let i = 0; i < n; i++)
    byCluster.set(clusters[i], (byCluster.get(clusters[i]) ?? 0) + values[i] - mean);
  const g = byCluster.size;
  let squares = 0;
  for (const s of byCluster.values()) squares += s * s;
  const own = g > 1 ? (g / (g - 1)) * (squares / n) : 0;
  const perResponse = ((g - 1) * own + priorDf * pooled) / (g - 1 + priorDf);
  return { mean, variance: perResponse / n, clusters: g };
}

/** The first `max` survey ids of some rows (evidence stays bounded). */
export function firstIds(s: SurveyLedger, rows: readonly number[], max = 20): string[] {
  return rows.slice(0, max).map((r) => stringAt(s, 'surveyId', r));
}

/** A sparse count list of (ltr, rep score) pairs: `[ltr, repScore, count]`, sorted; `counts` by {@link jointKey}. */
export function jointCounts(counts: Int32Array, scaleMax: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let key = 0; key < counts.length; key++) {
    if (counts[key] > 0) out.push([Math.floor(key / (scaleMax + 1)), key % (scaleMax + 1), counts[key]]);
  }
  return out;
}

/** Key of an (ltr, rep score) pair for {@link jointCounts}: keys ascend with ltr, then with the score. */
export function jointKey(ltr: number, score: number, scaleMax: number): number {
  return ltr * (scaleMax + 1) + score;
}

/** A number for a summary sentence: one decimal. */
export function fixed1(x: number): string {
  const v = Math.abs(x) < 0.05 ? 0 : x;
  return v.toFixed(1);
}

/** Clamp into [lo, hi]. */
export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Replace a non-finite number (never expected) by a fallback, so that the contract stays finite. */
export function finite(x: number, fallback = 0): number {
  return Number.isFinite(x) ? x : fallback;
}

/**
 * The peers' distribution of the rep score for each response: P₀(k) for the
 * score levels k = 0..L−1 (level = score − scale minimum), from the
 * leave-the-rep-out means of the indicators 1[level ≥ k] in nested strata
 * (`peerMeans`, a {@link leaveOutPlan}), so the cumulative probabilities stay monotone,
 * then mixed with a uniform `floor` so that no level is impossible. Returns
 * an n × L row-major matrix.
 *
 * Cost: O(n · L · strata levels).
 */
export function peerLevelProbabilities(
  level: Int32Array,
  levels: number,
  peerMeans: (values: Float64Array) => Float64Array,
  floor = 1e-3,
): Float64Array {
  const n = level.length;
  const out = new Float64Array(n * levels);
  // cumulative G_k = P(level >= k), k = 1..L-1; G_0 = 1, G_L = 0
  const upper = new Float64Array(n).fill(1);
  const indicator = new Float64Array(n);
  for (let k = 1; k <= levels; k++) {
    let g: Float64Array;
    if (k < levels) {
      for (let i = 0; i < n; i++) indicator[i] = level[i] >= k ? 1 : 0;
      g = peerMeans(indicator);
    } else g = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const p = Math.max(0, upper[i] - g[i]);
      out[i * levels + k - 1] = (p + floor) / (1 + levels * floor);
      upper[i] = g[i];
    }
  }
  return out;
}
