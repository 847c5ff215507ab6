import { stringAt } from '../ledger/packed-strings.js';
import type { Ledgers, SurveyLedger } from '../ledger/types.js';
import { normalQuantile } from '../stats/index.js';
import { standardNormalCdf } from '../stats/normalCdf.js';

/**
 * Shared machinery of the score detectors (`rep-relationship-gap`,
 * `top-box-inflation`, `score-shift`): which survey rows are usable
 * responses, leave-the-entity-out peer expectations in nested strata, the
 * customer-clustered mean, and the ordinal shift fits of a rep's scores.
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

/** The link of the ordinal location-shift model: logistic (proportional odds) or normal (ordered probit). */
export type ShiftLink = 'logit' | 'probit';

export interface Link {
  cdf(x: number): number;
  density(x: number): number;
  quantile(p: number): number;
}

const LINKS: Record<ShiftLink, Link> = {
  logit: {
    cdf: (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x))),
    density: (x) => {
      const e = Math.exp(-Math.abs(x));
      return e / (1 + e) ** 2;
    },
    quantile: (p) => Math.log(p / (1 - p)),
  },
  probit: {
    cdf: (x) => standardNormalCdf(x),
    density: (x) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI),
    quantile: (p) => normalQuantile(p),
  },
};

/** A rep's location shift fitted by {@link fitTruncatedShift}. */
export interface TruncatedShift {
  /** the shift δ̃ on the link scale (0 = like peers) */
  shift: number;
  /** information about δ: the non-top scores' Fisher information plus the prior precision */
  information: number;
  /** the non-top scores' information alone (0 when every score is at the top) */
  dataInformation: number;
  /** per response: P(top | δ̃) */
  pTop: Float64Array;
  /** per response: dP(top | δ)/dδ at δ̃ */
  pTopSlope: Float64Array;
}

const MAX_SHIFT = 10;

/**
 * Location shift of one rep's score distribution against its peers',
 * estimated from the scores *below the top* only, so that coaching (which
 * replaces some answers by the top score and leaves the others alone) does
 * not leak into it: P(level ≥ k | δ) = F(F⁻¹(G_k) + δ) (the ordinal
 * location-shift model; a better or worse rep moves the whole distribution
 * in every ltr stratum alike), and the non-top scores follow it truncated
 * below the top, P(k | k < top, δ) = P(k | δ)/(1 − P(top | δ)). A normal
 * prior on δ (the honest reps' spread, `prior`) keeps the estimate finite and
 * carries the test when a rep has few non-top scores; δ̃ is the posterior
 * mode, found by a safeguarded Newton iteration on the score with a
 * numerical derivative, within ±10.
 *
 * `base` is the peers' n × L matrix ({@link peerLevelProbabilities}),
 * `rows` the rep's response positions, `level` every response's level.
 * `strata` (optional, per row) says which rows may share a peers' row of
 * `base` (rows whose stratum and base row are both equal): each distinct
 * (row, level) likelihood term is then computed once and added per response
 * in order, the same sums to the last bit (top-box-inflation: a rep's
 * responses in one ltr × channel × team stratum share the peers' row).
 *
 * Reference: McCullagh (1980), "Regression models for ordinal data", JRSS B
 * 42:109–142 (the ordinal shift model).
 */
export function fitTruncatedShift(
  base: Float64Array,
  levels: number,
  rows: readonly number[],
  level: Int32Array,
  link: ShiftLink,
  prior: { mean: number; sd: number },
  strata?: ArrayLike<number>,
): TruncatedShift {
  const { cdf, density, quantile: inverse } = LINKS[link];
  const m = rows.length;
  const top = levels - 1;
  // the distinct peers' rows among the responses (each response's `rowOf`)
  const { rowOf, first } = distinctRows(base, levels, rows, strata);
  // link-scale thresholds η_k = F⁻¹(G_k), k = 1..L-1, per distinct row
  const eta = new Float64Array(first.length * (levels - 1));
  first.forEach((j, r) => {
    let g = 1;
    for (let k = 1; k < levels; k++) {
      g -= base[j * levels + k - 1];
      eta[r * (levels - 1) + k - 1] = inverse(Math.min(1 - 1e-12, Math.max(1e-12, g)));
    }
  });
  const at = (r: number, k: number, d: number) =>
    k <= 0
      ? Number.POSITIVE_INFINITY
      : k >= levels
        ? Number.NEGATIVE_INFINITY
        : eta[r * (levels - 1) + k - 1] + d;
  const F = (x: number) => (x === Number.POSITIVE_INFINITY ? 1 : x === Number.NEGATIVE_INFINITY ? 0 : cdf(x));
  const f = (x: number) => (Number.isFinite(x) ? density(x) : 0);
  const precision = 1 / (prior.sd * prior.sd);
  // score of the truncated log-likelihood of a response of distinct row r at level k < top
  // (a 9 just below the top has b = t: its F and f are computed once)
  const scoreOf = (r: number, k: number, d: number) => {
    const a = at(r, k, d);
    const b = at(r, k + 1, d);
    const Fb = F(b);
    const fb = f(b);
    const p = Math.max(1e-300, F(a) - Fb);
    const t = at(r, top, d);
    const Ft = k + 1 === top ? Fb : F(t);
    const ft = k + 1 === top ? fb : f(t);
    return (f(a) - fb) / p + ft / Math.max(1e-300, 1 - Ft);
  };
  // the responses below the top, in order, and their distinct (row, level) terms
  const terms = new Map<number, number>();
  const termRow: number[] = [];
  const termLevel: number[] = [];
  const nonTop: number[] = [];
  for (let i = 0; i < m; i++) {
    const k = level[rows[i]];
    if (k >= top) continue;
    const key = rowOf[i] * levels + k;
    let term = terms.get(key);
    if (term === undefined) {
      term = termRow.length;
      terms.set(key, term);
      termRow.push(rowOf[i]);
      termLevel.push(k);
    }
    nonTop.push(term);
  }
  const termScore = new Float64Array(termRow.length);
  const score = (d: number) => {
    for (let q = 0; q < termRow.length; q++) termScore[q] = scoreOf(termRow[q], termLevel[q], d);
    let sc = -(d - prior.mean) * precision;
    for (const q of nonTop) sc += termScore[q];
    return sc;
  };
  let d = prior.mean;
  let lo = -MAX_SHIFT;
  let hi = MAX_SHIFT;
  for (let iteration = 0; iteration < 100; iteration++) {
    const sc = score(d);
    if (sc > 0) lo = d;
    else hi = d;
    const h = 1e-5;
    const slope = (score(d + h) - score(d - h)) / (2 * h);
    let next = slope < 0 ? d - sc / slope : Number.NaN;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - d) < 1e-9 || hi - lo < 1e-9) {
      d = next;
      break;
    }
    d = next;
  }
  // expected information of the non-top scores (each given that it is below the top): per distinct row its
  // terms over the levels below the top (0 where a level is impossible), added per response in order
  // (F and f at each of the row's thresholds once, not four and two times per level: the same
  // values scoreOf computes; this loop was a third of the rep fits' time at 1M surveys)
  const Fk = new Float64Array(levels + 1);
  const fk = new Float64Array(levels + 1);
  const rowInformation = new Float64Array(first.length * top).fill(Number.NaN);
  let dataInformation = 0;
  for (const q of nonTop) {
    const r = termRow[q];
    if (Number.isNaN(rowInformation[r * top])) {
      for (let k = 0; k <= levels; k++) {
        const x = at(r, k, d);
        Fk[k] = F(x);
        fk[k] = f(x);
      }
      const below = Math.max(1e-300, 1 - Fk[top]);
      const topTerm = fk[top] / below;
      for (let k = 0; k < top; k++) {
        const p = Math.max(0, Fk[k] - Fk[k + 1]) / below;
        rowInformation[r * top + k] =
          p > 0 ? p * ((fk[k] - fk[k + 1]) / Math.max(1e-300, Fk[k] - Fk[k + 1]) + topTerm) ** 2 : 0;
      }
    }
    // (+0 where the level is impossible leaves the sum unchanged, as skipping it did)
    for (let k = 0; k < top; k++) dataInformation += rowInformation[r * top + k];
  }
  const pTop = new Float64Array(m);
  const pTopSlope = new Float64Array(m);
  const rowTop = new Float64Array(first.length);
  const rowSlope = new Float64Array(first.length);
  for (let r = 0; r < first.length; r++) {
    const t = at(r, top, d);
    rowTop[r] = F(t);
    rowSlope[r] = f(t);
  }
  for (let i = 0; i < m; i++) {
    pTop[i] = rowTop[rowOf[i]];
    pTopSlope[i] = rowSlope[rowOf[i]];
  }
  return { shift: d, information: dataInformation + precision, dataInformation, pTop, pTopSlope };
}

/**
 * Which distinct peers' row of `base` each of `rows` has (`rowOf`), and the first row of each (`first`):
 * rows with the same `strata` key and the same L values share one; without `strata`, every row is its own.
 */
function distinctRows(
  base: Float64Array,
  levels: number,
  rows: readonly number[],
  strata: ArrayLike<number> | undefined,
): { rowOf: Int32Array; first: number[] } {
  const rowOf = new Int32Array(rows.length);
  const first: number[] = [];
  const byKey = new Map<number, number[]>();
  const same = (a: number, b: number) => {
    for (let k = 0; k < levels; k++) if (base[a * levels + k] !== base[b * levels + k]) return false;
    return true;
  };
  rows.forEach((j, i) => {
    const candidates = strata ? byKey.get(strata[i]) : undefined;
    const found = candidates?.find((r) => same(first[r], j));
    if (found !== undefined) {
      rowOf[i] = found;
      return;
    }
    rowOf[i] = first.length;
    if (strata) {
      if (candidates) candidates.push(first.length);
      else byKey.set(strata[i], [first.length]);
    }
    first.push(j);
  });
  return { rowOf, first };
}

/** A binary location shift fitted by {@link fitTopShift}. */
export interface TopShift {
  /** the shift δ̂ of P(top) on the link scale, under a vague N(0, 3²) prior (finite when every score is at the top) */
  shift: number;
  /** Fisher information of the top-box indicators about δ at δ̂ */
  information: number;
}

/**
 * Location shift of a rep's top-box rate against its peers': the δ that
 * maximises Σ log P(topᵢ | δ), P(top | δ) = F(F⁻¹(pᵢ) + δ), plus a vague
 * N(0, 3²) log-prior (finite for a rep with only top scores). Concave:
 * safeguarded Newton.
 */
export function fitTopShift(
  baseTop: readonly number[],
  isTop: readonly boolean[],
  link: ShiftLink,
): TopShift {
  const { cdf, density, quantile: inverse } = LINKS[link];
  // the distinct (probability, indicator) terms: a rep's responses in one stratum repeat them; each term's
  // score and information once, added per response in order (the same sums to the last bit)
  const index = new Map<number, number>();
  const values: number[] = [];
  const termOf = new Int32Array(baseTop.length);
  baseTop.forEach((p, i) => {
    let v = index.get(p);
    if (v === undefined) {
      v = values.length;
      index.set(p, v);
      values.push(p);
    }
    termOf[i] = 2 * v + (isTop[i] ? 1 : 0);
  });
  const eta = values.map((p) => inverse(Math.min(1 - 1e-9, Math.max(1e-9, p))));
  const termScore = new Float64Array(2 * values.length);
  const termInformation = new Float64Array(values.length);
  const precision = 1 / 9;
  const evaluate = (d: number) => {
    for (let v = 0; v < values.length; v++) {
      const x = eta[v] + d;
      const p = Math.min(1 - 1e-12, Math.max(1e-12, cdf(x)));
      const f = density(x);
      termScore[2 * v] = (0 - p) * (f / (p * (1 - p)));
      termScore[2 * v + 1] = (1 - p) * (f / (p * (1 - p)));
      termInformation[v] = (f * f) / (p * (1 - p));
    }
    let score = -d * precision;
    let information = 0;
    for (let i = 0; i < termOf.length; i++) {
      score += termScore[termOf[i]];
      information += termInformation[termOf[i] >> 1];
    }
    return { score, information };
  };
  let d = 0;
  let lo = -MAX_SHIFT;
  let hi = MAX_SHIFT;
  for (let iteration = 0; iteration < 100; iteration++) {
    const { score, information } = evaluate(d);
    if (score > 0) lo = d;
    else hi = d;
    let next = d + score / (information + precision);
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - d) < 1e-9 || hi - lo < 1e-9) {
      d = next;
      break;
    }
    d = next;
  }
  return { shift: d, information: evaluate(d).information };
}

/** The link's cumulative distribution, density and quantile functions. */
export function linkFunctions(link: ShiftLink): Link {
  return LINKS[link];
}
