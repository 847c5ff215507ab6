import type { ConcessionColumn, InteractionColumn, LedgerName, SurveyColumn } from './types.js';

/** How a column's cells are parsed and checked. */
export type ColumnKind = 'id' | 'text' | 'timestamp' | 'ltr' | 'repScore' | 'amount' | 'boolean';

export interface ColumnSpec<Name extends string = string> {
  name: Name;
  kind: ColumnKind;
  required: boolean;
}

const col = <N extends string>(name: N, kind: ColumnKind, required = false): ColumnSpec<N> => ({
  name,
  kind,
  required,
});

/** The canonical columns of SPEC.md, per ledger. */
export const SCHEMAS = {
  surveys: [
    col<SurveyColumn>('survey_id', 'id', true),
    col<SurveyColumn>('customer_id', 'id', true),
    col<SurveyColumn>('rep_id', 'id'),
    col<SurveyColumn>('team', 'id'),
    col<SurveyColumn>('channel', 'id'),
    col<SurveyColumn>('sent_at', 'timestamp', true),
    col<SurveyColumn>('responded_at', 'timestamp'),
    col<SurveyColumn>('ltr', 'ltr'),
    col<SurveyColumn>('rep_score', 'repScore'),
    col<SurveyColumn>('followed_up_at', 'timestamp'),
    col<SurveyColumn>('contact', 'id'),
    col<SurveyColumn>('device', 'id'),
  ],
  concessions: [
    col<ConcessionColumn>('concession_id', 'id', true),
    col<ConcessionColumn>('customer_id', 'id', true),
    col<ConcessionColumn>('rep_id', 'id'),
    col<ConcessionColumn>('granted_at', 'timestamp', true),
    col<ConcessionColumn>('amount', 'amount', true),
    col<ConcessionColumn>('category', 'id', true),
    col<ConcessionColumn>('reason', 'id'),
  ],
  interactions: [
    col<InteractionColumn>('interaction_id', 'id', true),
    col<InteractionColumn>('customer_id', 'id', true),
    col<InteractionColumn>('rep_id', 'id'),
    col<InteractionColumn>('occurred_at', 'timestamp', true),
    col<InteractionColumn>('issue', 'id'),
    col<InteractionColumn>('resolved', 'boolean'),
  ],
} as const satisfies Record<LedgerName, readonly ColumnSpec[]>;

/** Every canonical column name of any ledger (for validating a column mapping). */
export const CANONICAL_COLUMNS: ReadonlySet<string> = new Set(
  Object.values(SCHEMAS).flatMap((specs) => specs.map((s) => s.name)),
);
