// Paths in ecosystem files are written for a shell: `~/logs/api.log` is common in PM2 files, and relative
// paths mean "next to the file". Resolve them once so the daemon never depends on its own cwd.

import fs from 'node:fs';
import path from 'node:path';

/** `~` and `~/x` → the home directory; other paths unchanged. */
export function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  return p.startsWith('~/') ? path.join(home, p.slice(2)) : p;
}

/** An absolute path for `p`, with `~` expanded and relative paths taken from `base`. */
export function resolvePath(base: string, p: string, home: string): string {
  return path.resolve(base, expandHome(p, home));
}

export function isDirectory(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

export function isFile(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}

export function isExecutable(p: string): boolean {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable file named `command` in the PATH list, as an absolute path; relative entries count from `cwd`. */
export function findOnPath(command: string, pathList: string | undefined, cwd: string): string | null {
  for (const dir of (pathList ?? '').split(path.delimiter)) {
    // An empty entry means "the current directory" to a shell; the cwd itself was already tried.
    if (dir === '') continue;
    const candidate = path.resolve(cwd, dir, command);
    if (isFile(candidate) && isExecutable(candidate)) return candidate;
  }
  return null;
}
