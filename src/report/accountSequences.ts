import {
  COLORS,
  CONFIG,
  describe,
  findingsOf,
  messageSpec,
  notRunView,
  num,
  skipReason,
  title,
  VEGA_LITE_SCHEMA,
} from './common.js';
import { accountEvents } from './ledgerSummaries.js';
import type { ReportInput, ReportView, SpecOptions } from './types.js';

const DETECTOR = 'account-extraction';
const HEADING = 'Account extraction: surveys and concessions of flagged accounts';
const MAX_ACCOUNTS = 4;

interface Event {
  customer: string;
  kind: 'concession' | 'invitation' | 'response';
  time: string;
  id: string;
  rep: string;
  amount: number | null;
  category: string;
  ltr: number | null;
}

const iso = (t: number) => new Date(t).toISOString();

/**
 * `account-extraction`: for each flagged account (at most four, by q-value),
 * one time axis with its survey invitations (grey rules), the ltr of its
 * answers (red line, right axis, 0–10) and its concessions (blue bars, amount
 * on the left axis). Extraction shows as concessions right before
 * invitations, low score → concession → high score, and rising amounts.
 * With the ledgers every concession is drawn; without, the evidence's survey
 * cycles (the amount conceded in the window before each).
 */
export function accountSequencesView(result: ReportInput, options: SpecOptions = {}): ReportView {
  const reason = skipReason(result, DETECTOR);
  if (reason) return notRunView(DETECTOR, DETECTOR, HEADING, reason);
  const findings = findingsOf(result, DETECTOR)
    .filter((f) => f.entity.type === 'customer')
    .slice(0, MAX_ACCOUNTS);
  const description = `${describe(DETECTOR)} One panel per flagged account: survey invitations (grey rules), the likelihood-to-recommend of its answers (red, right axis) and its concessions (blue bars, amount on the left axis). Look for concessions right before invitations, low score → concession → high score, and rising amounts.${options.ledgers ? '' : ' Without the ledgers, the bars are the amounts conceded in the window before each survey cycle.'}`;
  if (findings.length === 0)
    return {
      id: DETECTOR,
      title: HEADING,
      detector: DETECTOR,
      description,
      spec: messageSpec(HEADING, 'No account was flagged.'),
    };
  const events: Event[] = [];
  for (const f of findings) {
    const customer = f.entity.id;
    if (options.ledgers) {
      const { surveys, concessions } = accountEvents(options.ledgers, customer);
      for (const s of surveys) {
        const base = { customer, time: iso(s.sentAt), id: s.id, rep: s.rep, amount: null, category: '' };
        events.push({ ...base, kind: 'invitation', ltr: null });
        if (s.ltr >= 0) events.push({ ...base, kind: 'response', ltr: s.ltr });
      }
      for (const c of concessions)
        events.push({
          customer,
          kind: 'concession',
          time: iso(c.grantedAt),
          id: c.id,
          rep: c.rep,
          amount: num(c.amount, 2),
          category: c.reason ? `${c.category} (${c.reason})` : c.category,
          ltr: null,
        });
    } else {
      const cycles = Array.isArray(f.evidence.cycles) ? (f.evidence.cycles as Record<string, unknown>[]) : [];
      for (const c of cycles) {
        const time = String(c.sentAt);
        const id = String(c.survey ?? '');
        const base = { customer, time, id, rep: '', category: '' };
        events.push({ ...base, kind: 'invitation', amount: null, ltr: null });
        const ltr = Number(c.ltr);
        if (ltr >= 0) events.push({ ...base, kind: 'response', amount: null, ltr });
        const amount = Number(c.concessionAmount);
        if (amount > 0)
          events.push({
            ...base,
            kind: 'concession',
            amount: num(amount, 2),
            category: 'before this cycle',
            ltr: null,
          });
      }
    }
  }
  const tooltip = [
    { field: 'kind', type: 'nominal' },
    { field: 'id', type: 'nominal', title: 'id' },
    { field: 'time', type: 'temporal', format: '%Y-%m-%d %H:%M', title: 'time (UTC)' },
    { field: 'rep', type: 'nominal' },
    { field: 'amount', type: 'quantitative', format: ',.2f' },
    { field: 'category', type: 'nominal' },
    { field: 'ltr', type: 'quantitative', title: 'ltr' },
  ] as const;
  const x = { field: 'time', type: 'temporal', title: null, scale: { type: 'utc' } } as const;
  const panel = (customer: string, subtitle: string, last: boolean) => ({
    title: title(customer, subtitle),
    width: 640,
    height: 130,
    transform: [{ filter: { field: 'customer', equal: customer } }],
    layer: [
      {
        transform: [{ filter: { field: 'kind', equal: 'invitation' } }],
        mark: { type: 'rule' as const, color: '#bbbbbb', strokeWidth: 1 },
        encoding: {
          x: { ...x, axis: last ? { format: '%b %Y' } : { format: '%b %Y', title: null } },
          tooltip: [...tooltip],
        },
      },
      {
        transform: [{ filter: { field: 'kind', equal: 'concession' } }],
        mark: { type: 'bar' as const, color: COLORS.concession, width: 4 },
        encoding: {
          x,
          y: { field: 'amount', type: 'quantitative' as const, title: 'Concession amount' },
          tooltip: [...tooltip],
        },
      },
      {
        transform: [{ filter: { field: 'kind', equal: 'response' } }],
        mark: {
          type: 'line' as const,
          color: COLORS.score,
          point: { filled: true, size: 36 },
          strokeWidth: 1,
        },
        encoding: {
          x,
          y: {
            field: 'ltr',
            type: 'quantitative' as const,
            title: 'ltr',
            scale: { domain: [0, 10] },
            axis: { orient: 'right' as const, titleColor: COLORS.score },
          },
          tooltip: [...tooltip],
        },
      },
    ],
    resolve: { scale: { y: 'independent' as const } },
  });
  return {
    id: DETECTOR,
    title: HEADING,
    detector: DETECTOR,
    description,
    spec: {
      $schema: VEGA_LITE_SCHEMA,
      title: title(HEADING, 'Grey: invitations; red: ltr of answers (right axis); blue: concession amounts'),
      config: CONFIG,
      data: { values: events },
      vconcat: findings.map((f, i) =>
        panel(
          f.entity.id,
          `q = ${f.qValue.toExponential(1)}, ${f.severity}; ${String(f.evidence.hostageSequences ?? 0)} hostage sequence(s)`,
          i === findings.length - 1,
        ),
      ),
    },
  };
}
