import { spawnSync } from 'node:child_process';

export const CLI = new URL('../../dist/cli/main.js', import.meta.url).pathname;

/**
 * Time limit of a synchronous child process in a test. A `spawnSync` blocks the worker's event loop,
 * so vitest's own test timeout cannot fire while it waits: without a limit, a hung child (a stalled
 * network fetch, a process waiting for input) hangs the whole suite instead of failing one test.
 */
export const CHILD_TIMEOUT_MS = 120_000;

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built `nps-gaming` binary as a user would, with no terminal attached. */
export function runCli(args: string[], options: { cwd?: string } = {}): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    cwd: options.cwd,
    env: { ...process.env, TZ: 'UTC' },
    timeout: CHILD_TIMEOUT_MS,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
