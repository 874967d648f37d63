// Which changed paths never restart a watched app: the default ignores (node_modules, .git, tend's own
// files: the app's log files and rotated generations, $TEND_HOME), plus `ignore_watch` globs. chokidar 4
// has no globs, so picomatch matches them. Used as chokidar's `ignored`, an ignored directory is not even
// descended into (no inotify watches for node_modules).

import { createRequire } from 'node:module';
import path from 'node:path';
import type picomatchType from 'picomatch';

export const DEFAULT_IGNORES: readonly string[] = ['node_modules', '.git'];

export interface IgnoreInput {
  cwd: string;
  ignore_watch: readonly string[];
  out_file: string;
  err_file: string;
  log_file: string | null;
  /** $TEND_HOME: the daemon's log and state files change all the time. */
  home: string;
}

/**
 * A glob without a slash (`node_modules`, `*.log`) matches a file or directory of that name at any depth;
 * one with a slash (`src/*.tmp`, `logs/**`) matches the path relative to cwd (or a directory above it).
 */
export function ignoreMatcher(input: IgnoreInput): (file: string) => boolean {
  // Required here, not imported: only a watched app needs it (see openChokidar in watch.ts).
  const picomatch = createRequire(import.meta.url)('picomatch') as typeof picomatchType;
  const globs = [...DEFAULT_IGNORES, ...input.ignore_watch].map((g) => toRelative(g, input.cwd));
  const anyDepth = picomatch(
    globs.filter((g) => !g.includes('/')),
    { dot: true },
  );
  const fromCwd = picomatch(
    globs.filter((g) => g.includes('/')),
    { dot: true },
  );
  const logs = [input.out_file, input.err_file, input.log_file]
    .filter((f): f is string => f !== null && f !== '/dev/null')
    // `api-out.log` also covers `api-out-0.log` (an instance's) and `api-out__<stamp>.log.gz` (rotated).
    .map((f) => ({ dir: path.dirname(f), stem: path.basename(f).replace(/\.log$/, '') }));
  const home = path.resolve(input.home);
  return (file: string): boolean => {
    const abs = path.resolve(input.cwd, file);
    if (abs === home || abs.startsWith(`${home}${path.sep}`)) return true;
    const dir = path.dirname(abs);
    const base = path.basename(abs);
    if (logs.some((l) => l.dir === dir && base.startsWith(l.stem))) return true;
    const rel = path.relative(input.cwd, abs);
    if (rel === '') return false;
    const parts = rel.split(path.sep);
    if (parts.some((part) => part !== '..' && anyDepth(part))) return true;
    for (let i = 1; i <= parts.length; i++) if (fromCwd(parts.slice(0, i).join('/'))) return true;
    return false;
  };
}

/** `./dist/`, `/abs/cwd/dist` → `dist`. */
function toRelative(glob: string, cwd: string): string {
  let g = glob.trim();
  if (path.isAbsolute(g)) g = path.relative(cwd, g) || '.';
  if (g.startsWith('./')) g = g.slice(2);
  return g.endsWith('/') && g.length > 1 ? g.slice(0, -1) : g;
}
