import { writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Keeps the test files that have started and not ended in the file `$VITEST_RUNNING_FILE`, one a
 * line, so that scripts/test.sh can name them when the suite hangs (vitest prints nothing when it is
 * stopped).
 */
export default class RunningFiles implements Reporter {
  private readonly running = new Set<string>();
  private readonly path = process.env.VITEST_RUNNING_FILE;

  onTestModuleStart(module: TestModule): void {
    this.running.add(module.relativeModuleId);
    this.write();
  }

  onTestModuleEnd(module: TestModule): void {
    this.running.delete(module.relativeModuleId);
    this.write();
  }

  private write(): void {
    if (this.path) writeFileSync(this.path, [...this.running].map((file) => `${file}\n`).join(''));
  }
}
