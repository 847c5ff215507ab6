import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSurveys } from '../../src/ledger/load.js';
import { LedgerError } from '../../src/log/errors.js';

const fixture = (name: string) => new URL(`../fixtures/ledger/${name}`, import.meta.url).pathname;

/** A fresh surveys.csv of these lines. */
function csvFile(lines: readonly string[]): string {
  const path = join(mkdtempSync(join(tmpdir(), 'nps-gaming-surveys-')), 'surveys.csv');
  writeFileSync(path, lines.join('\n'));
  return path;
}

describe('loadSurveys', () => {
  it('loads the canonical columns into typed arrays', async () => {
    const { ledger, quality, ids } = await loadSurveys(fixture('surveys.csv'));
    expect(quality).toMatchObject({ rows: 4, accepted: 4, quarantined: 0 });
    expect(ledger.length).toBe(4);
    expect(ledger.surveyId).toEqual(['S1', 'S2', 'S3', 'S4']);
    expect(Array.from(ledger.customer, (c) => ids.customer.values[c])).toEqual(['C1', 'C2', 'C3', 'C1']);
    expect(Array.from(ledger.rep)).toEqual([0, 0, 1, -1]);
    expect(ledger.sentAt[0]).toBe(Date.parse('2025-03-01T10:00:00Z'));
    // offset honoured, date-only is midnight UTC, naive is read in UTC by default
    expect(ledger.sentAt[1]).toBe(Date.parse('2025-03-02T08:00:00Z'));
    expect(ledger.sentAt[2]).toBe(Date.parse('2025-03-03T00:00:00Z'));
    expect(ledger.sentAt[3]).toBe(Date.parse('2025-03-05T09:30:00Z'));
    expect(Number.isNaN(ledger.respondedAt[1])).toBe(true);
    expect(Array.from(ledger.ltr)).toEqual([8, -1, 9, 6]);
    expect(Array.from(ledger.repScore)).toEqual([9, -1, 10, 7]);
    expect(ledger.columns.has('team')).toBe(true);
    expect(ledger.columns.has('followed_up_at')).toBe(false);
  });

  it("reads PostgreSQL's timestamptz text (microseconds, hour-only offsets) and BigQuery's (' UTC') as the same instants", async () => {
    // what `COPY (SELECT …) TO STDOUT WITH CSV HEADER` writes for timestamptz columns
    const path = csvFile([
      'survey_id,customer_id,sent_at,responded_at,ltr',
      'S1,C1,2025-03-01 10:00:00+00,2025-03-01 12:30:15.123456+00,9',
      'S2,C2,2025-03-01 12:00:00.5+02,2025-03-02 08:00:00-05,7',
      'S3,C3,2025-03-01 10:00:00+05:30,,',
      'S4,C4,2025-03-01 10:00:00.250 UTC,,', // BigQuery's exports
    ]);
    const { ledger, quality } = await loadSurveys(path);
    expect(quality).toMatchObject({ rows: 4, accepted: 4, quarantined: 0 });
    expect(Array.from(ledger.sentAt)).toEqual([
      Date.parse('2025-03-01T10:00:00Z'),
      Date.parse('2025-03-01T10:00:00.500Z'),
      Date.parse('2025-03-01T04:30:00Z'),
      Date.parse('2025-03-01T10:00:00.250Z'),
    ]);
    expect(Array.from(ledger.respondedAt).slice(0, 2)).toEqual([
      Date.parse('2025-03-01T12:30:15.123Z'),
      Date.parse('2025-03-02T13:00:00Z'),
    ]);
  });

  it('reads NA, NULL and \\N in timestamp and score cells as empty (R, SQL Server, MySQL exports)', async () => {
    const path = csvFile([
      'survey_id,customer_id,rep_id,team,sent_at,responded_at,ltr,rep_score',
      'S1,C1,R1,NA,2025-03-01T10:00:00Z,NA,NA,NA',
      'S2,C2,R1,NULL,2025-03-01T10:00:00Z,2025-03-01T12:00:00Z,9,10',
      'S3,C3,R1,NA,2025-03-01T10:00:00Z,\\N,\\N,\\N',
      'S4,C4,R1,NA,2025-03-01T10:00:00Z,NULL,#N/A,None',
      'S5,C5,R1,NA,NULL,,,',
      'S6,C6,R1,NA,2025-03-01T10:00:00Z,,NaN,',
    ]);
    const { ledger, quality, ids } = await loadSurveys(path);
    // S5 has no invitation time (missing, no longer "unparseable"); S6's NaN is still no score
    expect(quality.reasons).toEqual({ 'missing-timestamp': 1, 'score-not-integer': 1 });
    expect(ledger.surveyId).toEqual(['S1', 'S2', 'S3', 'S4']);
    expect(Array.from(ledger.respondedAt, Number.isNaN)).toEqual([true, false, true, true]);
    expect(Array.from(ledger.ltr)).toEqual([-1, 9, -1, -1]);
    // in ids too: no team called NA or NULL
    expect(Array.from(ledger.team)).toEqual([-1, -1, -1, -1]);
    expect(ids.team.values).toEqual([]);
  });

  it('reads NULL, NA, \\N and #N/A in id cells as empty: no customer, rep or survey called NULL, but None stays', async () => {
    const path = csvFile([
      'survey_id,customer_id,rep_id,team,sent_at',
      'S1,NULL,R1,T1,2025-03-01T10:00:00Z',
      'S2,C2,NULL,T1,2025-03-01T10:00:00Z',
      'S3,C3,\\N,#N/A,2025-03-01T10:00:00Z',
      'NULL,C4,R1,T1,2025-03-01T10:00:00Z',
      'S5,"NULL",null,Null,2025-03-01T10:00:00Z',
      'S6,C6,N123,NULLS,2025-03-01T10:00:00Z',
      'S7,NA,NA,None,2025-03-01T10:00:00Z',
    ]);
    const { ledger, quality, ids } = await loadSurveys(path);
    expect(quality.reasons).toEqual({ 'missing-customer-id': 3, 'missing-id': 1 });
    expect(ledger.surveyId).toEqual(['S2', 'S3', 'S6']);
    expect(Array.from(ledger.rep, (r) => (r < 0 ? null : ids.rep.values[r]))).toEqual([null, null, 'N123']);
    expect(Array.from(ledger.team, (t) => (t < 0 ? null : ids.team.values[t]))).toEqual([
      'T1',
      null,
      'NULLS',
    ]);
    expect(ids.customer.values).not.toContain('NULL');
  });

  it('says what an unparseable timestamp looks like and what to write (epoch numbers, day/month dates)', async () => {
    const { quality } = await loadSurveys([
      { survey_id: 'S1', customer_id: 'C1', sent_at: '1740823200' },
      { survey_id: 'S2', customer_id: 'C2', sent_at: '01/03/2025 10:00' },
      { survey_id: 'S3', customer_id: 'C3', sent_at: 'March 1' },
    ]);
    expect(quality.examples['bad-timestamp']?.map((e) => e.message)).toEqual([
      'unparseable timestamp "1740823200" (epoch seconds or milliseconds are not read from text: write ISO-8601, e.g. 2025-03-01T10:00:00Z)',
      'unparseable timestamp "01/03/2025 10:00" (day and month order is ambiguous: write ISO-8601, e.g. 2025-03-01T10:00:00Z)',
      'unparseable timestamp "March 1"',
    ]);
  });

  it('warns when rep scores never pass 5 on the default 1..10 scale (a 1-5 survey loaded as 1..10)', async () => {
    const rows = (top: number) =>
      Array.from({ length: 60 }, (_, i) => ({
        survey_id: `S${i}`,
        customer_id: `C${i}`,
        sent_at: '2025-03-01T10:00:00Z',
        responded_at: '2025-03-01T11:00:00Z',
        ltr: 8,
        rep_score: 1 + (i % top),
      }));
    const narrow = await loadSurveys(rows(5));
    expect(narrow.quality.warnings).toContain(
      'rep_score never exceeds 5 in 60 responses, on the declared scale 1..10: if its scale is 1..5, say so (option repScoreScale, --scale 1..5); the top-box detectors read the top of the declared scale',
    );
    const declared = await loadSurveys(rows(5), { repScoreScale: { min: 1, max: 5 } });
    expect(declared.quality.warnings.join('\n')).not.toMatch(/never exceeds/);
    const full = await loadSurveys(rows(10));
    expect(full.quality.warnings.join('\n')).not.toMatch(/never exceeds/);
    const few = await loadSurveys(rows(5).slice(0, 20));
    expect(few.quality.warnings.join('\n')).not.toMatch(/never exceeds/);
  });

  it('quarantines every bad row with its reason and row number', async () => {
    const { ledger, quality } = await loadSurveys(fixture('surveys-bad.csv'));
    expect(quality.rows).toBe(14);
    expect(quality.accepted + quality.quarantined).toBe(quality.rows);
    expect(ledger.surveyId).toEqual(['S1', 'S14']);
    expect(quality.reasons).toEqual({
      'bad-timestamp': 1,
      'duplicate-id': 1,
      'missing-customer-id': 1,
      'responded-before-sent': 1,
      'score-out-of-scale': 1,
      'score-not-integer': 2,
      'response-without-scores': 1,
      'scores-without-response': 1,
      'missing-timestamp': 1,
      'missing-id': 1,
      'malformed-row': 1,
    });
    expect(quality.examples['bad-timestamp']?.[0]).toMatchObject({ row: 2, column: 'sent_at' });
    expect(quality.examples['duplicate-id']?.[0]).toMatchObject({ row: 3, column: 'survey_id', value: 'S1' });
    expect(quality.examples['duplicate-id']?.[0].message).toMatch(/first at row 1/);
    expect(quality.examples['score-out-of-scale']?.[0]).toMatchObject({ row: 6, column: 'ltr', value: '11' });
    expect(quality.examples['score-not-integer']?.map((e) => e.row)).toEqual([7, 11]);
    expect(quality.examples['malformed-row']?.[0]).toMatchObject({ row: 13 });
  });

  it('strict mode throws naming the file, row and column', async () => {
    const path = fixture('surveys-bad.csv');
    await expect(loadSurveys(path, { strict: true })).rejects.toThrow(LedgerError);
    await expect(loadSurveys(path, { strict: true })).rejects.toThrow(
      /surveys-bad\.csv: strict mode: 12 row\(s\).*row 2, column "sent_at"/,
    );
  });

  it('maps renamed columns and reads a 1..5 scale', async () => {
    const columns = {
      survey_id: 'id',
      customer_id: 'cust_id',
      rep_id: 'agent',
      sent_at: 'sent',
      responded_at: 'answered',
      ltr: 'nps',
      rep_score: 'csat',
    };
    const { ledger, quality } = await loadSurveys(fixture('surveys-renamed.csv'), {
      columns,
      repScoreScale: { min: 1, max: 5 },
    });
    expect(quality.accepted).toBe(2);
    expect(ledger.repScore[0]).toBe(4);
  });

  it('rejects a score outside a 1..5 scale', async () => {
    const rows = [
      { survey_id: 'S1', customer_id: 'C1', sent_at: '2025-01-01', responded_at: '2025-01-02', rep_score: 6 },
    ];
    const { quality } = await loadSurveys(rows, { repScoreScale: { min: 1, max: 5 } });
    expect(quality.reasons).toEqual({ 'score-out-of-scale': 1 });
  });

  it('fails on missing columns with one message: what is missing, what was found, near matches', async () => {
    const error = await loadSurveys(fixture('surveys-renamed.csv')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LedgerError);
    const message = (error as Error).message;
    expect(message).toContain('surveys-renamed.csv: missing required column(s)');
    expect(message).toMatch(/survey_id/);
    expect(message).toMatch(/customer_id \(did you mean `cust_id`\?/);
    expect(message).toMatch(/sent_at \(did you mean `sent`\?/);
    expect(message).toContain('columns found: `id`, `cust_id`, `agent`, `sent`, `answered`, `nps`, `csat`');
  });

  it('reads columns spelt as BI tools, Snowflake and JavaScript export them, and says so', async () => {
    const canonical = await loadSurveys(fixture('surveys.csv'));
    const text = readFileSync(fixture('surveys.csv'), 'utf8');
    const [header, ...rows] = text.split('\n');
    const spellings: Record<string, string> = {
      survey_id: 'SURVEY_ID',
      customer_id: 'Customer ID',
      rep_id: 'repId',
      sent_at: 'sent-at',
      responded_at: 'RespondedAt',
      ltr: 'LTR',
      rep_score: 'Rep Score',
    };
    const respelt = header.split(',').map((h) => spellings[h] ?? h);
    const { ledger, quality } = await loadSurveys(csvFile([respelt.join(','), ...rows]));
    expect(Array.from(ledger.repScore)).toEqual(Array.from(canonical.ledger.repScore));
    expect(Array.from(ledger.respondedAt)).toEqual(Array.from(canonical.ledger.respondedAt));
    expect(quality.warnings).toEqual([
      'column(s) read by their spelling: "Customer ID" as customer_id, "repId" as rep_id, "sent-at" as sent_at, ' +
        '"RespondedAt" as responded_at, "Rep Score" as rep_score',
    ]);
  });

  it('says when timestamps without a zone were read as UTC because no timeZone was given', async () => {
    const header = 'survey_id,customer_id,sent_at,responded_at,ltr,rep_score';
    const naive = [header, 'S1,C1,2025-03-01 10:00:00,,,', 'S2,C2,2025-03-02,,,'];
    const warning =
      'sent_at has no time zone (e.g. "2025-03-01 10:00:00"): read as UTC; if these are local times, set timeZone (--time-zone, e.g. Europe/Berlin)';
    expect((await loadSurveys(csvFile(naive))).quality.warnings).toEqual([warning]);
    expect((await loadSurveys(csvFile(naive), { timeZone: 'UTC' })).quality.warnings).toEqual([]);
    const zoned = [header, 'S1,C1,2025-03-01 10:00:00+01,,,', 'S2,C2,2025-03-02 10:00:00 UTC,,,'];
    expect((await loadSurveys(csvFile(zoned))).quality.warnings).toEqual([]);
    // instants as numbers (epoch ms in JSON) have no zone to miss
    const epoch = {
      survey_id: 'S1',
      customer_id: 'C1',
      sent_at: 1740823200000,
      responded_at: '',
      ltr: '',
      rep_score: '',
    };
    expect((await loadSurveys([epoch])).quality.warnings).toEqual([]);
  });

  it('prefers the exact name to a spelling, and reads neither of two columns spelt alike', async () => {
    const both = ['survey_id,customer_id,Customer ID,sent_at', 'S1,C1,X1,2025-03-01T10:00:00Z'];
    const { ledger, ids } = await loadSurveys(csvFile(both));
    expect(ids.customer.values[ledger.customer[0]]).toBe('C1');
    const twins = ['survey_id,Customer ID,customer-id,sent_at', 'S1,C1,X1,2025-03-01T10:00:00Z'];
    await expect(loadSurveys(csvFile(twins))).rejects.toThrow('missing required column(s) customer_id');
    // only the spelling: another name stays another name
    const other = ['survey_id,customer,sent_at', 'S1,C1,2025-03-01T10:00:00Z'];
    await expect(loadSurveys(csvFile(other))).rejects.toThrow('missing required column(s) customer_id');
  });

  it('reads naive timestamps and date-only values in the configured zone, across daylight saving', async () => {
    const rows = [
      { survey_id: 'S1', customer_id: 'C', sent_at: '2025-01-15T12:00:00' },
      { survey_id: 'S2', customer_id: 'C', sent_at: '2025-07-15T12:00:00' },
      { survey_id: 'S3', customer_id: 'C', sent_at: '2025-07-15' },
      { survey_id: 'S4', customer_id: 'C', sent_at: '2025-07-15T12:00:00Z' },
    ];
    const { ledger } = await loadSurveys(rows, { timeZone: 'Europe/Berlin' });
    expect(ledger.sentAt[0]).toBe(Date.parse('2025-01-15T11:00:00Z')); // CET, +01:00
    expect(ledger.sentAt[1]).toBe(Date.parse('2025-07-15T10:00:00Z')); // CEST, +02:00
    expect(ledger.sentAt[2]).toBe(Date.parse('2025-07-14T22:00:00Z'));
    expect(ledger.sentAt[3]).toBe(Date.parse('2025-07-15T12:00:00Z')); // an explicit Z wins over the zone
  });

  it('handles a BOM, CRLF, quoted commas and embedded newlines', async () => {
    const { ledger, quality, ids } = await loadSurveys(fixture('surveys-bom-crlf.csv'));
    expect(quality.quarantined).toBe(0);
    expect(ledger.surveyId).toEqual(['S1', 'S2']);
    expect(ids.customer.values).toEqual(['C1, Inc.', 'C2\r\nsecond line']);
  });

  it('reads TSV', async () => {
    const { ledger } = await loadSurveys(fixture('surveys.tsv'));
    expect(ledger.surveyId).toEqual(['S1']);
  });

  it('accepts an empty file and a header-only file as empty ledgers', async () => {
    const empty = await loadSurveys(fixture('empty.csv'));
    expect(empty.ledger.length).toBe(0);
    expect(empty.quality.warnings[0]).toMatch(/empty/);
    const headerOnly = await loadSurveys(fixture('header-only.csv'));
    expect(headerOnly.quality).toMatchObject({ rows: 0, accepted: 0, quarantined: 0 });
  });

  it('names an unreadable file', async () => {
    await expect(loadSurveys('/nonexistent/surveys.csv')).rejects.toThrow(
      '/nonexistent/surveys.csv: cannot read the file (no such file)',
    );
    // Parquet files are read through a Blob, whose own errors do not say why
    await expect(loadSurveys('/nonexistent/surveys.parquet')).rejects.toThrow(
      '/nonexistent/surveys.parquet: cannot read the file (no such file)',
    );
    const directory = join(mkdtempSync(join(tmpdir(), 'nps-dir-')), 'surveys.parquet');
    mkdirSync(directory);
    // a directory is a set of files (as Spark writes surveys.parquet/part-….parquet)
    await expect(loadSurveys(directory)).rejects.toThrow(`${directory}: the directory holds no ledger file`);
  });

  it('without a responded_at column, scored rows count as answered at sent_at', async () => {
    const rows = [{ survey_id: 'S1', customer_id: 'C', sent_at: '2025-01-15', rep_score: 4 }];
    const { ledger, quality } = await loadSurveys(rows, { repScoreScale: { min: 1, max: 5 } });
    expect(quality.accepted).toBe(1);
    expect(ledger.respondedAt[0]).toBe(ledger.sentAt[0]);
    expect(quality.warnings.join()).toMatch(/no responded_at column/);
  });
});
