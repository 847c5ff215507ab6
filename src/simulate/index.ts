/**
 * The ground-truth simulator: a seeded service business with planted score
 * gaming (and the legitimate structure that fools naive detectors), and the
 * evaluation of findings against its truth.
 */
export {
  type CleanFlags,
  type DiscoveryCount,
  type EvaluateOptions,
  type Evaluation,
  evaluate,
  type FindingLike,
  formatEvaluation,
  type LabelRecall,
} from './evaluate.js';
export { type LabelStatistics, labelStatistics } from './labelStatistics.js';
export {
  acceptedDetectors,
  CLEAN_LABELS,
  type CleanLabel,
  CUSTOMER_CLEAN_LABELS,
  CUSTOMER_GAMING_LABELS,
  type CustomerCleanLabel,
  type CustomerGamingLabel,
  expectedDetectors,
  GAMING_LABELS,
  type GamingLabel,
  isGamingLabel,
  LABEL_ALSO_DETECTED_BY,
  LABEL_DETECTORS,
  type Label,
  REP_CLEAN_LABELS,
  REP_GAMING_LABELS,
  type RepCleanLabel,
  type RepGamingLabel,
} from './labels.js';
export { type PowerOptions, type PowerResult, type PowerRow, power, shapeOf } from './power.js';
export {
  isScenarioName,
  type PlantSpec,
  SCENARIO_NAMES,
  SCENARIOS,
  type ScenarioConfig,
} from './scenarios.js';
export { simulate, simulateRows } from './simulate.js';
export {
  CONCESSION_COLUMNS,
  type ConcessionRow,
  INTERACTION_COLUMNS,
  type InteractionRow,
  type ScenarioName,
  type SimulatedRows,
  type SimulateOptions,
  type SimulationCounts,
  type SimulationSummary,
  SURVEY_COLUMNS,
  type SurveyRow,
  type Truth,
  type TruthCustomer,
  type TruthRep,
  type WorldOptions,
  type WorldShape,
} from './types.js';
