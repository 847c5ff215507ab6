import { OptionError } from './log/errors.js';

/**
 * Shared option validation: every public function applies its defaults and
 * checks its options here, at the top, so that a bad option fails early with
 * one clear message instead of a NaN deep inside a computation.
 */

export function numberOption(
  options: Record<string, unknown>,
  key: string,
  fallback: number,
  {
    min = -Infinity,
    max = Infinity,
    integer = false,
  }: { min?: number; max?: number; integer?: boolean } = {},
): number {
  const value = options[key] ?? fallback;
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < min ||
    value > max ||
    (integer && !Number.isInteger(value))
  ) {
    const kind = integer ? 'an integer' : 'a number';
    throw new OptionError(`option ${key} must be ${kind} in [${min}, ${max}], got ${JSON.stringify(value)}`);
  }
  return value;
}

export function stringListOption(
  options: Record<string, unknown>,
  key: string,
  fallback: readonly string[],
): string[] {
  const value = options[key] ?? fallback;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    throw new OptionError(`option ${key} must be a list of strings, got ${JSON.stringify(value)}`);
  }
  return [...value];
}

export function booleanOption(options: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = options[key] ?? fallback;
  if (typeof value !== 'boolean')
    throw new OptionError(`option ${key} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}
