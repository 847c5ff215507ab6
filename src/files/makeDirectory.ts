import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * `mkdir -p`: create `dir` and its missing parents, one level at a time.
 *
 * Why not `mkdirSync(dir, { recursive: true })`: on Linux, procfs answers
 * ENOENT (not EPERM) to a mkdir under it, and Node's recursive mkdir takes
 * ENOENT for "parent missing", creates the parent (EEXIST: fine) and retries
 * forever, sync and async (Node 18-22; reproduced here with `/proc/x` on
 * Node 20). A scheduled report pointed at such a path would hang at 100% CPU
 * instead of failing. Here every mkdir is non-recursive, so its error is final.
 *
 * @throws the first mkdir's error (ENOENT, EACCES, ENOTDIR …) with its `code`.
 */
export function makeDirectory(dir: string): void {
  const missing: string[] = [];
  for (let current = resolve(dir); !existsSync(current); current = dirname(current)) {
    missing.push(current);
    if (dirname(current) === current) break;
  }
  for (const path of missing.reverse()) {
    try {
      mkdirSync(path);
    } catch (error) {
      // created meanwhile by another process: fine if it is a directory
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(path).isDirectory()) throw error;
    }
  }
}
