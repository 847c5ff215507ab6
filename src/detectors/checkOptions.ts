import { closest, distance } from 'fastest-levenshtein';
import type { DetectorId } from '../findings/types.js';
import { OptionError } from '../log/errors.js';
import type { Detector } from './types.js';

/**
 * Rejects per-detector options that no detector would read: an unknown
 * detector id, or an option name the detector does not have (a typo such as
 * `windowDay` would otherwise leave the default in force without a word).
 * The message names the detector, the option and the closest known name.
 *
 * @example
 * checkDetectorOptions({ 'account-extraction': { windowDay: 10 } }, DETECTORS);
 * // OptionError: unknown option "windowDay" for account-extraction (did you mean "windowDays"?); …
 */
export function checkDetectorOptions(
  detectorOptions: Partial<Record<string, unknown>> | undefined,
  detectors: Partial<Record<DetectorId, Detector>>,
): void {
  const ids = Object.keys(detectors);
  for (const [id, options] of Object.entries(detectorOptions ?? {})) {
    const detector = detectors[id as DetectorId];
    if (!detector) throw new OptionError(`detectorOptions: unknown detector "${id}"${didYouMean(id, ids)}`);
    if (options === undefined) continue;
    if (typeof options !== 'object' || options === null || Array.isArray(options))
      throw new OptionError(
        `detectorOptions.${id} must be an object of options, got ${JSON.stringify(options)}`,
      );
    const known = ['seed', ...detector.options];
    for (const name of Object.keys(options)) {
      if (known.includes(name)) continue;
      throw new OptionError(
        `unknown option "${name}" for ${id}${didYouMean(name, known)}; its options: ${known.join(', ')}`,
      );
    }
  }
}

/** ` (did you mean "x"?)` when a known name is within a few edits of `name`, else nothing. */
function didYouMean(name: string, known: readonly string[]): string {
  if (known.length === 0) return '';
  const best = closest(name, [...known]);
  const near = best.toLowerCase() === name.toLowerCase() || distance(name, best) <= 3;
  return near ? ` (did you mean "${best}"?)` : '';
}
