// Signalling a child's whole process tree. Every child is spawned detached, so it leads its own process
// group (pgid = pid) and `kill(-pid)` reaches it and everything that stayed in the group. Descendants that
// left the group (setsid/setpgid, e.g. a `detached: true` grandchild) are found through the parent links in
// /proc and remembered, because once their parent exits they are re-parented to init and the link is lost.
// Descendants that left both (a double fork after setsid: the daemonising idiom) are found by the spawn tag
// in their environment (env-tag.ts), scanned only when a tree is signalled or reaped, never on a timer.
import { findSpawnTagged } from './env-tag.js';
import { isGone, readProcStat } from './proc-stat.js';
import {
  descendantsOf,
  descendantsOfAll,
  membersOfGroup,
  type ProcessTable,
  readProcessTable,
} from './process-tree.js';

/**
 * Every descendant ever seen for one child: pid → starttime. The starttime is kept because pids are
 * recycled: a remembered pid whose process died may now belong to an unrelated process, which must never
 * be signalled. A (pid, starttime) pair names one process for the life of the machine.
 */
export type KnownDescendants = Map<number, number>;

/**
 * Records the current descendants of pid into `known`, signals the process group -pid, then signals every
 * known descendant that is still alive and outside the group (the group kill already reached the others).
 */
export function signalTree(
  pid: number,
  signal: NodeJS.Signals,
  known: KnownDescendants,
  tag?: string,
): number[] {
  // kill(-1) signals every process we may signal, kill(-0) our own group: never let a bad pid get there.
  if (!Number.isInteger(pid) || pid <= 1) return [];
  const table = readProcessTable();
  const targets = recordTree(pid, table, known, tag);
  trySignal(-pid, signal);
  for (const target of targets) {
    if (table.get(target)?.pgid !== pid) trySignal(target, signal);
  }
  return [...targets];
}

/**
 * signalTree for a process that does not lead a group of its own (a cluster worker, which lives in its
 * primary's group): signals the process itself and every descendant, found now or known from before. The
 * group is not signalled: it is the primary's and holds the app's other workers.
 */
export function signalProcessTree(pid: number, signal: NodeJS.Signals, known: KnownDescendants): number[] {
  if (!Number.isInteger(pid) || pid <= 1) return [];
  const table = readProcessTable();
  const targets = recordTree(pid, table, known);
  trySignal(pid, signal);
  for (const target of targets) trySignal(target, signal);
  return [pid, ...targets];
}

/**
 * After a cluster worker exited: SIGKILLs what is left of its tree, and returns the pids for waitGone. Its
 * children were re-parented away from the group's leader (the primary) when it died, so they are the members
 * of the leader's group that no longer descend from the leader; plus its known descendants that left the
 * group. Policy, as for reapTree: a process that must outlive the worker that started it is a separate app
 * (a live worker's daemonised grandchild in the group counts as left over too).
 */
export function reapOrphans(leader: number, known: KnownDescendants): number[] {
  if (!Number.isInteger(leader) || leader <= 1) return [];
  const table = readProcessTable();
  for (const [knownPid, starttime] of known) {
    const entry = table.get(knownPid);
    if (entry === undefined || entry.starttime !== starttime || entry.state === 'Z') known.delete(knownPid);
  }
  const attached = new Set<number>([leader, ...descendantsOf(leader, table)]);
  const roots = [...membersOfGroup(leader, table), ...known.keys()].filter((p) => !attached.has(p));
  const victims = [...new Set([...roots, ...descendantsOfAll(roots, table)])].filter(
    (p) => p > 1 && p !== process.pid && !attached.has(p),
  );
  for (const victim of victims) trySignal(victim, 'SIGKILL');
  known.clear();
  return victims;
}

/**
 * Policy: once the leader has exited, anything left of its tree is an orphan and is killed (SIGKILL): the
 * rest of its group, and every known descendant that left the group, with their own descendants. A service
 * that wants a process to outlive it must be a separate app. Called by the spawner on every exit, before
 * the supervisor hears of it, so a restart never runs next to leftovers of the previous run.
 *
 * With the spawn's tag, a descendant that left the group and whose parent exited before we ever looked is
 * still found by its environment. Limit: one that also execs with a cleaned environment (env -i, or an
 * explicit env without the tag) is indistinguishable from any other orphan of init and survives.
 */
export function reapTree(pid: number, known: KnownDescendants, tag?: string): number[] {
  const victims = new Set(signalTree(pid, 'SIGKILL', known, tag));
  // A tagged process may have forked between the scan and its SIGKILL, and its child is in no table we
  // read. Scan again while the last round found something new (bounded: each round kills what it found).
  // A leader that had no descendants at all (most apps) costs no second scan.
  for (let round = 0; tag !== undefined && victims.size > 0 && round < 3; round++) {
    const more = [...findSpawnTagged(tag).keys()].filter((p) => !victims.has(p) && p !== pid);
    if (more.length === 0) break;
    for (const p of more) {
      trySignal(p, 'SIGKILL');
      victims.add(p);
    }
  }
  known.clear();
  return [...victims];
}

/**
 * Resolves once every pid is gone (no such process, or a zombie: dead, waiting to be reaped by a parent
 * that may never do it). SIGKILL is delivered asynchronously: without this, "stopped" could be reported
 * while a grandchild still holds a port for a few more milliseconds. Linux offers no exit event for a
 * process that is not our child (pidfd is not in Node), so this polls /proc briefly, bounded by `maxMs`
 * (a process stuck in uninterruptible sleep must not hang a stop forever).
 */
export function waitGone(pids: readonly number[], maxMs = 2000): Promise<void> {
  const deadline = Date.now() + maxMs;
  let left = pids.filter((p) => !isGone(readProcStat(p)));
  if (left.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      left = left.filter((p) => !isGone(readProcStat(p)));
      if (left.length === 0 || Date.now() >= deadline) return resolve();
      setTimeout(check, 2);
    };
    setTimeout(check, 1);
  });
}

/**
 * Adds the tree of pid to `known` and returns the pids to signal: descendants of the leader, the other
 * members of its group, known descendants still alive, and the descendants of all of these.
 */
function recordTree(pid: number, table: ProcessTable, known: KnownDescendants, tag?: string): Set<number> {
  for (const [knownPid, starttime] of known) {
    const entry = table.get(knownPid);
    // Gone, or the pid now belongs to another process: forget it so it is never signalled.
    if (entry === undefined || entry.starttime !== starttime || entry.state === 'Z') known.delete(knownPid);
  }
  // The tagged carry their start time from the scan: one that is not the process in the table is skipped.
  const tagged =
    tag === undefined ? [] : [...findSpawnTagged(tag)].filter(([p, st]) => table.get(p)?.starttime === st);
  const roots = [pid, ...membersOfGroup(pid, table), ...known.keys(), ...tagged.map(([p]) => p)];
  const targets = new Set<number>([...roots, ...descendantsOfAll(roots, table)]);
  targets.delete(pid); // the leader is in its own group: kill(-pid) covers it
  for (const target of targets) {
    const entry = table.get(target);
    if (target <= 1 || target === process.pid || entry === undefined) {
      targets.delete(target);
      continue;
    }
    known.set(target, entry.starttime);
  }
  return targets;
}

function trySignal(target: number, signal: NodeJS.Signals): void {
  try {
    process.kill(target, signal);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ESRCH: already gone (the usual race with exit). EPERM: no longer ours (it changed uid, or the pid was
    // recycled by another user's process between the table read and now). Neither is a failure to report.
    if (code !== 'ESRCH' && code !== 'EPERM') throw err;
  }
}
