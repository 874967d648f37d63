// What is left in the container once the apps are stopped (issue 15, PID 1; the seventh audit): a daemon an
// app double-forked into a session of its own with a clean environment (`setsid`, `env -i`) is in no app's
// process tree, so stopping the apps never signalled it, and the kernel SIGKILLed it when PID 1 exited, with
// no SIGTERM first and no word of it in the exit code. Under bin/tend-init.sh (PID 1 of the container's PID
// namespace, this Node its child) every other process of the namespace is the container's: they get SIGTERM
// (kill(-1), which spares PID 1 and the caller and reaches no process outside the namespace), the rest of the
// grace period to end (tend-init.sh reaps them), then SIGKILL, which counts as one "had to be SIGKILLed".
// Never outside that setting: kill(-1) anywhere else is every process of the user. Time from the injected clock.
import type { Clock } from '../supervisor/ports.js';

/** How often the namespace is asked whether anything is left while they end. */
const POLL_MS = 50;

export interface StrayPorts {
  clock: Clock;
  /** process.kill: pid -1 is every process of the namespace but PID 1 and this one. */
  kill(pid: number, signal: NodeJS.Signals | 0): void;
  note(line: string): void;
}

export interface StraySweep {
  /** 'none': nothing was left; 'stopped': they ended on SIGTERM; 'sigkilled': some had to be SIGKILLed. */
  readonly done: Promise<'none' | 'stopped' | 'sigkilled'>;
  /** A second stop signal: SIGKILL now. */
  hurry(): void;
}

/** Whether any process is left (kill(-1, 0): ESRCH when none). */
function anyLeft(p: StrayPorts, signal: NodeJS.Signals | 0): boolean {
  try {
    p.kill(-1, signal);
    return true;
  } catch {
    return false;
  }
}

export function sweepStrays(p: StrayPorts, graceMs: number): StraySweep {
  let killNow: () => void = () => {};
  const done = new Promise<'none' | 'stopped' | 'sigkilled'>((resolve) => {
    if (!anyLeft(p, 'SIGTERM')) {
      resolve('none');
      return;
    }
    p.note("SIGTERM sent to the processes left in the container (outside every app's process tree)");
    let over = false;
    const kill = () => {
      if (over) return;
      over = true;
      grace.cancel();
      poll?.cancel();
      if (!anyLeft(p, 'SIGKILL')) {
        resolve('stopped');
        return;
      }
      p.note('SIGKILL sent to the processes still left in the container');
      resolve('sigkilled');
    };
    killNow = kill;
    const grace = p.clock.setTimer(Math.max(0, graceMs), kill);
    let poll: { cancel(): void } | null = null;
    const check = () => {
      if (over) return;
      if (!anyLeft(p, 0)) {
        over = true;
        grace.cancel();
        resolve('stopped');
        return;
      }
      poll = p.clock.setTimer(POLL_MS, check);
    };
    poll = p.clock.setTimer(POLL_MS, check);
  });
  return { done, hurry: () => killNow() };
}
