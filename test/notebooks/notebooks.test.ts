import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The notebooks run in CI: scripts/notebooks.sh type-checks and executes every
 * notebook (needs the Debian packages of scripts/setup-notebooks.sh, which the
 * README test command installs first).
 */
const root = new URL('../..', import.meta.url).pathname;
const notebooksDir = join(root, 'notebooks');
const names = readdirSync(notebooksDir).filter((f) => f.endsWith('.ipynb'));
const VEGA_LITE = 'application/vnd.vegalite.v6+json';

interface Cell {
  cell_type: string;
  id?: string;
  source: string | string[];
  outputs?: { output_type: string; data?: Record<string, unknown> }[];
  execution_count?: number | null;
}
const cellsOf = (path: string): Cell[] => JSON.parse(readFileSync(path, 'utf8')).cells;

function runScript(args: string[], out: string) {
  return spawnSync('bash', [join(root, 'scripts/notebooks.sh'), ...args], {
    cwd: root,
    env: { ...process.env, NOTEBOOKS_OUT: out },
    encoding: 'utf8',
    timeout: 300_000,
  });
}

describe('committed notebooks', () => {
  it('exist', () => {
    expect(names).toEqual([
      '01-quickstart.ipynb',
      '02-concessions-before-surveys.ipynb',
      '03-rep-vs-relationship.ipynb',
      '04-your-own-data.ipynb',
    ]);
  });

  it.each(names)('%s: outputs cleared, every cell has a unique id, Deno kernel', (name) => {
    const path = join(notebooksDir, name);
    const notebook = JSON.parse(readFileSync(path, 'utf8'));
    expect(notebook.metadata.kernelspec.name).toBe('deno');
    const cells: Cell[] = notebook.cells;
    const ids = cells.map((c) => c.id);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const cell of cells.filter((c) => c.cell_type === 'code')) {
      expect(cell.outputs, `cell ${cell.id}`).toEqual([]);
      expect(cell.execution_count, `cell ${cell.id}`).toBeNull();
    }
  });
});

describe('scripts/notebooks.sh', () => {
  const out = mkdtempSync(join(tmpdir(), 'nps-notebooks-'));
  let run: ReturnType<typeof runScript>;

  beforeAll(() => {
    run = runScript([], out);
  }, 300_000);
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('type-checks and executes every notebook', () => {
    expect(run.status, `${run.stderr}\n${run.stdout}`.slice(-4000)).toBe(0);
    expect(
      readdirSync(out)
        .filter((f) => f.endsWith('.ipynb'))
        .sort(),
    ).toEqual(names);
  });

  it.each(names)('%s: executed without errors, with Vega-Lite charts', (name) => {
    expect(run.status).toBe(0);
    const cells = cellsOf(join(out, name));
    const outputs = cells.flatMap((c) => c.outputs ?? []);
    expect(outputs.filter((o) => o.output_type === 'error')).toEqual([]);
    const charts = outputs.filter((o) => o.data && VEGA_LITE in o.data);
    expect(charts.length).toBeGreaterThan(0);
    for (const chart of charts) {
      const spec = chart.data?.[VEGA_LITE] as Record<string, unknown>;
      expect(String(spec.$schema)).toContain('vega-lite/v6');
    }
  });
});

describe('scripts/notebooks.sh fails', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nps-notebooks-fail-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const notebook = (cells: string[]) => ({
    cells: cells.map((source, i) => ({
      cell_type: 'code',
      execution_count: null,
      id: `cell-${i}`,
      metadata: {},
      outputs: [],
      source,
    })),
    metadata: { kernelspec: { display_name: 'Deno', language: 'typescript', name: 'deno' } },
    nbformat: 4,
    nbformat_minor: 5,
  });

  it('on a cell that throws', () => {
    const path = join(dir, 'throws.ipynb');
    writeFileSync(
      path,
      JSON.stringify(notebook(['const x = 1;', "throw new Error('boom from a cell');", 'x;'])),
    );
    const run = runScript([path], join(dir, 'out'));
    expect(run.status).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain('boom from a cell');
  }, 120_000);

  it('on a type error, before executing anything', () => {
    const path = join(dir, 'type-error.ipynb');
    writeFileSync(path, JSON.stringify(notebook(["const n: number = 'not a number';"])));
    const run = runScript([path], join(dir, 'out'));
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('TS2322');
  }, 120_000);
});
