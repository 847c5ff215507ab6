import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, unreadColumns } from '../../src/analyze.js';
import type { DetectorId } from '../../src/findings/types.js';
import { loadLedgers, loadSurveys } from '../../src/ledger/load.js';
import { OptionError } from '../../src/log/errors.js';

const demo = (name: string) => new URL(`../../datasets/demo/${name}`, import.meta.url).pathname;

/** The demo's surveys with three bad rows added: the omitted columns' cells are on them too. */
function surveysWithBadRows(): string {
  const dir = mkdtempSync(join(tmpdir(), 'nps-gaming-omit-'));
  const path = join(dir, 'surveys.csv');
  const bad = [
    'X1,C000001,R0001,T01,chat,not a date,,,,,ctbad,dvbad',
    'X2,,R0001,T01,chat,2025-03-01T10:00:00Z,,,,,ctnone,',
    'X3,C000002,R0002,T01,chat,2025-03-01T10:00:00Z,2025-03-01T11:00:00Z,11,9,,"ct, quoted",dv9',
  ];
  writeFileSync(path, `${readFileSync(demo('surveys.csv'), 'utf8').trimEnd()}\n${bad.join('\n')}\n`);
  return path;
}

describe('LoadOptions.omitColumns', () => {
  it('leaves contact and device out, and accepts and quarantines the same rows', async () => {
    const path = surveysWithBadRows();
    const full = await loadSurveys(path);
    const lean = await loadSurveys(path, { omitColumns: ['contact', 'device'] });
    expect(full.ledger.columns.has('contact') && full.ledger.columns.has('device')).toBe(true);
    expect(full.quality.quarantined).toBe(3);
    expect(lean.quality).toEqual(full.quality);
    expect(lean.ledger.columns.has('contact') || lean.ledger.columns.has('device')).toBe(false);
    expect([...lean.ledger.columns]).toEqual(
      [...full.ledger.columns].filter((c) => c !== 'contact' && c !== 'device'),
    );
    expect(lean.ledger.contact.every((c) => c === -1) && lean.ledger.device.every((c) => c === -1)).toBe(
      true,
    );
    expect(lean.ids.contact.values).toEqual([]);
    expect(full.ids.contact.values.length).toBeGreaterThan(100);
    for (const key of [
      'customer',
      'rep',
      'team',
      'channel',
      'sentAt',
      'respondedAt',
      'ltr',
      'repScore',
      'sourceRow',
    ] as const)
      expect(lean.ledger[key]).toEqual(full.ledger[key]);
    expect(lean.ledger.surveyId).toEqual(full.ledger.surveyId);
  });

  it('omits only one of them when asked', async () => {
    const { ledger, ids } = await loadSurveys(demo('surveys.csv'), { omitColumns: ['device'] });
    expect(ledger.columns.has('contact')).toBe(true);
    expect(ids.contact.values.length).toBeGreaterThan(100);
    expect(ledger.columns.has('device')).toBe(false);
  });

  it('refuses a column it cannot leave out, before loading', async () => {
    const options = { omitColumns: ['ltr'] as unknown as ['contact'] };
    await expect(loadSurveys(demo('surveys.csv'), options)).rejects.toThrow(OptionError);
    await expect(loadSurveys(demo('surveys.csv'), options)).rejects.toThrow(
      'option omitColumns can leave out contact and device, not "ltr"',
    );
  });
});

describe('unreadColumns', () => {
  it('names the columns no chosen detector reads', () => {
    expect(unreadColumns(['concession-before-survey', 'top-box-inflation'])).toEqual(['contact', 'device']);
    expect(unreadColumns(['fabricated-responses'])).toEqual([]);
    expect(unreadColumns()).toEqual([]);
  });

  it('leaves each run of detectors with the same findings and tests', async () => {
    const files = { surveys: demo('surveys.csv'), concessions: demo('concessions.csv') };
    const full = await loadLedgers(files);
    const runs: DetectorId[][] = [
      ['concession-before-survey', 'concession-during-survey'],
      ['top-box-inflation', 'rep-relationship-gap', 'detractor-follow-up'],
    ];
    for (const detectors of runs) {
      const lean = await loadLedgers(files, { omitColumns: unreadColumns(detectors) });
      expect(lean.surveys.columns.has('contact')).toBe(false);
      const a = analyze(full, { detectors, includeAll: true });
      const b = analyze(lean, { detectors, includeAll: true });
      expect(b.findings.length).toBeGreaterThan(0);
      expect(b.findings).toEqual(a.findings);
      expect(b.run.tested).toEqual(a.run.tested);
      expect(b.tables).toEqual(a.tables);
    }
  });
});
