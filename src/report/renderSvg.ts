import type { VegaLiteSpec } from './types.js';

type VegaModule = typeof import('vega');
type VegaLiteModule = typeof import('vega-lite');

let modules: Promise<[VegaModule, VegaLiteModule]> | undefined;

/**
 * vega and vega-lite, loaded once. They cannot be `require()`d (top-level
 * await in vega-canvas), so both builds load them with a dynamic `import()`.
 */
export function loadVega(): Promise<[VegaModule, VegaLiteModule]> {
  modules ??= Promise.all([import('vega'), import('vega-lite')]);
  return modules;
}

/** Options of {@link renderSvg}. */
export interface SvgOptions {
  /** Receives vega-lite's and vega's warnings (they are never printed). Default: discarded. */
  warnings?: string[];
}

/** A vega/vega-lite logger that collects warnings instead of printing them; errors still throw. */
function quietLogger(sink: string[]) {
  let current = 2;
  const logger = {
    level(value?: number) {
      if (value === undefined) return current;
      current = value;
      return logger;
    },
    error(...args: unknown[]) {
      throw new Error(args.map(String).join(' '));
    },
    warn(...args: unknown[]) {
      sink.push(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

/**
 * Render a Vega-Lite spec to an SVG string, headless: compile with
 * vega-lite, run a vega View with `renderer: 'none'` and call `toSVG()`.
 * Text is measured without a canvas (vega's estimate), so the output is the
 * same on every machine. Cost: ~50–100 ms per chart.
 */
export async function renderSvg(spec: VegaLiteSpec, options: SvgOptions = {}): Promise<string> {
  const [vega, vegaLite] = await loadVega();
  const warnings = options.warnings ?? [];
  const logger = quietLogger(warnings);
  const compiled = vegaLite.compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logger });
  try {
    return renumberIds(await view.toSVG());
  } finally {
    view.finalize();
  }
}

/**
 * vega numbers clip paths and gradients with process-wide counters
 * (`clip25`); renumber them per SVG so that the same chart gives the same
 * bytes whatever was rendered before it.
 */
function renumberIds(svg: string): string {
  const ids = new Map<string, string>();
  return svg.replace(/\b(clip|gradient|pattern)(_?)(\d+)\b/g, (match, kind: string, sep: string) => {
    let id = ids.get(match);
    if (!id) {
      id = `${kind}${sep}${[...ids.keys()].filter((k) => k.startsWith(kind)).length + 1}`;
      ids.set(match, id);
    }
    return id;
  });
}
