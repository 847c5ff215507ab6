import { wilsonInterval } from './wilsonInterval.js';

/**
 * Newcombe's hybrid score interval for a difference of two independent
 * proportions p₁ − p₂ (method 10 of Newcombe 1998, Stat Med 17:873,
 * doi 10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I):
 * combines the two Wilson intervals, so it behaves well at 0 and n.
 * R: `DescTools::BinomDiffCI(k1, n1, k2, n2, method = "score")`.
 *
 * Cost: O(1). Throws (through `wilsonInterval`) when a count is invalid.
 *
 * @example newcombeInterval(38, 100, 6, 100) // ≈ [0.2099, 0.4231]
 */
export function newcombeInterval(
  k1: number,
  n1: number,
  k2: number,
  n2: number,
  level = 0.95,
): [number, number] {
  const p1 = n1 > 0 ? k1 / n1 : 0;
  const p2 = n2 > 0 ? k2 / n2 : 0;
  const [l1, u1] = n1 > 0 ? wilsonInterval(k1, n1, { level }) : [0, 1];
  const [l2, u2] = n2 > 0 ? wilsonInterval(k2, n2, { level }) : [0, 1];
  const d = p1 - p2;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)];
}
