import type { Ledgers } from '../ledger/types.js';
import { DAY_MS, monthShift } from './calendar.js';
import { episodeEnds } from './contactEpisodes.js';
import { coveredPeriod } from './coveredPeriod.js';
import { type CustomerIndex, indexByCustomer, windowOf } from './customerIndex.js';

/**
 * Per rep, a rep's interactions split by whether its own survey invitation
 * followed (within `surveyLag`), × whether the rep granted the customer a
 * non-recovery concession from the interaction until the invitation (or,
 * when none followed, the median interaction-to-invitation lag).
 */
export interface InteractionTable {
  /** surveyed interactions with a concession before the invitation */
  surveyedConceded: number;
  surveyed: number;
  /** unsurveyed interactions with a concession in the same span */
  unsurveyedConceded: number;
  unsurveyed: number;
}

/**
 * Per rep, its invitations that no interaction of its own triggered
 * (relationship cycles, account reviews): how many had a concession by the
 * rep to the customer in the `window` before, and the same count for placebo
 * windows shifted by ±1..±`placeboMonths` calendar months (same billing-cycle
 * phase), inside the observed period; and per customer, whether its share of
 * real windows with a concession was above (`customersAbove`) or below
 * (`customersBelow`) its share of placebo windows.
 */
export interface CycleTable {
  hits: number;
  windows: number;
  placeboHits: number;
  placeboWindows: number;
  customersAbove: number;
  customersBelow: number;
}

export interface SurveyTimedConcessions {
  interactions: InteractionTable[];
  cycles: CycleTable[];
  /** the median time from an interaction to the invitation it triggered (ms) */
  typicalLag: number;
}

/**
 * The per-rep counts behind `concession-before-survey`, by sorted sweeps per
 * customer: O((surveys + concessions + interactions) log n), no pairs
 * materialised. Without an interaction ledger every invitation is a cycle
 * invitation.
 */
export function surveyTimedConcessions(
  ledgers: Ledgers,
  recovery: Uint8Array,
  { surveyLag, window, placeboMonths }: { surveyLag: number; window: number; placeboMonths: number },
): SurveyTimedConcessions {
  const { surveys, concessions, ids } = ledgers;
  const interactions = ledgers.interactions?.columns.has('rep_id') ? ledgers.interactions : undefined;
  const customers = ids.customer.values.length;
  const reps = ids.rep.values.length;
  const invitations = indexByCustomer(
    surveys.customer,
    surveys.sentAt,
    customers,
    (i) => surveys.rep[i] >= 0,
  );
  const granted = indexByCustomer(
    concessions.customer,
    concessions.grantedAt,
    customers,
    (g) => recovery[g] === 0 && concessions.rep[g] >= 0,
  );
  const grantedBy = (customer: number, rep: number, start: number, end: number) => {
    const [from, to] = windowOf(granted, customer, start, end);
    for (let j = from; j < to; j++) if (concessions.rep[granted.order[j]] === rep) return true;
    return false;
  };

  const triggered = new Uint8Array(surveys.length);
  const tables: InteractionTable[] = Array.from({ length: reps }, () => ({
    surveyedConceded: 0,
    surveyed: 0,
    unsurveyedConceded: 0,
    unsurveyed: 0,
  }));
  let typicalLag = DAY_MS;
  if (interactions) {
    const sentAfter = new Float64Array(interactions.length).fill(Number.NaN);
    const lags: number[] = [];
    for (let x = 0; x < interactions.length; x++) {
      const rep = interactions.rep[x];
      if (rep < 0) continue;
      const survey = firstInvitation(
        invitations,
        surveys.rep,
        interactions.customer[x],
        rep,
        interactions.occurredAt[x],
        surveyLag,
      );
      if (survey < 0) continue;
      triggered[survey] = 1;
      sentAfter[x] = surveys.sentAt[survey];
      lags.push(sentAfter[x] - interactions.occurredAt[x]);
    }
    lags.sort((a, b) => a - b);
    if (lags.length) typicalLag = lags[lags.length >> 1];
    // one trial per contact episode (its last contact): repeat contacts share what follows them
    const ends = episodeEnds(interactions, customers, typicalLag);
    for (let x = 0; x < interactions.length; x++) {
      const rep = interactions.rep[x];
      if (rep < 0 || !ends[x]) continue;
      const t = interactions.occurredAt[x];
      const surveyed = !Number.isNaN(sentAfter[x]);
      // the same span for both rows (cut at the invitation), so that neither row gets more time to concede
      const conceded = grantedBy(
        interactions.customer[x],
        rep,
        t,
        Math.min(t + typicalLag, surveyed ? sentAfter[x] : Infinity),
      );
      const table = tables[rep];
      if (surveyed) {
        table.surveyed++;
        if (conceded) table.surveyedConceded++;
      } else {
        table.unsurveyed++;
        if (conceded) table.unsurveyedConceded++;
      }
    }
  }

  const [periodStart, periodEnd] = coveredPeriod(ledgers);
  const cycles: CycleTable[] = Array.from({ length: reps }, () => ({
    hits: 0,
    windows: 0,
    placeboHits: 0,
    placeboWindows: 0,
    customersAbove: 0,
    customersBelow: 0,
  }));
  // per (rep, customer): [hits, windows, placebo hits, placebo windows]
  const perCustomer = new Map<number, number[]>();
  const seen = new Set<number>();
  const placeboShifts: ((t: number) => number)[] = [];
  for (let k = -placeboMonths; k <= placeboMonths; k++)
    if (k !== 0) placeboShifts.push(monthShift(k, ledgers.timeZone));
  for (let i = 0; i < surveys.length; i++) {
    const rep = surveys.rep[i];
    if (rep < 0 || triggered[i]) continue;
    const customer = surveys.customer[i];
    const sent = surveys.sentAt[i];
    // several contacts of one account invited on one day are one cycle
    const key = (customer * reps + rep) * 4096 + (Math.floor(sent / DAY_MS) % 4096);
    if (seen.has(key)) continue;
    seen.add(key);
    const pair = customer * reps + rep;
    const counts = perCustomer.get(pair) ?? [0, 0, 0, 0];
    perCustomer.set(pair, counts);
    counts[1]++;
    if (grantedBy(customer, rep, sent - window, sent)) counts[0]++;
    for (const shift of placeboShifts) {
      const end = shift(sent);
      if (end - window < periodStart || end > periodEnd) continue;
      counts[3]++;
      if (grantedBy(customer, rep, end - window, end)) counts[2]++;
    }
  }
  for (const [pair, [hits, windows, placeboHits, placeboWindows]] of perCustomer) {
    const table = cycles[pair % reps];
    table.hits += hits;
    table.windows += windows;
    table.placeboHits += placeboHits;
    table.placeboWindows += placeboWindows;
    // without a placebo window there is nothing to compare: neither above nor below (counting it
    // above, as a placebo share of 0 did, flagged every rep of a ledger shorter than about a month)
    if (placeboWindows === 0) continue;
    const real = hits / windows;
    const placebo = placeboHits / placeboWindows;
    if (real > placebo) table.customersAbove++;
    else if (real < placebo) table.customersBelow++;
  }
  return { interactions: tables, cycles, typicalLag };
}

/** The first invitation by `rep` to `customer` in (t, t + lag], or -1. */
function firstInvitation(
  invitations: CustomerIndex,
  surveyRep: Int32Array,
  customer: number,
  rep: number,
  t: number,
  lag: number,
): number {
  const [from, to] = windowOf(invitations, customer, t, t + lag + 1);
  for (let j = from; j < to; j++) {
    if (
      invitations.times[j] > t &&
      invitations.times[j] - t <= lag &&
      surveyRep[invitations.order[j]] === rep
    ) {
      return invitations.order[j];
    }
  }
  return -1;
}
