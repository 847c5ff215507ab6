import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

/** CLI and package tests run the built files: build once when dist/ is missing (scripts/test.sh always builds first). */
export default function setup(): void {
  if (!existsSync(new URL('../dist/cli/main.js', import.meta.url))) {
    execFileSync('npx', ['tsup', '--silent'], {
      stdio: 'inherit',
      timeout: 300_000,
      cwd: new URL('..', import.meta.url).pathname,
    });
  }
}
