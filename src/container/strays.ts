// What is left in the container once the apps are stopped (issue 15, PID 1; the seventh audit): a daemon an
// app double-forked into a session of its own with a clean environment (`setsid`, `env -i`) is in no app's
// process tree, so stopping the apps never signalled it, and the kernel SIGKILLed it when PID 1 exited, with
// no SIGTERM first and no word of it in the exit code. Under bin/tend-init.sh (PID 1 of the container's PID
// namespace, this Node its child) such a process is an orphan handed to PID 1, or a descendant of one: they
// get SIGTERM, the rest of the grace period to end (tend-init.sh reaps them), then SIGKILL, which counts as
// one "had to be SIGKILLed". Not a process that entered the namespace from outside (`docker exec`, `kubectl
// exec`: its parent is outside, PPid 0 here): an operator's shell, which ignores SIGTERM, made every stop wait
// out the grace period and end with 1 (the verification of the seventh audit's fixes, with kill(-1)).
// Time from the injected clock.
import { readlinkSync } from 'node:fs';
import { descendantsOf, readProcessTable } from '../runtime/process-tree.js';
import type { Clock } from '../supervisor/ports.js';

/** How often the namespace is looked at while they end. */
const POLL_MS = 50;
/**
 * The least time they get between SIGTERM and SIGKILL, even when the apps' stop used up the grace period:
 * with none, a daemon that ends on SIGTERM raced the SIGKILL a few ms later, and the exit code was 0 or 1 by
 * chance (the same verification).
 */
export const STRAYS_MIN_MS = 1000;

export interface StrayPorts {
  clock: Clock;
  /** The processes left: PID 1's descendants but this runtime and its own, zombies excepted. */
  list(): number[];
  kill(pid: number, signal: NodeJS.Signals): void;
  note(line: string): void;
}

export interface StraySweep {
  /** 'none': nothing was left; 'stopped': they ended on SIGTERM; 'sigkilled': some had to be SIGKILLed. */
  readonly done: Promise<'none' | 'stopped' | 'sigkilled'>;
  /** A second stop signal: SIGKILL now. */
  hurry(): void;
}

/** Sends `signal` to each; returns how many it reached. */
function signalAll(p: StrayPorts, pids: readonly number[], signal: NodeJS.Signals): number {
  let reached = 0;
  for (const pid of pids) {
    try {
      p.kill(pid, signal);
      reached += 1;
    } catch {
      // gone meanwhile
    }
  }
  return reached;
}

export function sweepStrays(p: StrayPorts, graceMs: number): StraySweep {
  let killNow: () => void = () => {};
  const done = new Promise<'none' | 'stopped' | 'sigkilled'>((resolve) => {
    const left = p.list();
    if (signalAll(p, left, 'SIGTERM') === 0) {
      resolve('none');
      return;
    }
    p.note(
      `SIGTERM sent to ${left.length} process(es) left in the container outside every app's process tree`,
    );
    let over = false;
    const finish = (result: 'stopped' | 'sigkilled') => {
      over = true;
      grace.cancel();
      poll?.cancel();
      resolve(result);
    };
    const kill = () => {
      if (over) return;
      const still = p.list();
      const n = signalAll(p, still, 'SIGKILL');
      if (n > 0) p.note(`SIGKILL sent to ${n} process(es) still left in the container`);
      finish(n > 0 ? 'sigkilled' : 'stopped');
    };
    killNow = kill;
    const grace = p.clock.setTimer(Math.max(STRAYS_MIN_MS, graceMs), kill);
    let poll: { cancel(): void } | null = null;
    const check = () => {
      if (over) return;
      if (p.list().length === 0) finish('stopped');
      else poll = p.clock.setTimer(POLL_MS, check);
    };
    poll = p.clock.setTimer(POLL_MS, check);
  });
  return { done, hurry: () => killNow() };
}

/**
 * The processes a sweep is about, read from /proc: PID 1's descendants, but `self` and its own, and zombies
 * (ended, waiting for tend-init.sh to reap them). Null when /proc is not this PID namespace's (its `self` is
 * not our pid): then nothing is known to be the container's, and nothing is swept.
 */
export function containerStrays(self: number): (() => number[]) | null {
  try {
    if (readlinkSync('/proc/self') !== String(self)) return null;
  } catch {
    return null;
  }
  return () => {
    const table = readProcessTable();
    const ours = new Set([self, ...descendantsOf(self, table)]);
    return descendantsOf(1, table).filter((pid) => !ours.has(pid) && table.get(pid)?.state !== 'Z');
  };
}
