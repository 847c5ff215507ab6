import { describe, expect, it } from 'vitest';
import { DETECTOR_IDS } from '../../src/findings/types.js';
import {
  evaluate,
  type FindingLike,
  formatEvaluation,
  GAMING_LABELS,
  LABEL_ALSO_DETECTED_BY,
  LABEL_DETECTORS,
  type Truth,
} from '../../src/simulate/index.js';

const truth: Truth = {
  version: 1,
  scenario: 'demo',
  seed: 1,
  scale: 1,
  period: { start: '2025-01-01', end: '2026-01-01' },
  reps: [
    {
      id: 'R0001',
      team: 'T01',
      role: 'agent',
      labels: ['coaching'],
      strength: { coaching: 0.8 },
      onset: '2025-06-01',
    },
    { id: 'R0002', team: 'T01', role: 'agent', labels: ['coaching'], strength: { coaching: 0.5 } },
    { id: 'R0003', team: 'T02', role: 'agent', labels: ['fabrication'], strength: { fabrication: 0.6 } },
    { id: 'R0004', team: 'T02', role: 'agent', labels: ['clean-generous'] },
    { id: 'R0005', team: 'T02', role: 'agent', labels: ['clean'] },
    { id: 'R0006', team: 'T03', role: 'agent', labels: ['clean-small'] },
  ],
  customers: [
    { id: 'C000001', labels: ['extracting-account'], strength: { 'extracting-account': 0.7 } },
    { id: 'C000002', labels: ['clean-troubled'] },
  ],
};

const f = (detector: string, type: string, id: string, qValue = 0.01): FindingLike => ({
  detector,
  entity: { type, id },
  qValue,
});

describe('evaluate', () => {
  it('maps every gaming label to known detector ids', () => {
    for (const label of GAMING_LABELS) {
      expect(LABEL_DETECTORS[label].length).toBeGreaterThan(0);
      for (const d of [...LABEL_DETECTORS[label], ...LABEL_ALSO_DETECTED_BY[label]]) {
        expect(DETECTOR_IDS).toContain(d);
      }
    }
  });

  it('counts recall, clean flags, FDP and the matrix of a hand-built case', () => {
    const findings = [
      f('top-box-inflation', 'rep', 'R0001'), // coaching found
      f('top-box-inflation', 'rep', 'R0001', 0.02), // duplicate pair: counted once
      f('rep-relationship-gap', 'rep', 'R0002', 0.2), // above alpha: ignored
      f('score-shift', 'rep', 'R0002'), // not expected for coaching without onset (no recall), but accepted (FDP)
      f('top-box-inflation', 'rep', 'R0003'), // fabrication: accepted by-product, not recall
      f('concession-before-survey', 'rep', 'R0004'), // clean-generous flagged: false
      f('account-extraction', 'customer', 'C000001'), // extraction found
      f('account-extraction', 'customer', 'C000002'), // troubled flagged: false
      f('concession-before-survey', 'customer', 'C000009'), // unlisted customer = clean: false
      f('detector-follow-up', 'team', 'T02'), // no rep of T02 ignores detractors: false
      f('score-shift', 'team', 'T01'), // coaching reps in T01 accept score-shift: true
    ];
    const ev = evaluate({ findings }, truth);
    expect(ev.alpha).toBe(0.05);
    expect(ev.recall.coaching).toEqual({ planted: 2, found: 1, recall: 0.5, missed: ['R0002'] });
    expect(ev.recall.fabrication).toEqual({ planted: 1, found: 0, recall: 0, missed: ['R0003'] });
    expect(ev.recall['extracting-account']).toEqual({ planted: 1, found: 1, recall: 1, missed: [] });
    expect(ev.recall.suppression).toBeUndefined();

    expect(ev.clean['clean-generous']).toEqual({
      entities: 1,
      flagged: 1,
      rate: 1,
      ids: ['R0004'],
      byDetector: { 'concession-before-survey': 1 },
    });
    expect(ev.clean.clean).toEqual({ entities: 1, flagged: 0, rate: 0, ids: [], byDetector: {} });
    expect(ev.clean['clean-troubled']?.flagged).toBe(1);
    expect(ev.clean['clean-small']?.rate).toBe(0);

    // pairs: tbi R0001 ✓, ss R0002 ✓, tbi R0003 ✓, cbs R0004 ✗, ae C1 ✓, ae C2 ✗, cbs C9 ✗, dfu T02 ✗, ss T01 ✓
    expect(ev.fdp.flagged).toBe(9);
    expect(ev.fdp.false).toBe(4);
    expect(ev.fdp.proportion).toBeCloseTo(4 / 9, 12);
    expect(ev.fdp.byDetector['concession-before-survey']).toEqual({ flagged: 2, false: 2, proportion: 1 });
    expect(ev.fdp.byDetector['account-extraction']).toEqual({ flagged: 2, false: 1, proportion: 0.5 });
    expect(ev.fdp.byDetector['score-shift']).toEqual({ flagged: 2, false: 0, proportion: 0 });

    expect(ev.matrix['top-box-inflation']).toEqual({ coaching: 1, fabrication: 1 });
    expect(ev.matrix['concession-before-survey']).toEqual({ 'clean-generous': 1, clean: 1 });
    expect(ev.matrix['detector-follow-up']).toEqual({ team: 1 });
    expect(ev.matrix['rep-relationship-gap']).toBeUndefined();
  });

  it('counts score-shift as recall for coaching with an onset only', () => {
    const ev = evaluate([f('score-shift', 'rep', 'R0001'), f('score-shift', 'rep', 'R0002')], truth);
    expect(ev.recall.coaching).toMatchObject({ found: 1, missed: ['R0002'] });
  });

  it('matches on entity type as well as id, and honours alpha', () => {
    const ev = evaluate([f('account-extraction', 'rep', 'C000001')], truth);
    expect(ev.recall['extracting-account']?.found).toBe(0);
    expect(ev.fdp).toMatchObject({ flagged: 1, false: 1, proportion: 1 });
    const strict = evaluate([f('top-box-inflation', 'rep', 'R0001', 0.03)], truth, { alpha: 0.01 });
    expect(strict.recall.coaching?.found).toBe(0);
    expect(strict.fdp).toMatchObject({ flagged: 0, false: 0, proportion: 0 });
  });

  it('handles an empty run and rejects a bad alpha', () => {
    const ev = evaluate({ findings: [] }, truth);
    expect(ev.recall.coaching?.recall).toBe(0);
    expect(ev.fdp.proportion).toBe(0);
    expect(ev.matrix).toEqual({});
    expect(() => evaluate([], truth, { alpha: 2 })).toThrow(RangeError);
  });

  it('breaks recall down by how much of the planted gaming came off, where the truth records it', () => {
    const dosed: Truth = {
      ...truth,
      reps: truth.reps.map((r) =>
        r.id === 'R0001'
          ? { ...r, coachedResponses: 25 }
          : r.id === 'R0002'
            ? { ...r, coachedResponses: 9 }
            : r,
      ),
      customers: truth.customers.map((c) => (c.id === 'C000001' ? { ...c, extractions: 4 } : c)),
    };
    const ev = evaluate(
      [f('top-box-inflation', 'rep', 'R0001'), f('account-extraction', 'customer', 'C000001')],
      dosed,
    );
    expect(ev.recall.coaching?.byRealized).toEqual([
      { bin: '0-9', planted: 1, found: 0 },
      { bin: '10-19', planted: 0, found: 0 },
      { bin: '20+', planted: 1, found: 1 },
    ]);
    expect(ev.recall['extracting-account']?.byRealized).toEqual([
      { bin: '0-3', planted: 0, found: 0 },
      { bin: '4-7', planted: 1, found: 1 },
      { bin: '8+', planted: 0, found: 0 },
    ]);
    // labels without a recorded amount, and truths written before it was recorded, have none
    expect(ev.recall.fabrication?.byRealized).toBeUndefined();
    expect(evaluate([], truth).recall.coaching?.byRealized).toBeUndefined();
    expect(formatEvaluation(ev)).toContain(
      'by responses coached to the top score: 0-9: 0/1, 10-19: 0/0, 20+: 1/1',
    );
  });

  it('formats readable tables', () => {
    const text = formatEvaluation(
      evaluate(
        [f('top-box-inflation', 'rep', 'R0001'), f('concession-before-survey', 'rep', 'R0004')],
        truth,
      ),
    );
    expect(text).toContain('Recall per planted label');
    expect(text).toMatch(/coaching\s+2\s+1\s+50%/);
    expect(text).toMatch(/clean-generous\s+1\s+1\s+100%/);
    expect(text).toContain('False discovery proportion: 1/2 = 50%');
    expect(text).toContain('detector × label');
  });
});
