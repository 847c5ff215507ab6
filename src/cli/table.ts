import type { FindingsDocument } from '../findings/types.js';

const pad = (text: string, width: number) =>
  text.length >= width ? text : text + ' '.repeat(width - text.length);

/** A readable plain-text table of findings for the terminal, with what ran and what did not. */
export function findingsTable(document: FindingsDocument): string {
  const { run, findings } = document;
  const lines: string[] = [];
  const tested = Object.entries(run.tested)
    .map(([id, n]) => `${id} (${n})`)
    .join(', ');
  lines.push(`tested: ${tested || 'no detector ran'}`);
  for (const s of run.skipped) lines.push(`not run: ${s.detector}: ${s.reason}`);
  for (const [ledger, q] of Object.entries(document.dataQuality)) {
    if (!q) continue;
    if (q.quarantined > 0) {
      const reasons = Object.entries(q.reasons)
        .map(([reason, n]) => `${reason} ${n}`)
        .join(', ');
      lines.push(
        `quarantined: ${ledger}: ${q.quarantined} of ${q.accepted + q.quarantined} rows (${reasons}; see validate)`,
      );
    }
    for (const w of q.warnings ?? []) lines.push(`warning: ${ledger}: ${w}`);
  }
  const totalTests = Object.values(run.tested).reduce((a, b) => a + (b ?? 0), 0);
  lines.push(`${findings.length} finding(s) at q <= ${run.options.alpha} over ${totalTests} test(s)`);
  if (findings.length) {
    const rows = findings.map((f) => [
      f.severity,
      f.qValue.toExponential(1),
      f.detector,
      `${f.entity.type} ${f.entity.id}`,
      f.summary,
    ]);
    const widths = [0, 1, 2, 3].map((c) =>
      Math.max(...rows.map((r) => r[c].length), ['severity', 'q', 'detector', 'entity'][c].length),
    );
    lines.push('');
    lines.push(
      `${['severity', 'q', 'detector', 'entity'].map((h, c) => pad(h, widths[c])).join('  ')}  summary`,
    );
    for (const r of rows)
      lines.push(
        `${r
          .slice(0, 4)
          .map((cell, c) => pad(cell, widths[c]))
          .join('  ')}  ${r[4]}`,
      );
  }
  return `${lines.join('\n')}\n`;
}
