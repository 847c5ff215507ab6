import { createRandom, type Random } from '../stats/random.js';
import { DAY_MS, formatAmount, HOUR_MS, hashHex, hashInts, isoTimestamp, MINUTE_MS } from './format.js';
import { CHANNEL_EFFECT, CHANNELS, pickAgent, RECENT_SIZE, type World } from './world.js';

/**
 * The event model: one independent random stream per customer and month
 * (seeded by hashing the world's event seed with the customer and month
 * indices), and one `fork()` per event inside it, so that changing one
 * event's draws (a planted behaviour, an extra rep) never reshuffles the
 * rest of the world.
 *
 * Rows are handed to a {@link RowSink} without their id, keyed by their own
 * timestamp; the sink orders them and numbers them.
 */
export interface RowSink {
  /** `rest` = the CSV cells after the id, comma-joined */
  survey(time: number, rest: string): void;
  concession(time: number, rest: string): void;
  interaction(time: number, rest: string): void;
}

/** Mean raw rep score and ltr before rounding: ltr runs ~1.5 below rep score. */
const RS_MEAN = 8.7;
const LTR_MEAN = 7.2;

const ROUTINE_ISSUES = [
  'technical',
  'general',
  'plan_change',
  'install',
  'cancellation',
  'complaint',
] as const;
const ROUTINE_WEIGHTS = [0.36, 0.26, 0.18, 0.08, 0.07, 0.05];
const FAILURE_RATE: Record<string, number> = {
  technical: 0.2,
  general: 0.06,
  plan_change: 0.08,
  install: 0.25,
  cancellation: 0.15,
  complaint: 0.3,
  billing: 0.15,
  outage: 0.75,
};
/** Share of a detractor's follow-ups done within a day, later, never (honest reps). */
const FOLLOW_UP_FAST = 0.82;
const FOLLOW_UP_LATE = 0.93;
/** The non-revenue categories gaming reps favour. */
const NON_REVENUE = ['service', 'free_product', 'upgrade', 'fee_waiver'] as const;

/** Median amount per category (lognormal, sd 0.6 on the log scale). */
const MEDIAN_AMOUNT: Record<string, number> = {
  credit: 20,
  discount: 15,
  fee_waiver: 12,
  free_product: 40,
  upgrade: 25,
  service: 60,
};

function pickIndex(u: number, weights: readonly number[]): number {
  for (let i = 0; i < weights.length - 1; i++) {
    u -= weights[i];
    if (u < 0) return i;
  }
  return weights.length - 1;
}

function amountOf(ev: Random, category: string, factor = 1): string {
  const a = MEDIAN_AMOUNT[category] * factor * Math.exp(ev.normal(0, 0.6));
  return formatAmount(Math.min(2000, Math.max(1, a)));
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

/** Score adjustments of one episode (failure, recovery, bought concession …). */
interface Episode {
  rs: number;
  ltr: number;
  /** added to the response probability */
  respond: number;
}

/** Per customer-month context shared by the event handlers. */
class CustomerMonth {
  readonly id: string;
  readonly household: number;

  constructor(
    readonly world: World,
    readonly sink: RowSink,
    readonly c: number,
  ) {
    this.id = world.customerIds(c);
    this.household = world.customers.household[c];
  }

  private contact0 = '';
  private device0 = '';

  contact(k: number): string {
    if (k > 0) return hashHex('ct', this.world.seed, 1, this.household, k);
    if (this.contact0 === '') this.contact0 = hashHex('ct', this.world.seed, 1, this.household, 0);
    return this.contact0;
  }

  device(k: number): string {
    if (k > 0) return hashHex('dv', this.world.seed, 2, this.household, k);
    if (this.device0 === '') this.device0 = hashHex('dv', this.world.seed, 2, this.household, 0);
    return this.device0;
  }

  repId(rep: number): string {
    return rep >= 0 ? this.world.reps.id[rep] : '';
  }

  concession(time: number, rep: number, amount: string, category: string, reason: string): void {
    this.sink.concession(
      time,
      `${this.id},${this.repId(rep)},${isoTimestamp(time)},${amount},${category},${reason}`,
    );
  }

  /** An escalating concession extracted by an account (amount grows ×1.3 per extraction). */
  extracted(ev: Random, time: number, rep: number, reason: string): void {
    const customers = this.world.customers;
    const k = Math.min(customers.extractCount[this.c], 12);
    customers.extractCount[this.c]++;
    const amount = 25 * 1.3 ** k * Math.exp(ev.normal(0, 0.15));
    this.concession(time, rep, formatAmount(amount), ev.bernoulli(0.6) ? 'credit' : 'discount', reason);
  }

  /** A service interaction and everything it triggers. */
  interaction(ev: Random, t: number, issue: string, contactIndex: number, demand: boolean): void {
    const { world } = this;
    const { reps, customers, config } = world;
    const c = this.c;
    const rep = pickAgent(world, ev.uniform());
    const channel = ev.uniform() < 0.8 ? reps.channel[rep] : ev.int(CHANNELS.length);
    const troubled = customers.troubled[c] === 1;
    const pFail = clamp(
      FAILURE_RATE[issue] *
        (troubled ? 2.5 : 1) *
        Math.exp(-0.6 * (reps.quality[rep] + reps.excellence[rep])),
      0,
      0.92,
    );
    const failed = ev.uniform() < pFail;
    this.sink.interaction(
      t,
      `${this.id},${reps.id[rep]},${isoTimestamp(t)},${issue},${failed ? 'false' : 'true'}`,
    );
    const slot = rep * RECENT_SIZE + (world.recentCount[rep] % RECENT_SIZE);
    world.recent[slot] = c;
    world.recentCount[rep]++;

    const episode: Episode = { rs: 0, ltr: 0, respond: 0 };
    const tc = t + ev.uniform() * 2 * HOUR_MS;
    const billingError = issue === 'billing' && ev.uniform() < 0.5;
    if (billingError) {
      // the bill was wrong: the credit is the fix (a recovery, whatever the call's outcome)
      if (ev.uniform() < 0.85) {
        this.concession(tc, rep, amountOf(ev, 'credit'), 'credit', 'billing_error');
        episode.rs += 0.6;
        episode.ltr += 0.6;
      } else {
        episode.rs -= 0.8;
        episode.ltr -= 1;
      }
    }
    if (failed) {
      episode.rs -= 2;
      episode.ltr -= 1.6;
      const pRecovery = reps.generous[rep] ? 0.6 : 0.4;
      if (ev.uniform() < pRecovery) {
        let reason = 'complaint';
        let category: string = ev.pick(['credit', 'discount', 'free_product'] as const);
        if (issue === 'outage') {
          reason = 'outage';
          category = 'credit';
        } else if (issue === 'billing') {
          reason = 'billing_error';
          category = 'credit';
        } else if (issue === 'install') {
          reason = 'failed_install';
          category = ev.bernoulli(0.6) ? 'service' : 'fee_waiver';
        } else if (issue === 'technical' && ev.uniform() < 0.4) {
          reason = 'missed_appointment';
          category = ev.bernoulli(0.5) ? 'credit' : 'fee_waiver';
        }
        if (issue === 'outage' && ev.uniform() < 0.5) {
          // bulk outage credit by the billing system two days later, no rep
          const bulk = Math.floor(t / DAY_MS) * DAY_MS + 2 * DAY_MS + 3 * HOUR_MS;
          this.concession(bulk, -1, amountOf(ev, 'credit', 0.5), 'credit', 'outage');
        } else {
          this.concession(tc, rep, amountOf(ev, category), category, reason);
        }
        episode.rs += 1.6;
        episode.ltr += 1.2;
        customers.u[c] += 0.03;
      } else {
        customers.u[c] -= 0.1;
      }
    }
    if (issue === 'cancellation' && ev.uniform() < 0.5) {
      this.concession(tc, rep, amountOf(ev, 'discount', 1.5), 'discount', 'retention');
      episode.rs += 0.8;
      episode.ltr += 0.5;
    }
    if (ev.uniform() < (reps.generous[rep] ? 0.2 : 0.03)) {
      const category = ev.pick(['credit', 'credit', 'discount', 'free_product', 'upgrade'] as const);
      this.concession(tc, rep, amountOf(ev, category), category, ev.bernoulli(0.7) ? 'goodwill' : '');
      episode.rs += 0.5;
      episode.ltr += 0.3;
    }
    const extract = customers.extract[c];
    if (extract > 0 && (demand || ev.uniform() < 0.6 * extract)) {
      this.extracted(ev, tc, rep, ev.bernoulli(0.5) ? 'complaint' : 'retention');
      episode.rs += 1.5;
      episode.ltr += 1.5;
    }

    // the invitation: sampled, unless a suppressing rep holds it back after a failure
    let invite = ev.uniform() < config.inviteRate;
    const suppress = reps.strength.suppression[rep];
    if (invite && failed && suppress > 0 && ev.uniform() < suppress) invite = false;
    if (!invite) return;
    const closed = t + HOUR_MS + ev.exponential(1 / (8 * HOUR_MS));
    const sent = (Math.floor(closed / DAY_MS) + 1) * DAY_MS + 9 * HOUR_MS + ev.uniform() * 40 * MINUTE_MS;
    const before = reps.strength['concession-buying-before'][rep];
    if (before > 0 && ev.uniform() < before) {
      // a call-back later the same working day (or right away when the day is over)
      const evening = Math.floor(t / DAY_MS) * DAY_MS + 20 * HOUR_MS;
      const granted = tc + ev.uniform() * Math.max(0, evening - tc);
      const category = ev.uniform() < 0.8 ? ev.pick(NON_REVENUE) : 'credit';
      this.concession(granted, rep, amountOf(ev, category), category, ev.bernoulli(0.3) ? 'goodwill' : '');
      episode.rs += 1.5;
      episode.ltr += 0.7;
      episode.respond += 0.1;
    }
    if (failed) episode.respond += 0.05;
    this.survey(ev.fork(), sent, rep, channel, contactIndex, episode);
  }

  /** One invitation (transactional when `rep` is an agent, relationship otherwise). */
  survey(
    ev: Random,
    sent: number,
    rep: number,
    channel: number,
    contactIndex: number,
    episode: Episode,
  ): void {
    const { world } = this;
    const { reps, customers, config } = world;
    const c = this.c;
    const team = rep >= 0 ? world.teams.id[reps.team[rep]] : '';
    const head = `${this.id},${this.repId(rep)},${team},${CHANNELS[channel]},${isoTimestamp(sent)}`;
    const fabricate = rep >= 0 ? reps.strength.fabrication[rep] : 0;
    if (fabricate > 0 && ev.uniform() < fabricate) {
      // the rep swapped in their own contact and answers within minutes from their own device
      const responded = sent + (1 + 11 * ev.uniform()) * MINUTE_MS;
      const ltr = ev.uniform() < 0.7 ? 10 : 9;
      const rs = ev.uniform() < 0.85 ? 10 : 9;
      const contact = reps.fakeContacts[rep][ev.int(2)];
      this.sink.survey(
        sent,
        `${head},${isoTimestamp(responded)},${ltr},${rs},,${contact},${reps.fakeDevice[rep]}`,
      );
      world.responses[rep]++;
      world.totalResponses++;
      return;
    }
    let earliest = sent;
    const during = rep >= 0 ? reps.strength['concession-buying-during'][rep] : 0;
    let p =
      (rep >= 0 ? config.responseRate + (channel === 2 ? -0.05 : 0.02) : config.responseRate - 0.06) +
      0.04 * Math.tanh(customers.u[c]) +
      episode.respond;
    if (during > 0 && ev.uniform() < during) {
      const granted =
        ev.uniform() < 0.6
          ? sent + (1 + 10 * ev.uniform()) * HOUR_MS
          : businessTime(dayOf(sent) + DAY_MS, ev);
      const category = ev.uniform() < 0.6 ? ev.pick(NON_REVENUE) : 'credit';
      this.concession(granted, rep, amountOf(ev, category), category, ev.bernoulli(0.3) ? 'goodwill' : '');
      episode.rs += 1.5;
      episode.ltr += 0.8;
      p = Math.max(p, 0.75);
      earliest = granted;
    }
    const coaching = rep >= 0 ? reps.strength.coaching[rep] : 0;
    const coached = coaching > 0 && !(sent < reps.onset[rep]);
    if (coached) p += 0.08 * coaching;
    const contact = this.contact(contactIndex);
    if (ev.uniform() >= p) {
      this.sink.survey(sent, `${head},,,,,${contact},`);
      return;
    }
    const latency =
      ev.uniform() < 0.03
        ? (1 + 14 * ev.uniform()) * MINUTE_MS
        : Math.min(14 * DAY_MS, 5 * HOUR_MS * Math.exp(ev.normal(0, 1.3)));
    const responded = earliest + latency;

    // scores: rep_score ≈ latent + rep quality + team + channel + episode; ltr ≈ latent − 1.5, correlated
    const u = customers.u[c];
    const q = rep >= 0 ? reps.quality[rep] : 0;
    const ex = rep >= 0 ? reps.excellence[rep] : 0;
    const te = rep >= 0 ? world.teams.effect[reps.team[rep]] : 0;
    const ce = CHANNEL_EFFECT[channel];
    const shared = ev.normal();
    let rsRaw = RS_MEAN + u + q + ex + te + ce + episode.rs + 0.8 * shared + 0.7 * ev.normal();
    let ltrRaw = LTR_MEAN + 1.25 * u + 0.5 * q + ex + 0.5 * te + 0.3 * ce + episode.ltr;
    ltrRaw += 0.6 * shared + 0.8 * ev.normal();
    let forced = coached && ev.uniform() < coaching;
    if (forced) {
      rsRaw = 10;
      ltrRaw += 0.3;
    }
    const extract = customers.extract[c];
    let hostage = false;
    if (extract > 0) {
      if (customers.pendingHigh[c]) {
        customers.pendingHigh[c] = 0;
        forced = false;
        rsRaw = 9 + ev.int(2);
        ltrRaw = 9 + ev.int(2);
      } else if (ev.uniform() < 0.6 * extract) {
        hostage = true;
        forced = false;
        rsRaw = 1 + ev.int(4);
        ltrRaw = ev.int(4);
      }
    }
    const rs = clamp(Math.round(rsRaw), 1, 10);
    const ltr = clamp(Math.round(ltrRaw), 0, 10);
    if (hostage) {
      // score hostage: the low score is bought back with a concession, the next score is high
      const by = rep >= 0 ? rep : pickAgent(world, ev.uniform());
      this.extracted(ev, businessTime(dayOf(responded) + (1 + ev.int(3)) * DAY_MS, ev), by, 'complaint');
      customers.pendingHigh[c] = 1;
    }
    let followed = '';
    if (ltr <= 6) {
      const ignores = rep >= 0 ? reps.strength['ignored-detractors'][rep] : 0;
      const ignored = ignores > 0 && ev.uniform() < ignores;
      const covered = rep >= 0 || ev.uniform() < 0.7;
      const v = ev.uniform();
      if (!ignored && covered && v < FOLLOW_UP_LATE) {
        const delay =
          v < FOLLOW_UP_FAST
            ? Math.min(22 * HOUR_MS, 3 * HOUR_MS * Math.exp(ev.normal(0, 0.9)))
            : (1.2 + 5 * ev.uniform()) * DAY_MS;
        followed = isoTimestamp(responded + delay);
      }
    }
    const rsCell = rep >= 0 ? String(rs) : '';
    const device = this.device(contactIndex);
    this.sink.survey(
      sent,
      `${head},${isoTimestamp(responded)},${ltr},${rsCell},${followed},${contact},${device}`,
    );
    if (rep >= 0) world.responses[rep]++;
    if (forced) world.coachedResponses[rep]++;
    world.totalResponses++;
  }

  /** A billing-triggered relationship survey cycle (every contact; rep = account owner or none). */
  relationship(ev: Random, sent: number): void {
    const { world } = this;
    const { reps, customers } = world;
    const c = this.c;
    const owner = customers.owner[c];
    const episode: Episode = { rs: 0, ltr: 0, respond: 0 };
    const extract = customers.extract[c];
    const t = businessTime(dayOf(sent) - (1 + ev.int(9)) * DAY_MS, ev);
    if (extract > 0 && ev.uniform() < extract && t >= world.start) {
      // the account knows the cycle: it complains in the days before and gets a concession
      if (owner >= 0) this.extracted(ev, t, owner, 'retention');
      else this.interaction(ev.fork(), t, 'complaint', 0, true);
      episode.rs += 1.5;
      episode.ltr += 1.5;
    }
    const before = owner >= 0 ? reps.strength['concession-buying-before'][owner] : 0;
    if (before > 0 && ev.uniform() < before) {
      const granted = businessTime(dayOf(sent) - (1 + ev.int(9)) * DAY_MS, ev);
      const category = ev.uniform() < 0.8 ? ev.pick(NON_REVENUE) : 'credit';
      this.concession(
        granted,
        owner,
        amountOf(ev, category, 3),
        category,
        ev.bernoulli(0.3) ? 'goodwill' : '',
      );
      episode.rs += 1.5;
      episode.ltr += 0.7;
      episode.respond += 0.1;
    }
    const contacts = customers.contacts[c];
    for (let k = 0; k < contacts; k++) {
      const at = sent + k * ev.uniform() * 5 * MINUTE_MS;
      if (at >= world.end) continue;
      this.survey(ev.fork(), at, owner, 2, k, { ...episode });
    }
  }
}

interface Anchor {
  t: number;
  kind: 'routine' | 'billing' | 'outage' | 'relationship';
  ev: Random;
}

/** Midnight UTC of the day of `ms`. */
function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Business-hours time (08:00–20:00) on the day starting at `dayStart`. */
function businessTime(dayStart: number, rng: Random): number {
  return dayStart + 8 * HOUR_MS + Math.floor(rng.uniform() * 12 * 60) * MINUTE_MS + rng.int(60) * 1000;
}

/** Generate every event anchored in month `m` for customer `c`. */
function generateCustomerMonth(world: World, sink: RowSink, c: number, m: number): void {
  const { customers, config } = world;
  const rng = createRandom(hashInts(world.eventSeed, c, m));
  const monthStart = world.monthStarts[m];
  const monthEnd = world.monthStarts[m + 1];
  const days = Math.round((monthEnd - monthStart) / DAY_MS);
  const bill = monthStart + (customers.billDay[c] - 1) * DAY_MS;
  const troubled = customers.troubled[c] === 1;
  const anchors: Anchor[] = [];
  const contacts = customers.contacts[c];
  const rate = config.interactionRate * customers.activity[c] * contacts * (troubled ? 1.5 : 1);
  const n = rng.poisson(rate);
  for (let i = 0; i < n; i++) {
    anchors.push({
      t: businessTime(monthStart + rng.int(days) * DAY_MS, rng),
      kind: 'routine',
      ev: rng.fork(),
    });
  }
  if (rng.uniform() < config.billingIssueRate * (troubled ? 2 : 1)) {
    const day = bill + Math.floor(rng.exponential(1 / 1.5)) * DAY_MS + DAY_MS;
    anchors.push({ t: businessTime(day, rng), kind: 'billing', ev: rng.fork() });
  }
  for (const day of world.outageDays) {
    if (day >= monthStart && day < monthEnd && rng.uniform() < config.outageHitRate) {
      anchors.push({ t: businessTime(day, rng), kind: 'outage', ev: rng.fork() });
    }
  }
  if (config.relationshipEvery > 0 && (m - customers.phase[c]) % config.relationshipEvery === 0) {
    const sent = bill + DAY_MS + 10 * HOUR_MS + rng.int(60) * MINUTE_MS;
    anchors.push({ t: sent, kind: 'relationship', ev: rng.fork() });
  }
  const promo = rng.uniform() < 0.01;
  anchors.sort((a, b) => a.t - b.t);
  const ctx = new CustomerMonth(world, sink, c);
  if (promo) {
    // a promotional bill credit on the bill date, granted by the billing system
    ctx.concession(bill + 2 * HOUR_MS, -1, '10.00', 'discount', '');
  }
  for (const a of anchors) {
    if (a.t >= world.end) continue;
    if (a.kind === 'relationship') {
      ctx.relationship(a.ev, a.t);
    } else {
      const issue =
        a.kind === 'routine' ? ROUTINE_ISSUES[pickIndex(a.ev.uniform(), ROUTINE_WEIGHTS)] : a.kind;
      const contact = contacts > 1 ? a.ev.int(contacts) : 0;
      ctx.interaction(a.ev, a.t, issue, contact, false);
    }
  }
}

/** Proactive goodwill of `clean-generous` agents in month `m`: recent customers, random times. */
function generateRepMonth(world: World, sink: RowSink, r: number, m: number): void {
  const rng = createRandom(hashInts(world.eventSeed, 0x7fffffff, r, m));
  const monthStart = world.monthStarts[m];
  const span = world.monthStarts[m + 1] - monthStart;
  const filled = Math.min(world.recentCount[r], RECENT_SIZE);
  const n = rng.poisson(4);
  for (let i = 0; i < n && filled > 0; i++) {
    const c = world.recent[r * RECENT_SIZE + rng.int(filled)];
    const t = businessTime(monthStart + rng.int(Math.round(span / DAY_MS)) * DAY_MS, rng);
    const ctx = new CustomerMonth(world, sink, c);
    const category = rng.pick(['credit', 'discount', 'free_product'] as const);
    ctx.concession(t, r, amountOf(rng, category), category, rng.bernoulli(0.6) ? 'goodwill' : 'retention');
  }
}

/** Generate every event anchored in month `m` (all customers, then generous reps). */
export function generateMonth(world: World, sink: RowSink, m: number): void {
  for (let c = 0; c < world.customers.n; c++) generateCustomerMonth(world, sink, c, m);
  for (let r = 0; r < world.reps.n; r++) {
    if (world.reps.generous[r]) generateRepMonth(world, sink, r, m);
  }
}

/** The longest time a row can precede the start of its anchor's month (extraction pre-contacts, recoveries). */
export const MAX_BACK_SPILL_MS = 12 * DAY_MS;
