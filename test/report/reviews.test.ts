import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingsToCsv } from '../../src/findings/to-csv.js';
import type { Finding } from '../../src/findings/types.js';
import { renderHtml } from '../../src/report/renderHtml.js';
import { renderMarkdown } from '../../src/report/renderMarkdown.js';
import { alerts, loadReviews, matchReviews, type Review } from '../../src/report/reviews.js';
import { demoFixture, HOSTILE, hostileFixture } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'nps-gaming-reviews-'));
let files = 0;
function file(text: string, ext = '.csv'): string {
  const path = join(dir, `r${files++}${ext}`);
  writeFileSync(path, text);
  return path;
}

const HEADER = 'detector,entity_type,entity_id,decision,reviewed_at,note,reviewer,severity,expires_at';

/** A listed finding of rep `id` (its summary quoted as findings.csv must quote it). */
function finding(
  id: string,
  severity: Finding['severity'],
  detector: Finding['detector'] = 'top-box-inflation',
): Finding {
  return {
    detector,
    entity: { type: 'rep', id },
    effect: 0.2,
    effectLabel: 'excess share',
    ci: [0.1, 0.3],
    pValue: 1e-6,
    qValue: 1e-5,
    severity,
    evidence: {},
    summary: `${id} granted, a concession "before" surveys`,
  };
}

describe('loadReviews', () => {
  it('reads CSV (as a spreadsheet saves it) and JSON to the same reviews', () => {
    const csv = file(
      `\ufeff${HEADER.toUpperCase()}\r\n` +
        'top-box-inflation,rep,R0003,legitimate,2026-11-02,"team lead checked, all real",Ana,low,\r\n' +
        'account-extraction,customer,C000364,investigating,2026-11-20T09:30:00Z,,,,2027-01-01\r\n',
    );
    const expected: Review[] = [
      {
        detector: 'top-box-inflation',
        entity: { type: 'rep', id: 'R0003' },
        decision: 'legitimate',
        reviewedAt: '2026-11-02',
        note: 'team lead checked, all real',
        reviewer: 'Ana',
        severity: 'low',
      },
      {
        detector: 'account-extraction',
        entity: { type: 'customer', id: 'C000364' },
        decision: 'investigating',
        reviewedAt: '2026-11-20T09:30:00Z',
        expiresAt: '2027-01-01',
      },
    ];
    expect(loadReviews(csv)).toEqual(expected);
    const json = file(
      JSON.stringify([
        {
          ...expected[0],
          entity_type: 'rep',
          entity_id: 'R0003',
          reviewed_at: '2026-11-02',
          entity: undefined,
        },
        {
          detector: 'account-extraction',
          entityType: 'customer',
          entityId: 'C000364',
          decision: 'investigating',
          reviewedAt: '2026-11-20T09:30:00Z',
          expiresAt: '2027-01-01',
        },
      ]),
      '.json',
    );
    expect(loadReviews(json)).toEqual(expected);
  });

  it("a report's findings.csv with decision and reviewed_at added is a reviews file; blank rows are not reviews", () => {
    const timing = 'concession-before-survey';
    const [header, ...rows] = findingsToCsv([
      finding('R1', 'high', timing),
      finding('=R2', 'medium', timing),
      finding('R3', 'low', timing),
    ])
      .trimEnd()
      .split('\n');
    const sheet = [
      `${header},decision,reviewed_at,note`,
      `${rows[0]},confirmed,2026-11-20,"HR informed"`,
      `${rows[1]},legitimate,2026-11-21,`,
      `${rows[2]},,,`,
    ].join('\n');
    expect(loadReviews(file(sheet))).toEqual([
      {
        detector: 'concession-before-survey',
        entity: { type: 'rep', id: 'R1' },
        decision: 'confirmed',
        reviewedAt: '2026-11-20',
        note: 'HR informed',
        severity: 'high',
      },
      // the id findings.csv wrote as '=R2 (no spreadsheet formula) is =R2 again
      {
        detector: 'concession-before-survey',
        entity: { type: 'rep', id: '=R2' },
        decision: 'legitimate',
        reviewedAt: '2026-11-21',
        severity: 'medium',
      },
    ]);
    expect(() => loadReviews(file(`${header},decision,reviewed_at\n${rows[0]},confirmed,`))).toThrow(
      'row 1, column "reviewed_at": is empty',
    );
  });

  it('names the file, row and column of a bad review', () => {
    const bad = (row: string) => () => loadReviews(file(`${HEADER}\n${row}\n`));
    expect(bad('top-box-inflaton,rep,R1,legitimate,2026-11-02,,,,')).toThrow(
      /r\d+\.csv, row 1, column "detector": "top-box-inflaton" is not one of .* \(did you mean top-box-inflation\?\)/,
    );
    expect(bad('top-box-inflation,rep,R1,ok,2026-11-02,,,,')).toThrow(
      'row 1, column "decision": "ok" is not one of legitimate, confirmed, investigating',
    );
    expect(bad('top-box-inflation,rep,,legitimate,2026-11-02,,,,')).toThrow(
      'row 1, column "entity_id": is empty',
    );
    expect(bad('top-box-inflation,rep,R1,legitimate,02/11/2026,,,,')).toThrow(
      'column "reviewed_at": "02/11/2026" is not a date (YYYY-MM-DD)',
    );
    expect(bad('top-box-inflation,agent,R1,legitimate,2026-11-02,,,,')).toThrow('column "entity_type"');
    expect(bad('top-box-inflation,rep,R1,legitimate,2026-11-02,,,severe,')).toThrow('column "severity"');
    expect(() => loadReviews(file('{"detector": 1}', '.json'))).toThrow(
      'expected a JSON array of review objects',
    );
    expect(() => loadReviews(join(dir, 'missing.csv'))).toThrow(
      'missing.csv: cannot read the reviews file (ENOENT)',
    );
  });
});

describe('matchReviews', () => {
  const review = (id: string, extra: Partial<Review> = {}): Review => ({
    detector: 'top-box-inflation',
    entity: { type: 'rep', id },
    decision: 'legitimate',
    reviewedAt: '2026-11-02',
    ...extra,
  });
  const now = new Date('2026-12-01T00:00:00Z');

  it('a review covers its finding until it expires or the finding grows more severe', () => {
    const findings = [
      finding('R1', 'high'),
      finding('R2', 'high'),
      finding('R3', 'medium'),
      finding('R4', 'low'),
    ];
    const match = matchReviews(
      findings,
      [
        review('R1', { severity: 'high' }),
        review('R2', { severity: 'medium' }), // reviewed as medium, high now
        review('R3', { expiresAt: '2026-12-01' }), // expires at the run's date
        review('R9'), // not listed this run
        review('R1', { detector: 'score-shift' }), // another detector's lead on R1
      ],
      now,
    );
    expect([...match.byFinding].map(([i, r]) => [i, r.status])).toEqual([
      [0, 'current'],
      [1, 'outdated'],
      [2, 'expired'],
    ]);
    expect(match.unmatched).toBe(2);
    expect(findings.map((_, i) => alerts(match, i))).toEqual([false, true, true, true]);
    expect(alerts(undefined, 0)).toBe(true);
  });

  it('the latest review of a lead wins', () => {
    const match = matchReviews(
      [finding('R1', 'high')],
      [
        review('R1', { decision: 'confirmed', reviewedAt: '2026-11-20' }),
        review('R1', { decision: 'investigating', reviewedAt: '2026-10-01' }),
      ],
      now,
    );
    expect(match.byFinding.get(0)?.review.decision).toBe('confirmed');
  });
});

describe('reports say which findings were reviewed', () => {
  it('Markdown and HTML, with the reviewer, decision and note, escaped', async () => {
    const { result } = await demoFixture();
    const [first, second] = result.findings;
    const reviews = matchReviews(
      result.findings,
      [
        {
          detector: first.detector,
          entity: first.entity,
          decision: 'legitimate',
          reviewedAt: '2026-11-02',
          reviewer: 'Ana',
          note: 'billing migration',
        },
        {
          detector: second.detector,
          entity: second.entity,
          decision: 'confirmed',
          reviewedAt: '2026-10-01',
          expiresAt: '2026-11-01',
        },
      ],
      new Date('2026-11-24T06:00:00Z'),
    );
    const markdown = renderMarkdown(result, { reviews });
    expect(markdown).toContain(
      '**Reviewed:** 1 finding(s) covered by a review (no alert), 1 review(s) lapsed.',
    );
    expect(markdown).toContain('_(reviewed 2026-11-02 by Ana: legitimate (billing migration))_');
    expect(markdown).toContain('_(reviewed 2026-10-01: confirmed; expired 2026-11-01)_');
    const html = renderHtml(result, { reviews });
    expect(html).toContain(
      '<p class="review current">reviewed 2026-11-02 by Ana: legitimate (billing migration)</p>',
    );
    expect(html).toContain('<p class="review expired">');
    expect(html).toContain('1 finding(s) covered by a review (no alert); 1 review(s) lapsed');
    expect(renderHtml(result)).not.toContain('class="review');
  });

  it('a hostile note cannot break out of HTML or Markdown', async () => {
    const { result } = await hostileFixture();
    const [f] = result.findings;
    const reviews = matchReviews(
      result.findings,
      [
        {
          detector: f.detector,
          entity: f.entity,
          decision: 'legitimate',
          reviewedAt: '2026-11-02',
          note: HOSTILE.rep,
        },
      ],
      new Date('2026-11-24T06:00:00Z'),
    );
    expect(renderHtml(result, { reviews })).not.toContain(HOSTILE.rep);
    expect(renderMarkdown(result, { reviews })).not.toContain(HOSTILE.rep);
  });
});
