// Stopping a process gracefully, and the processes an instance no longer counts as its own but that are still
// stopping: the old worker a reload replaced, or a replacement the reload gave up on. Their exits mean nothing
// to the restart policy; they get the same graceful stop as any process (shutdown message, stop signal,
// SIGKILL after kill_timeout), with their own kill timer, while the instance carries on with its new process.
import type { AppSpec } from '../config/spec.js';
import type { ChildHandle, Clock, Timer } from './ports.js';

export type StopSpec = Pick<AppSpec, 'shutdown_with_message' | 'kill_signal' | 'kill_timeout'>;

/**
 * The graceful part of a stop: the optional 'shutdown' message, then the stop signal to the whole tree. A
 * cluster worker is first disconnected (no new connections; its servers close once their requests are done)
 * and signalled only then: a Node app without a signal handler would otherwise die with requests in flight.
 * The message goes first because the disconnect closes the worker's IPC channel.
 */
export function stopGracefully(child: ChildHandle, spec: StopSpec): void {
  if (spec.shutdown_with_message) child.send('shutdown');
  const signal = () => child.signalTree(spec.kill_signal as NodeJS.Signals);
  if (child.disconnect) child.disconnect(signal);
  else signal();
}

interface Leaving {
  child: ChildHandle;
  timer: Timer | null;
  onGone: () => void;
}

export class Retiring {
  /** By spawn generation: the child's hooks report its exit with it. */
  private readonly leaving = new Map<number, Leaving>();

  constructor(
    private readonly clock: Clock,
    private readonly log: (line: string) => void,
  ) {}

  /** Stops `child` gracefully; `onGone` runs once it has exited (or never started). */
  retire(generation: number, child: ChildHandle, spec: StopSpec, label: string, onGone: () => void): void {
    const entry: Leaving = { child, timer: null, onGone };
    this.leaving.set(generation, entry);
    stopGracefully(child, spec);
    entry.timer = this.clock.setTimer(spec.kill_timeout, () => {
      entry.timer = null;
      this.log(`${label} pid ${child.pid} did not stop within ${spec.kill_timeout} ms: SIGKILL`);
      child.signalTree('SIGKILL');
    });
  }

  has(generation: number): boolean {
    return this.leaving.has(generation);
  }

  /** The process of that generation is gone. */
  gone(generation: number): void {
    const entry = this.leaving.get(generation);
    if (!entry) return;
    this.leaving.delete(generation);
    entry.timer?.cancel();
    entry.onGone();
  }

  /** The instance is being closed (deleted, or the daemon stops): nothing of it may outlive it. */
  killAll(): void {
    for (const entry of this.leaving.values()) {
      entry.timer?.cancel();
      entry.timer = null;
      entry.child.signalTree('SIGKILL');
    }
  }
}
