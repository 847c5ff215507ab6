import { binomialPmf } from './binomialPmf.js';
import { logChoose } from './logChoose.js';
import { assertCount, assertProbability } from './validate.js';

/**
 * Exact test on the sum of independent counts: P(X₁ + … + Xₖ ≥ observed)
 * when each Xᵢ has the given probability mass function (index = count).
 *
 * Why: a detector with several strands of evidence on disjoint data (e.g.
 * concessions before survey cycles, at contacts, after low scores) where the
 * same behaviour shows a few events in each. Fisher's method combines the
 * strands' p-values and loses the events' joint weight (three strands with
 * two surprising events each give three middling p-values); the sum of the
 * counts, tested against the exact convolution of the strands' null
 * distributions, keeps it, and stays exact as long as each strand's null
 * distribution is.
 *
 * How: the mass functions are convolved directly; each is assumed to sum to
 * (nearly) 1 over the given support. Compare R:
 * `p <- Reduce(function(a, b) convolve(a, rev(b), type = "open"), pmfs); sum(p[(observed + 1):length(p)])`.
 *
 * Cost: O(Π of support sizes summed pairwise), i.e. O(k · s²) for supports of size s.
 *
 * @throws {RangeError} on an empty list, or a negative or non-integer `observed`.
 *
 * @example
 * countSumUpperTail([poissonPmf(0.5), hypergeometricPmf(5, 18, 4)], 5);
 */
export function countSumUpperTail(pmfs: readonly Float64Array[], observed: number): number {
  if (pmfs.length === 0) throw new RangeError('countSumUpperTail: needs at least one distribution');
  assertCount('countSumUpperTail', 'observed', observed);
  let sum = pmfs[0];
  for (let i = 1; i < pmfs.length; i++) {
    const next = pmfs[i];
    const out = new Float64Array(sum.length + next.length - 1);
    for (let a = 0; a < sum.length; a++) {
      if (sum[a] === 0) continue;
      for (let b = 0; b < next.length; b++) out[a + b] += sum[a] * next[b];
    }
    sum = out;
  }
  let tail = 0;
  for (let t = sum.length - 1; t >= observed; t--) tail += sum[t];
  return Math.min(1, tail);
}

/**
 * Poisson(mean) probabilities of 0, 1, …, up to where the tail beyond is
 * below 1e-16 of the total (R `dpois(0:K, mean)`).
 */
export function poissonPmf(mean: number): Float64Array {
  if (!(mean >= 0) || !Number.isFinite(mean))
    throw new RangeError(`poissonPmf: mean must be finite and >= 0, got ${mean}`);
  const last = Math.ceil(mean + 12 * Math.sqrt(mean) + 40);
  const out = new Float64Array(last + 1);
  let log = -mean;
  for (let k = 0; k <= last; k++) {
    if (k > 0) log += Math.log(mean) - Math.log(k);
    out[k] = mean === 0 ? (k === 0 ? 1 : 0) : Math.exp(log);
  }
  return out;
}

/** Binomial(n, p) probabilities of 0 … n (R `dbinom(0:n, n, p)`). */
export function binomialPmfs(n: number, p: number): Float64Array {
  assertCount('binomialPmfs', 'n', n);
  assertProbability('binomialPmfs', 'p', p);
  return Float64Array.from({ length: n + 1 }, (_, k) => binomialPmf(k, n, p));
}

/**
 * How many of `drawn` marked items fall among the first `first` of
 * `first + second` items, drawn without replacement: the null distribution of
 * Fisher's exact test given its margins (R `dhyper(0:min(first, drawn), first, second, drawn)`).
 */
export function hypergeometricPmf(first: number, second: number, drawn: number): Float64Array {
  assertCount('hypergeometricPmf', 'first', first);
  assertCount('hypergeometricPmf', 'second', second);
  assertCount('hypergeometricPmf', 'drawn', drawn);
  if (drawn > first + second) throw new RangeError('hypergeometricPmf: drawn must be <= first + second');
  const out = new Float64Array(Math.min(first, drawn) + 1);
  const total = logChoose(first + second, drawn);
  for (let x = Math.max(0, drawn - second); x < out.length; x++)
    out[x] = Math.exp(logChoose(first, x) + logChoose(second, drawn - x) - total);
  return out;
}
