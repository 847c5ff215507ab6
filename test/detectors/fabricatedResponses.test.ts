import { describe, expect, it } from 'vitest';
import {
  detectFabricatedResponses,
  fabricatedResponsesDetector,
} from '../../src/detectors/fabricatedResponses.js';
import { loadLedgers } from '../../src/ledger/load.js';
import { OptionError } from '../../src/log/errors.js';
import { createRandom } from '../../src/stats/index.js';
import { describeSimulatedRecall, expectFinite, flaggedOf } from '../helpers/simulatedRecall.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const START = Date.UTC(2025, 0, 6, 9);
const iso = (ms: number) => new Date(ms).toISOString();

type Row = Record<string, string>;

/**
 * 20 honest reps with 40 responses each (about 2% within 10 minutes, lognormal
 * latency otherwise, varied scores, one device per customer), a fabricator
 * R_FAKE whose 30 responses all came 2 minutes after the invitation with
 * 10/10 from one device, and a small rep R_SMALL with 5 instant 10/10 responses.
 */
function handBuilt(): Row[] {
  const rng = createRandom(7);
  const rows: Row[] = [];
  let id = 0;
  let customer = 0;
  const add = (rep: string, sent: number, latency: number, ltr: number, rs: number, device: string) => {
    const c = `C${customer++}`;
    rows.push({
      survey_id: `S${id++}`,
      customer_id: c,
      rep_id: rep,
      sent_at: iso(sent),
      responded_at: iso(sent + latency),
      ltr: String(ltr),
      rep_score: String(rs),
      device,
    });
  };
  for (let r = 0; r < 20; r++) {
    for (let j = 0; j < 40; j++) {
      const sent = START + (j * 7 + r) * 3 * HOUR;
      const latency =
        rng.uniform() < 0.02 ? (1 + 8 * rng.uniform()) * MINUTE : 5 * HOUR * Math.exp(rng.normal(0, 1.3));
      const ltr = Math.min(10, Math.max(0, Math.round(rng.normal(7.2, 2))));
      const rs = Math.min(10, Math.max(1, Math.round(rng.normal(8.6, 1.5))));
      add(`R${String(r).padStart(2, '0')}`, sent, latency, ltr, rs, `D${customer}`);
    }
  }
  for (let j = 0; j < 30; j++) add('R_FAKE', START + j * 5 * HOUR, 2 * MINUTE, 10, 10, 'D_FAKE');
  for (let j = 0; j < 5; j++) add('R_SMALL', START + j * 9 * HOUR, 3 * MINUTE, 10, 10, `D_SMALL${j}`);
  return rows;
}

async function ledgersOf(surveys: Row[]) {
  return loadLedgers({ surveys, concessions: [] });
}

describe('detectFabricatedResponses on hand-built ledgers', () => {
  it('does not read dates without a time as instant responses: not run when most are, left out when a few are', async () => {
    const dateOnly = (r: Row) => ({
      ...r,
      sent_at: r.sent_at.slice(0, 10),
      responded_at: r.responded_at.slice(0, 10),
    });
    // every timestamp a date: measured from midnight, every same-day response would be "instant"
    const all = detectFabricatedResponses(await ledgersOf(handBuilt().map(dateOnly)));
    expect(all.ran).toBe(false);
    if (!all.ran) expect(all.reason).toMatch(/^responded_at has no time of day .* for 835 of 835 responses/);
    // one honest rep exported with dates only (quick same-day answerers): left out, never flagged
    const rows = handBuilt().map((r) => (r.rep_id === 'R03' ? dateOnly(r) : r));
    const some = detectFabricatedResponses(await ledgersOf(rows));
    if (!some.ran) throw new Error(some.reason);
    expect(flaggedOf(some.tests).map((t) => t.entity.id)).toEqual(['R_FAKE']);
    const r03 = some.table.find((row) => row.entity === 'R03');
    expect(r03).toMatchObject({ responses: 0 });
    expect(r03?.dateOnlyResponsesLeftOut).toBeGreaterThan(0);
  });

  it('finds the rep whose responses all came 2 minutes after the invitation, 10/10 from one device', async () => {
    const result = detectFabricatedResponses(await ledgersOf(handBuilt()));
    expect(result.ran).toBe(true);
    if (!result.ran) return;
    expectFinite(result.tests);
    const flagged = flaggedOf(result.tests);
    expect(flagged.map((t) => t.entity.id)).toEqual(['R_FAKE']);
    const fake = flagged[0];
    expect(fake.pValue).toBeLessThan(1e-20);
    expect(fake.effect).toBeGreaterThan(0.9);
    expect(fake.ci[0]).toBeLessThan(fake.effect);
    expect(fake.ci[1]).toBeGreaterThanOrEqual(fake.effect);
    expect(fake.evidence).toMatchObject({
      responses: 30,
      instantResponses: 30,
      identicalAnswers: { modalPair: '10/10', count: 30, share: 1 },
      sharedDevice: { maxCustomersOnOne: 30, responsesOnShared: 30 },
    });
    expect((fake.evidence.exampleSurveyIds as string[]).length).toBe(20);
    expect(fake.summary).toMatch(
      /^R_FAKE's customers responded within 10 minutes of the invitation 100% of the time vs \d+(\.\d)?% for peers \(30 responses\), and one device answered for 30 customers\.$/,
    );
  });

  it('lists a rep with 5 responses as untested and does not flag it', async () => {
    const result = detectFabricatedResponses(await ledgersOf(handBuilt()));
    if (!result.ran) throw new Error(result.reason);
    expect(result.tests.some((t) => t.entity.id === 'R_SMALL')).toBe(false);
    expect(result.table.find((r) => r.entity === 'R_SMALL')).toMatchObject({ tested: false, responses: 5 });
    // one test per tested rep, also the unremarkable ones
    expect(result.tests).toHaveLength(21);
    expect(result.table).toHaveLength(22);
  });

  it('does not run without responded_at, and says why', async () => {
    const rows = handBuilt().map(({ responded_at: _r, ...rest }) => rest);
    const result = detectFabricatedResponses(await ledgersOf(rows));
    expect(result).toEqual({ ran: false, reason: expect.stringContaining('responded_at') });
  });

  it('does not run with fewer than 3 reps to compare', async () => {
    const rows = handBuilt().filter((r) => r.rep_id === 'R00' || r.rep_id === 'R_FAKE');
    const result = detectFabricatedResponses(await ledgersOf(rows));
    expect(result).toEqual({ ran: false, reason: expect.stringContaining('peer comparison') });
  });

  it('validates its options and runs through the registry object', async () => {
    const ledgers = await ledgersOf(handBuilt());
    expect(() => detectFabricatedResponses(ledgers, { instantMinutes: -1 })).toThrow(OptionError);
    expect(() => detectFabricatedResponses(ledgers, { minResponses: 2.5 })).toThrow(OptionError);
    expect(fabricatedResponsesDetector.id).toBe('fabricated-responses');
    const viaRegistry = fabricatedResponsesDetector.run(ledgers, { seed: 1, instantMinutes: 5 });
    if (!viaRegistry.ran) throw new Error(viaRegistry.reason);
    expect(viaRegistry.tests.find((t) => t.entity.id === 'R_FAKE')?.effectLabel).toContain(
      'within 5 minutes',
    );
  });
});

describeSimulatedRecall('detectFabricatedResponses on simulated worlds', {
  detect: (ledgers) => detectFabricatedResponses(ledgers),
  label: 'fabrication',
  moderate: 0.2, // the carrier scenario plants 0.2-0.5
  testable: (t) => (t.evidence.responses as number) >= 20,
});
