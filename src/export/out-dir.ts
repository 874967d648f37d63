// `tend export --out DIR`: the directory made, then the files written, every failure a TEND_ERR_EXPORT_OUT
// naming the path and what to do. No `mkdirSync(dir, { recursive: true })`: on a pseudo file system Node's
// recursive mkdir loops forever (`--out /proc/nope` spun at 100 % CPU: mkdir says ENOENT, the parent
// exists, try again…). Instead: walk up to the deepest ancestor that exists, which must be a writable
// directory, then create the missing levels one at a time, each failure final.
import {
  accessSync,
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  openSync,
  readlinkSync,
  type Stats,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { TendError } from '../protocol/errors.js';
import type { ExportFile } from './model.js';

const FIX = 'pass --out a directory you can write, or leave --out out to print the files';

function outError(path: string, reason: string): TendError {
  return new TendError('TEND_ERR_EXPORT_OUT', { path, reason, fix: FIX });
}

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code ?? '';
const message = (err: unknown) => (err as Error).message;

/** Makes `dir` (and its missing parents) and returns it absolute; throws TEND_ERR_EXPORT_OUT. */
export function prepareOutDir(dir: string): string {
  const target = resolve(dir);
  const missing: string[] = [];
  let at = target;
  let stats: Stats;
  for (;;) {
    try {
      stats = statSync(at);
      break;
    } catch (err) {
      // ENOTDIR: a file on the way (`/dev/null/x`); going up finds it and says so below.
      if (errno(err) !== 'ENOENT' && errno(err) !== 'ENOTDIR') throw outError(target, message(err));
      // A link to nothing says ENOENT too, and mkdir would then say EEXIST: say what it is.
      const dangling = danglingLink(at);
      if (dangling !== null)
        throw new TendError('TEND_ERR_EXPORT_OUT', {
          path: target,
          reason: `${at} is a symbolic link to ${dangling}, which does not exist`,
          fix: 'create the directory it points to, remove the link, or choose another --out',
        });
      const parent = dirname(at);
      if (parent === at) throw outError(target, message(err));
      missing.unshift(at);
      at = parent;
    }
  }
  if (!stats.isDirectory())
    throw outError(target, at === target ? 'it is a file, not a directory' : `${at} is not a directory`);
  try {
    accessSync(at, constants.W_OK);
  } catch (err) {
    throw outError(target, `${at} is not writable (${errno(err) || message(err)})`);
  }
  for (const level of missing) {
    try {
      mkdirSync(level);
    } catch (err) {
      // /proc and /sys say ENOENT or EPERM to a new directory: the file system does not take one.
      throw outError(target, `cannot create ${level}: ${message(err)}`);
    }
  }
  return target;
}

/** The target of `path` when it is a symbolic link (its target absent), else null. */
function danglingLink(path: string): string | null {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : null;
  } catch {
    return null;
  }
}

/** Why a file of the export may not be written where it is, or null (absent, or a regular file). */
function inTheWay(path: string, name: string): string | null {
  let stats: Stats;
  try {
    stats = lstatSync(path);
  } catch (err) {
    if (errno(err) === 'ENOENT') return null;
    return `cannot write ${path}: ${message(err)}`;
  }
  if (stats.isSymbolicLink()) return symlinkReason(path, name);
  // A FIFO would block the open, a directory or a device is not a file to replace.
  if (!stats.isFile()) return `${path} is not a regular file`;
  return null;
}

const symlinkReason = (path: string, name: string) =>
  `${path} is a symbolic link${/\.(service|timer)$/.test(name) ? ' (a masked unit?)' : ''}`;
const SYMLINK_FIX = 'remove it or choose another --out';

// O_NOFOLLOW: a link planted at a file's path (`db.service -> /dev/null`, a masked unit; or a link to a file
// of root's) is never written through: the open fails (ELOOP) instead.
const WRITE_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | constants.O_NOFOLLOW;

/**
 * Writes the files into `dir` (made by prepareOutDir); returns their paths. Every path is checked first (no
 * link, nothing but a regular file), so a refusal leaves every file as it was; each is then opened without
 * following a link, in case one appeared since.
 */
export function writeOutFiles(dir: string, files: readonly ExportFile[]): string[] {
  const paths = files.map((f) => join(dir, f.name));
  files.forEach((f, i) => {
    const path = paths[i] as string;
    const reason = inTheWay(path, f.name);
    if (reason === null) return;
    const link = reason === symlinkReason(path, f.name);
    throw new TendError('TEND_ERR_EXPORT_OUT', { path: dir, reason, fix: link ? SYMLINK_FIX : FIX });
  });
  files.forEach((f, i) => {
    const path = paths[i] as string;
    let fd: number;
    try {
      fd = openSync(path, WRITE_FLAGS, 0o644);
    } catch (err) {
      if (errno(err) === 'ELOOP')
        throw new TendError('TEND_ERR_EXPORT_OUT', {
          path: dir,
          reason: symlinkReason(path, f.name),
          fix: SYMLINK_FIX,
        });
      throw outError(dir, `cannot write ${path}: ${message(err)}`);
    }
    try {
      writeFileSync(fd, f.content);
    } catch (err) {
      throw outError(dir, `cannot write ${path}: ${message(err)}`);
    } finally {
      closeSync(fd);
    }
  });
  return paths;
}
