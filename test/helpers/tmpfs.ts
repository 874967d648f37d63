// A small tmpfs to fill up (a real full disk): mounting needs root, so a test that cannot mount skips with
// the reason. `remove()` unmounts (lazily: a daemon may still hold files there) and deletes the folder.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  path: string;
  /** Why this test cannot have one, or false when it is mounted. */
  skip: string | false;
  remove(): void;
}

export function mountSmallDisk(size = '512k'): SmallDisk {
  const path = mkdtempSync(join(tmpdir(), 'tend-full-'));
  let skip: string | false = false;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', path], { stdio: 'pipe' });
  } catch (err) {
    skip = `cannot mount a small tmpfs here (${String((err as { stderr?: Buffer }).stderr ?? err).trim()})`;
  }
  return {
    path,
    skip,
    remove() {
      if (!skip) execFileSync('umount', ['-l', path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}
