// `tend export --out DIR`: the directory made, then the files written, every failure a TEND_ERR_EXPORT_OUT
// naming the path and what to do. No `mkdirSync(dir, { recursive: true })`: on a pseudo file system Node's
// recursive mkdir loops forever (`--out /proc/nope` spun at 100 % CPU: mkdir says ENOENT, the parent
// exists, try again…). Instead: walk up to the deepest ancestor that exists, which must be a writable
// directory, then create the missing levels one at a time, each failure final.
import { accessSync, constants, mkdirSync, type Stats, statSync, writeFileSync } from 'node:fs';
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

/** Writes the files into `dir` (made by prepareOutDir); returns their paths. */
export function writeOutFiles(dir: string, files: readonly ExportFile[]): string[] {
  return files.map((f) => {
    const path = join(dir, f.name);
    try {
      writeFileSync(path, f.content);
    } catch (err) {
      throw outError(dir, `cannot write ${path}: ${message(err)}`);
    }
    return path;
  });
}
