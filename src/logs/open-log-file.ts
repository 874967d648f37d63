// Opening a log file for appending, as a LogWriter does at start, reopen and rotation. tend's own files
// (directly in $TEND_HOME/logs) are opened without following links, and their directory is created again
// when someone deleted it; a file the user named elsewhere is opened as they gave it, links included.
import { lstatSync, openSync } from 'node:fs';
import { APPEND_NOFOLLOW } from '../runtime/private-dir.js';

/** How a writer opens its file: tend's own files in its logs directory are treated apart. */
export interface OpenOptions {
  /** Refuse a symbolic link in the file's place (ELOOP) instead of following it. */
  nofollow?: boolean;
  /** Recreates the file's directory (tend's own logs/, deleted under it); called once when open meets ENOENT. */
  ensureDir?(): void;
}

/**
 * O_APPEND|O_CREAT, 0600. The parent directory must exist: a typo in a path is an error, not a new
 * directory somewhere; only tend's own logs/ is created again.
 */
export function openLogFile(path: string, opts: OpenOptions): number {
  const flags = opts.nofollow ? APPEND_NOFOLLOW : 'a';
  try {
    return openSync(path, flags, 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || !opts.ensureDir) throw err;
    opts.ensureDir();
    return openSync(path, flags, 0o600);
  }
}

/** True when `path` no longer names the inode `ino` (the file, or its directory, was deleted or replaced). */
export function pathLeft(path: string, ino: number): boolean {
  try {
    return lstatSync(path).ino !== ino;
  } catch {
    return true;
  }
}
