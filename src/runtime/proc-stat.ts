// Parsing of /proc/<pid>/stat, shared by the process table (kill-tree) and the inspector (cpu sampling).
// See proc(5). Linux only: tend supervises on Linux, where /proc is the cheapest truthful source.
import { readFileSync } from 'node:fs';

export interface ProcStat {
  pid: number;
  /** Executable name as the kernel reports it (truncated to 15 bytes, may contain spaces and parentheses). */
  comm: string;
  /** One letter: R running, S sleeping, Z zombie, X dead… */
  state: string;
  ppid: number;
  pgid: number;
  /** User and system CPU time, in clock ticks. */
  utime: number;
  stime: number;
  /** Time the process started after boot, in clock ticks. With the pid, it identifies a process: pids are
   * recycled (pid_max is often 32768), a (pid, starttime) pair is not. */
  starttime: number;
  /** Resident set size, in pages (field 24; the metrics read it here rather than in a second file). */
  rss: number;
  /** A zombie's exit status as waitpid(2) reports it (field 52, Linux ≥ 3.5); absent while it runs or unknown. */
  exitStatus?: number;
}

/**
 * Parses the text of /proc/<pid>/stat. The second field is `(comm)` and comm is chosen by the program: it may
 * contain spaces and `)` — `1234 (my) app) S 1 …` is legal. The kernel never escapes it, so the only robust
 * anchor is the LAST `)`: everything after it is numeric fields separated by single spaces.
 */
export function parseProcStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  // rest[0] is field 3 (state), so field n of proc(5) is rest[n - 3].
  const rest = text
    .slice(close + 1)
    .trim()
    .split(' ');
  const state = rest[0];
  const fields = {
    ppid: Number(rest[1]),
    pgid: Number(rest[2]),
    utime: Number(rest[11]),
    stime: Number(rest[12]),
    starttime: Number(rest[19]),
    rss: Number(rest[21]),
  };
  if (!Number.isInteger(pid) || state === undefined || state === '') return undefined;
  if (!Object.values(fields).every(Number.isFinite)) return undefined;
  // Only a process that has ended has one (a live one shows 0).
  const exitStatus = state === 'Z' || state === 'X' ? Number(rest[49]) : Number.NaN;
  return {
    pid,
    comm: text.slice(open + 1, close),
    state,
    ...fields,
    ...(Number.isInteger(exitStatus) ? { exitStatus } : {}),
  };
}

/** Reads and parses /proc/<pid>/stat; undefined when the process does not exist (or vanished meanwhile). */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    // ENOENT: no such pid; ESRCH: it exited between open and read. Both mean "not there".
    return undefined;
  }
  return parseProcStat(text);
}

/** A zombie has exited and only waits for its parent to reap it: for our purposes it is gone. */
export function isGone(stat: ProcStat | undefined): boolean {
  return stat === undefined || stat.state === 'Z' || stat.state === 'X';
}
