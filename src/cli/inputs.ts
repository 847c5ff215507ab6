import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkDetectorOptions } from '../detectors/checkOptions.js';
import { DETECTORS } from '../detectors/registry.js';
import type { DetectorId } from '../findings/types.js';
import type { LoadOptions } from '../ledger/load.js';
import type { ColumnMapping } from '../ledger/resolve-columns.js';
import type { ScoreScale } from '../ledger/types.js';
import { UsageError } from './errors.js';

/** The flags shared by every command that reads ledgers. */
export interface InputFlags {
  surveys?: string;
  concessions?: string;
  interactions?: string;
  columns?: string;
  config?: string;
  timeZone?: string;
  scale?: string;
  strict?: boolean;
  alpha?: string;
  maxRecordMib?: string;
}

/** `nps-gaming.config.json`: every key optional; paths are relative to the config file. */
export interface ConfigFile {
  surveys?: string;
  concessions?: string;
  interactions?: string;
  columns?: ColumnMapping;
  repScoreScale?: ScoreScale;
  timeZone?: string;
  strict?: boolean;
  alpha?: number;
  maxRecordBytes?: number;
  detectors?: DetectorId[];
  detectorOptions?: Record<string, Record<string, unknown>>;
  out?: string;
  /** `report`: the reviews file (see `--reviewed`). */
  reviewed?: string;
}

export interface ResolvedInputs {
  paths: { surveys: string; concessions: string; interactions?: string };
  load: LoadOptions;
  alpha?: number;
  config: ConfigFile;
  demo: boolean;
}

function readJsonFile<T>(path: string, what: string): T {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new UsageError(`${what} ${path}: cannot read the file`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new UsageError(`${what} ${path}: invalid JSON (${(error as Error).message})`);
  }
}

/** The bundled demo dataset: `dist/demo` in the package, `datasets/demo` in a clone. */
export function demoDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    resolve(here, '../demo'),
    resolve(here, '../../datasets/demo'),
    resolve(here, '../datasets/demo'),
  ];
  const found = candidates.find((dir) => existsSync(resolve(dir, 'surveys.csv')));
  if (!found) throw new UsageError('the bundled demo dataset is missing; pass --surveys and --concessions');
  return found;
}

function parseScale(text: string): ScoreScale {
  const m = /^(\d+)\.\.(\d+)$/.exec(text.trim());
  if (!m) throw new UsageError(`--scale must look like 1..10 or 1..5, got "${text}"`);
  return { min: +m[1], max: +m[2] };
}

/**
 * Merge command-line flags over the config file; with neither surveys nor
 * concessions given anywhere, use the bundled demo dataset.
 */
export function resolveInputs(flags: InputFlags): ResolvedInputs {
  const config = flags.config ? readJsonFile<ConfigFile>(flags.config, 'config') : {};
  checkDetectorOptions(config.detectorOptions, DETECTORS); // a misspelt option fails before a long load
  const base = flags.config ? dirname(resolve(flags.config)) : process.cwd();
  const fromConfig = (p?: string) => (p === undefined ? undefined : resolve(base, p));
  const repScoreScale = flags.scale ? parseScale(flags.scale) : config.repScoreScale;
  let surveys = flags.surveys ?? fromConfig(config.surveys);
  let concessions = flags.concessions ?? fromConfig(config.concessions);
  let interactions = flags.interactions ?? fromConfig(config.interactions);
  const demo = surveys === undefined && concessions === undefined;
  if (demo) {
    const dir = demoDirectory();
    surveys = resolve(dir, 'surveys.csv');
    concessions = resolve(dir, 'concessions.csv');
    interactions ??= resolve(dir, 'interactions.csv');
  }
  if (surveys === undefined) throw new UsageError('--surveys is required when --concessions is given');
  if (concessions === undefined) throw new UsageError('--concessions is required when --surveys is given');
  const columns = flags.columns
    ? readJsonFile<ColumnMapping>(flags.columns, 'column mapping')
    : config.columns;
  let alpha: number | undefined = config.alpha;
  if (flags.alpha !== undefined) {
    alpha = Number(flags.alpha);
    if (!(alpha > 0 && alpha < 1))
      throw new UsageError(`--alpha must be a number between 0 and 1, got "${flags.alpha}"`);
  }
  let maxRecordBytes = config.maxRecordBytes;
  if (flags.maxRecordMib !== undefined) {
    const mib = Number(flags.maxRecordMib);
    if (!(mib > 0 && mib <= 1024))
      throw new UsageError(
        `--max-record-mib must be a number of MiB above 0 and at most 1024, got "${flags.maxRecordMib}"`,
      );
    maxRecordBytes = Math.round(mib * 1024 * 1024);
  }
  return {
    paths: { surveys, concessions, ...(interactions ? { interactions } : {}) },
    load: {
      columns,
      repScoreScale,
      timeZone: flags.timeZone ?? config.timeZone,
      strict: flags.strict ?? config.strict ?? false,
      maxRecordBytes,
    },
    alpha,
    config,
    demo,
  };
}
