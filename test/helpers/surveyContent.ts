import { loadSurveys } from '../../src/ledger/load.js';

/** A survey load's accepted rows (ids, customers, times, scores, source rows) and its accounting, comparable across input forms. */
export async function surveyContent(input: string) {
  const { ledger, quality, ids } = await loadSurveys(input);
  return {
    rows: {
      ids: [...ledger.surveyId],
      customers: Array.from(ledger.customer, (c) => ids.customer.values[c]),
      sent: Array.from(ledger.sentAt),
      scores: Array.from(ledger.repScore),
      sourceRows: Array.from(ledger.sourceRow),
    },
    quality,
  };
}
