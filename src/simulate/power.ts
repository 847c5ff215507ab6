import { analyze } from '../analyze.js';
import { loadLedgers } from '../ledger/load.js';
import type { Ledgers } from '../ledger/types.js';
import { OptionError } from '../log/errors.js';
import { evaluate } from './evaluate.js';
import { GAMING_LABELS, type GamingLabel } from './labels.js';
import { isScenarioName } from './scenarios.js';
import { simulateRows } from './simulate.js';
import type { ScenarioName, WorldShape } from './types.js';

/** Options of {@link power}. */
export interface PowerOptions {
  /** The world to plant gaming in. Default `'carrier'`. */
  scenario?: ScenarioName;
  /** Match the world's volumes to these (e.g. `shapeOf(yourLedgers)`). Default: the scenario's own. */
  shape?: WorldShape;
  /** Scale of the world (multiplies customers and reps). Default 1. */
  scale?: number;
  /** Planted strengths to try, ascending, each in (0, 1]. Default `[0.1, 0.2, 0.3, 0.5, 0.7, 0.9]`. */
  strengths?: number[];
  /** Gaming labels to report. Default: all. */
  labels?: GamingLabel[];
  /** Simulated worlds per strength (seeds 1..n). Default 2. */
  seeds?: number;
  /** False discovery rate of the detectors. Default 0.05. */
  alpha?: number;
  /** The recall a strength must reach to count as detectable. Default 0.8. */
  target?: number;
  /** Called after each simulated world. */
  onProgress?: (done: number, total: number) => void;
}

export interface PowerRow {
  label: GamingLabel;
  strength: number;
  planted: number;
  found: number;
  recall: number;
}

export interface PowerResult {
  rows: PowerRow[];
  /** per label, the smallest strength tried whose recall reached `target` (null: none did) */
  minimumStrength: Partial<Record<GamingLabel, number | null>>;
  options: {
    scenario: ScenarioName;
    scale: number;
    seeds: number;
    alpha: number;
    target: number;
    shape?: WorldShape;
  };
}

/**
 * Power analysis by simulation: "with our volumes, how strong must gaming be
 * before we can see it?". For each strength, simulates `seeds` worlds with
 * every gaming label planted at that strength (the strength of a label is
 * the share of eligible events gamed: see datasets/README.md), runs every
 * detector with one BH adjustment, and measures recall per label. The
 * answer per label is the smallest strength found with probability ≥ `target`.
 *
 * Cost: strengths × seeds simulations and analyses (~5 s each for `carrier`
 * at scale 1 on one core).
 *
 * @example
 * const ledgers = await loadLedgers({ surveys: 's.csv', concessions: 'c.csv', interactions: 'i.csv' });
 * const result = await power({ shape: shapeOf(ledgers), strengths: [0.2, 0.5, 0.8] });
 * result.minimumStrength['concession-buying-before']; // e.g. 0.2
 */
export async function power(options: PowerOptions = {}): Promise<PowerResult> {
  const scenario = options.scenario ?? 'carrier';
  if (!isScenarioName(scenario)) throw new OptionError(`unknown scenario "${scenario}"`);
  const scale = options.scale ?? 1;
  const strengths = [...(options.strengths ?? [0.1, 0.2, 0.3, 0.5, 0.7, 0.9])].sort((a, b) => a - b);
  if (strengths.length === 0 || !strengths.every((s) => s > 0 && s <= 1)) {
    throw new OptionError(`strengths must be numbers in (0, 1], got ${JSON.stringify(options.strengths)}`);
  }
  const labels = options.labels ?? [...GAMING_LABELS];
  const seeds = options.seeds ?? 2;
  if (!(Number.isInteger(seeds) && seeds >= 1))
    throw new OptionError(`seeds must be a positive integer, got ${seeds}`);
  const alpha = options.alpha ?? 0.05;
  const target = options.target ?? 0.8;

  const rows: PowerRow[] = [];
  let done = 0;
  for (const strength of strengths) {
    const counts = new Map<GamingLabel, [number, number]>(labels.map((l) => [l, [0, 0]]));
    for (let seed = 1; seed <= seeds; seed++) {
      const world = simulateRows({
        scenario,
        seed,
        scale,
        shape: options.shape,
        strength: Object.fromEntries(labels.map((l) => [l, strength])),
      });
      const ledgers = await loadLedgers({
        surveys: world.surveys,
        concessions: world.concessions,
        interactions: world.interactions,
      });
      const evaluation = evaluate(analyze(ledgers, { alpha }), world.truth, { alpha });
      for (const label of labels) {
        const r = evaluation.recall[label];
        const c = counts.get(label)!;
        c[0] += r?.found ?? 0;
        c[1] += r?.planted ?? 0;
      }
      options.onProgress?.(++done, strengths.length * seeds);
    }
    for (const [label, [found, planted]] of counts) {
      rows.push({ label, strength, planted, found, recall: planted ? found / planted : 0 });
    }
  }
  const minimumStrength = Object.fromEntries(
    labels.map((label) => [
      label,
      rows.find((r) => r.label === label && r.planted > 0 && r.recall >= target)?.strength ?? null,
    ]),
  );
  return {
    rows,
    minimumStrength,
    options: { scenario, scale, seeds, alpha, target, ...(options.shape ? { shape: options.shape } : {}) },
  };
}

/**
 * The volumes of real ledgers as a simulator shape: customers, reps,
 * interactions per customer and month, the share of interactions followed by
 * an invitation, and the response rate. Months are counted over the span of
 * the invitations. The simulator's other structure (billing, outages, teams)
 * stays the scenario's.
 */
export function shapeOf(ledgers: Ledgers): WorldShape {
  const { surveys, interactions } = ledgers;
  if (surveys.length === 0) throw new OptionError('shapeOf needs a non-empty survey ledger');
  let first = Infinity;
  let last = -Infinity;
  let responses = 0;
  const customers = new Set<number>();
  const reps = new Set<number>();
  for (let i = 0; i < surveys.length; i++) {
    first = Math.min(first, surveys.sentAt[i]);
    last = Math.max(last, surveys.sentAt[i]);
    if (!Number.isNaN(surveys.respondedAt[i])) responses++;
    customers.add(surveys.customer[i]);
    if (surveys.rep[i] >= 0) reps.add(surveys.rep[i]);
  }
  const months = Math.max(1, (last - first) / (30.44 * 86_400_000));
  const shape: WorldShape = {
    customers: customers.size,
    agents: Math.max(3, reps.size),
    responseRate: Math.min(1, Math.max(0.01, responses / surveys.length)),
  };
  if (interactions && interactions.length > 0) {
    let repInvitations = 0;
    for (let i = 0; i < surveys.length; i++) if (surveys.rep[i] >= 0) repInvitations++;
    shape.interactionRate = interactions.length / customers.size / months;
    shape.inviteRate = Math.min(1, Math.max(0.01, repInvitations / interactions.length));
  }
  return shape;
}
