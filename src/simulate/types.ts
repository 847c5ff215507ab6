import type {
  CustomerCleanLabel,
  CustomerGamingLabel,
  GamingLabel,
  RepCleanLabel,
  RepGamingLabel,
} from './labels.js';

/** The built-in worlds (see `SCENARIOS` in `scenarios.ts`). */
export type ScenarioName = 'demo' | 'carrier' | 'b2b' | 'null' | 'subtle';

/** Canonical survey columns, in file order. */
export const SURVEY_COLUMNS = [
  'survey_id',
  'customer_id',
  'rep_id',
  'team',
  'channel',
  'sent_at',
  'responded_at',
  'ltr',
  'rep_score',
  'followed_up_at',
  'contact',
  'device',
] as const;

/** Canonical concession columns, in file order. */
export const CONCESSION_COLUMNS = [
  'concession_id',
  'customer_id',
  'rep_id',
  'granted_at',
  'amount',
  'category',
  'reason',
] as const;

/** Canonical interaction columns, in file order. */
export const INTERACTION_COLUMNS = [
  'interaction_id',
  'customer_id',
  'rep_id',
  'occurred_at',
  'issue',
  'resolved',
] as const;

/** One survey row as written to `surveys.csv` (all values strings, `''` for missing). */
export type SurveyRow = Record<(typeof SURVEY_COLUMNS)[number], string>;
/** One concession row as written to `concessions.csv`. */
export type ConcessionRow = Record<(typeof CONCESSION_COLUMNS)[number], string>;
/** One interaction row as written to `interactions.csv`. */
export type InteractionRow = Record<(typeof INTERACTION_COLUMNS)[number], string>;

/** One rep in truth.json: every rep is listed. */
export interface TruthRep {
  id: string;
  team: string;
  /** `'agent'` handles interactions; `'account-manager'` owns B2B accounts (relationship surveys) */
  role: 'agent' | 'account-manager';
  /** gaming labels, or exactly one clean label */
  labels: (RepGamingLabel | RepCleanLabel)[];
  /** strength per gaming label, documented in datasets/README.md (0..1: share of eligible events gamed) */
  strength?: Partial<Record<RepGamingLabel, number>>;
  /** ISO date from which the coaching starts (absent: the whole period) */
  onset?: string;
  /**
   * coaching reps: how many of its responses the coaching set to the top score (its strength sets
   * the chance per response; this is how often it came off, some of them top scores anyway)
   */
  coachedResponses?: number;
}

/** One customer in truth.json: only customers with a non-`clean` label are listed. */
export interface TruthCustomer {
  id: string;
  labels: (CustomerGamingLabel | CustomerCleanLabel)[];
  strength?: Partial<Record<CustomerGamingLabel, number>>;
  /**
   * extracting accounts: how many concessions the account's gaming obtained in the ledgers (its
   * strength sets the chance per opportunity; this is how often it came off)
   */
  extractions?: number;
}

/**
 * The ground truth of one simulated world (`truth.json`).
 *
 * @example
 * { "version": 1, "scenario": "demo", "seed": 1, "scale": 1,
 *   "period": { "start": "2025-01-01", "end": "2026-01-01" },
 *   "reps": [{ "id": "R0007", "team": "T01", "role": "agent", "labels": ["coaching"],
 *              "strength": { "coaching": 0.7 }, "onset": "2025-06-14" }],
 *   "customers": [{ "id": "C000123", "labels": ["extracting-account"],
 *                   "strength": { "extracting-account": 0.8 } }] }
 */
export interface Truth {
  version: 1;
  scenario: ScenarioName;
  seed: number;
  scale: number;
  /** interactions and scheduled surveys fall in [start, end); `end` is exclusive */
  period: { start: string; end: string };
  reps: TruthRep[];
  customers: TruthCustomer[];
}

/** Options describing one simulated world ({@link simulateRows}; {@link simulate} adds `outDir`). */
export interface WorldOptions {
  /** which world (default `'demo'`) */
  scenario?: ScenarioName;
  /** integer seed (default 1); same seed, same options → byte-identical files */
  seed?: number;
  /** multiplies customers and reps (default 1; > 0) */
  scale?: number;
  /** first day of the period, `YYYY-MM-DD` (default the scenario's, 2025-01-01) */
  start?: string;
  /** length of the period in whole months (default the scenario's, 12) */
  months?: number;
  /**
   * override the strength of every planted rep/customer of a label (0..1); 0 switches the
   * behaviour off (the entities are then labelled clean) while every other draw of the world
   * stays the same: a matched control
   */
  strength?: Partial<Record<GamingLabel, number>>;
  /** override how many reps/customers carry a gaming label (before scaling rules) */
  plant?: Partial<Record<GamingLabel, number>>;
  /** override the data shape of the scenario (e.g. a user's own volumes, for a power analysis) */
  shape?: WorldShape;
}

/** The volume parameters of a world that a power analysis can match to real data. */
export interface WorldShape {
  customers?: number;
  agents?: number;
  /** all interactions per customer and month (the world's billing and outage calls are part of it) */
  interactionRate?: number;
  /** share of interactions followed by a rep's invitation */
  inviteRate?: number;
  responseRate?: number;
}

/** Options of {@link simulate}: the world options plus where to write. */
export interface SimulateOptions extends WorldOptions {
  /** directory for surveys.csv, concessions.csv, interactions.csv, truth.json (created if missing) */
  outDir: string;
}

/** Row counts and label counts of one simulated world. */
export interface SimulationCounts {
  surveys: number;
  responses: number;
  concessions: number;
  interactions: number;
  reps: number;
  customers: number;
}

/** What {@link simulate} returns. */
export interface SimulationSummary {
  scenario: ScenarioName;
  seed: number;
  scale: number;
  outDir: string;
  files: { surveys: string; concessions: string; interactions: string; truth: string };
  counts: SimulationCounts;
  /** number of reps/customers carrying each label */
  labels: Record<string, number>;
}

/** What {@link simulateRows} returns. */
export interface SimulatedRows {
  surveys: SurveyRow[];
  concessions: ConcessionRow[];
  interactions: InteractionRow[];
  truth: Truth;
  counts: SimulationCounts;
}
