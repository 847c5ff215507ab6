import { describe, expect, it } from 'vitest';
import { detectSurveySuppression, surveySuppressionDetector } from '../../src/detectors/surveySuppression.js';
import type { Test } from '../../src/findings/types.js';
import { loadLedgers } from '../../src/ledger/load.js';
import { OptionError } from '../../src/log/errors.js';
import { createRandom } from '../../src/stats/index.js';
import { describeSimulatedRecall, expectFinite, flaggedOf } from '../helpers/simulatedRecall.js';

const HOUR = 3_600_000;
const START = Date.UTC(2025, 0, 6, 9);
const iso = (ms: number) => new Date(ms).toISOString();
type Row = Record<string, string>;

/**
 * 15 honest reps with 100 interactions each (20% unresolved), invited after
 * 80% of interactions either way, and R_SUPP, who invites after 80% of
 * resolved interactions but only 10% of unresolved ones; R_RARE invites after
 * only 30% of everything (a low inviter, not a suppressor).
 */
function handBuilt() {
  const rng = createRandom(11);
  const interactions: Row[] = [];
  const surveys: Row[] = [];
  let customer = 0;
  const reps: [string, number, number][] = [
    ...Array.from(
      { length: 15 },
      (_, r) => [`R${String(r).padStart(2, '0')}`, 0.8, 0.8] as [string, number, number],
    ),
    ['R_SUPP', 0.8, 0.1],
    ['R_RARE', 0.3, 0.3],
  ];
  for (const [rep, resolvedRate, unresolvedRate] of reps) {
    for (let j = 0; j < 100; j++) {
      const c = `C${customer++}`;
      const t = START + j * 6 * HOUR;
      const resolved = j % 5 !== 0;
      interactions.push({
        interaction_id: `I${interactions.length}`,
        customer_id: c,
        rep_id: rep,
        occurred_at: iso(t),
        resolved: String(resolved),
      });
      if (rng.uniform() < (resolved ? resolvedRate : unresolvedRate)) {
        surveys.push({
          survey_id: `S${surveys.length}`,
          customer_id: c,
          rep_id: rep,
          sent_at: iso(t + 20 * HOUR),
        });
      }
    }
  }
  return { surveys, interactions };
}

describe('detectSurveySuppression on hand-built ledgers', () => {
  it('finds the rep who skips invitations after unresolved interactions, not the rep who rarely invites', async () => {
    const { surveys, interactions } = handBuilt();
    const result = detectSurveySuppression(await loadLedgers({ surveys, concessions: [], interactions }));
    if (!result.ran) throw new Error(result.reason);
    expectFinite(result.tests);
    expect(result.tests).toHaveLength(17);
    expect(flaggedOf(result.tests).map((t) => t.entity.id)).toEqual(['R_SUPP']);
    const supp = result.tests.find((t) => t.entity.id === 'R_SUPP') as Test;
    expect(supp.pValue).toBeLessThan(1e-6);
    expect(supp.effect).toBeGreaterThan(0.5);
    expect(supp.ci[0]).toBeLessThanOrEqual(supp.effect);
    expect(supp.ci[1]).toBeGreaterThanOrEqual(supp.effect);
    expect(supp.evidence).toMatchObject({ unresolved: 20, resolved: 80, windowDays: 3 });
    expect(supp.summary).toMatch(
      /^R_SUPP sent a survey after \d+% of 20 unresolved interactions vs \d+% of resolved ones \(peers: \d+% vs \d+%\)\.$/,
    );
    const rare = result.tests.find((t) => t.entity.id === 'R_RARE') as Test;
    expect(rare.pValue).toBeGreaterThan(0.05);
  });

  it('counts only invitations inside the window', async () => {
    const { surveys, interactions } = handBuilt();
    const ledgers = await loadLedgers({ surveys, concessions: [], interactions });
    const result = detectSurveySuppression(ledgers, { windowDays: 0.5 });
    if (!result.ran) throw new Error(result.reason);
    // every invitation was sent 20 h after its interaction: nothing falls within 12 h
    expect(result.table.every((r) => r.unresolvedInvited === 0 && r.resolvedInvited === 0)).toBe(true);
    expect(result.tests.every((t) => t.pValue === 1)).toBe(true);
  });

  it('lists reps with too few interactions as untested', async () => {
    const { surveys, interactions } = handBuilt();
    interactions.push({
      interaction_id: 'I_X',
      customer_id: 'CX',
      rep_id: 'R_NEW',
      occurred_at: iso(START),
      resolved: 'false',
    });
    const result = detectSurveySuppression(await loadLedgers({ surveys, concessions: [], interactions }));
    if (!result.ran) throw new Error(result.reason);
    expect(result.table.find((r) => r.entity === 'R_NEW')).toMatchObject({ tested: false, unresolved: 1 });
    expect(result.tests.some((t) => t.entity.id === 'R_NEW')).toBe(false);
  });

  it('does not run without interactions or without resolved, and says why', async () => {
    const { surveys, interactions } = handBuilt();
    const none = detectSurveySuppression(await loadLedgers({ surveys, concessions: [] }));
    expect(none).toEqual({ ran: false, reason: expect.stringContaining('interactions') });
    const noResolved = interactions.map(({ resolved: _r, ...rest }) => rest);
    const without = detectSurveySuppression(
      await loadLedgers({ surveys, concessions: [], interactions: noResolved }),
    );
    expect(without).toEqual({ ran: false, reason: expect.stringContaining('resolved') });
  });

  it('validates its options and runs through the registry object', async () => {
    const { surveys, interactions } = handBuilt();
    const ledgers = await loadLedgers({ surveys, concessions: [], interactions });
    expect(() => detectSurveySuppression(ledgers, { windowDays: -1 })).toThrow(OptionError);
    expect(() => detectSurveySuppression(ledgers, { minUnresolved: 0 })).toThrow(OptionError);
    expect(surveySuppressionDetector.id).toBe('survey-suppression');
    expect(surveySuppressionDetector.run(ledgers, { seed: 1 }).ran).toBe(true);
  });
});

describeSimulatedRecall('detectSurveySuppression on simulated worlds', {
  detect: (ledgers) => detectSurveySuppression(ledgers),
  label: 'suppression',
  moderate: 0.4, // the carrier scenario plants 0.5-0.9
  testable: (t) => (t.evidence.unresolved as number) >= 15,
});
