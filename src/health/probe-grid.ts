// One timer for many probe runs: a run asked for at time t with period p fires at the first multiple of p at or
// after t, together with every other run due then (HTTP and TCP probes of the same period fire on one wake-up).
// Why: 50 probes a second spread over the second cost the daemon 50 wake-ups of the event loop, each with its
// connect, write and read in their own turns; at the same instant they share them, and the daemon (V8 in lite
// mode, no JIT) spends about half the CPU on them (docs/performance.md, probe-cpu). Only runs after a probe's
// first success use it (probe-loop.ts): a probe still waiting for its app keeps its exact period.
import type { Clock, Timer } from '../supervisor/ports.js';

interface Slot {
  readonly calls: Set<() => void>;
  readonly timer: Timer;
}

export class ProbeGrid {
  private readonly slots = new Map<number, Slot>();

  constructor(private readonly clock: Clock) {}

  /** How many instants have runs waiting (tests). */
  get pending(): number {
    return this.slots.size;
  }

  /** The grid's instant for a run asked for at `time` with period `period`: never earlier than `time`. */
  static due(time: number, period: number): number {
    return Math.ceil(time / period) * period;
  }

  /** Calls `fn` at due(time, period), on the one timer of that instant; cancel() before that prevents it. */
  at(time: number, period: number, fn: () => void): Timer {
    const due = ProbeGrid.due(time, period);
    let slot = this.slots.get(due);
    if (slot === undefined) {
      const calls = new Set<() => void>();
      const timer = this.clock.setTimer(Math.max(0, due - this.clock.now()), () => {
        this.slots.delete(due);
        // A call may cancel a later one of the same instant (a set skips what is deleted while iterating).
        for (const call of calls) call();
      });
      slot = { calls, timer };
      this.slots.set(due, slot);
    }
    const { calls } = slot;
    const own = (): void => fn(); // a distinct entry, even when one function is asked for twice
    calls.add(own);
    return {
      cancel: () => {
        if (!calls.delete(own) || calls.size > 0) return;
        // The last run of an instant that has not come yet: its timer goes too.
        const current = this.slots.get(due);
        if (current?.calls === calls) {
          current.timer.cancel();
          this.slots.delete(due);
        }
      },
    };
  }
}

const grids = new WeakMap<Clock, ProbeGrid>();

/** The grid every probe loop on `clock` shares (one per clock: tests with their own fake clock get their own). */
export function gridOf(clock: Clock): ProbeGrid {
  let grid = grids.get(clock);
  if (grid === undefined) {
    grid = new ProbeGrid(clock);
    grids.set(clock, grid);
  }
  return grid;
}
