/**
 * Display helpers shared by the notebooks (Deno's Jupyter kernel): a chart
 * is a Vega-Lite spec sent as `application/vnd.vegalite.v6+json`, a table is
 * a small Markdown table (with a plain-text fallback). Outputs stay small:
 * tables are cut at `limit` rows and say so.
 */

type Row = Record<string, unknown>;

/** Show a Vega-Lite v6 spec inline (JupyterLab, VS Code and nbconvert keep it as a vega-lite output). */
export async function chart(spec: object): Promise<void> {
  await Deno.jupyter.display({ 'application/vnd.vegalite.v6+json': spec }, { raw: true });
}

/** Markdown text inline. */
export async function md(text: string): Promise<void> {
  await Deno.jupyter.display({ 'text/markdown': text, 'text/plain': text }, { raw: true });
}

function format(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return String(value);
    if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(1);
    return String(Math.round(value * 1000) / 1000);
  }
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Rows of plain objects as a table: the first `limit` rows (default 10), numbers rounded. */
export async function table(rows: readonly Row[], options: { limit?: number; columns?: string[] } = {}): Promise<void> {
  const limit = options.limit ?? 10;
  const columns = options.columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const cell = (v: unknown) => format(v).replaceAll('|', '\\|').replaceAll('\n', ' ');
  const shown = rows.slice(0, limit);
  const lines = [
    `| ${columns.join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...shown.map((r) => `| ${columns.map((c) => cell(r[c])).join(' | ')} |`),
  ];
  if (rows.length > limit) lines.push('', `(${rows.length - limit} more rows not shown)`);
  const text = lines.join('\n');
  await Deno.jupyter.display({ 'text/markdown': text, 'text/plain': text }, { raw: true });
}
