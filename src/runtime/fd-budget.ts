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

/** Grants between two counts at most: descriptors other code opened meanwhile (clients) are seen again. */
const RECOUNT_EVERY = 16;

/**
 * Counting is two reads of /proc, and this runs at every spawn and log-file open: with a high limit most
 * calls are answered from the headroom of the last count (minus what was granted since), and /proc is read
 * again only when that headroom runs short or after RECOUNT_EVERY grants. Near the limit every call counts.
 */
let headroom = 0;
let grants = 0;

/**
 * An EMFILE error when taking `need` more descriptors would leave fewer than the reserve; undefined when
 * they may be taken (or the budget cannot be known: then the OS's own EMFILE is the only guard).
 */
export function fdShortage(need: number, reserve = FD_RESERVE): NodeJS.ErrnoException | undefined {
  if (need <= headroom && grants < RECOUNT_EVERY) {
    headroom -= need;
    grants++;
    return undefined;
  }
  // The limit is read each time we count, not cached: prlimit(1) can change it under us.
  const limit = fdLimit();
  const used = limit === null ? null : fdsInUse();
  if (limit === null || used === null) return undefined;
  headroom = limit - used - reserve;
  grants = 0;
  if (need <= headroom) {
    headroom -= need;
    return undefined;
  }
  const err: NodeJS.ErrnoException = new Error(
    `EMFILE: ${used} of ${limit} file descriptors in use, ${reserve} kept for the daemon (raise ulimit -n)`,
  );
  err.code = 'EMFILE';
  err.errno = -24;
  return err;
}
