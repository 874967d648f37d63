// Ending processes recorded by a daemon that died (crash recovery). They are not our children, so they are
// identified by (pid, start time) read from /proc: a pid recycled by an unrelated process since the record
// was written has another start time and is never signalled. Their process groups (a fork app's own group;
// a cluster app's primary with its workers) and descendants are ended with them.
import { readFileSync } from 'node:fs';
import { hasEntry, hasKey, scanEnviron } from './env-tag.js';
import { isGone, type ProcStat, readProcStat } from './proc-stat.js';
import { descendantsOfAll, membersOfGroup, readProcessTable } from './process-tree.js';

export interface RecordedProcess {
  pid: number;
  /** /proc/<pid>/stat field 22 when the record was written. */
  starttime: number;
  /** Its process group, and the start time of the group's leader (null when unknown). */
  pgid: number | null;
  pgid_starttime: number | null;
}

export interface EndOptions {
  /** How long SIGTERM is given before SIGKILL. */
  graceMs: number;
  /** How long to wait for SIGKILL to take effect (a process in uninterruptible sleep must not hang us). */
  killWaitMs?: number;
}

export interface EndResult {
  /** Every process that was still alive and was signalled. */
  ended: number[];
  /** Those still there after SIGKILL (should be empty). */
  survivors: number[];
}

/** Finds what is left of the recorded processes, SIGTERMs it, SIGKILLs what outlives the grace. */
export function endRecorded(records: readonly RecordedProcess[], opts: EndOptions): Promise<EndResult> {
  return endProcesses(findVictims(records), opts);
}

/** SIGTERMs the given processes (pid → start time), SIGKILLs what outlives the grace, waits until gone. */
export async function endProcesses(victims: Map<number, number>, opts: EndOptions): Promise<EndResult> {
  if (victims.size === 0) return { ended: [], survivors: [] };
  signalAll(victims, 'SIGTERM');
  let left = await waitGone(victims, opts.graceMs);
  if (left.size > 0) {
    signalAll(left, 'SIGKILL');
    left = await waitGone(left, opts.killWaitMs ?? 2000);
  }
  return { ended: [...victims.keys()], survivors: [...left.keys()] };
}

/** pid → start time of every live process that belongs to a record. Exported for tests. */
export function findVictims(records: readonly RecordedProcess[]): Map<number, number> {
  const table = readProcessTable();
  const alive = (pid: number, starttime: number | null) => {
    const e = table.get(pid);
    return e !== undefined && starttime !== null && e.starttime === starttime && e.state !== 'Z';
  };
  const roots = new Set<number>();
  for (const r of records) {
    const own = alive(r.pid, r.starttime);
    if (own) roots.add(r.pid);
    if (r.pgid === null || r.pgid <= 1) continue;
    // A group is ours if its leader is the recorded one, or (leader gone) if a verified process of ours is
    // still in it: a group id is never reused while the group has a member.
    const leaderOk = alive(r.pgid, r.pgid_starttime);
    const leaderGone = !table.has(r.pgid) || table.get(r.pgid)?.state === 'Z';
    if (leaderOk || (own && leaderGone && table.get(r.pid)?.pgid === r.pgid)) {
      for (const m of membersOfGroup(r.pgid, table)) roots.add(m);
    }
  }
  const all = [...roots, ...descendantsOfAll([...roots], table)];
  const victims = new Map<number, number>();
  for (const pid of all) {
    const e = table.get(pid);
    if (pid <= 1 || pid === process.pid || e === undefined || e.state === 'Z') continue;
    victims.set(pid, e.starttime);
  }
  return victims;
}

/**
 * Processes started by a daemon of this home: tend gives every instance TEND_HOME and TEND_ID in its
 * environment (cluster primaries inherit them too, and so do the apps' own children). Used when the record
 * of what ran is lost or behind (a damaged state.json): no leftover of a dead daemon then keeps a port.
 * Only our own processes' environments are readable; the daemon itself is excluded.
 */
export function findTagged(home: string): Map<number, number> {
  const entry = `TEND_HOME=${home}`;
  return scanEnviron((environ) => hasEntry(environ, entry) && hasKey(environ, 'TEND_ID'));
}

/**
 * Waits (bounded) for the processes the previous daemon had forked but not yet exec'd when it died. Between
 * fork and exec a child still shows the daemon's own command line and environment (this home, no TEND_ID:
 * the tag comes with exec), so findTagged cannot see it yet; on a loaded machine that moment lasted longer
 * than a new daemon's start (an orphan in the kill -9 fault test: 0.19 s old, tagged, never ended). Once it
 * has exec'd (or exited), the scan that follows finds it. A daemon that lost the start race looks the same,
 * and exits on its own.
 *
 * Inside the exec itself there is a second moment: the kernel has put in the new program's memory but not
 * yet its arguments and environment, and /proc shows both EMPTY (the orphan came back in CI after the first
 * fix). So a live process whose environment reads empty is waited for too, until its command line shows.
 */
export function waitForExecs(
  home: string,
  maxMs: number,
  /** The command line of a daemon of this install (this process's); tests give another. */
  self: string | null = cmdlineOf(process.pid),
): Promise<void> {
  if (self === null) return Promise.resolve();
  const entry = `TEND_HOME=${home}`;
  // A kernel thread's environment reads empty too, but it never execs: left out.
  let pending = [
    ...scanEnviron((e) => e === '' || (hasEntry(e, entry) && !hasKey(e, 'TEND_ID'))).keys(),
  ].filter((pid) => !isKernelThread(pid));
  return pollProc(() => {
    pending = pending.filter((pid) => execPending(cmdlineOf(pid), readProcStat(pid), self));
    return pending.length === 0;
  }, maxMs);
}

/**
 * Whether a process may still become a tagged app of the dead daemon: alive, and either still the daemon's
 * fork (its command line) or inside its exec (an empty command line). Exported for tests.
 */
export function execPending(cmdline: string | null, stat: ProcStat | undefined, self: string): boolean {
  if (isGone(stat)) return false;
  return cmdline === null || cmdline === self;
}

/** kthreadd (pid 2) and its children: no memory of their own, so no environment and no command line. */
function isKernelThread(pid: number): boolean {
  const stat = readProcStat(pid);
  return pid === 2 || stat?.ppid === 2;
}

/** The NUL-separated command line, or null once the process is gone (a zombie's is empty). */
export function cmdlineOf(pid: number): string | null {
  try {
    const c = readFileSync(`/proc/${pid}/cmdline`, 'latin1');
    return c === '' ? null : c;
  } catch {
    return null;
  }
}

function signalAll(victims: Map<number, number>, signal: NodeJS.Signals): void {
  for (const [pid, starttime] of victims) {
    // Re-check right before signalling: the process may have exited and its pid been reused meanwhile.
    const stat = readProcStat(pid);
    if (isGone(stat) || stat?.starttime !== starttime) continue;
    try {
      process.kill(pid, signal);
    } catch {
      // ESRCH (gone meanwhile) or EPERM (not ours any more): nothing to do either way.
    }
  }
}

/** Resolves with the victims still alive after maxMs (empty once all are gone). */
async function waitGone(victims: Map<number, number>, maxMs: number): Promise<Map<number, number>> {
  const living = () => {
    const left = new Map<number, number>();
    for (const [pid, st] of victims) {
      const stat = readProcStat(pid);
      if (!isGone(stat) && stat?.starttime === st) left.set(pid, st);
    }
    return left;
  };
  let left = victims;
  await pollProc(() => {
    left = living();
    return left.size === 0;
  }, maxMs);
  return left;
}

/**
 * Checks `done` now and every 10 ms until it holds or maxMs have passed. The processes watched here are not
 * our children, and Linux gives no exit or exec event for those (pidfd is not in Node): /proc is polled.
 */
function pollProc(done: () => boolean, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  return new Promise((resolve) => {
    const check = () => {
      if (done() || Date.now() >= deadline) return resolve();
      setTimeout(check, 10);
    };
    check();
  });
}
