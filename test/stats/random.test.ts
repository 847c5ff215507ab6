import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/stats/random.js';

/** Fisher–Yates through `uniform()`, the definition `shuffle` inlines. */
function shuffleByUniform<T>(items: T[], rng: ReturnType<typeof createRandom>): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

describe('createRandom', () => {
  it('is the same stream for a seed', () => {
    const a = createRandom(42);
    const b = createRandom(42);
    expect(Array.from({ length: 5 }, () => a.uniform())).toEqual(
      Array.from({ length: 5 }, () => b.uniform()),
    );
    expect(createRandom(43).uniform()).not.toBe(createRandom(42).uniform());
  });

  it("shuffles with uniform()'s draws and leaves the stream where uniform() would (arrays and Float64Arrays)", () => {
    for (const seed of [1, 7, 2 ** 31 + 5]) {
      const inlined = createRandom(seed);
      const reference = createRandom(seed);
      for (const n of [0, 1, 2, 17, 1000]) {
        const values = Array.from({ length: n }, (_, i) => i);
        expect(inlined.shuffle([...values])).toEqual(shuffleByUniform([...values], reference));
        const typed = inlined.shuffle(Float64Array.from(values));
        expect(Array.from(typed)).toEqual(shuffleByUniform([...values], reference));
        expect(inlined.uniform()).toBe(reference.uniform());
      }
    }
  });

  it('shuffles every element to every position about equally often', () => {
    const rng = createRandom(3);
    const counts = Array.from({ length: 4 }, () => new Array(4).fill(0));
    for (let r = 0; r < 40_000; r++) {
      for (const [pos, v] of rng.shuffle([0, 1, 2, 3]).entries()) counts[v][pos]++;
    }
    for (const row of counts) for (const c of row) expect(Math.abs(c - 10_000)).toBeLessThan(400); // ~4.6 sd
  });
});
