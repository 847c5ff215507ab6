/**
 * A seeded pseudo-random generator and the few samplers the library needs
 * (permutation tests, the simulator). Deterministic for a seed on every
 * platform: sfc32 (Chris Doty-Humphrey's Small Fast Counter, as in PractRand),
 * seeded through splitmix32. Hand-written because it is 20 lines and the
 * samplers below need one shared stream; `Math.random` is never used.
 *
 * @example
 * const rng = createRandom(42);
 * rng.uniform(); // 0.2396…, the same on every run
 */
export interface Random {
  /** uniform on [0, 1) */
  uniform(): number;
  /** integer uniform on [0, n) */
  int(n: number): number;
  /** true with probability p */
  bernoulli(p: number): boolean;
  /** standard normal (Box–Muller, no caching so that streams stay aligned) */
  normal(mean?: number, sd?: number): number;
  /** exponential with the given rate */
  exponential(rate: number): number;
  /** Poisson count (Knuth for small means, normal approximation above 50) */
  poisson(mean: number): number;
  /** a uniformly chosen element */
  pick<T>(items: readonly T[]): T;
  /** in-place Fisher–Yates shuffle (of an array or a Float64Array) */
  shuffle<A extends unknown[] | Float64Array>(items: A): A;
  /** an independent generator derived from this one */
  fork(): Random;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Create a generator from an integer seed. */
export function createRandom(seed: number): Random {
  const init = splitmix32(Math.trunc(seed));
  // the state a, b, c, d lives in a typed array: as closure variables, values ≥ 2^31 were boxed as heap
  // numbers on every step (a permutation shuffle cost ~26 ns per element, ~4 ns with the typed array;
  // stores wrap modulo 2^32 as `>>> 0` did, so the stream is unchanged)
  const state = new Uint32Array([init(), init(), init(), init()]);
  const next = (): number => {
    const a = state[0];
    const b = state[1];
    const c = state[2];
    const d = state[3];
    const t = (((a + b) >>> 0) + d) >>> 0;
    state[3] = d + 1;
    state[0] = b ^ (b >>> 9);
    state[1] = c + (c << 3);
    state[2] = ((c << 21) | (c >>> 11)) + t;
    return t;
  };
  for (let i = 0; i < 12; i++) next();

  const uniform = () => next() / 4294967296;
  const normal = (mean = 0, sd = 1) => {
    const u1 = 1 - uniform();
    const u2 = uniform();
    return mean + sd * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  };
  const rng: Random = {
    uniform,
    int: (n) => Math.floor(uniform() * n),
    bernoulli: (p) => uniform() < p,
    normal,
    exponential: (rate) => -Math.log(1 - uniform()) / rate,
    poisson(mean) {
      if (mean <= 0) return 0;
      if (mean > 50) return Math.max(0, Math.round(normal(mean, Math.sqrt(mean))));
      const limit = Math.exp(-mean);
      let k = 0;
      let p = uniform();
      while (p > limit) {
        k++;
        p *= uniform();
      }
      return k;
    },
    pick: (items) => items[Math.floor(uniform() * items.length)],
    shuffle(items) {
      // next() inlined with the state in locals: the same draws as Math.floor(uniform() * (i + 1)), at
      // ~4 ns per element instead of ~12 (a permutation test shuffles ~10^8 elements at 1M surveys)
      let a = state[0];
      let b = state[1];
      let c = state[2];
      let d = state[3];
      for (let i = items.length - 1; i > 0; i--) {
        const t = (((a + b) >>> 0) + d) >>> 0;
        d = (d + 1) >>> 0;
        a = (b ^ (b >>> 9)) >>> 0;
        b = (c + (c << 3)) >>> 0;
        c = (((c << 21) | (c >>> 11)) + t) >>> 0;
        const j = Math.floor((t / 4294967296) * (i + 1));
        const tmp = items[i];
        items[i] = items[j];
        items[j] = tmp;
      }
      state[0] = a;
      state[1] = b;
      state[2] = c;
      state[3] = d;
      return items;
    },
    fork: () => createRandom(next()),
  };
  return rng;
}
