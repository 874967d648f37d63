// Finding processes by the environment tend gave them. A descendant that double-forks or calls setsid leaves
// the process group and loses its parent link, but keeps the environment it was started with: the kernel
// shows it in /proc/<pid>/environ (as it was at exec; later changes made by the process are not visible, and
// a process that execs with a cleaned environment loses the tag — that one escape no tag can follow).
// Used at stop and exit (kill-tree) and after a daemon crash (end-recorded); never on a timer.
import { readdirSync, readFileSync } from 'node:fs';
import { isGone, readProcStat } from './proc-stat.js';

/** Set by the spawner on every process it starts, unique per spawn: the tree of one run, across forks. */
export const SPAWN_TAG = 'TEND_SPAWN_ID';

/** True when the NUL-separated environ holds exactly the entry `KEY=value`. */
export function hasEntry(environ: string, entry: string): boolean {
  return environ.startsWith(`${entry}\0`) || environ.includes(`\0${entry}\0`) || environ === entry;
}

/** True when the NUL-separated environ defines `key` (any value). */
export function hasKey(environ: string, key: string): boolean {
  return environ.startsWith(`${key}=`) || environ.includes(`\0${key}=`);
}

/**
 * pid → start time of every live process (the daemon excluded) whose environment matches. Only processes of
 * our own user are readable; the others are skipped, as are processes that exit while we look.
 */
export function scanEnviron(match: (environ: string) => boolean): Map<number, number> {
  const found = new Map<number, number>();
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return found; // no /proc: nothing can be found this way
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${name}/environ`, 'latin1');
    } catch {
      continue; // gone, or another user's
    }
    if (!match(environ)) continue;
    const stat = readProcStat(pid);
    if (stat && !isGone(stat)) found.set(pid, stat.starttime);
  }
  return found;
}

/** The live processes carrying one spawn's tag: the process itself and whatever it started, however far. */
export function findSpawnTagged(tag: string): Map<number, number> {
  const entry = `${SPAWN_TAG}=${tag}`;
  return scanEnviron((environ) => hasEntry(environ, entry));
}
