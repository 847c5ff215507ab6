import { describe, expect, it } from 'vitest';
import { detectDetractorFollowUp, detractorFollowUpDetector } from '../../src/detectors/detractorFollowUp.js';
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
 * 4 teams of 5 reps, 30 detractors (ltr 3) and 30 promoters per rep; honest
 * reps follow up 85% of detractors within a day (every 20 detractors, 17). R_IGN (team T_BAD) follows
 * up 10%; R_SMALL has 3 detractors, none followed up; R_NOLTR's detractors
 * have no ltr, only rep_score 2 (scale 1..10).
 */
function handBuilt(): Row[] {
  const rng = createRandom(3);
  const rows: Row[] = [];
  const add = (rep: string, team: string, t: number, ltr: string, rs: string, follow: number | undefined) =>
    rows.push({
      survey_id: `S${rows.length}`,
      customer_id: `C${rows.length}`,
      rep_id: rep,
      team,
      sent_at: iso(t - HOUR),
      responded_at: iso(t),
      ltr,
      rep_score: rs,
      followed_up_at: follow === undefined ? '' : iso(t + follow),
    });
  const reps: [string, string, number][] = [];
  for (let k = 0; k < 4; k++) for (let r = 0; r < 5; r++) reps.push([`R${k}${r}`, `T${k}`, 0.85]);
  reps.push(['R_IGN', 'T_BAD', 0.1], ['R_NOLTR', 'T0', 0.85]);
  for (const [rep, team, rate] of reps) {
    for (let j = 0; j < 30; j++) {
      const t = START + j * 5 * HOUR;
      const follow = (j % 20) / 20 < rate ? (1 + 20 * rng.uniform()) * HOUR : undefined;
      if (rep === 'R_NOLTR') add(rep, team, t, '', '2', follow);
      else add(rep, team, t, '3', '5', follow);
      add(rep, team, t + HOUR, '9', '9', undefined);
    }
  }
  for (let j = 0; j < 3; j++) add('R_SMALL', 'T1', START + j * HOUR, '2', '3', undefined);
  // a later promoter, so that every detractor above is due for follow-up by the end of the data
  add('R00', 'T0', START + 30 * 24 * HOUR, '10', '10', undefined);
  return rows;
}

describe('detectDetractorFollowUp on hand-built ledgers', () => {
  it('finds the rep (and team) who leaves detractors without follow-up', async () => {
    const result = detectDetractorFollowUp(await loadLedgers({ surveys: handBuilt(), concessions: [] }));
    if (!result.ran) throw new Error(result.reason);
    expectFinite(result.tests);
    const flagged = flaggedOf(result.tests).map((t) => `${t.entity.type}:${t.entity.id}`);
    expect(flagged).toContain('rep:R_IGN');
    expect(flagged.filter((f) => f.startsWith('rep:'))).toEqual(['rep:R_IGN']);
    const ign = result.tests.find((t) => t.entity.id === 'R_IGN') as Test;
    expect(ign.pValue).toBeLessThan(1e-8);
    expect(ign.effect).toBeGreaterThan(0.5);
    expect(ign.effectLabel).toBe(
      'shortfall in the share of detractors followed up within 48 h below peers (target 80%)',
    );
    expect(ign.evidence).toMatchObject({ detractors: 30, target: 0.8, belowTarget: true });
    expect(ign.summary).toMatch(
      /^R_IGN followed up \d+% of 30 detractors within 48 h vs \d+% for peers and a target of 80% \(/,
    );
    // teams are tested too; T_BAD is R_IGN's alone
    expect(result.tests.some((t) => t.entity.type === 'team' && t.entity.id === 'T_BAD')).toBe(true);
  });

  it('a follow-up dated before the response did not answer it: not in time, counted apart', async () => {
    const rows = handBuilt().map((r) =>
      r.rep_id === 'R00' && r.ltr === '3' && r.followed_up_at
        ? { ...r, followed_up_at: iso(Date.parse(r.responded_at) - 2 * HOUR) }
        : r,
    );
    const result = detectDetractorFollowUp(await loadLedgers({ surveys: rows, concessions: [] }));
    if (!result.ran) throw new Error(result.reason);
    const early = result.tests.find((t) => t.entity.id === 'R00') as Test;
    expect(early.evidence.followUpBeforeResponse).toBeGreaterThan(20);
    expect(early.evidence.followedUpInTime).toBe(0);
  });

  it('uses rep_score when ltr is missing, lists small reps untested', async () => {
    const result = detectDetractorFollowUp(await loadLedgers({ surveys: handBuilt(), concessions: [] }));
    if (!result.ran) throw new Error(result.reason);
    const noLtr = result.tests.find((t) => t.entity.id === 'R_NOLTR') as Test;
    expect(noLtr.evidence.detractors).toBe(30);
    expect(noLtr.pValue).toBeGreaterThan(0.05);
    expect(result.table.find((r) => r.entity === 'R_SMALL')).toMatchObject({ tested: false, detractors: 3 });
    expect(result.tests.some((t) => t.entity.id === 'R_SMALL')).toBe(false);
  });

  it('leaves out detractors not yet due at the end of the data', async () => {
    const rows = handBuilt();
    const last = Math.max(...rows.map((r) => Date.parse(r.responded_at)));
    rows.push({
      ...rows[0],
      survey_id: 'S_LATE',
      customer_id: 'C_LATE',
      responded_at: iso(last + HOUR),
      sent_at: iso(last),
      followed_up_at: '',
    });
    const result = detectDetractorFollowUp(await loadLedgers({ surveys: rows, concessions: [] }));
    if (!result.ran) throw new Error(result.reason);
    const t = result.tests.find((x) => x.entity.id === rows[0].rep_id) as Test;
    expect(t.evidence.detractorsNotYetDue).toBeGreaterThanOrEqual(1);
    expect(t.evidence.exampleSurveyIds).not.toContain('S_LATE');
  });

  it('does not run without followed_up_at, and says why', async () => {
    const rows = handBuilt().map(({ followed_up_at: _f, ...rest }) => rest);
    const result = detectDetractorFollowUp(await loadLedgers({ surveys: rows, concessions: [] }));
    expect(result).toEqual({ ran: false, reason: expect.stringContaining('followed_up_at') });
  });

  it('validates its options and runs through the registry object', async () => {
    const ledgers = await loadLedgers({ surveys: handBuilt(), concessions: [] });
    expect(() => detectDetractorFollowUp(ledgers, { target: 1.5 })).toThrow(OptionError);
    expect(() => detectDetractorFollowUp(ledgers, { teams: 'yes' as unknown as boolean })).toThrow(
      OptionError,
    );
    const repsOnly = detractorFollowUpDetector.run(ledgers, {
      seed: 1,
      teams: false,
      followUpHours: 24,
      target: 0.9,
    });
    if (!repsOnly.ran) throw new Error(repsOnly.reason);
    expect(repsOnly.tests.every((t) => t.entity.type === 'rep')).toBe(true);
    expect(repsOnly.tests[0].effectLabel).toContain('within 24 h below peers (target 90%)');
  });
});

describeSimulatedRecall('detectDetractorFollowUp on simulated worlds', {
  detect: (ledgers) => detectDetractorFollowUp(ledgers),
  label: 'ignored-detractors',
  moderate: 0.4, // the carrier scenario plants 0.5-0.9
  testable: (t) => (t.evidence.detractors as number) >= 10,
  smallCleanRepsMayBeFlagged: true,
});
