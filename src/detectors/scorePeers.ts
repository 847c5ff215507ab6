import type { Ledgers, SurveyLedger } from '../ledger/types.js';
import { normalQuantile } from '../stats/index.js';

/**
 * Shared machinery of the score detectors (`rep-relationship-gap`,
 * `top-box-inflation`, `score-shift`): which survey rows are usable
 * responses, leave-the-entity-out peer expectations in nested strata, and
 * the Spiegelhalter additive over-dispersion (between-entity variance) of
 * per-entity excesses.
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
 * Cost: O(n · levels) with hash maps.
 */
export function leaveOutMeans(
  values: Float64Array,
  levels: Int32Array[],
  group: Int32Array,
  prior: number,
): Float64Array {
  const n = values.length;
  let groups = 0;
  for (let i = 0; i < n; i++) groups = Math.max(groups, group[i] + 1);
  let total = 0;
  for (let i = 0; i < n; i++) total += values[i];
  const groupSum = new Float64Array(groups);
  const groupCount = new Float64Array(groups);
  for (let i = 0; i < n; i++) {
    groupSum[group[i]] += values[i];
    groupCount[group[i]]++;
  }
  const grand = n > 0 ? total / n : 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const g = group[i];
    const others = n - groupCount[g];
    out[i] = others > 0 ? (total - groupSum[g]) / others : grand;
  }
  for (const keys of levels) {
    const sum = new Map<number, number>();
    const count = new Map<number, number>();
    const own = new Map<number, number>();
    const ownCount = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      const kg = k * groups + group[i];
      sum.set(k, (sum.get(k) ?? 0) + values[i]);
      count.set(k, (count.get(k) ?? 0) + 1);
      own.set(kg, (own.get(kg) ?? 0) + values[i]);
      ownCount.set(kg, (ownCount.get(kg) ?? 0) + 1);
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      const kg = k * groups + group[i];
      const s = (sum.get(k) ?? 0) - (own.get(kg) ?? 0);
      const c = (count.get(k) ?? 0) - (ownCount.get(kg) ?? 0);
      out[i] = (s + prior * out[i]) / (c + prior);
    }
  }
  return out;
}

/** Over-dispersion estimate of {@link additiveOverdispersion}. */
export interface Overdispersion {
  /** mean winsorized z² (1 under no over-dispersion) */
  phi: number;
  /** additive between-entity variance τ² (0 when φ does not exceed its expectation) */
  tau2: number;
  /** entities that entered the estimate */
  units: number;
}

/**
 * Spiegelhalter's additive random-effects over-dispersion of per-entity
 * excesses dᵢ (target 0) with within-entity variances vᵢ: zᵢ = dᵢ/√vᵢ,
 * winsorized at the `winsorize` and 1 − `winsorize` quantiles so that the
 * gamers themselves do not inflate it; φ = Σ z_w²/(I·c), where c is E[z_w²]
 * for a standard normal z (0.68 at 10%): without this consistency factor the
 * winsorized φ underestimates honest heterogeneity by a third, and ordinary
 * reps in the tail of the spread get flagged; with wᵢ = 1/vᵢ,
 * τ² = max(0, (Iφ − (I − 1)) / (Σw − Σw²/Σw)). Fewer than 5 entities: τ² = 0
 * (too few to estimate a spread).
 *
 * Reference: D. J. Spiegelhalter (2005), "Funnel plots for comparing
 * institutional performance", Stat Med 24:1185–1202, §3.3
 * (doi:10.1002/sim.1970); the same formulas as `funnelAnalysis` in
 * src/stats, generalised from proportions against one target to any
 * excess with its own variance.
 */
export function additiveOverdispersion(
  excess: readonly number[],
  variance: readonly number[],
  winsorize: number,
): Overdispersion {
  const z: number[] = [];
  const w: number[] = [];
  for (let i = 0; i < excess.length; i++) {
    if (variance[i] > 0 && Number.isFinite(excess[i])) {
      z.push(excess[i] / Math.sqrt(variance[i]));
      w.push(1 / variance[i]);
    }
  }
  const units = z.length;
  if (units < 5) return { phi: 1, tau2: 0, units };
  const sorted = [...z].sort((a, b) => a - b);
  const lo = quantile(sorted, winsorize);
  const hi = quantile(sorted, 1 - winsorize);
  let phi = 0;
  for (const v of z) phi += Math.min(hi, Math.max(lo, v)) ** 2;
  // consistency: winsorizing shrinks E[z²] below 1 + τ²/v even for normal z; divide by its normal expectation
  phi /= units * winsorizedSecondMoment(winsorize);
  let sw = 0;
  let sw2 = 0;
  for (const v of w) {
    sw += v;
    sw2 += v * v;
  }
  const denominator = sw - sw2 / sw;
  const tau2 = denominator > 0 ? Math.max(0, (units * phi - (units - 1)) / denominator) : 0;
  return { phi, tau2, units };
}

/** E[z_w²] for z ~ N(0, 1) winsorized at its `w` and 1 − `w` quantiles: (1 − 2w) − 2cφ(c) + 2wc², c = Φ⁻¹(1 − w). */
export function winsorizedSecondMoment(w: number): number {
  if (w <= 0) return 1;
  const c = normalQuantile(1 - w);
  const density = Math.exp(-0.5 * c * c) / Math.sqrt(2 * Math.PI);
  return 1 - 2 * w - 2 * c * density + 2 * w * c * c;
}

/** R's `quantile(type = 7)` of sorted values. */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
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
  return rows.slice(0, max).map((r) => s.surveyId[r]);
}

/** A sparse count list of (ltr, rep score) pairs: `[ltr, repScore, count]`, sorted. */
export function jointCounts(counts: Map<number, number>, scaleMax: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (const [key, count] of counts) {
    if (count > 0) out.push([Math.floor(key / (scaleMax + 1)), key % (scaleMax + 1), count]);
  }
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
}

/** Key of an (ltr, rep score) pair for {@link jointCounts}. */
export function jointKey(ltr: number, score: number, scaleMax: number): number {
  return ltr * (scaleMax + 1) + score;
}

/** Add `b` to `a` (count maps), optionally subtracting. */
export function addCounts(a: Map<number, number>, b: Map<number, number>, sign = 1): void {
  for (const [k, v] of b) a.set(k, (a.get(k) ?? 0) + sign * v);
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
