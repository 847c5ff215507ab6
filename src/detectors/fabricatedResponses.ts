import { DAY_MS } from '../features/calendar.js';
import type { Test } from '../findings/types.js';
import { stringAt } from '../ledger/packed-strings.js';
import { zoneOffset } from '../ledger/timestamp.js';
import type { Ledgers, SurveyLedger } from '../ledger/types.js';
import { numberOption } from '../options.js';
import { percent, round } from './format.js';
import { compareWithPeers, fitPeerPrior, median } from './repPeers.js';
import type { Detector, DetectorResult } from './types.js';

/** Options of {@link detectFabricatedResponses}. */
export interface FabricatedResponsesOptions {
  /** A response within this many minutes of its invitation counts as instant. Default `10`. */
  instantMinutes?: number;
  /** Reps with fewer responses are listed untested. Default `10`. */
  minResponses?: number;
  /** Length of the window for bursts, in minutes (evidence only). Default `60`. */
  burstMinutes?: number;
  /** A window holding at least this many of the rep's responses is a burst (evidence only). Default `5`. */
  burstSize?: number;
  /** A contact or device answering for at least this many of the rep's customers counts as shared (evidence only). Default `3`. */
  sharedMinCustomers?: number;
  /** Example survey ids per rep in the evidence. Default `20`. */
  maxExamples?: number;
}

const MINUTE_MS = 60_000;

/**
 * Find reps whose surveys look filled in by the rep: responses minutes after
 * the invitation far more often than peers, with bursts, identical answers
 * and one contact/device answering for many customers as supporting evidence.
 *
 * Method. One test per rep with at least `minResponses` responses: the
 * primary signal, the share of responses within `instantMinutes` of the
 * invitation, against the beta-binomial fitted to all tested reps (trimmed
 * of extreme reps, see `repPeers.ts`). The beta-binomial puts honest
 * between-rep spread (channel mix, customer mix) into the null, so the
 * one-sided upper-tail p-value is valid for an honest rep. Bursts, the share
 * of the modal (ltr, rep_score) pair and shared contacts/devices are reported
 * as evidence with peer values but do not enter the p-value: their null
 * distributions are clumpy (households, excellent reps) and a combined test
 * would be harder to trust than one clean test. This keeps one test (one
 * FDR entry) per rep.
 *
 * Effect: the rep's instant-response share minus the peers' mean share, with
 * the rep's 95% Clopper–Pearson interval shifted by the same peer mean.
 *
 * Needs `responded_at` in the survey ledger.
 * Cost: O(surveys log surveys) for grouping and sorting, O(Σ responses) tails.
 *
 * @example
 * const result = detectFabricatedResponses(ledgers, { instantMinutes: 5 });
 * if (result.ran) result.tests.filter((t) => t.pValue < 0.001);
 */
export function detectFabricatedResponses(
  ledgers: Ledgers,
  options: FabricatedResponsesOptions = {},
): DetectorResult {
  const o = options as Record<string, unknown>;
  const instantMinutes = numberOption(o, 'instantMinutes', 10, { min: 0, max: 1440 });
  const minResponses = numberOption(o, 'minResponses', 10, { min: 2, integer: true });
  const burstMinutes = numberOption(o, 'burstMinutes', 60, { min: 1, max: 1440 });
  const burstSize = numberOption(o, 'burstSize', 5, { min: 2, integer: true });
  const sharedMinCustomers = numberOption(o, 'sharedMinCustomers', 3, { min: 2, integer: true });
  const maxExamples = numberOption(o, 'maxExamples', 20, { min: 0, integer: true });

  const s = ledgers.surveys;
  if (!s.columns.has('responded_at')) {
    return { ran: false, reason: 'the survey ledger has no responded_at column: response timing is unknown' };
  }
  if (!s.columns.has('rep_id')) {
    return {
      ran: false,
      reason: 'the survey ledger has no rep_id column: responses cannot be attributed to reps',
    };
  }
  const { byRep, responses, dateOnly, dateOnlyOf } = responsesByRep(s, ledgers.timeZone ?? 'UTC');
  if (dateOnly > 0 && dateOnly >= responses / 2) {
    return {
      ran: false,
      reason:
        `responded_at has no time of day (a date alone, read as midnight) for ${dateOnly} of ${responses} responses: ` +
        'how many minutes a response took is unknown',
    };
  }
  const instantMs = instantMinutes * MINUTE_MS;
  const hasContact = s.columns.has('contact');
  const hasDevice = s.columns.has('device');

  const stats = [...byRep].map(([rep, rows]) => {
    let instant = 0;
    const examples: string[] = [];
    for (const i of rows) {
      if (s.respondedAt[i] - s.sentAt[i] <= instantMs) {
        instant++;
        if (examples.length < maxExamples) examples.push(stringAt(s, 'surveyId', i));
      }
    }
    return {
      rep,
      rows,
      n: rows.length,
      k: instant,
      examples,
      medianMinutes: median(rows.map((i) => (s.respondedAt[i] - s.sentAt[i]) / MINUTE_MS)),
      burst: burstShare(s, rows, burstMinutes * MINUTE_MS, burstSize),
      modal: modalPair(s, rows),
      contact: hasContact ? shared(s.contact, s, rows, sharedMinCustomers) : undefined,
      device: hasDevice ? shared(s.device, s, rows, sharedMinCustomers) : undefined,
    };
  });
  const tested = stats.filter((r) => r.n >= minResponses);
  if (tested.length < 3) {
    return {
      ran: false,
      reason: `only ${tested.length} rep(s) have at least ${minResponses} responses: a peer comparison needs 3 or more`,
    };
  }
  const prior = fitPeerPrior(
    tested.map((r) => r.k),
    tested.map((r) => r.n),
    'upper',
  );
  const peerMedianShare = median(tested.map((r) => r.k / r.n));
  const peerMedianBurst = median(tested.map((r) => r.burst.share));
  const peerMedianModal = median(tested.map((r) => r.modal.share));
  const peerMedianContact = hasContact ? median(tested.map((r) => r.contact?.share ?? 0)) : undefined;
  const peerMedianDevice = hasDevice ? median(tested.map((r) => r.device?.share ?? 0)) : undefined;
  const repNames = ledgers.ids.rep.values;

  const tests: Test[] = [];
  const table: Record<string, unknown>[] = [];
  for (const r of stats) {
    const id = repNames[r.rep];
    const row: Record<string, unknown> = {
      entityType: 'rep',
      entity: id,
      tested: r.n >= minResponses,
      responses: r.n,
      instantResponses: r.k,
      instantShare: round(r.k / r.n),
      peerInstantShare: round(prior.mean),
      burstShare: round(r.burst.share),
      modalPair: r.modal.pair,
      modalShare: round(r.modal.share),
      ...(r.contact ? { sharedContactResponses: r.contact.responses } : {}),
      ...(r.device ? { sharedDeviceResponses: r.device.responses } : {}),
      ...(dateOnlyOf.has(r.rep) ? { dateOnlyResponsesLeftOut: dateOnlyOf.get(r.rep) } : {}),
    };
    if (r.n < minResponses) {
      table.push(row);
      continue;
    }
    const cmp = compareWithPeers(r.k, r.n, prior, 'upper');
    const effect = cmp.rate - prior.mean;
    row.shrunkInstantShare = round(cmp.shrunkRate);
    row.pValue = cmp.pValue;
    table.push(row);
    const evidence: Record<string, unknown> = {
      responses: r.n,
      instantResponses: r.k,
      instantMinutes,
      instantShare: round(cmp.rate),
      instantShareCi: cmp.rateCi.map((x) => round(x)),
      shrunkInstantShare: round(cmp.shrunkRate),
      peerInstantShare: round(prior.mean),
      peerMedianInstantShare: round(peerMedianShare),
      peerOverdispersion: round(prior.overdispersion, 6),
      peers: prior.fitted,
      peersTrimmed: prior.trimmed,
      medianMinutesToRespond: round(r.medianMinutes, 1),
      ...(dateOnlyOf.has(r.rep) ? { dateOnlyResponsesLeftOut: dateOnlyOf.get(r.rep) } : {}),
      burst: {
        windowMinutes: burstMinutes,
        minSize: burstSize,
        responsesInBursts: r.burst.responses,
        share: round(r.burst.share),
        peerMedianShare: round(peerMedianBurst),
        largestWindow: r.burst.largest,
      },
      identicalAnswers: {
        modalPair: r.modal.pair,
        count: r.modal.count,
        share: round(r.modal.share),
        peerMedianShare: round(peerMedianModal),
      },
      ...(r.contact && peerMedianContact !== undefined
        ? { sharedContact: sharedEvidence(r.contact, sharedMinCustomers, peerMedianContact) }
        : {}),
      ...(r.device && peerMedianDevice !== undefined
        ? { sharedDevice: sharedEvidence(r.device, sharedMinCustomers, peerMedianDevice) }
        : {}),
      exampleSurveyIds: r.examples,
    };
    tests.push({
      detector: 'fabricated-responses',
      entity: { type: 'rep', id },
      effect,
      effectLabel: `excess share of responses within ${instantMinutes} minutes of the invitation over peers`,
      ci: [cmp.rateCi[0] - prior.mean, cmp.rateCi[1] - prior.mean],
      pValue: cmp.pValue,
      evidence,
      summary: summaryOf(
        id,
        instantMinutes,
        cmp.rate,
        prior.mean,
        r.n,
        ...mostShared(r.device, r.contact),
        sharedMinCustomers,
      ),
    });
  }
  // reps whose every response was a date without a time: listed, not tested
  for (const [rep, n] of dateOnlyOf) {
    if (!byRep.has(rep))
      table.push({
        entityType: 'rep',
        entity: repNames[rep],
        tested: false,
        responses: 0,
        dateOnlyResponsesLeftOut: n,
      });
  }
  return { ran: true, tests, table };
}

/**
 * Survey rows with a response and a rep, grouped by rep code (rep order of first appearance),
 * leaving out those whose responded_at falls exactly at midnight in `zone`:
 * a date without a time (timed to the second, one genuine response in 86,400 falls there: leaving
 * it out costs nothing; at 1M surveys the p-values moved by ~1e-7, the flags not at all). Measured from
 * midnight, a same-day response would look instant, and a day's responses one burst: on the demo
 * world with dates alone, peers "responded within 10 minutes" 78% of the time, and a rep 99%.
 */
function responsesByRep(s: SurveyLedger, zone: string) {
  const byRep = new Map<number, number[]>();
  /** per rep, its responses left out as dates without a time */
  const dateOnlyOf = new Map<number, number>();
  let responses = 0;
  let dateOnly = 0;
  const utc = zone === 'UTC' || zone === 'Etc/UTC';
  for (let i = 0; i < s.length; i++) {
    const rep = s.rep[i];
    const t = s.respondedAt[i];
    if (rep < 0 || Number.isNaN(t)) continue;
    responses++;
    if ((t + (utc ? 0 : zoneOffset(t, zone))) % DAY_MS === 0) {
      dateOnly++;
      dateOnlyOf.set(rep, (dateOnlyOf.get(rep) ?? 0) + 1);
      continue;
    }
    let rows = byRep.get(rep);
    if (!rows) {
      rows = [];
      byRep.set(rep, rows);
    }
    rows.push(i);
  }
  return { byRep, responses, dateOnly, dateOnlyOf };
}

/** Share of a rep's responses that fall in a window of `windowMs` holding at least `size` of them. */
function burstShare(s: SurveyLedger, rows: number[], windowMs: number, size: number) {
  const times = rows.map((i) => s.respondedAt[i]).sort((a, b) => a - b);
  const inBurst = new Uint8Array(times.length);
  let largest = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi] - times[lo] > windowMs) lo++;
    const count = hi - lo + 1;
    if (count > largest) largest = count;
    if (count >= size) inBurst.fill(1, lo, hi + 1);
  }
  let responses = 0;
  for (const b of inBurst) responses += b;
  return { responses, share: times.length ? responses / times.length : 0, largest };
}

/** The most frequent (ltr, rep_score) pair among a rep's responses and its share. */
function modalPair(s: SurveyLedger, rows: number[]) {
  const counts = new Map<number, number>();
  let best = -1;
  let count = 0;
  for (const i of rows) {
    const key = (s.ltr[i] + 1) * 256 + (s.repScore[i] + 1);
    const c = (counts.get(key) ?? 0) + 1;
    counts.set(key, c);
    if (c > count) {
      count = c;
      best = key;
    }
  }
  const ltr = Math.floor(best / 256) - 1;
  const rs = (best % 256) - 1;
  const show = (x: number) => (x < 0 ? '–' : String(x));
  return { pair: `${show(ltr)}/${show(rs)}`, count, share: rows.length ? count / rows.length : 0 };
}

interface Shared {
  /** responses whose contact/device answers for >= min distinct customers of this rep */
  responses: number;
  share: number;
  /** the most customers behind one contact/device */
  maxCustomers: number;
}

/** Contacts/devices that answer for many distinct customers of one rep. */
function shared(codes: Int32Array, s: SurveyLedger, rows: number[], min: number): Shared {
  const customers = new Map<number, Set<number>>();
  for (const i of rows) {
    const code = codes[i];
    if (code < 0) continue;
    let set = customers.get(code);
    if (!set) {
      set = new Set();
      customers.set(code, set);
    }
    set.add(s.customer[i]);
  }
  let maxCustomers = 0;
  for (const set of customers.values()) maxCustomers = Math.max(maxCustomers, set.size);
  let responses = 0;
  for (const i of rows) {
    const set = codes[i] >= 0 ? customers.get(codes[i]) : undefined;
    if (set && set.size >= min) responses++;
  }
  return { responses, share: rows.length ? responses / rows.length : 0, maxCustomers };
}

function sharedEvidence(x: Shared, min: number, peerMedianShare: number) {
  return {
    minCustomers: min,
    responsesOnShared: x.responses,
    share: round(x.share),
    peerMedianShare: round(peerMedianShare),
    maxCustomersOnOne: x.maxCustomers,
  };
}

/** The shared identifier behind the most customers: the device, else the contact. */
function mostShared(
  device: Shared | undefined,
  contact: Shared | undefined,
): [Shared | undefined, 'device' | 'contact'] {
  if (device && (!contact || device.maxCustomers >= contact.maxCustomers)) return [device, 'device'];
  return [contact, 'contact'];
}

function summaryOf(
  id: string,
  minutes: number,
  rate: number,
  peer: number,
  n: number,
  sharedId: Shared | undefined,
  kind: 'device' | 'contact',
  min: number,
): string {
  const base = `${id}'s customers responded within ${minutes} minutes of the invitation ${percent(rate)} of the time vs ${percent(peer)} for peers (${n} responses)`;
  const many =
    sharedId && sharedId.maxCustomers >= min
      ? `, and one ${kind} answered for ${sharedId.maxCustomers} customers`
      : '';
  return `${base}${many}.`;
}

/** The `fabricated-responses` detector for the registry. */
export const fabricatedResponsesDetector: Detector = {
  id: 'fabricated-responses',
  reads: ['surveys'],
  readsOmittable: ['contact', 'device'],
  options: [
    'instantMinutes',
    'minResponses',
    'burstMinutes',
    'burstSize',
    'sharedMinCustomers',
    'maxExamples',
  ],
  description:
    'Reps whose customers answer within minutes of the invitation far more often than peers (beta-binomial), with bursts, identical answers and shared contacts/devices as evidence.',
  run: (ledgers, options) => detectFabricatedResponses(ledgers, options as FabricatedResponsesOptions),
};
