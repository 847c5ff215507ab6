import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { inlineScript } from './escape.js';

/** The three browser (UMD) builds the offline HTML report inlines, in load order. */
const BUNDLES = [
  ['vega', 'vega.min.js'],
  ['vega-lite', 'vega-lite.min.js'],
  ['vega-embed', 'vega-embed.min.js'],
] as const;

let cache: string[] | undefined;

/**
 * The UMD builds of vega, vega-lite and vega-embed, ready to inline: the
 * packages' export maps hide them, so each is found beside the file that
 * `require.resolve` gives for the package. Read once per process.
 *
 * @throws {Error} when a package is not installed.
 */
export function vegaBundles(): string[] {
  if (cache) return cache;
  const require = createRequire(typeof __filename === 'string' ? __filename : import.meta.url);
  cache = BUNDLES.map(([pkg, file]) => {
    const entry = require.resolve(pkg);
    return inlineScript(readFileSync(join(dirname(entry), file), 'utf8'));
  });
  return cache;
}
