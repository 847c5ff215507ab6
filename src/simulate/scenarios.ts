import type { RepGamingLabel } from './labels.js';
import type { ScenarioName } from './types.js';

/** How many entities carry one planted label, and how strongly. */
export interface PlantSpec {
  /** number of reps (customers for `extracting`) carrying the label at scale 1; scaled, at least 1 when > 0 */
  count: number;
  /** strength range; each planted entity draws its strength uniformly from it */
  strength: readonly [number, number];
  /** coaching only: share of the planted reps whose coaching starts at an onset date mid-period */
  onsetShare?: number;
}

/**
 * The parameters of one simulated world. Counts are at scale 1; `scale`
 * multiplies customers, agents, account managers and planted counts.
 * Every rate is per customer (or per contact) and month unless stated.
 */
export interface ScenarioConfig {
  name: ScenarioName;
  description: string;
  /** first day of the period (UTC) */
  start: string;
  /** period length in months */
  months: number;
  /** customers (accounts) */
  customers: number;
  /** reps who handle service interactions */
  agents: number;
  /** reps who own accounts and the account's relationship surveys (B2B); 0 for none */
  accountManagers: number;
  /** reps per team */
  teamSize: number;
  /** contacts per customer, uniform integer range (B2C: [1, 1]) */
  contacts: readonly [number, number];
  /** routine service interactions per contact and month (times a lognormal customer activity) */
  interactionRate: number;
  /** billing interactions in the days after the bill, per customer and month */
  billingIssueRate: number;
  /** outage days per 12 months (network-wide failures: many customers call the same day) */
  outageDays: number;
  /** share of customers who call on an outage day */
  outageHitRate: number;
  /** share of interactions followed by a transactional invitation */
  inviteRate: number;
  /** months between a customer's billing-triggered relationship surveys (0: none) */
  relationshipEvery: number;
  /** base response rate of an invitation */
  responseRate: number;
  /** share of agents with tiny volumes (part-timers, new hires: usually under 20 responses) */
  smallRepShare: number;
  /** planted rep gaming */
  plant: Partial<Record<RepGamingLabel, PlantSpec>>;
  /** planted extracting accounts */
  extracting?: PlantSpec;
  /** planted reps (gaming and clean contrasts) are drawn among reps with at least this relative volume (1 = typical) */
  minPlantWeight: number;
  /** `clean-generous` reps at scale 1 (many concessions, not timed to surveys) */
  generous: number;
  /** `clean-excellent` reps at scale 1 (high rep score and high ltr) */
  excellent: number;
  /** share of customers labelled `clean-troubled` (many failures, legitimate recovery concessions) */
  troubledShare: number;
}

const carrier: ScenarioConfig = {
  name: 'carrier',
  description:
    'B2C telecom carrier: ~60k invitations a year at scale 1, ~200 agents, billing cycles and outages',
  start: '2025-01-01',
  months: 12,
  customers: 16_000,
  agents: 200,
  accountManagers: 0,
  teamSize: 12,
  contacts: [1, 1],
  interactionRate: 0.14,
  billingIssueRate: 0.04,
  outageDays: 4,
  outageHitRate: 0.05,
  inviteRate: 0.8,
  relationshipEvery: 6,
  responseRate: 0.34,
  smallRepShare: 0.08,
  plant: {
    'concession-buying-before': { count: 6, strength: [0.3, 0.7] },
    'concession-buying-during': { count: 4, strength: [0.3, 0.7] },
    coaching: { count: 8, strength: [0.4, 0.8], onsetShare: 0.5 },
    fabrication: { count: 3, strength: [0.2, 0.5] },
    suppression: { count: 4, strength: [0.5, 0.9] },
    'ignored-detractors': { count: 6, strength: [0.5, 0.9] },
  },
  extracting: { count: 40, strength: [0.4, 0.8] },
  minPlantWeight: 0,
  generous: 8,
  excellent: 6,
  troubledShare: 0.03,
};

/** The built-in scenarios, by name. */
export const SCENARIOS: Readonly<Record<ScenarioName, ScenarioConfig>> = {
  demo: {
    ...carrier,
    name: 'demo',
    description:
      'small carrier-like world (~40 agents, ~5k invitations): every pattern planted at moderate-to-high strength',
    customers: 700,
    agents: 40,
    teamSize: 8,
    interactionRate: 0.55,
    billingIssueRate: 0.06,
    outageDays: 3,
    outageHitRate: 0.08,
    responseRate: 0.36,
    smallRepShare: 0.1,
    plant: {
      'concession-buying-before': { count: 2, strength: [0.6, 0.8] },
      'concession-buying-during': { count: 2, strength: [0.6, 0.8] },
      coaching: { count: 3, strength: [0.6, 0.9], onsetShare: 0.34 },
      fabrication: { count: 2, strength: [0.5, 0.7] },
      suppression: { count: 2, strength: [0.7, 0.9] },
      'ignored-detractors': { count: 2, strength: [0.8, 1] },
    },
    extracting: { count: 8, strength: [0.7, 0.9] },
    minPlantWeight: 0.9,
    generous: 3,
    excellent: 2,
  },
  carrier,
  b2b: {
    ...carrier,
    name: 'b2b',
    description:
      'B2B accounts: fewer, larger multi-contact accounts with an account manager, quarterly relationship surveys to every contact',
    customers: 500,
    agents: 40,
    accountManagers: 30,
    teamSize: 10,
    contacts: [2, 12],
    interactionRate: 0.1,
    billingIssueRate: 0.08,
    outageDays: 2,
    outageHitRate: 0.1,
    relationshipEvery: 3,
    responseRate: 0.3,
    smallRepShare: 0.1,
    plant: {
      'concession-buying-before': { count: 4, strength: [0.4, 0.8] },
      'concession-buying-during': { count: 2, strength: [0.4, 0.8] },
      coaching: { count: 3, strength: [0.4, 0.8], onsetShare: 0.34 },
      fabrication: { count: 1, strength: [0.3, 0.5] },
      suppression: { count: 2, strength: [0.5, 0.9] },
      'ignored-detractors': { count: 3, strength: [0.5, 0.9] },
    },
    extracting: { count: 30, strength: [0.5, 0.9] },
    generous: 3,
    excellent: 3,
    troubledShare: 0.04,
  },
  null: {
    ...carrier,
    name: 'null',
    description:
      'carrier-like world with every confounder (billing cycles, outages, recovery, generous/excellent/small reps, channel and team mix) and no gaming at all',
    customers: 8_000,
    agents: 100,
    plant: {},
    extracting: undefined,
    generous: 6,
    excellent: 4,
  },
  subtle: {
    ...carrier,
    name: 'subtle',
    description: 'carrier world with weak gaming effects (strength 0.1–0.3): a power test',
    plant: {
      'concession-buying-before': { count: 6, strength: [0.1, 0.3] },
      'concession-buying-during': { count: 4, strength: [0.1, 0.3] },
      coaching: { count: 8, strength: [0.15, 0.3], onsetShare: 0.5 },
      fabrication: { count: 3, strength: [0.05, 0.15] },
      suppression: { count: 4, strength: [0.2, 0.4] },
      'ignored-detractors': { count: 6, strength: [0.2, 0.4] },
    },
    extracting: { count: 40, strength: [0.15, 0.3] },
  },
};

/** The scenario names, in documentation order. */
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/** True when `name` is a built-in scenario. */
export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}
