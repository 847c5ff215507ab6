import { createRandom, type Random } from '../stats/random.js';
import { addMonths, DAY_MS, formatId, hashHex, hashInts, isoDate, parseIsoDate } from './format.js';
import { GAMING_LABELS, type GamingLabel, REP_GAMING_LABELS, type RepGamingLabel } from './labels.js';
import {
  isScenarioName,
  type PlantSpec,
  SCENARIO_NAMES,
  SCENARIOS,
  type ScenarioConfig,
} from './scenarios.js';
import type { ScenarioName, Truth, TruthCustomer, TruthRep, WorldOptions } from './types.js';

/** Channels and their effect on the rep score (phone runs higher than email). */
export const CHANNELS = ['phone', 'chat', 'email'] as const;
export const CHANNEL_EFFECT = [0.4, 0.05, -0.45] as const;
/** Share of agents whose main channel is phone, chat, email. */
const CHANNEL_MIX = [0.55, 0.27, 0.18];

/** Labels a rep of this role can carry (suppression, fabrication, during-buying need interactions). */
const AGENT_ONLY: ReadonlySet<RepGamingLabel> = new Set([
  'concession-buying-during',
  'fabrication',
  'suppression',
]);

/** Rep attributes, struct-of-arrays. */
export interface RepTable {
  n: number;
  id: string[];
  team: Int32Array;
  /** 0 agent, 1 account manager */
  role: Uint8Array;
  /** shift of the rep score (and half of it on ltr) */
  quality: Float64Array;
  /** equal shift of rep score and ltr (clean-excellent reps) */
  excellence: Float64Array;
  /** index into CHANNELS */
  channel: Uint8Array;
  /** relative interaction volume */
  weight: Float64Array;
  small: Uint8Array;
  generous: Uint8Array;
  strength: Record<RepGamingLabel, Float64Array>;
  /** coaching onset (epoch ms), NaN for none */
  onset: Float64Array;
  /** fabricators: the contact hashes they swap in and the device they answer from */
  fakeContacts: string[][];
  fakeDevice: string[];
}

/** Minimum contact activity of planted extracting accounts (a typical customer's is about 1). */
const EXTRACTING_ACTIVITY = 3;

/** Customer attributes, struct-of-arrays; `u`, `extractCount` and `pendingHigh` evolve during generation. */
export interface CustomerTable {
  n: number;
  /** latent satisfaction, N(0, 1) at the start */
  u: Float64Array;
  /** multiplier of the interaction rate (lognormal, mean 1) */
  activity: Float64Array;
  /** day of month of the bill, 1..28 */
  billDay: Uint8Array;
  /** month offset of the relationship-survey cycle */
  phase: Uint8Array;
  contacts: Uint8Array;
  /** account manager (rep index) or -1 */
  owner: Int32Array;
  /** customer whose contact/device this household shares (itself when none) */
  household: Int32Array;
  extract: Float64Array;
  troubled: Uint8Array;
  /** concessions the account has extracted so far (amounts grow with it up to the 13th) */
  extractCount: Uint16Array;
  pendingHigh: Uint8Array;
}

export interface TeamTable {
  n: number;
  id: string[];
  effect: Float64Array;
}

/** Everything fixed before the events are generated. */
export interface World {
  config: ScenarioConfig;
  scenario: ScenarioName;
  seed: number;
  scale: number;
  start: number;
  end: number;
  /** months + 1 month boundaries (epoch ms) */
  monthStarts: number[];
  outageDays: number[];
  reps: RepTable;
  teams: TeamTable;
  customers: CustomerTable;
  /** agent rep indices and their cumulative volume weights (for weighted picks) */
  agents: Int32Array;
  agentCumulative: Float64Array;
  /** per-agent ring of recently served customers (generous proactive concessions) */
  recent: Int32Array;
  recentCount: Int32Array;
  /** seed of the per customer-month event streams */
  eventSeed: number;
  /** responses per rep, filled during generation (labels `clean-small` at the end) */
  responses: Int32Array;
  /** responses per coaching rep whose rep score its coaching set to the top, filled during generation */
  coachedResponses: Int32Array;
  /** all responses (with or without a rep), filled during generation */
  totalResponses: number;
  customerIds: (c: number) => string;
}

export const RECENT_SIZE = 32;

/** Resolve and validate options; throws a RangeError with a one-line message when bad. */
export function resolveOptions(options: WorldOptions): {
  config: ScenarioConfig;
  seed: number;
  scale: number;
} {
  const name = options.scenario ?? 'demo';
  if (!isScenarioName(name)) {
    throw new RangeError(`unknown scenario "${String(name)}"; expected one of ${SCENARIO_NAMES.join(', ')}`);
  }
  const seed = options.seed ?? 1;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${String(seed)}`);
  const scale = options.scale ?? 1;
  if (!(typeof scale === 'number' && Number.isFinite(scale) && scale > 0 && scale <= 1000)) {
    throw new RangeError(`scale must be a number in (0, 1000], got ${String(scale)}`);
  }
  const base = SCENARIOS[name];
  const start = options.start ?? base.start;
  if (Number.isNaN(parseIsoDate(start)))
    throw new RangeError(`start must be a YYYY-MM-DD date, got "${start}"`);
  const months = options.months ?? base.months;
  if (!(Number.isInteger(months) && months >= 1 && months <= 120)) {
    throw new RangeError(`months must be an integer in 1..120, got ${String(months)}`);
  }
  const plant: Partial<Record<RepGamingLabel, PlantSpec>> = { ...base.plant };
  let extracting = base.extracting;
  for (const label of GAMING_LABELS) {
    const strength = options.strength?.[label];
    const count = options.plant?.[label];
    if (strength !== undefined && !(strength >= 0 && strength <= 1)) {
      throw new RangeError(`strength of ${label} must be in [0, 1], got ${String(strength)}`);
    }
    if (count !== undefined && !(Number.isInteger(count) && count >= 0)) {
      throw new RangeError(`plant count of ${label} must be a non-negative integer, got ${String(count)}`);
    }
    if (strength === undefined && count === undefined) continue;
    const current = label === 'extracting-account' ? extracting : plant[label];
    const next: PlantSpec = {
      count: count ?? current?.count ?? 1,
      strength: strength === undefined ? (current?.strength ?? [0.5, 0.8]) : [strength, strength],
      onsetShare: current?.onsetShare,
    };
    if (label === 'extracting-account') extracting = next;
    else plant[label] = next;
  }
  const shape = options.shape ?? {};
  for (const [key, value] of Object.entries(shape)) {
    const rate = key.endsWith('Rate');
    const ok =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      value > 0 &&
      (!rate || key === 'interactionRate' || value <= 1);
    if (!ok)
      throw new RangeError(
        `shape.${key} must be a positive number${rate ? ' (a share in (0, 1])' : ''}, got ${String(value)}`,
      );
  }
  const config = { ...base, ...shape, start, months, plant, extracting };
  if (shape.interactionRate !== undefined) {
    // the shape counts every interaction; the world adds billing and outage calls to its routine ones
    const extra = base.billingIssueRate + (base.outageDays * base.outageHitRate) / 12;
    config.interactionRate = Math.max(0.01, shape.interactionRate - extra);
  }
  return { config, seed, scale };
}

function scaledCount(count: number, scale: number): number {
  return count > 0 ? Math.max(1, Math.round(count * scale)) : 0;
}

function pickWeighted(rng: Random, weights: readonly number[]): number {
  let u = rng.uniform();
  for (let i = 0; i < weights.length - 1; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** Build the reps, teams, customers and planted labels of a world. */
export function buildWorld(options: WorldOptions): World {
  const { config, seed, scale } = resolveOptions(options);
  const root = createRandom(hashInts(seed, SCENARIO_NAMES.indexOf(config.name)));
  const repRng = root.fork();
  const customerRng = root.fork();
  const labelRng = root.fork();
  const outageRng = root.fork();
  const eventSeed = root.fork().int(2 ** 32);

  const start = parseIsoDate(config.start);
  const monthStarts = Array.from({ length: config.months + 1 }, (_, m) => addMonths(start, m));
  const end = monthStarts[config.months];

  // reps: agents first, then account managers
  let plantedAgents = 0;
  for (const label of REP_GAMING_LABELS) plantedAgents += scaledCount(config.plant[label]?.count ?? 0, scale);
  plantedAgents += scaledCount(config.generous, scale) + scaledCount(config.excellent, scale);
  const nAgents = Math.max(Math.round(config.agents * scale), Math.ceil(plantedAgents * 1.5) + 4);
  const nManagers = config.accountManagers > 0 ? Math.max(2, Math.round(config.accountManagers * scale)) : 0;
  const n = nAgents + nManagers;
  const agentTeams = Math.max(1, Math.round(nAgents / config.teamSize));
  const managerTeams = nManagers > 0 ? Math.max(1, Math.round(nManagers / config.teamSize)) : 0;
  const nTeams = agentTeams + managerTeams;
  const width = Math.max(2, String(nTeams).length);
  const teams: TeamTable = {
    n: nTeams,
    id: Array.from({ length: nTeams }, (_, t) => formatId('T', t + 1, width)),
    effect: new Float64Array(nTeams),
  };
  const teamRng = root.fork();
  for (let t = 0; t < nTeams; t++) teams.effect[t] = teamRng.fork().normal(0, 0.3);

  const strength = {} as Record<RepGamingLabel, Float64Array>;
  for (const label of REP_GAMING_LABELS) strength[label] = new Float64Array(n);
  const reps: RepTable = {
    n,
    id: Array.from({ length: n }, (_, r) => formatId('R', r + 1, Math.max(4, String(n).length))),
    team: new Int32Array(n),
    role: new Uint8Array(n),
    quality: new Float64Array(n),
    excellence: new Float64Array(n),
    channel: new Uint8Array(n),
    weight: new Float64Array(n),
    small: new Uint8Array(n),
    generous: new Uint8Array(n),
    strength,
    onset: new Float64Array(n).fill(Number.NaN),
    fakeContacts: Array.from({ length: n }, () => []),
    fakeDevice: Array.from({ length: n }, () => ''),
  };
  for (let r = 0; r < n; r++) {
    const rng = repRng.fork();
    const manager = r >= nAgents;
    reps.role[r] = manager ? 1 : 0;
    reps.team[r] = manager
      ? agentTeams + Math.min(managerTeams - 1, Math.floor(((r - nAgents) * managerTeams) / nManagers))
      : Math.min(agentTeams - 1, Math.floor((r * agentTeams) / nAgents));
    reps.quality[r] = rng.normal(0, 0.5);
    reps.channel[r] = pickWeighted(rng, CHANNEL_MIX);
    reps.weight[r] = Math.exp(rng.normal(0, 0.7));
    if (!manager && rng.bernoulli(config.smallRepShare)) {
      reps.small[r] = 1;
      reps.weight[r] *= 0.05;
    }
  }

  // planted labels: each rep carries at most one planted label; never a small rep
  const eligible: number[] = [];
  for (let r = 0; r < n; r++) {
    if (!reps.small[r] && (reps.role[r] === 1 || reps.weight[r] >= config.minPlantWeight)) eligible.push(r);
  }
  labelRng.shuffle(eligible);
  const take = (agentOnly: boolean): number => {
    const i = eligible.findIndex((r) => !agentOnly || reps.role[r] === 0);
    if (i < 0) return -1;
    return eligible.splice(i, 1)[0];
  };
  const between = (rng: Random, [lo, hi]: readonly [number, number]) =>
    Math.round((lo + rng.uniform() * (hi - lo)) * 100) / 100;
  for (const label of REP_GAMING_LABELS) {
    const spec = config.plant[label];
    if (!spec) continue;
    const count = scaledCount(spec.count, scale);
    const withOnset = label === 'coaching' ? Math.round(count * (spec.onsetShare ?? 0)) : 0;
    for (let k = 0; k < count; k++) {
      const r = take(AGENT_ONLY.has(label));
      if (r < 0) break;
      const rng = labelRng.fork();
      reps.strength[label][r] = between(rng, spec.strength);
      if (k < withOnset) {
        const day = Math.floor(((end - start) / DAY_MS) * (0.3 + 0.4 * rng.uniform()));
        reps.onset[r] = start + day * DAY_MS;
      }
      if (label === 'fabrication') {
        reps.fakeContacts[r] = [hashHex('ct', seed, 7, r, 0), hashHex('ct', seed, 7, r, 1)];
        reps.fakeDevice[r] = hashHex('dv', seed, 8, r);
      }
    }
  }
  for (let k = scaledCount(config.generous, scale); k > 0; k--) {
    const r = take(true);
    if (r >= 0) reps.generous[r] = 1;
  }
  for (let k = scaledCount(config.excellent, scale); k > 0; k--) {
    const r = take(false);
    if (r < 0) continue;
    reps.quality[r] = 0.4 + Math.abs(reps.quality[r]) * 0.3;
    reps.excellence[r] = 1.1;
  }

  // agents' cumulative weights for volume-weighted picks
  const agents = Int32Array.from({ length: nAgents }, (_, i) => i);
  const agentCumulative = new Float64Array(nAgents);
  let total = 0;
  for (let i = 0; i < nAgents; i++) {
    total += reps.weight[i];
    agentCumulative[i] = total;
  }
  for (let i = 0; i < nAgents; i++) agentCumulative[i] /= total;

  // customers
  const nc = Math.max(10, Math.round(config.customers * scale));
  const customers: CustomerTable = {
    n: nc,
    u: new Float64Array(nc),
    activity: new Float64Array(nc),
    billDay: new Uint8Array(nc),
    phase: new Uint8Array(nc),
    contacts: new Uint8Array(nc),
    owner: new Int32Array(nc).fill(-1),
    household: new Int32Array(nc),
    extract: new Float64Array(nc),
    troubled: new Uint8Array(nc),
    extractCount: new Uint16Array(nc),
    pendingHigh: new Uint8Array(nc),
  };
  const [cLo, cHi] = config.contacts;
  for (let c = 0; c < nc; c++) {
    const rng = customerRng.fork();
    customers.u[c] = rng.normal();
    customers.activity[c] = Math.exp(rng.normal(-0.18, 0.6));
    customers.billDay[c] = 1 + rng.int(28);
    customers.phase[c] = config.relationshipEvery > 0 ? rng.int(config.relationshipEvery) : 0;
    customers.contacts[c] = cLo + Math.floor(rng.uniform() ** 1.8 * (cHi - cLo + 1));
    if (nManagers > 0) customers.owner[c] = nAgents + rng.int(nManagers);
    customers.household[c] = c > 0 && cHi === 1 && rng.bernoulli(0.02) ? c - 1 : c;
    customers.troubled[c] = rng.bernoulli(config.troubledShare) ? 1 : 0;
  }
  if (config.extracting) {
    const order = labelRng.shuffle(Array.from({ length: nc }, (_, c) => c));
    const count = Math.min(nc, scaledCount(config.extracting.count, scale));
    for (let k = 0; k < count; k++) {
      const rng = labelRng.fork();
      customers.extract[order[k]] = between(rng, config.extracting.strength);
      if (customers.extract[order[k]] > 0) customers.troubled[order[k]] = 0;
      // demanding accounts are in touch often (also at strength 0, so the matched control is a busy honest account)
      customers.activity[order[k]] = Math.max(customers.activity[order[k]], EXTRACTING_ACTIVITY);
    }
  }

  // outage days: network-wide failures
  const outageDays: number[] = [];
  const days = Math.floor((end - start) / DAY_MS);
  const nOutages = Math.round((config.outageDays * config.months) / 12);
  for (let k = 0; k < nOutages; k++) outageDays.push(start + outageRng.int(days) * DAY_MS);
  outageDays.sort((a, b) => a - b);

  const customerWidth = Math.max(6, String(nc).length);
  return {
    config,
    scenario: config.name,
    seed,
    scale,
    start,
    end,
    monthStarts,
    outageDays,
    reps,
    teams,
    customers,
    agents,
    agentCumulative,
    recent: new Int32Array(nAgents * RECENT_SIZE),
    recentCount: new Int32Array(nAgents),
    eventSeed,
    responses: new Int32Array(n),
    coachedResponses: new Int32Array(n),
    totalResponses: 0,
    customerIds: (c) => formatId('C', c + 1, customerWidth),
  };
}

/** Pick an agent by volume weight from one uniform draw. */
export function pickAgent(world: World, u: number): number {
  const cum = world.agentCumulative;
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > u) hi = mid;
    else lo = mid + 1;
  }
  return world.agents[lo];
}

/** The truth document of a generated world (call after generation: `clean-small` uses response counts). */
export function buildTruth(world: World): Truth {
  const { reps, customers } = world;
  const repsOut: TruthRep[] = [];
  for (let r = 0; r < reps.n; r++) {
    const labels: TruthRep['labels'] = [];
    const strength: NonNullable<TruthRep['strength']> = {};
    for (const label of REP_GAMING_LABELS) {
      const s = reps.strength[label][r];
      if (s > 0) {
        labels.push(label);
        strength[label] = s;
      }
    }
    if (labels.length === 0) {
      if (reps.generous[r]) labels.push('clean-generous');
      else if (reps.excellence[r] > 0) labels.push('clean-excellent');
      else if (world.responses[r] < 20) labels.push('clean-small');
      else labels.push('clean');
    }
    const rep: TruthRep = {
      id: reps.id[r],
      team: world.teams.id[reps.team[r]],
      role: reps.role[r] === 1 ? 'account-manager' : 'agent',
      labels,
    };
    if (Object.keys(strength).length > 0) rep.strength = strength;
    if (!Number.isNaN(reps.onset[r])) rep.onset = isoDate(reps.onset[r]);
    if (strength.coaching) rep.coachedResponses = world.coachedResponses[r];
    repsOut.push(rep);
  }
  const customersOut: TruthCustomer[] = [];
  for (let c = 0; c < customers.n; c++) {
    if (customers.extract[c] > 0) {
      customersOut.push({
        id: world.customerIds(c),
        labels: ['extracting-account'],
        strength: { 'extracting-account': customers.extract[c] },
        extractions: customers.extractCount[c],
      });
    } else if (customers.troubled[c]) {
      customersOut.push({ id: world.customerIds(c), labels: ['clean-troubled'] });
    }
  }
  return {
    version: 1,
    scenario: world.scenario,
    seed: world.seed,
    scale: world.scale,
    period: { start: isoDate(world.start), end: isoDate(world.end) },
    reps: repsOut,
    customers: customersOut,
  };
}

/** Count reps and customers per label in a truth document. */
export function countLabels(truth: Truth): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const e of [...truth.reps, ...truth.customers]) {
    for (const l of e.labels) counts[l] = (counts[l] ?? 0) + 1;
  }
  return counts;
}

export type { GamingLabel };
