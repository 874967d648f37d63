import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh TEND_HOME for one test file (short: Unix socket paths are limited to 107 bytes). */
export function makeTmpHome(): { home: string; remove(): void } {
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'tend-')));
  // Retries: a process of the test that is still ending (a daemon writing its last log line) may add a file
  // while the tree is removed (ENOTEMPTY).
  return {
    home,
    remove: () => rmSync(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }),
  };
}
