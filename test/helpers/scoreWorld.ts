import { loadLedgers } from '../../src/ledger/load.js';
import { createRandom } from '../../src/stats/random.js';

/** Hand-built survey worlds shared by the score-pattern detector tests. */

export type Row = Record<string, string>;

/** 30 honest reps (2 teams, phone/email), 40 responses each: rep score ≈ ltr + 1.2, clamped. */
export function honestRows(seed = 3, reps = 30, perRep = 40): Row[] {
  const rng = createRandom(seed);
  const rows: Row[] = [];
  for (let r = 0; r < reps; r++) {
    const quality = rng.normal(0, 0.3);
    for (let k = 0; k < perRep; k++) {
      const u = rng.normal(0, 1.6);
      const ltr = Math.max(0, Math.min(10, Math.round(7.3 + u + rng.normal(0, 0.8))));
      const score = Math.max(1, Math.min(10, Math.round(8.6 + 0.8 * u + quality + rng.normal(0, 0.7))));
      rows.push(
        row(
          rows.length,
          `R${String(r).padStart(3, '0')}`,
          r % 2 ? 'T1' : 'T2',
          r % 3 ? 'phone' : 'email',
          k,
          ltr,
          score,
        ),
      );
    }
  }
  return rows;
}

export function row(
  i: number,
  rep: string,
  team: string,
  channel: string,
  day: number,
  ltr: number,
  score: number,
): Row {
  const sent = new Date(Date.UTC(2025, 0, 1) + day * 86_400_000 + (i % 600) * 60_000);
  return {
    survey_id: `S${i}`,
    customer_id: `C${i}`,
    rep_id: rep,
    team,
    channel,
    sent_at: sent.toISOString(),
    responded_at: new Date(sent.getTime() + 3_600_000).toISOString(),
    ltr: String(ltr),
    rep_score: String(score),
  };
}

export async function ledgersOf(rows: Row[], scale?: { min: number; max: number }) {
  return loadLedgers({ surveys: rows, concessions: [] }, scale ? { repScoreScale: scale } : {});
}
