// Finding processes by the environment tend gave them. A descendant that double-forks or calls setsid leaves
// the process group and loses its parent link, but keeps the environment it was started with: the kernel
// shows it in /proc/<pid>/environ (as it was at exec; later changes made by the process are not visible, and
// a process that execs with a cleaned environment loses the tag — that one escape no tag can follow).
// Used at stop and exit (kill-tree) and after a daemon crash (end-recorded); never on a timer.
import { closeSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
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
  for (const pid of pids()) {
    let environ: string;
    try {
      environ = readFileSync(`/proc/${pid}/environ`, 'latin1');
    } catch {
      continue; // gone, or another user's
    }
    if (match(environ)) addLive(found, pid);
  }
  return found;
}

/** The live processes carrying one spawn's tag: the process itself and whatever it started, however far. */
export function findSpawnTagged(tag: string): Map<number, number> {
  // Run at every stop and exit, over every process on the machine: bytes are searched in one reused buffer
  // instead of decoding each environ into a string (which grew the daemon's heap by ~2 MiB for good).
  const needle = Buffer.from(`\0${SPAWN_TAG}=${tag}\0`, 'latin1');
  const found = new Map<number, number>();
  for (const pid of pids()) if (environHas(pid, needle)) addLive(found, pid);
  return found;
}

/** Allocated at the first scan: a daemon that never stops anything never holds it. */
let chunk: Buffer | undefined;

/**
 * True when /proc/<pid>/environ holds `needle` (NUL KEY=value NUL). The file is read in chunks into one
 * buffer, each chunk keeping the tail of the previous one so that a match across the boundary is seen; a
 * leading NUL is put in front so that the first entry matches like the others.
 */
function environHas(pid: number, needle: Buffer): boolean {
  chunk ??= Buffer.allocUnsafe(64 * 1024);
  let fd: number;
  try {
    fd = openSync(`/proc/${pid}/environ`, 'r');
  } catch {
    return false; // gone, or another user's
  }
  try {
    const keep = needle.length - 1;
    chunk[keep - 1] = 0; // the NUL before the first entry
    let filled = keep; // bytes of chunk in use: [0, keep) is the carried tail
    let first = true;
    for (;;) {
      const n = readSync(fd, chunk, filled, chunk.length - filled, null);
      if (n === 0) {
        // The last entry ends without a NUL in some kernels' view: try it with one.
        if (filled < chunk.length) {
          chunk[filled] = 0;
          filled++;
        }
        return chunk.subarray(first ? keep - 1 : 0, filled).includes(needle);
      }
      filled += n;
      if (chunk.subarray(first ? keep - 1 : 0, filled).includes(needle)) return true;
      // Carry the last bytes that could start a match, then read on.
      chunk.copy(chunk, 0, filled - keep, filled);
      filled = keep;
      first = false;
    }
  } catch {
    return false; // it exited while we read
  } finally {
    closeSync(fd);
  }
}

function pids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number)
      .filter((pid) => pid !== process.pid);
  } catch {
    return []; // no /proc: nothing can be found this way
  }
}

function addLive(found: Map<number, number>, pid: number): void {
  const stat = readProcStat(pid);
  if (stat && !isGone(stat)) found.set(pid, stat.starttime);
}
