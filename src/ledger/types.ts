/**
 * The in-memory form of the three ledgers: columnar, typed arrays on the hot
 * paths. Ids (customer, rep, team, channel, category, contact, device) are
 * dictionary-encoded to integer codes shared across the ledgers of one
 * `Ledgers` value, timestamps are epoch milliseconds, scores small ints.
 *
 * Missing values: code `-1` for ids, `NaN` for timestamps and amounts,
 * `-1` for scores.
 */

/** An append-only string ↔ integer code dictionary. */
export interface Dictionary {
  /** code → original string id */
  readonly values: string[];
  /** original string id → code */
  readonly index: Map<string, number>;
}

/** The dictionaries shared by the ledgers of one run. */
export interface IdDictionaries {
  customer: Dictionary;
  rep: Dictionary;
  team: Dictionary;
  channel: Dictionary;
  category: Dictionary;
  contact: Dictionary;
  device: Dictionary;
  reason: Dictionary;
  issue: Dictionary;
}

/** One row per invitation, answered or not (accepted rows only). */
export interface SurveyLedger {
  readonly length: number;
  /** (loaded: decoded into this plain array when the property is first read; until then detectors read single ids packed) */
  readonly surveyId: string[];
  readonly customer: Int32Array;
  /** -1 when the invitation has no rep */
  readonly rep: Int32Array;
  readonly team: Int32Array;
  readonly channel: Int32Array;
  readonly sentAt: Float64Array;
  /** NaN when there was no response */
  readonly respondedAt: Float64Array;
  /** 0..10, -1 when missing */
  readonly ltr: Int8Array;
  /** on the configured scale, -1 when missing */
  readonly repScore: Int8Array;
  readonly followedUpAt: Float64Array;
  readonly contact: Int32Array;
  readonly device: Int32Array;
  /** 1-based data row number in the source (header excluded) */
  readonly sourceRow: Int32Array;
  /** which optional columns were present in the input */
  readonly columns: ReadonlySet<SurveyColumn>;
  /** the rep-score scale the scores were validated against */
  readonly scale: ScoreScale;
}

/** One row per concession (accepted rows only). */
export interface ConcessionLedger {
  readonly length: number;
  /** (loaded: decoded into this plain array when the property is first read; until then detectors read single ids packed) */
  readonly concessionId: string[];
  readonly customer: Int32Array;
  readonly rep: Int32Array;
  readonly grantedAt: Float64Array;
  readonly amount: Float64Array;
  readonly category: Int32Array;
  /** -1 when no reason was given */
  readonly reason: Int32Array;
  readonly sourceRow: Int32Array;
  readonly columns: ReadonlySet<ConcessionColumn>;
}

/** One row per service interaction (accepted rows only). */
export interface InteractionLedger {
  readonly length: number;
  /** (loaded: decoded into this plain array when the property is first read; until then detectors read single ids packed) */
  readonly interactionId: string[];
  readonly customer: Int32Array;
  readonly rep: Int32Array;
  readonly occurredAt: Float64Array;
  readonly issue: Int32Array;
  /** 1 resolved, 0 unresolved, -1 unknown */
  readonly resolved: Int8Array;
  readonly sourceRow: Int32Array;
  readonly columns: ReadonlySet<InteractionColumn>;
}

export interface ScoreScale {
  min: number;
  max: number;
}

export type SurveyColumn =
  | 'survey_id'
  | 'customer_id'
  | 'rep_id'
  | 'team'
  | 'channel'
  | 'sent_at'
  | 'responded_at'
  | 'ltr'
  | 'rep_score'
  | 'followed_up_at'
  | 'contact'
  | 'device';

export type ConcessionColumn =
  | 'concession_id'
  | 'customer_id'
  | 'rep_id'
  | 'granted_at'
  | 'amount'
  | 'category'
  | 'reason';

export type InteractionColumn =
  | 'interaction_id'
  | 'customer_id'
  | 'rep_id'
  | 'occurred_at'
  | 'issue'
  | 'resolved';

export type LedgerName = 'surveys' | 'concessions' | 'interactions';

/** Why a row was quarantined. Stable codes: reports and tests key on them. */
export type QuarantineReason =
  | 'missing-id'
  | 'duplicate-id'
  | 'missing-customer-id'
  | 'bad-timestamp'
  | 'missing-timestamp'
  | 'responded-before-sent'
  | 'score-out-of-scale'
  | 'score-not-integer'
  | 'response-without-scores'
  | 'scores-without-response'
  | 'bad-amount'
  | 'negative-amount'
  | 'missing-category'
  | 'bad-boolean'
  | 'malformed-row';

export interface QuarantineExample {
  /** 1-based data row number (header excluded), in its file */
  row: number;
  /** the file the row is in, when the ledger was loaded from a directory or pattern of files */
  file?: string;
  column?: string;
  value?: string;
  message: string;
}

/** The accounting of one ledger load: accepted + quarantined = rows. */
export interface LedgerQuality {
  source: string;
  rows: number;
  accepted: number;
  quarantined: number;
  reasons: Partial<Record<QuarantineReason, number>>;
  /** first few examples per reason, with row numbers */
  examples: Partial<Record<QuarantineReason, QuarantineExample[]>>;
  /** suspicious-but-usable observations (e.g. unknown extra columns) */
  warnings: string[];
}

export interface DataQuality {
  surveys: LedgerQuality;
  concessions: LedgerQuality;
  interactions?: LedgerQuality;
}

/** The three ledgers of one run, sharing one set of id dictionaries. */
export interface Ledgers {
  surveys: SurveyLedger;
  concessions: ConcessionLedger;
  interactions?: InteractionLedger;
  ids: IdDictionaries;
  quality: DataQuality;
  /**
   * The IANA zone naive timestamps were read in (`loadLedgers`' `timeZone`); calendar logic
   * (placebo windows a billing cycle away) follows it. Default 'UTC'.
   */
  timeZone?: string;
}
