// The daemon's file-descriptor budget. Every app costs descriptors (its log files, the pipes of each running
// process), and when they run out, everything the daemon does for itself fails too: a client's connection is
// accepted and dropped at once (libuv sheds it), state.json cannot be written. So the daemon keeps a reserve
// for itself: a spawn or a log open that would eat into it fails with EMFILE, as the OS would have failed it a
// little later, but while the daemon can still answer, save its state and report the error on the app.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Descriptors kept for the daemon's own work: client connections (one each; a `tend` command uses one or
 * two, a follower one more), the state file written by rename, the dump, the daemon log, a rotation.
 */
export const FD_RESERVE = 16;

/** Parent-side descriptors one spawn needs at its peak: stdout, stderr and IPC pipes, both ends, until exec. */
export const FDS_PER_SPAWN = 6;

/** The soft RLIMIT_NOFILE of this process, or null when /proc cannot tell (not Linux). */
export function fdLimit(): number | null {
  let text: string;
  try {
    // Read each time, not cached: it is a few hundred bytes, and prlimit(1) can change it under us.
    text = readFileSync('/proc/self/limits', 'latin1');
  } catch {
    return null;
  }
  const line = /^Max open files\s+(\S+)/m.exec(text);
  if (!line || line[1] === 'unlimited') return null;
  const n = Number(line[1]);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** Descriptors this process has open now, or null when /proc cannot tell. */
export function fdsInUse(): number | null {
  try {
    // readdir itself holds one descriptor while it runs; it is counted, which errs on the safe side.
    return readdirSync('/proc/self/fd').length;
  } catch {
    return null;
  }
}

/**
 * An EMFILE error when taking `need` more descriptors would leave fewer than the reserve; undefined when
 * they may be taken (or the budget cannot be known: then the OS's own EMFILE is the only guard).
 */
export function fdShortage(need: number, reserve = FD_RESERVE): NodeJS.ErrnoException | undefined {
  const limit = fdLimit();
  if (limit === null) return undefined;
  const used = fdsInUse();
  if (used === null || used + need + reserve <= limit) return undefined;
  const err: NodeJS.ErrnoException = new Error(
    `EMFILE: ${used} of ${limit} file descriptors in use, ${reserve} kept for the daemon (raise ulimit -n)`,
  );
  err.code = 'EMFILE';
  err.errno = -24;
  return err;
}
