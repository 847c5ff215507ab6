import { describe, expect, it } from 'vitest';
import { coveredPeriod } from '../../src/features/coveredPeriod.js';
import { loadLedgers } from '../../src/ledger/load.js';

describe('coveredPeriod', () => {
  it('is the span both ledgers cover: a concession export that starts later cuts the placebo period', async () => {
    const ledgers = await loadLedgers({
      surveys: [
        { survey_id: 'S1', customer_id: 'C1', sent_at: '2025-01-05T00:00:00Z' },
        { survey_id: 'S2', customer_id: 'C1', sent_at: '2025-12-20T00:00:00Z' },
      ],
      concessions: [
        {
          concession_id: 'K1',
          customer_id: 'C1',
          granted_at: '2025-04-01T00:00:00Z',
          amount: 1,
          category: 'credit',
        },
        {
          concession_id: 'K2',
          customer_id: 'C1',
          granted_at: '2026-02-01T00:00:00Z',
          amount: 1,
          category: 'credit',
        },
      ],
    });
    expect(coveredPeriod(ledgers)).toEqual([
      Date.parse('2025-04-01T00:00:00Z'),
      Date.parse('2025-12-20T00:00:00Z'),
    ]);
  });
});
