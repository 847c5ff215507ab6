/**
 * DuckDB engine of the benchmark: `analyzeWithDuckDb` end to end (SQL window
 * features and per-rep roll-ups over the CSV files, statistics in JS, the
 * findings document written as JSON).
 * Usage: node duckdb.mjs <dist dir> <surveys.csv> <concessions.csv> <bucket|range> <out.json> [memory limit] [spill dir]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [dist, surveys, concessions, strategy, out, memoryLimit, tempDirectory] = process.argv.slice(2);
const { analyzeWithDuckDb } = await import(pathToFileURL(join(dist, 'duckdb.js')).href);
const result = await analyzeWithDuckDb({ surveys, concessions }, { strategy, memoryLimit, tempDirectory });
const { tables, ...document } = result;
writeFileSync(out, `${JSON.stringify({ ...document, tables }, null, 1)}\n`);
