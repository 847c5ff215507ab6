/**
 * Benjamini–Hochberg adjusted p-values ("q-values"), in the order of the input.
 *
 * Why: a run tests every rep and customer for every pattern; reporting only
 * findings with q <= α controls the expected share of false leads among the
 * reported ones (the false discovery rate) at α, for independent or
 * positively dependent tests.
 *
 * How: sort p descending, qᵢ = min over j >= i of min(1, m·p₍ⱼ₎ / j), and
 * put the q-values back in input order. Tied p-values get the same q-value.
 *
 * Reference: Y. Benjamini & Y. Hochberg (1995), "Controlling the false
 * discovery rate", JRSS B 57:289–300. Compare R `p.adjust(p, method = "BH")`.
 *
 * Cost: O(m log m) for m p-values.
 *
 * @throws {TypeError} when pValues is not an array or holds a non-number or NaN.
 * @throws {RangeError} when a p-value is outside [0, 1].
 * An empty array gives an empty array.
 *
 * @example
 * benjaminiHochberg([0.01, 0.04, 0.03, 0.2]); // [0.04, 0.0533…, 0.0533…, 0.2]
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  if (!Array.isArray(pValues)) {
    throw new TypeError(`benjaminiHochberg: pValues must be an array, got ${typeof pValues}`);
  }
  const m = pValues.length;
  pValues.forEach((p, i) => {
    if (typeof p !== 'number' || Number.isNaN(p)) {
      throw new TypeError(`benjaminiHochberg: pValues[${i}] must be a number, got ${String(p)}`);
    }
    if (p < 0 || p > 1) throw new RangeError(`benjaminiHochberg: pValues[${i}] must be in [0, 1], got ${p}`);
  });
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[b] - pValues[a] || b - a);
  const q = new Array<number>(m);
  let running = 1;
  order.forEach((index, position) => {
    const rank = m - position;
    running = Math.min(running, (m / rank) * pValues[index]);
    q[index] = running;
  });
  return q;
}
