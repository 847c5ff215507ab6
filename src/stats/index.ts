/**
 * The statistical building blocks, one per file. Distributions and special
 * functions, exact tests and intervals, multiplicity, empirical Bayes,
 * resampling, funnel plots and change points.
 */

export { benjaminiHochberg } from './benjaminiHochberg.js';
export { betaBinomialUpperTail } from './betaBinomialUpperTail.js';
export { type BetaCdfOptions, betaCdf } from './betaCdf.js';
export { type BetaQuantileOptions, betaQuantile } from './betaQuantile.js';
export { type BinomialCdfOptions, binomialCdf } from './binomialCdf.js';
export { binomialPmf } from './binomialPmf.js';
export { type BinomialTestOptions, type BinomialTestResult, binomialTest } from './binomialTest.js';
export { binomialUpperTail } from './binomialUpperTail.js';
export { binomialPmfs, countSumUpperTail, hypergeometricPmf, poissonPmf } from './countSum.js';
export { type CusumOptions, type CusumResult, cusum } from './cusum.js';
export { digamma } from './digamma.js';
export { type ExactBinomialIntervalOptions, exactBinomialInterval } from './exactBinomialInterval.js';
export { fisherCombination } from './fisherCombination.js';
export { type FisherExactOptions, type FisherExactResult, fisherExact } from './fisherExact.js';
export {
  type BetaBinomialFit,
  betaBinomialLogLikelihood,
  type FitBetaBinomialOptions,
  fitBetaBinomial,
} from './fitBetaBinomial.js';
export {
  type FunnelAnalysis,
  type FunnelAnalysisOptions,
  type FunnelUnit,
  funnelAnalysis,
} from './funnelAnalysis.js';
export { type FunnelLimit, type FunnelLimitsOptions, funnelLimits } from './funnelLimits.js';
export { type GammaCdfOptions, gammaCdf } from './gammaCdf.js';
export { type GammaQuantileOptions, gammaQuantile } from './gammaQuantile.js';
export { logBeta } from './logBeta.js';
export { logChoose } from './logChoose.js';
export { logGamma } from './logGamma.js';
export { newcombeInterval } from './newcombeInterval.js';
export { type NormalCdfOptions, normalCdf } from './normalCdf.js';
export { type NormalQuantileOptions, normalQuantile } from './normalQuantile.js';
export { type PeltOptions, type PeltResult, pelt, type Segment } from './pelt.js';
export { type PermutationOptions, type PermutationResult, permutationPValue } from './permutationPValue.js';
export { type PlaceboOptions, placeboPValue } from './placeboPValue.js';
export {
  type PoissonRateRatioTestOptions,
  type PoissonRateRatioTestResult,
  poissonRateRatioTest,
} from './poissonRateRatioTest.js';
export { type PoissonTestOptions, type PoissonTestResult, poissonTest } from './poissonTest.js';
export { posteriorExceedance } from './posteriorExceedance.js';
export type { Random } from './random.js';
export { createRandom } from './random.js';
export { type BetaPrior, type ShrinkRateOptions, type ShrunkRate, shrinkRate } from './shrinkRate.js';
export {
  type SingleChangePoint,
  type SingleChangePointOptions,
  singleChangePoint,
} from './singleChangePoint.js';
export { trigamma } from './trigamma.js';
export {
  type TwoProportionZTestOptions,
  type TwoProportionZTestResult,
  twoProportionZTest,
} from './twoProportionZTest.js';
export type { Alternative } from './validate.js';
export { type WilsonIntervalOptions, wilsonInterval } from './wilsonInterval.js';
