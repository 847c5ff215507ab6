import { existsSync, mkdtempSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeDirectory } from '../../src/files/makeDirectory.js';

describe('makeDirectory', () => {
  it('creates missing parents and accepts an existing directory', () => {
    const root = mkdtempSync(join(tmpdir(), 'nps-mkdir-'));
    const deep = join(root, 'a', 'b', 'c');
    makeDirectory(deep);
    expect(statSync(deep).isDirectory()).toBe(true);
    makeDirectory(deep);
    makeDirectory(root);
  });

  // Node's recursive mkdir spins forever here (procfs answers ENOENT); a hang fails this test by its timeout
  it.skipIf(!existsSync('/proc/self'))(
    'fails at once under /proc instead of looping',
    () => {
      expect(() => makeDirectory('/proc/nps-gaming-test/out')).toThrow(/ENOENT/);
    },
    5_000,
  );

  it('fails with ENOENT under a dangling symbolic link', () => {
    const root = mkdtempSync(join(tmpdir(), 'nps-mkdir-'));
    symlinkSync(join(root, 'nowhere'), join(root, 'dangling'));
    expect(() => makeDirectory(join(root, 'dangling', 'out'))).toThrow(/ENOENT/);
  });
});
