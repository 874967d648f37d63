// Why the OS refused a spawn, when its own code says the wrong thing. execve answers ENOENT for a script
// that exists when the interpreter of its `#!` line does not (`#!/usr/bin/python` on an image without it,
// `#!/bin/sh\r` from a file with Windows line endings): "cannot start /app/job: ENOENT" sent users looking
// for a file that was there (eighth audit). The spawner (the daemon's and tend-runtime's) asks here once a
// spawn failed, so it costs nothing to a spawn that works.
import fs from 'node:fs';
import path from 'node:path';

/** Linux reads this much of a file for its `#!` line (BINPRM_BUF_SIZE, since 5.1). */
const SHEBANG_BYTES = 256;
/** What execvp searches when the environment has no PATH (glibc's and musl's default). */
const DEFAULT_PATH = '/usr/local/bin:/bin:/usr/bin';

export interface SpawnTarget {
  readonly command: string;
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
}

/**
 * `err` as it should be told: for ENOENT from a file that exists and starts with `#!` naming a missing
 * interpreter, an error whose message says so and that has no `code` (the supervisor tells `code` first,
 * then the message: `cannot start /app/job: its interpreter /usr/bin/python (from its #! line) was not found
 * (ENOENT)`); any other error as it is.
 */
export function explainSpawnError(err: NodeJS.ErrnoException, target: SpawnTarget): NodeJS.ErrnoException {
  if (err.code === 'EACCES') return explainAccess(err, target);
  if (err.code !== 'ENOENT') return err;
  try {
    const file = fileOf(target);
    const interpreter = file === null ? null : shebangInterpreter(file);
    if (interpreter === null || fs.existsSync(interpreter)) return err;
    const crlf = interpreter.endsWith('\r') && fs.existsSync(interpreter.replace(/\r+$/, ''));
    const shown = shownPath(interpreter);
    const why = crlf
      ? `its #! line ends in a carriage return (Windows line endings), so its interpreter is ${shown}, which was not found (ENOENT)`
      : interpreter === ''
        ? 'its #! line names no interpreter (ENOENT)'
        : `its interpreter ${shown} (from its #! line) was not found (ENOENT)`;
    return explained(err, why);
  } catch {
    // Reading the file is a courtesy: what the OS said stands.
    return err;
  }
}

/**
 * EACCES from an executable script whose `#!` interpreter exists but may not be run (not executable, or a
 * directory): the interpreter is named, not the script (the verification of the eighth audit).
 */
function explainAccess(err: NodeJS.ErrnoException, target: SpawnTarget): NodeJS.ErrnoException {
  try {
    const file = fileOf(target);
    if (file === null) return err;
    const interpreter = shebangInterpreter(file);
    if (interpreter === null || interpreter === '' || isExecutableFile(interpreter)) return err;
    if (!fs.existsSync(interpreter)) return err;
    return explained(
      err,
      `its interpreter ${shownPath(interpreter)} (from its #! line) is not an executable file (EACCES)`,
    );
  } catch {
    return err;
  }
}

/** A path as it can be read in a message: as it is when printable without spaces, else JSON-quoted. */
function shownPath(p: string): string {
  return /^[\x21-\x7e]+$/.test(p) ? p : JSON.stringify(p);
}

/** `err` (errno, syscall, path kept, and as the cause) with a message that says why. */
function explained(err: NodeJS.ErrnoException, why: string): NodeJS.ErrnoException {
  const e: NodeJS.ErrnoException = new Error(why);
  e.errno = err.errno;
  e.syscall = err.syscall;
  e.path = err.path;
  e.cause = err;
  return e;
}

/** The file execvp tried: the command itself when it has a "/", else the first executable file on PATH. */
function fileOf(target: SpawnTarget): string | null {
  if (target.command.includes('/')) return path.resolve(target.cwd, target.command);
  for (const dir of (target.env.PATH ?? DEFAULT_PATH).split(path.delimiter)) {
    const candidate = path.resolve(target.cwd, dir === '' ? '.' : dir, target.command);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function isExecutableFile(file: string): boolean {
  if (fs.statSync(file, { throwIfNoEntry: false })?.isFile() !== true) return false;
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * What follows `#!` on the file's first line, as the kernel reads it (its first SHEBANG_BYTES), or null: no
 * such line, or no regular file (opening a FIFO to read it would block the process). Throws when unreadable.
 */
export function shebangLine(file: string): string | null {
  if (fs.statSync(file, { throwIfNoEntry: false })?.isFile() !== true) return null;
  const fd = fs.openSync(file, 'r');
  let head: string;
  try {
    const buf = Buffer.alloc(SHEBANG_BYTES);
    head = buf.subarray(0, fs.readSync(fd, buf, 0, SHEBANG_BYTES, 0)).toString('latin1');
  } finally {
    fs.closeSync(fd);
  }
  return head.startsWith('#!') ? (head.slice(2).split('\n')[0] as string) : null;
}

/** The interpreter named by the file's `#!` line (as the kernel reads it: up to a space or tab), or null. */
function shebangInterpreter(file: string): string | null {
  const line = shebangLine(file);
  return line === null ? null : (line.replace(/^[ \t]+/, '').split(/[ \t]/)[0] as string);
}
