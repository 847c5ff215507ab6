import { logBetaUnchecked } from './logBeta.js';
import { assertCount, assertPositive } from './validate.js';

/**
 * The upper tail P(X >= k) of the beta-binomial distribution, X ~
 * BetaBinomial(n, α, β): the over-dispersed p-value of observing k or more
 * successes in n trials given the peers' distribution of rates.
 *
 * Why: against a single peer rate (binomial), honest between-rep variation
 * makes many reps look significant; against the fitted Beta(α, β) of peers
 * ({@link fitBetaBinomial}) only reps outside the peers' spread do.
 *
 * How: the sum of P(X = x) = C(n, x) B(x + α, n − x + β) / B(α, β) over
 * x = k … n; the first term is computed in log space (with {@link logBeta}),
 * the rest by the ratio P(x + 1)/P(x) = (n − x)(x + α) / ((x + 1)(n − x − 1 + β)).
 * When k is below the mean, 1 − P(X < k) is summed the same way from 0.
 *
 * Reference: compare R
 * `sum(exp(lchoose(n, k:n) + lbeta(k:n + a, n - k:n + b) - lbeta(a, b)))`.
 *
 * Cost: O(n − k + 1) (or O(k) below the mean).
 *
 * @throws {TypeError} when an argument is not a finite number.
 * @throws {RangeError} when k, n are not non-negative integers, k > n, or α, β <= 0.
 *
 * @example
 * betaBinomialUpperTail(8, 10, 2, 3); // 0.09491…
 */
export function betaBinomialUpperTail(k: number, n: number, alpha: number, beta: number): number {
  assertCount('betaBinomialUpperTail', 'k', k);
  assertCount('betaBinomialUpperTail', 'n', n);
  if (k > n) throw new RangeError(`betaBinomialUpperTail: k must be <= n, got k = ${k}, n = ${n}`);
  assertPositive('betaBinomialUpperTail', 'alpha', alpha);
  assertPositive('betaBinomialUpperTail', 'beta', beta);
  if (k === 0) return 1;
  const logPmf = (x: number) =>
    -Math.log(n + 1) -
    logBetaUnchecked(n - x + 1, x + 1) +
    logBetaUnchecked(x + alpha, n - x + beta) -
    logBetaUnchecked(alpha, beta);
  const mean = (n * alpha) / (alpha + beta);
  if (k >= mean) {
    let term = Math.exp(logPmf(k));
    let sum = term;
    for (let x = k; x < n; x++) {
      term *= ((n - x) * (x + alpha)) / ((x + 1) * (n - x - 1 + beta));
      sum += term;
    }
    return Math.min(1, sum);
  }
  // below the mean the upper tail is large: 1 − P(X <= k − 1), summed downward from k − 1
  let term = Math.exp(logPmf(k - 1));
  let sum = term;
  for (let x = k - 1; x > 0; x--) {
    term *= (x * (n - x + beta)) / ((n - x + 1) * (x - 1 + alpha));
    sum += term;
  }
  return Math.max(0, 1 - sum);
}
