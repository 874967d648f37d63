import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A fresh TEND_HOME for one test file (short: Unix socket paths are limited to 107 bytes). */
export function makeTmpHome(): { home: string; remove(): void } {
  const home = realpathSync(mkdtempSync(join(tmpdir(), 'tend-')));
  return { home, remove: () => rmSync(home, { recursive: true, force: true }) };
}
