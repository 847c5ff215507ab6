import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { atLeast } from '../findings/severity.js';
import {
  DETECTOR_IDS,
  type DetectorId,
  type Entity,
  type Finding,
  type Severity,
} from '../findings/types.js';
import { LedgerError, nearMatches } from '../log/errors.js';
import { findingKey } from './compare.js';

/**
 * The analysts' triage memory for scheduled runs. A finding is a lead for a
 * human review; once a reviewer has looked at it ("legitimate: a billing
 * migration", "confirmed: rep coached, HR informed"), next week's run should
 * still list it (the statistics do not change) but say that it was reviewed,
 * and `--fail-on` should not page anyone for it again. Reviews live in a file
 * the team keeps (a spreadsheet saved as CSV, or JSON): one row per reviewed
 * lead, matched to findings by detector and entity, as baselines are.
 *
 * A review stops covering its finding when it expires (`expires_at`), or when
 * the finding has grown more severe than the review saw (`severity`): new
 * evidence deserves a new look. Reviews change no statistic, q-value or
 * listing: only how a report presents a finding and whether it alerts.
 */

/** What the reviewer concluded. */
export const REVIEW_DECISIONS = ['legitimate', 'confirmed', 'investigating'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** One reviewed lead. */
export interface Review {
  detector: DetectorId;
  entity: Entity;
  decision: ReviewDecision;
  /** When it was reviewed (YYYY-MM-DD or an ISO timestamp). */
  reviewedAt: string;
  note?: string;
  reviewer?: string;
  /** The finding's severity when it was reviewed: a more severe finding is not covered. */
  severity?: Severity;
  /** From this date (or ISO timestamp) on, the review no longer covers the finding. */
  expiresAt?: string;
}

/** A listed finding's review, and whether it still covers the finding. */
export interface FindingReview {
  review: Review;
  /** `current`: covers the finding; `expired`; `outdated`: the finding is more severe than when reviewed. */
  status: 'current' | 'expired' | 'outdated';
}

/** The reviews of one run's findings, by position in `findings`. */
export interface ReviewMatch {
  byFinding: Map<number, FindingReview>;
  /** Reviews whose finding this run does not list. */
  unmatched: number;
}

/** The columns of a reviews file (snake_case, as in a spreadsheet; JSON may use the camelCase names). */
const COLUMNS = {
  detector: 'detector',
  entityType: 'entity_type',
  entityId: 'entity_id',
  decision: 'decision',
  reviewedAt: 'reviewed_at',
  note: 'note',
  reviewer: 'reviewer',
  severity: 'severity',
  expiresAt: 'expires_at',
} as const;
const REQUIRED = ['detector', 'entityType', 'entityId', 'decision', 'reviewedAt'] as const;
const ENTITY_TYPES = ['rep', 'customer', 'team'] as const;
const SEVERITIES = ['high', 'medium', 'low'] as const;
/** A date, or an ISO timestamp with a zone. */
const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * Read a reviews file: CSV (with a header: `detector, entity_type,
 * entity_id, decision, reviewed_at`, optionally `note, reviewer, severity,
 * expires_at`; other columns are ignored) or a JSON array of such objects. A
 * report's `findings.csv` with `decision` and `reviewed_at` added is one: its
 * rows left without both are not reviews, and its `severity` is each lead's
 * when it was reviewed. Every problem is a LedgerError naming the file, the
 * row and the column.
 *
 * @example
 * const reviews = loadReviews('reviews.csv');
 * const match = matchReviews(result.findings, reviews, new Date());
 */
export function loadReviews(path: string): Review[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new LedgerError(
      `${path}: cannot read the reviews file (${(error as NodeJS.ErrnoException).code})`,
      {
        source: path,
      },
    );
  }
  const rows = extname(path).toLowerCase() === '.json' ? jsonRows(text, path) : csvRows(text, path);
  return rows.flatMap((row, i) => reviewOf(row, path, i + 1) ?? []);
}

function csvRows(text: string, path: string): Record<string, unknown>[] {
  try {
    return parse(text.replace(/^\ufeff/, ''), {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
    }) as Record<string, unknown>[];
  } catch (error) {
    throw new LedgerError(`${path}: not a readable CSV file (${(error as Error).message})`, { source: path });
  }
}

function jsonRows(text: string, path: string): Record<string, unknown>[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LedgerError(`${path}: not JSON (${(error as Error).message})`, { source: path });
  }
  if (!Array.isArray(value) || !value.every((v) => v !== null && typeof v === 'object' && !Array.isArray(v)))
    throw new LedgerError(`${path}: expected a JSON array of review objects`, { source: path });
  return value as Record<string, unknown>[];
}

function reviewOf(row: Record<string, unknown>, path: string, n: number): Review | undefined {
  const fail = (column: string, message: string) =>
    new LedgerError(`${path}, row ${n}, column "${column}": ${message}`, { source: path, row: n, column });
  const cell = (key: keyof typeof COLUMNS): string | undefined => {
    const value = row[COLUMNS[key]] ?? row[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') throw fail(COLUMNS[key], 'expected text');
    const text = String(value).trim();
    return text === '' ? undefined : text;
  };
  // a row of a findings sheet nobody has reviewed yet (no decision, no date) is not a review
  if (cell('decision') === undefined && cell('reviewedAt') === undefined) return undefined;
  for (const key of REQUIRED)
    if (cell(key) === undefined)
      throw fail(COLUMNS[key], `is empty; a review needs ${REQUIRED.map((k) => COLUMNS[k]).join(', ')}`);
  const oneOf = <T extends string>(key: keyof typeof COLUMNS, allowed: readonly T[]): T | undefined => {
    const value = cell(key);
    if (value === undefined || (allowed as readonly string[]).includes(value)) return value as T | undefined;
    const near = nearMatches(value, allowed);
    throw fail(
      COLUMNS[key],
      `"${value}" is not one of ${allowed.join(', ')}${near.length ? ` (did you mean ${near[0]}?)` : ''}`,
    );
  };
  const date = (key: 'reviewedAt' | 'expiresAt') => {
    const value = cell(key);
    if (value !== undefined && !(DATE.test(value) && Number.isFinite(Date.parse(value))))
      throw fail(COLUMNS[key], `"${value}" is not a date (YYYY-MM-DD) or an ISO timestamp with a zone`);
    return value;
  };
  const review: Review = {
    detector: oneOf('detector', DETECTOR_IDS) as DetectorId,
    // findings.csv writes an id that a spreadsheet would run as a formula with a leading '
    entity: {
      type: oneOf('entityType', ENTITY_TYPES) as Entity['type'],
      id: (cell('entityId') as string).replace(/^'(?=[=+\-@\t\r])/, ''),
    },
    decision: oneOf('decision', REVIEW_DECISIONS) as ReviewDecision,
    reviewedAt: date('reviewedAt') as string,
  };
  const optional = {
    note: cell('note'),
    reviewer: cell('reviewer'),
    severity: oneOf('severity', SEVERITIES),
    expiresAt: date('expiresAt'),
  };
  for (const [key, value] of Object.entries(optional))
    if (value !== undefined) Object.assign(review, { [key]: value });
  return review;
}

/**
 * Each listed finding's review (the latest by `reviewedAt` when a lead was
 * reviewed more than once) and whether it covers the finding at `now`.
 */
export function matchReviews(
  findings: readonly Finding[],
  reviews: readonly Review[],
  now: Date,
): ReviewMatch {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    const key = findingKey(r);
    const seen = latest.get(key);
    if (!seen || Date.parse(r.reviewedAt) >= Date.parse(seen.reviewedAt)) latest.set(key, r);
  }
  const byFinding = new Map<number, FindingReview>();
  const matched = new Set<string>();
  findings.forEach((f, i) => {
    const key = findingKey(f);
    const review = latest.get(key);
    if (!review) return;
    matched.add(key);
    const status =
      review.expiresAt !== undefined && now.getTime() >= Date.parse(review.expiresAt)
        ? 'expired'
        : review.severity !== undefined && !atLeast(review.severity, f.severity)
          ? 'outdated'
          : 'current';
    byFinding.set(i, { review, status });
  });
  return { byFinding, unmatched: latest.size - matched.size };
}

/** How many listed findings a current review covers, and how many reviews of listed findings lapsed. */
export function reviewCounts(match: ReviewMatch): { covered: number; lapsed: number } {
  let covered = 0;
  for (const r of match.byFinding.values()) if (r.status === 'current') covered++;
  return { covered, lapsed: match.byFinding.size - covered };
}

/** Whether finding `i` alerts (`--fail-on`): not covered by a current review. */
export function alerts(match: ReviewMatch | undefined, i: number): boolean {
  return match?.byFinding.get(i)?.status !== 'current';
}

/** One phrase for a report: "reviewed 2026-11-02 by Ana: legitimate (billing migration)", and why it no longer covers. */
export function describeReview({ review, status }: FindingReview): string {
  const by = review.reviewer ? ` by ${review.reviewer}` : '';
  const note = review.note ? ` (${review.note})` : '';
  const lapse =
    status === 'expired'
      ? `; expired ${review.expiresAt}`
      : status === 'outdated'
        ? `; reviewed at ${review.severity} severity, more severe now`
        : '';
  return `reviewed ${review.reviewedAt}${by}: ${review.decision}${note}${lapse}`;
}
