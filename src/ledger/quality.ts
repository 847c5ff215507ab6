import type { LedgerQuality, QuarantineExample, QuarantineReason } from './types.js';

/** How many examples per reason a data-quality summary keeps. */
export const EXAMPLES_PER_REASON = 5;

/** Accumulates the accounting of one ledger load. */
export class QualityRecorder {
  readonly quality: LedgerQuality;
  constructor(source: string, warnings: string[]) {
    this.quality = { source, rows: 0, accepted: 0, quarantined: 0, reasons: {}, examples: {}, warnings };
  }
  accept(): void {
    this.quality.rows++;
    this.quality.accepted++;
  }
  quarantine(reason: QuarantineReason, example: QuarantineExample): void {
    const q = this.quality;
    q.rows++;
    q.quarantined++;
    q.reasons[reason] = (q.reasons[reason] ?? 0) + 1;
    const list = q.examples[reason] ?? [];
    q.examples[reason] = list;
    if (list.length < EXAMPLES_PER_REASON) list.push(example);
  }
}

/** One line per reason, e.g. `duplicate-id: 2 (row 7 column "survey_id": …)`. */
export function describeQuality(q: LedgerQuality): string[] {
  const lines = [`${q.source}: ${q.rows} rows, ${q.accepted} accepted, ${q.quarantined} quarantined`];
  for (const [reason, count] of Object.entries(q.reasons)) {
    const examples = (q.examples[reason as QuarantineReason] ?? [])
      .map(
        (e) =>
          `row ${e.row}${e.file ? ` of ${e.file}` : ''}${e.column ? ` column "${e.column}"` : ''}: ${e.message}`,
      )
      .join('; ');
    lines.push(`  ${reason}: ${count} (${examples})`);
  }
  for (const w of q.warnings) lines.push(`  warning: ${w}`);
  return lines;
}
