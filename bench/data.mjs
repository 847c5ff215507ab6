/**
 * Benchmark ledgers: the simulator's `carrier` world scaled to the wanted
 * number of survey invitations, with the concession ledger padded to twice
 * the surveys. The carrier world grants ~0.19 concessions per invitation, so
 * each simulated concession is copied with a new id (`KB…`) and its time
 * moved by a seeded random shift of up to ±60 days: same customers, reps,
 * categories, reasons and amounts, more volume. Cached by size under `dir`.
 */

import { createHash } from 'node:crypto';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  readFileSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Invitations of the carrier world at scale 1 (seed 1). */
const CARRIER_SURVEYS_AT_SCALE_1 = 62_868;

/** '100k' → 100000, '1m' → 1000000. */
export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(text.trim());
  if (!m) throw new Error(`bad size "${text}" (use e.g. 100k, 1m, 5m)`);
  return Math.round(Number(m[1]) * { '': 1, k: 1e3, m: 1e6 }[m[2].toLowerCase()]);
}

/** mulberry32: a small seeded generator. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

/** Generate (or reuse) the ledgers for `surveys` invitations; returns their paths and row counts. */
export async function benchData({ simulate }, dir, label, surveys) {
  const out = join(dir, label);
  const meta = join(out, 'bench.json');
  if (existsSync(meta)) return JSON.parse(readFileSync(meta, 'utf8'));
  await mkdir(out, { recursive: true });
  const scale = surveys / CARRIER_SURVEYS_AT_SCALE_1;
  const started = Date.now();
  const summary = await simulate({ scenario: 'carrier', seed: 1, scale, outDir: join(out, 'sim') });
  const target = 2 * summary.counts.surveys;
  const padded = join(out, 'concessions.csv');
  const sink = createWriteStream(`${padded}.tmp`);
  const write = (line) => (sink.write(line) ? undefined : new Promise((r) => sink.once('drain', r)));
  const rows = [];
  const lines = createInterface({ input: createReadStream(summary.files.concessions) });
  let header;
  for await (const line of lines) {
    if (header === undefined) {
      header = line;
      await write(`${line}\n`);
      continue;
    }
    if (line) rows.push(line);
    await write(`${line}\n`);
  }
  const next = random(7);
  let written = rows.length;
  for (let copy = 0; written < target; copy++) {
    for (let i = 0; i < rows.length && written < target; i++) {
      const cells = rows[i].split(',');
      const t = Date.parse(cells[3]) + Math.round((next() * 2 - 1) * 60 * 86_400) * 1000;
      cells[0] = `KB${copy}_${i}`;
      cells[3] = iso(t);
      const wait = write(`${cells.join(',')}\n`);
      if (wait) await wait;
      written++;
    }
  }
  await new Promise((resolve, reject) => sink.end((error) => (error ? reject(error) : resolve())));
  renameSync(`${padded}.tmp`, padded);
  const result = {
    label,
    scale,
    surveys: summary.counts.surveys,
    concessions: written,
    simulatedConcessions: summary.counts.concessions,
    reps: summary.counts.reps,
    customers: summary.counts.customers,
    files: { surveys: summary.files.surveys, concessions: padded },
    generatedSeconds: (Date.now() - started) / 1000,
  };
  writeFileSync(meta, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}

/**
 * The same ledgers with every customer id rewritten as its 32-hex MD5 digest, as real ledgers often
 * carry hashed ids: the simulator's ("C035721") take the loader's direct-index path, digests its
 * hash table. Cached under `${label}-digest`.
 */
export async function withDigestIds(data, dir) {
  const label = `${data.label}-digest`;
  const out = join(dir, label);
  const meta = join(out, 'bench.json');
  if (existsSync(meta)) return JSON.parse(readFileSync(meta, 'utf8'));
  await mkdir(out, { recursive: true });
  const digests = new Map();
  const digest = (id) => {
    if (id === '') return id;
    let d = digests.get(id);
    if (d === undefined) {
      d = createHash('md5').update(id).digest('hex');
      digests.set(id, d);
    }
    return d;
  };
  const files = {};
  for (const name of ['surveys', 'concessions']) {
    const to = join(out, `${name}.csv`);
    const sink = createWriteStream(`${to}.tmp`);
    const write = (line) => (sink.write(line) ? undefined : new Promise((r) => sink.once('drain', r)));
    let column = -1;
    for await (const line of createInterface({ input: createReadStream(data.files[name]) })) {
      if (column < 0) {
        column = line.split(',').indexOf('customer_id');
        await write(`${line}\n`);
        continue;
      }
      const cells = line.split(',');
      cells[column] = digest(cells[column]);
      const wait = write(`${cells.join(',')}\n`);
      if (wait) await wait;
    }
    await new Promise((resolve, reject) => sink.end((error) => (error ? reject(error) : resolve())));
    renameSync(`${to}.tmp`, to);
    files[name] = to;
  }
  const result = { ...data, label, ids: 'customer ids as 32-hex MD5 digests', files };
  writeFileSync(meta, `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
