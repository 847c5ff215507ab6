import { standardNormalCdf } from './normalCdf.js';
import { normalQuantile } from './normalQuantile.js';

/**
 * The ordinal location-shift model of a rep's scores against its peers' (McCullagh 1980): the fits
 * top-box-inflation measures a rep's honest shift with, below the top and of the top box. Both fits
 * are checked against the same posterior modes and information computed in R
 * (test/reference/stats.R: `top_shift`, `trunc_shift`). Internal: arguments are not checked.
 */

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
