import { DEFAULT_NON_RECOVERY_REASONS, recoveryMask } from '../features/concessionKinds.js';
import { indexByCustomer, windowOf } from '../features/customerIndex.js';
import { customersPerRep } from '../features/customersPerRep.js';
import type { Test } from '../findings/types.js';
import { stringAt } from '../ledger/packed-strings.js';
import type { Ledgers } from '../ledger/types.js';
import { numberOption, stringListOption } from '../options.js';
import { poissonRateRatioTest } from '../stats/poissonRateRatioTest.js';
import { poissonTest } from '../stats/poissonTest.js';
import { DAY_MS, round } from './format.js';
import type { Detector, DetectorResult } from './types.js';

/** Options of {@link detectConcessionDuringSurvey}. */
export interface ConcessionDuringSurveyOptions {
  /** Reps with fewer answered invitations are listed but not tested. Default 5. */
  minResponses?: number;
  /** A survey open longer than this many days counts as open this long (caps exposure). Default 30. */
  maxOpenDays?: number;
  /** Reasons that do not mark service recovery. Default {@link DEFAULT_NON_RECOVERY_REASONS}. */
  nonRecoveryReasons?: string[];
}

/**
 * `concession-during-survey` (rep): concessions a rep grants to a customer
 * between inviting them to a survey and their response.
 *
 * Legitimately rare, so small counts matter. The expected count comes from
 * the rep's own concession rate and the time its surveys stood open: the
 * rep grants `N` non-recovery concessions to `C` customers over a period of
 * `T` days, a rate of `N / (C T)` per customer-day, and its surveys were open
 * `E` customer-days in all, so by chance `N E / (C T)` would fall inside.
 * Concessions do cluster after interactions (follow-ups), so the rep's
 * observed/expected ratio is compared with its peers' pooled ratio by an
 * exact conditional test of two Poisson rates (a generous rep has a high
 * expected count, not a high ratio).
 */
export function detectConcessionDuringSurvey(
  ledgers: Ledgers,
  options: ConcessionDuringSurveyOptions = {},
): DetectorResult {
  const o = options as Record<string, unknown>;
  const minResponses = numberOption(o, 'minResponses', 5, { min: 1, integer: true });
  const maxOpenDays = numberOption(o, 'maxOpenDays', 30, { min: 0.01 });
  const nonRecovery = stringListOption(o, 'nonRecoveryReasons', DEFAULT_NON_RECOVERY_REASONS);
  const { surveys, concessions, ids } = ledgers;
  if (concessions.length === 0) return { ran: false, reason: 'the concession ledger is empty' };
  if (!surveys.columns.has('responded_at'))
    return { ran: false, reason: 'the survey ledger has no responded_at column' };
  if (!concessions.columns.has('rep_id') || !surveys.columns.has('rep_id')) {
    return { ran: false, reason: 'rep_id is missing from the survey or concession ledger' };
  }

  const recovery = recoveryMask(concessions, ids, nonRecovery);
  const byCustomer = indexByCustomer(
    concessions.customer,
    concessions.grantedAt,
    ids.customer.values.length,
    (g) => recovery[g] === 0 && concessions.rep[g] >= 0,
  );

  const reps = ids.rep.values.length;
  const during = new Float64Array(reps);
  const openMs = new Float64Array(reps);
  const responses = new Int32Array(reps);
  const found: Example[][] = Array.from({ length: reps }, () => []);
  const answered = indexByCustomer(
    surveys.customer,
    surveys.sentAt,
    ids.customer.values.length,
    (i) => surveys.rep[i] >= 0 && !Number.isNaN(surveys.respondedAt[i]),
  );
  // Per rep and customer, the union of the surveys' open spans (each capped at maxOpenDays): the
  // contacts of one account invited together stand open at once, and a concession granted then is
  // one event, not one per open survey (counting it per survey made a 5-contact account's single
  // concession five independent events: 2.7% of p <= 0.001 where 0.1% was due).
  const flush = (span: OpenSpan) => {
    // whole milliseconds add up exactly in any order (the SQL path sums them in its own)
    openMs[span.rep] += span.until - span.sent;
    const [from, to] = windowOf(byCustomer, span.customer, span.sent, span.until + 1);
    for (let j = from; j < to; j++) {
      const g = byCustomer.order[j];
      const t = byCustomer.times[j];
      if (concessions.rep[g] !== span.rep || t <= span.sent || t > span.until) continue;
      during[span.rep]++;
      found[span.rep].push({ survey: span.survey, time: t, concession: g });
    }
  };
  for (let c = 0; c < answered.offsets.length - 1; c++) {
    const open = new Map<number, OpenSpan>();
    for (let j = answered.offsets[c]; j < answered.offsets[c + 1]; j++) {
      const i = answered.order[j];
      const rep = surveys.rep[i];
      const sent = surveys.sentAt[i];
      // the concessions count over the same capped span as the exposure
      const until = Math.min(surveys.respondedAt[i], sent + maxOpenDays * DAY_MS);
      responses[rep]++;
      const span = open.get(rep);
      if (span && sent < span.until) span.until = Math.max(span.until, until);
      else {
        if (span) flush(span);
        open.set(rep, { rep, customer: c, sent, until, survey: i });
      }
    }
    for (const span of open.values()) flush(span);
  }
  const openDays = openMs.map((ms) => ms / DAY_MS);
  // the first examples in survey row order, as the SQL path lists them
  const examples = found.map((list) =>
    list
      .sort((a, b) => a.survey - b.survey || a.time - b.time || a.concession - b.concession)
      .slice(0, 20)
      .map(
        (e) =>
          `${stringAt(concessions, 'concessionId', e.concession)} in ${stringAt(surveys, 'surveyId', e.survey)}`,
      ),
  );

  // The rep's concession rate per customer-day: its concessions over the customers it served and the period.
  const served = customersPerRep(
    [surveys, { customer: concessions.customer, rep: concessions.rep, keep: (g) => recovery[g] === 0 }],
    ids.customer.values.length,
    reps,
  );
  const given = new Float64Array(reps);
  let start = Infinity;
  let end = -Infinity;
  for (let i = 0; i < surveys.length; i++) {
    start = Math.min(start, surveys.sentAt[i]);
    end = Math.max(end, surveys.sentAt[i]);
  }
  for (let g = 0; g < concessions.length; g++) {
    const rep = concessions.rep[g];
    if (rep < 0 || recovery[g]) continue;
    given[rep]++;
    start = Math.min(start, concessions.grantedAt[g]);
    end = Math.max(end, concessions.grantedAt[g]);
  }
  const periodDays = Math.max(1, (end - start) / DAY_MS);
  const expected = Float64Array.from({ length: reps }, (_, r) =>
    served[r] ? (given[r] / (served[r] * periodDays)) * openDays[r] : 0,
  );

  const tested = Array.from({ length: reps }, (_, r) => r).filter(
    (r) => responses[r] >= minResponses && expected[r] > 0,
  );
  if (tested.length < 3) {
    return { ran: false, reason: `fewer than 3 reps have ${minResponses} answered surveys and concessions` };
  }
  const totalDuring = tested.reduce((a, r) => a + during[r], 0);
  const totalExpected = tested.reduce((a, r) => a + expected[r], 0);

  const tests: Test[] = tested.map((r) => {
    const id = ids.rep.values[r];
    const peersDuring = totalDuring - during[r];
    const peersExpected = totalExpected - expected[r];
    // With no concession during any open survey at all there is nothing to test: p = 1 exactly.
    const pValue =
      during[r] + peersDuring === 0
        ? 1
        : poissonRateRatioTest(during[r], expected[r], peersDuring, peersExpected, { alternative: 'greater' })
            .pValue;
    const peerRatio = peersExpected > 0 ? peersDuring / peersExpected : 0;
    const ratio = during[r] / expected[r];
    // Effect: excess concessions during open surveys per 100 answered surveys, over what the rep's own
    // rate and the peers' uplift predict (finite even when peers never concede during a survey, where
    // a rate ratio is unbounded); interval from the exact Poisson interval of the rep's count.
    const predicted = expected[r] * peerRatio;
    const per100 = 100 / responses[r];
    const [low, high] = poissonTest(during[r], 1, 1, { alternative: 'two-sided' }).ci;
    const ci: [number, number] = [round((low - predicted) * per100), round((high - predicted) * per100)];
    return {
      detector: 'concession-during-survey',
      entity: { type: 'rep', id },
      effect: round((during[r] - predicted) * per100),
      effectLabel:
        'excess concessions while its surveys were open, per 100 answered surveys, over its own rate and peers',
      ci,
      pValue,
      evidence: {
        concessionsDuring: during[r],
        expectedFromOwnRate: round(expected[r], 3),
        observedOverExpected: round(ratio, 3),
        peersObservedOverExpected: round(peerRatio, 3),
        predictedFromPeers: round(predicted, 3),
        answeredSurveys: responses[r],
        surveyOpenDays: round(openDays[r], 2),
        examples: examples[r],
      },
      summary:
        `${id} granted ${during[r]} concession(s) to customers while their survey was open (between invitation and ` +
        `response), ${round(ratio, 1)}× what its own concession rate predicts vs ${round(peerRatio, 1)}× for peers.`,
    };
  });
  const table = Array.from({ length: reps }, (_, r) => ({
    rep: ids.rep.values[r],
    answeredSurveys: responses[r],
    concessionsDuring: during[r],
    expected: round(expected[r], 3),
    tested: tested.includes(r),
  }));
  return { ran: true, tests, table };
}

/** One stretch during which a rep had a survey open with a customer (the union of overlapping ones). */
interface OpenSpan {
  rep: number;
  customer: number;
  sent: number;
  until: number;
  /** the first survey of the stretch (its row) */
  survey: number;
}

interface Example {
  survey: number;
  time: number;
  concession: number;
}

export const concessionDuringSurveyDetector: Detector = {
  id: 'concession-during-survey',
  reads: ['surveys', 'concessions'],
  options: ['minResponses', 'maxOpenDays', 'nonRecoveryReasons'],
  description: "Reps who grant concessions between a survey's invitation and the customer's response.",
  run: (ledgers, options) => detectConcessionDuringSurvey(ledgers, options),
};
