import { DETECTOR_IDS } from '../findings/types.js';
import { notChosen } from './common.js';
import type { Comparison } from './compare.js';
import { escapeMarkdown as md } from './escape.js';
import { alphaOf, formatNumber, formatP, repeatOffenders, severityCounts, totalTests } from './format.js';
import { describeReview, type ReviewMatch, reviewCounts } from './reviews.js';
import type { ReportInput } from './types.js';

/** Options of {@link renderMarkdown}. */
export interface MarkdownOptions {
  /** A comparison with a baseline run: adds the "Changes since the baseline" lines. Default: none. */
  comparison?: Comparison;
  /** The findings' reviews (from `matchReviews`): counted, and said in the table. Default: none. */
  reviews?: ReviewMatch;
  /** How many findings the table lists. Default `20`. */
  maxFindings?: number;
  /** The heading. Default `'Score-gaming report'`. */
  title?: string;
}

/**
 * A short Markdown summary for an e-mail or a chat post: counts by
 * severity, changes since a baseline, the top findings as a table with
 * their one-sentence summaries, detectors that did not run and the data
 * quality. Every string from the data is escaped (HTML and Markdown).
 */
export function renderMarkdown(result: ReportInput, options: MarkdownOptions = {}): string {
  const max = options.maxFindings ?? 20;
  const counts = severityCounts(result);
  const alpha = alphaOf(result);
  const lines: string[] = [];
  lines.push(`# ${md(options.title ?? 'Score-gaming report')}`, '');
  lines.push(
    `Generated ${md(result.run.generatedAt)} from ${result.run.inputs.surveys} surveys, ${result.run.inputs.concessions} concessions` +
      `${result.run.inputs.interactions === undefined ? '' : ` and ${result.run.inputs.interactions} interactions`}.`,
    '',
  );
  lines.push(
    `**${result.findings.length} finding(s)** at q ≤ ${alpha} across ${totalTests(result)} tests: ` +
      `${counts.high} high, ${counts.medium} medium, ${counts.low} low.`,
    '',
  );
  const reviews = options.reviews;
  if (reviews) {
    const { covered, lapsed } = reviewCounts(reviews);
    lines.push(
      `**Reviewed:** ${covered} finding(s) covered by a review (no alert)` +
        (lapsed ? `, ${lapsed} review(s) lapsed` : '') +
        '.',
      '',
    );
  }
  const c = options.comparison;
  if (c) {
    lines.push(
      `**Since the baseline** (${md(c.baseline.generatedAt)}): ${c.new.length} new, ${c.persisting.length} persisting, ${c.resolved.length} resolved.`,
    );
    for (const f of c.new)
      lines.push(`- new: ${md(f.detector)} ${md(f.entity.type)} ${md(f.entity.id)} (${f.severity})`);
    for (const f of c.resolved)
      lines.push(`- resolved: ${md(f.detector)} ${md(f.entity.type)} ${md(f.entity.id)} (was ${f.severity})`);
    lines.push('');
  }
  if (result.findings.length > 0) {
    lines.push(
      '| # | Severity | Detector | Entity | Effect | q | Summary |',
      '|---|---|---|---|---|---|---|',
    );
    const reviewed = (i: number) => {
      const review = reviews?.byFinding.get(i);
      return review ? ` _(${md(describeReview(review))})_` : '';
    };
    result.findings.slice(0, max).forEach((f, i) => {
      lines.push(
        `| ${i + 1} | ${f.severity} | ${md(f.detector)} | ${md(f.entity.type)} ${md(f.entity.id)} | ${formatNumber(f.effect)} | ${formatP(f.qValue)} | ${md(f.summary)}${reviewed(i)} |`,
      );
    });
    if (result.findings.length > max)
      lines.push('', `…and ${result.findings.length - max} more in the full report.`);
    lines.push('');
  }
  const offenders = repeatOffenders(result);
  if (offenders.length)
    lines.push(
      `Flagged by more than one detector: ${offenders.map((o) => `${md(o.entity)} (${o.detectors.map(md).join(', ')})`).join('; ')}.`,
      '',
    );
  const notRun = DETECTOR_IDS.filter((id) => result.run.tested[id] === undefined).map((id) => {
    const s = result.run.skipped.find((x) => x.detector === id);
    return `${id} (${s ? md(s.reason) : notChosen(result, true)})`;
  });
  if (notRun.length) lines.push(`Did not run: ${notRun.join('; ')}.`, '');
  const quality = (['surveys', 'concessions', 'interactions'] as const)
    .filter((n) => result.dataQuality[n])
    .map(
      (n) =>
        `${n} ${result.dataQuality[n]!.accepted} accepted, ${result.dataQuality[n]!.quarantined} quarantined`,
    );
  lines.push(`Data quality: ${quality.join('; ')}.`, '');
  for (const n of ['surveys', 'concessions', 'interactions'] as const)
    for (const w of result.dataQuality[n]?.warnings ?? []) lines.push(`- Warning (${n}): ${md(w)}`);
  if (lines.at(-1)?.startsWith('- Warning')) lines.push('');
  lines.push('_A finding is a lead for a human review, not a verdict._', '');
  return lines.join('\n');
}
