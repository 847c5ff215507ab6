/**
 * `node bench/ingest.mjs <surveys.csv> [runs]`: the CSV ingestion candidates, measured on one
 * file in one process, alternating, medians: csv-parse (sync, whole-file string), csv-parse
 * (streaming parser fed by a file stream), the byte-level chunked reader of
 * `src/ledger/csv-stream.ts` at three chunk sizes, and `loadSurveys` end to end. The numbers
 * behind the comment in csv-stream.ts and the "Ingestion" section of docs/benchmarks.md.
 * Needs a built dist/ (`npx tsup`); bundles csv-stream.ts with esbuild on the fly.
 */
import { createReadStream, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'csv-parse';
import { parse as parseSync } from 'csv-parse/sync';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const [path, runsText = '3'] = process.argv.slice(2);
const runs = Number(runsText);
const cache = join(root, 'node_modules/.cache/nps-gaming-bench');
mkdirSync(cache, { recursive: true });
await build({
  entryPoints: [join(root, 'src/ledger/csv-stream.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: join(cache, 'csv-stream.mjs'),
  logLevel: 'warning',
});
const { openCsvStream } = await import(pathToFileURL(join(cache, 'csv-stream.mjs')).href);
const { loadSurveys } = await import(pathToFileURL(join(root, 'dist/index.js')).href);
const options = { relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true };

const candidates = {
  'csv-parse sync (whole-file string)': async () => parseSync(readFileSync(path, 'utf8'), options).length - 1,
  'csv-parse streaming': async () => {
    let n = 0;
    for await (const _ of createReadStream(path).pipe(parse(options))) n++;
    return n - 1;
  },
  ...Object.fromEntries(
    [64, 256, 1024].map((kb) => [
      `byte-level reader, ${kb} KiB chunks`,
      async () => {
        let n = 0;
        const csv = await openCsvStream(path, { chunkBytes: kb * 1024 });
        for await (const batch of csv.batches()) n += batch.length;
        return n;
      },
    ]),
  ),
  'loadSurveys (reader + validation + typed arrays)': async () => (await loadSurveys(path)).ledger.length,
};

const times = Object.fromEntries(Object.keys(candidates).map((k) => [k, []]));
for (let run = 0; run < runs; run++) {
  const names = Object.keys(candidates);
  for (let i = 0; i < names.length; i++) {
    const name = names[(i + run) % names.length];
    globalThis.gc?.();
    const started = performance.now();
    const rows = await candidates[name]();
    const seconds = (performance.now() - started) / 1000;
    times[name].push(seconds);
    console.error(`${name}: ${rows} rows, ${seconds.toFixed(2)} s`);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
console.log('| candidate | median s | runs |\n|---|---:|---:|');
for (const [name, ts] of Object.entries(times))
  console.log(`| ${name} | ${median(ts).toFixed(2)} | ${ts.length} |`);
