import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LedgerError, type Location, MissingPeerError, OptionError } from '../log/errors.js';

/**
 * What the library's two worker threads (the concession loader, the
 * survey-only detectors) share: finding their built script, and carrying an
 * error across the thread boundary as the error the calling thread would
 * have thrown (a structured clone keeps only `Error`'s message).
 */

/**
 * The built worker script `file` next to the calling module's bundle (dist/), or undefined
 * (e.g. when run from the sources, where the caller works on its own thread instead).
 */
export function builtWorkerScript(file: string): string | undefined {
  const here = typeof __filename === 'string' ? dirname(__filename) : dirname(fileURLToPath(import.meta.url));
  for (const candidate of [join(here, file), join(here, '..', file)]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** An error as plain data a worker can post. */
export interface PostedError {
  name: string;
  message: string;
  location?: Location;
}

export function postableError(error: unknown): PostedError {
  const e = error as Error | undefined;
  return {
    name: e?.name ?? 'Error',
    message: e?.message ?? String(error),
    location: error instanceof LedgerError ? error.location : undefined,
  };
}

/** The posted error as the library's own error class where it has one, else an `Error` of the same name. */
export function errorFromWorker({ name, message, location }: PostedError): Error {
  if (name === 'LedgerError' && location) return new LedgerError(message, location);
  if (name === 'OptionError') return new OptionError(message);
  if (name === 'MissingPeerError') return new MissingPeerError(message);
  const error = new Error(message);
  error.name = name;
  return error;
}
