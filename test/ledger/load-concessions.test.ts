import { describe, expect, it } from 'vitest';
import { loadConcessions, loadInteractions, loadLedgers } from '../../src/ledger/load.js';

const fixture = (name: string) => new URL(`../fixtures/ledger/${name}`, import.meta.url).pathname;

describe('loadConcessions', () => {
  it('loads amounts, categories and reasons', async () => {
    const { ledger, quality, ids } = await loadConcessions(fixture('concessions.csv'));
    expect(quality.accepted).toBe(3);
    expect(Array.from(ledger.amount)).toEqual([25, 0, 10.5]);
    expect(Array.from(ledger.category, (c) => ids.category.values[c])).toEqual([
      'credit',
      'service',
      'fee_waiver',
    ]);
    expect(Array.from(ledger.reason)).toEqual([0, -1, 1]);
  });

  it('quarantines negative, non-numeric amounts, empty categories, duplicates and bad timestamps', async () => {
    const { quality } = await loadConcessions(fixture('concessions-bad.csv'));
    expect(quality.reasons).toEqual({
      'negative-amount': 1,
      'bad-amount': 1,
      'missing-category': 1,
      'duplicate-id': 1,
      'bad-timestamp': 1,
    });
    expect(quality.examples['bad-amount']?.[0]).toMatchObject({ row: 3, column: 'amount', value: 'lots' });
  });

  it('says what a bad amount looks like and what to write (currencies, thousands separators, decimal commas)', async () => {
    const amounts = ['$12.50', '12.50 EUR', '1,234.50', '12,50', 'lots', ''];
    const { quality } = await loadConcessions(
      amounts.map((amount, i) => ({
        concession_id: `K${i}`,
        customer_id: 'C1',
        granted_at: '2025-03-01T10:00:00Z',
        amount,
        category: 'credit',
      })),
    );
    expect(quality.reasons).toEqual({ 'bad-amount': 6 });
    expect(quality.examples['bad-amount']?.map((e) => e.message)).toEqual([
      'amount "$12.50" is not a number (write the number alone, without a currency)',
      'amount "12.50 EUR" is not a number (write the number alone, without a currency)',
      'amount "1,234.50" is not a number (write it with a decimal point and no thousands separators, e.g. 1234.50)',
      'amount "12,50" is not a number (write it with a decimal point and no thousands separators, e.g. 1234.50)',
      'amount "lots" is not a number',
    ]);
  });
});

describe('loadInteractions', () => {
  it('reads resolved as a tri-state and quarantines non-booleans', async () => {
    const { ledger } = await loadInteractions(fixture('interactions.csv'));
    expect(Array.from(ledger.resolved)).toEqual([1, 0, -1]);
    const rows = [{ interaction_id: 'I1', customer_id: 'C', occurred_at: '2025-01-01', resolved: 'maybe' }];
    const bad = await loadInteractions(rows);
    expect(bad.quality.reasons).toEqual({ 'bad-boolean': 1 });
  });
});

describe('loadLedgers', () => {
  it('applies a flat mapping where a ledger has the mapped column, and per-ledger mappings', async () => {
    const surveys = [{ id: 'S1', acct: 'C1', invited: '2025-01-01' }];
    const concessions = [
      { concession_id: 'K1', acct: 'C1', granted_at: '2025-01-01', amount: 1, category: 'credit' },
    ];
    const ledgers = await loadLedgers(
      { surveys, concessions },
      { columns: { customer_id: 'acct', surveys: { survey_id: 'id', sent_at: 'invited' } } },
    );
    expect(ledgers.quality.surveys.accepted).toBe(1);
    expect(ledgers.surveys.customer[0]).toBe(ledgers.concessions.customer[0]);
    await expect(loadLedgers({ surveys, concessions }, { columns: { cust: 'acct' } })).rejects.toThrow(
      'column mapping: unknown canonical column "cust"',
    );
  });

  it('warns when almost no concession names a customer or rep of the surveys (ids from another system)', async () => {
    const surveys = Array.from({ length: 200 }, (_, i) => ({
      survey_id: `S${i}`,
      customer_id: `C${i}`,
      rep_id: `R${i % 10}`,
      sent_at: '2025-03-01T10:00:00Z',
    }));
    const concession = (i: number, customer: string, rep: string) => ({
      concession_id: `K${i}`,
      customer_id: customer,
      rep_id: rep,
      granted_at: '2025-02-28T10:00:00Z',
      amount: 5,
      category: 'credit',
    });
    // the same customers, lower-cased in the concession system; the reps by another numbering
    const foreign = surveys.map((_, i) => concession(i, `c${i}`, `agent-${i % 10}`));
    const warned = await loadLedgers({ surveys, concessions: foreign });
    expect(warned.quality.concessions.warnings).toEqual([
      '0 of 200 concessions name a customer_id that the surveys hold (e.g. "c0" here, "C0" there): do the two ledgers use the same customer_ids? The timing detectors join them on it',
      '0 of 200 concessions name a rep_id that the surveys hold (e.g. "agent-0" here, "R0" there): do the two ledgers use the same rep_ids? The timing detectors join them on it',
    ]);
    // most concessions for customers never surveyed, as a sampled survey programme has: no warning
    const sampled = surveys.map((_, i) => concession(i, i < 10 ? `C${i}` : `X${i}`, `R${i % 10}`));
    const fine = await loadLedgers({ surveys, concessions: sampled });
    expect(fine.quality.concessions.warnings).toEqual([]);
  });

  it('shares one id dictionary across the ledgers', async () => {
    const ledgers = await loadLedgers({
      surveys: fixture('surveys.csv'),
      concessions: fixture('concessions.csv'),
      interactions: fixture('interactions.csv'),
    });
    const { customer } = ledgers.ids;
    expect(customer.values[ledgers.concessions.customer[0]]).toBe('C1');
    expect(ledgers.concessions.customer[0]).toBe(ledgers.surveys.customer[0]);
    expect(ledgers.interactions?.rep[2]).toBe(ledgers.surveys.rep[2]);
    expect(ledgers.quality.interactions?.accepted).toBe(3);
  });
});
