import { describe, expect, it } from 'vitest';
import { rankFindings } from '../../src/findings/rankFindings.js';
import type { Test } from '../../src/findings/types.js';

const test = (detector: Test['detector'], id: string, pValue: number, type = 'rep'): Test => ({
  detector,
  entity: { type: type as Test['entity']['type'], id },
  effect: 1,
  effectLabel: 'x',
  ci: [0, 2],
  pValue,
  evidence: { id },
  summary: `${id} s`,
});

describe('rankFindings', () => {
  const tests = [
    test('top-box-inflation', 'R2', 0.001),
    test('concession-before-survey', 'R9', 0.5),
    test('top-box-inflation', 'R1', 0.001),
    test('concession-before-survey', 'R3', 0.001),
    test('score-shift', 'T1', 0.001, 'team'),
    test('score-shift', 'R0', 0.001),
    test('concession-before-survey', 'R4', 0.0001),
  ];

  it('keeps q <= alpha (BH over every test), ranked by q, p, then detector, entity type and id', () => {
    const findings = rankFindings(tests, { alpha: 0.05 });
    // BH over 7 (R: p.adjust(c(0.001, 0.5, 0.001, 0.001, 0.001, 0.001, 0.0001), 'BH')):
    // 0.0001 -> 0.0007; the five at 0.001 -> 0.001 * 7/6; 0.5 -> 0.5
    expect(findings.map((f) => `${f.detector} ${f.entity.id}`)).toEqual([
      'concession-before-survey R4',
      'concession-before-survey R3',
      'score-shift R0',
      'score-shift T1',
      'top-box-inflation R1',
      'top-box-inflation R2',
    ]);
    expect(findings[0].qValue).toBeCloseTo(0.0007, 12);
    expect(findings[1].qValue).toBeCloseTo((0.001 * 7) / 6, 12);
    expect(Object.keys(findings[0])).toEqual([
      'detector',
      'entity',
      'effect',
      'effectLabel',
      'ci',
      'pValue',
      'qValue',
      'severity',
      'evidence',
      'summary',
    ]);
    expect(findings[0].evidence).toBe(tests[6].evidence); // not copied
  });

  it('lists every test with includeAll, the least significant last', () => {
    const all = rankFindings(tests, { alpha: 0.05, includeAll: true });
    expect(all).toHaveLength(7);
    expect(all[6].entity.id).toBe('R9');
    expect(all[6].qValue).toBe(0.5);
  });
});
