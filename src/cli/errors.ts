/** Exit codes of the CLI (documented in the README). */
export const EXIT = {
  ok: 0,
  /** strict mode and rows were quarantined */
  quarantined: 1,
  /** bad arguments, unreadable or unusable input */
  usage: 2,
  /** `--fail-on` threshold reached */
  findings: 3,
  /** interrupted (Ctrl-C): nothing written */
  interrupted: 130,
} as const;

/** A problem with the command line or its files: printed as one line, exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
