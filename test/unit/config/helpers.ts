// Config test helpers: temporary directories (script resolution and loading touch the disk, so tests use
// real files) and a way to read the lines of a TEND_ERR_CONFIG_INVALID.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { NormalizeInput } from '../../../src/config/normalize.js';
import { TendError } from '../../../src/protocol/errors.js';

export interface TmpDir {
  readonly dir: string;
  /** Writes `content` at `relative` (folders created); mode 0o755 makes it executable. */
  write(relative: string, content: string, mode?: number): string;
  remove(): void;
}

export function makeTmp(): TmpDir {
  // realpath: on macOS /tmp is a symlink, and specs hold resolved paths.
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tend-config-')));
  return {
    dir,
    write(relative, content, mode = 0o644) {
      const file = path.join(dir, relative);
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, content, { mode });
      fs.chmodSync(file, mode);
      return file;
    },
    remove() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A NormalizeInput rooted at `dir`, with a PATH that holds only `<dir>/bin`, so lookups are predictable. */
export function inputFor(dir: string, apps: Record<string, unknown>[], over: Partial<NormalizeInput> = {}) {
  return {
    apps,
    source: null,
    baseDir: dir,
    callerEnv: { PATH: path.join(dir, 'bin'), HOME: dir },
    envName: null,
    only: null,
    logDir: '/var/log/tend',
    execPath: process.execPath,
    cpus: 4,
    ...over,
  } satisfies NormalizeInput;
}

/** The detail lines of the TEND_ERR_CONFIG_INVALID that `fn` throws (fails the test otherwise). */
export function configIssues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof TendError && e.code === 'TEND_ERR_CONFIG_INVALID')
      return String(e.data.detail).split('\n');
    throw e;
  }
  return assert.fail('expected TEND_ERR_CONFIG_INVALID, nothing was thrown');
}
