import {
  acceptedDetectors,
  CLEAN_LABELS,
  type CleanLabel,
  expectedDetectors,
  GAMING_LABELS,
  type GamingLabel,
  isGamingLabel,
  REALIZED,
} from './labels.js';
import type { Truth } from './types.js';

/** The value of `key`, inserted from `make()` when missing. */
function entry<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

/** The part of a finding that evaluation reads (a `Finding` of `src/findings/types.ts` fits). */
export interface FindingLike {
  detector: string;
  entity: { type: string; id: string };
  qValue: number;
}

/** Options of {@link evaluate}. */
export interface EvaluateOptions {
  /** a finding counts as a flag when `qValue <= alpha` (default 0.05) */
  alpha?: number;
}

/** Recall of one planted gaming label. */
export interface LabelRecall {
  planted: number;
  found: number;
  /** found / planted (NaN when nothing was planted) */
  recall: number;
  /** ids of planted entities no expected detector flagged */
  missed: string[];
  /**
   * labels whose truth records how much of the gaming came off ({@link REALIZED}): recall by
   * that amount, bins of `from` and up (to the next bin's `from`), e.g. `'4-7'`, `'8+'`
   */
  byRealized?: { bin: string; planted: number; found: number }[];
}

/** Flags on the entities carrying one clean label (and no gaming label). */
export interface CleanFlags {
  entities: number;
  /** entities flagged by at least one detector */
  flagged: number;
  /** flagged / entities */
  rate: number;
  ids: string[];
  /** flagged entities per detector */
  byDetector: Record<string, number>;
}

/** Flagged (detector, entity) pairs and how many of them are false discoveries. */
export interface DiscoveryCount {
  flagged: number;
  false: number;
  /** false / flagged (0 when nothing was flagged) */
  proportion: number;
}

/** What {@link evaluate} returns. */
export interface Evaluation {
  alpha: number;
  /** per planted gaming label present in the truth */
  recall: Partial<Record<GamingLabel, LabelRecall>>;
  /** per clean label present in the truth (`clean` customers: only those listed in the truth) */
  clean: Partial<Record<CleanLabel, CleanFlags>>;
  /** false discovery proportion over all flagged (detector, entity) pairs, and per detector */
  fdp: DiscoveryCount & { byDetector: Record<string, DiscoveryCount> };
  /**
   * detector → label → number of distinct entities that detector flagged
   * carrying that label. Entities absent from the truth count as `clean`
   * customers or `unknown`; team findings count under `team`.
   */
  matrix: Record<string, Record<string, number>>;
}

interface TruthEntity {
  labels: string[];
  onset?: string;
}

/**
 * Score a findings document against the truth of a simulated world.
 *
 * - **Recall** per planted gaming label: an entity counts as found when a
 *   finding with one of the label's expected detectors (`LABEL_DETECTORS`,
 *   plus `score-shift` for coaching with an onset) names the same entity
 *   (type and id) with `qValue <= alpha`. For coaching and extracting
 *   accounts also by how much of the gaming came off (`byRealized`: the
 *   truth's `coachedResponses` and `extractions`, binned as `REALIZED` says),
 *   since a strength is only a chance per opportunity.
 * - **Clean flags**: entities carrying only a clean label that any detector
 *   flagged.
 * - **False discovery proportion**: flagged (detector, entity) pairs whose
 *   entity carries no gaming label that detector is accepted for
 *   (`LABEL_DETECTORS` ∪ `LABEL_ALSO_DETECTED_BY`) / all flagged pairs. A
 *   team finding is true when a rep of that team carries such a label;
 *   entities missing from the truth are clean customers (customers are
 *   listed only when labelled) or unknown reps, hence false.
 * - **Matrix**: detector × label counts of distinct flagged entities.
 *
 * Cost O(findings + truth entities). Throws a RangeError when alpha is not in [0, 1].
 *
 * @example
 * const ev = evaluate(JSON.parse(findingsJson), truth, { alpha: 0.05 });
 * ev.recall.coaching?.recall; // 0.75
 */
export function evaluate(
  findings: { findings: readonly FindingLike[] } | readonly FindingLike[],
  truth: Truth,
  options: EvaluateOptions = {},
): Evaluation {
  const alpha = options.alpha ?? 0.05;
  if (!(typeof alpha === 'number' && alpha >= 0 && alpha <= 1)) {
    throw new RangeError(`alpha must be a number in [0, 1], got ${String(alpha)}`);
  }
  const list = Array.isArray(findings)
    ? findings
    : (findings as { findings: readonly FindingLike[] }).findings;
  if (!Array.isArray(list))
    throw new RangeError('findings must be an array or an object with a findings array');

  const entities = new Map<string, TruthEntity>();
  const teamReps = new Map<string, TruthEntity[]>();
  for (const rep of truth.reps) {
    const e: TruthEntity = { labels: rep.labels, onset: rep.onset };
    entities.set(`rep|${rep.id}`, e);
    const members = entry(teamReps, rep.team, () => []);
    members.push(e);
  }
  for (const customer of truth.customers)
    entities.set(`customer|${customer.id}`, { labels: customer.labels });

  // distinct flagged (detector, entity) pairs
  const flagged = new Map<string, Set<string>>();
  for (const f of list) {
    if (!(f.qValue <= alpha)) continue;
    const key = `${f.entity.type}|${f.entity.id}`;
    const set = entry(flagged, f.detector, () => new Set());
    set.add(key);
  }
  const flaggedBy = (detector: string, key: string) => flagged.get(detector)?.has(key) ?? false;

  const recall: Evaluation['recall'] = {};
  const clean: Evaluation['clean'] = {};
  const entitiesOf = (type: 'rep' | 'customer') =>
    (type === 'rep' ? truth.reps : truth.customers).map((e) => ({ key: `${type}|${e.id}`, id: e.id, e }));
  for (const { key, id, e } of [...entitiesOf('rep'), ...entitiesOf('customer')]) {
    const onset = 'onset' in e ? e.onset : undefined;
    const gaming = e.labels.filter(isGamingLabel);
    for (const label of gaming) {
      recall[label] ??= { planted: 0, found: 0, recall: Number.NaN, missed: [] };
      const r = recall[label];
      r.planted++;
      const found = expectedDetectors(label, onset).some((d) => flaggedBy(d, key));
      if (found) r.found++;
      else r.missed.push(id);
      const realized = REALIZED[label];
      const amount = realized && (e as { extractions?: number; coachedResponses?: number })[realized.field];
      if (realized && amount !== undefined) {
        r.byRealized ??= realized.from.map((from, i, all) => ({
          bin: i + 1 < all.length ? `${from}-${all[i + 1] - 1}` : `${from}+`,
          planted: 0,
          found: 0,
        }));
        const bin = r.byRealized[realized.from.findLastIndex((from) => amount >= from)];
        bin.planted++;
        if (found) bin.found++;
      }
    }
    if (gaming.length > 0) continue;
    for (const label of e.labels as CleanLabel[]) {
      clean[label] ??= { entities: 0, flagged: 0, rate: Number.NaN, ids: [], byDetector: {} };
      const c = clean[label];
      c.entities++;
      let any = false;
      for (const [detector, set] of flagged) {
        if (!set.has(key)) continue;
        any = true;
        c.byDetector[detector] = (c.byDetector[detector] ?? 0) + 1;
      }
      if (any) {
        c.flagged++;
        c.ids.push(id);
      }
    }
  }
  for (const r of Object.values(recall)) r.recall = r.planted > 0 ? r.found / r.planted : Number.NaN;
  for (const c of Object.values(clean)) c.rate = c.entities > 0 ? c.flagged / c.entities : Number.NaN;

  const accepts = (e: TruthEntity | undefined, detector: string) =>
    e?.labels.some(
      (l) => isGamingLabel(l) && (acceptedDetectors(l) as readonly string[]).includes(detector),
    ) ?? false;
  const fdp: Evaluation['fdp'] = { flagged: 0, false: 0, proportion: 0, byDetector: {} };
  const matrix: Evaluation['matrix'] = {};
  for (const [detector, set] of flagged) {
    const count: DiscoveryCount = { flagged: 0, false: 0, proportion: 0 };
    const row: Record<string, number> = {};
    for (const key of set) {
      const [type, ...rest] = key.split('|');
      const id = rest.join('|');
      count.flagged++;
      let truePositive: boolean;
      let labels: string[];
      if (type === 'team') {
        truePositive = (teamReps.get(id) ?? []).some((e) => accepts(e, detector));
        labels = ['team'];
      } else {
        const e = entities.get(key);
        truePositive = accepts(e, detector);
        labels = e ? e.labels : [type === 'customer' ? 'clean' : 'unknown'];
      }
      if (!truePositive) count.false++;
      for (const l of labels) row[l] = (row[l] ?? 0) + 1;
    }
    count.proportion = count.flagged > 0 ? count.false / count.flagged : 0;
    fdp.byDetector[detector] = count;
    fdp.flagged += count.flagged;
    fdp.false += count.false;
    matrix[detector] = row;
  }
  fdp.proportion = fdp.flagged > 0 ? fdp.false / fdp.flagged : 0;
  return { alpha, recall, clean, fdp, matrix };
}

/** Render an {@link Evaluation} as plain-text tables (the CLI's `evaluate` output). */
export function formatEvaluation(evaluation: Evaluation): string {
  const pct = (x: number) => (Number.isNaN(x) ? '  –  ' : `${(100 * x).toFixed(0).padStart(3)}%`);
  const lines: string[] = [`alpha = ${evaluation.alpha}`, '', 'Recall per planted label'];
  lines.push(`  ${'label'.padEnd(26)} planted  found  recall`);
  for (const label of GAMING_LABELS) {
    const r = evaluation.recall[label];
    if (!r) continue;
    lines.push(
      `  ${label.padEnd(26)} ${String(r.planted).padStart(7)} ${String(r.found).padStart(6)}  ${pct(r.recall)}`,
    );
    if (r.byRealized) {
      const bins = r.byRealized.map((b) => `${b.bin}: ${b.found}/${b.planted}`).join(', ');
      lines.push(`    by ${REALIZED[label]?.what}: ${bins}`);
    }
  }
  lines.push('', 'Flags on clean entities');
  lines.push(`  ${'label'.padEnd(26)} entities flagged   rate`);
  for (const label of CLEAN_LABELS) {
    const c = evaluation.clean[label];
    if (!c) continue;
    lines.push(
      `  ${label.padEnd(26)} ${String(c.entities).padStart(8)} ${String(c.flagged).padStart(7)}  ${pct(c.rate)}`,
    );
  }
  const { fdp } = evaluation;
  lines.push('', `False discovery proportion: ${fdp.false}/${fdp.flagged} = ${pct(fdp.proportion).trim()}`);
  for (const [detector, d] of Object.entries(fdp.byDetector).sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(
      `  ${detector.padEnd(26)} ${String(d.false).padStart(4)}/${String(d.flagged).padEnd(4)} ${pct(d.proportion)}`,
    );
  }
  const detectors = Object.keys(evaluation.matrix).sort();
  if (detectors.length > 0) {
    const labels = [...GAMING_LABELS, ...CLEAN_LABELS, 'team', 'unknown'].filter((l) =>
      detectors.some((d) => evaluation.matrix[d][l]),
    );
    lines.push('', 'Flagged entities: detector × label');
    lines.push(`  ${''.padEnd(26)} ${labels.map((l) => l.padStart(Math.max(5, l.length))).join(' ')}`);
    for (const d of detectors) {
      const cells = labels.map((l) => String(evaluation.matrix[d][l] ?? 0).padStart(Math.max(5, l.length)));
      lines.push(`  ${d.padEnd(26)} ${cells.join(' ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
