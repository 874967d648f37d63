// A rolling reload across apps (DependencyService.reload): an app's turn comes once the dependencies reloaded
// before it meet its conditions again, not merely once their restart settled. A one-shot dependency
// (`process_completed_successfully`) settles at its spawn and must have run to its end first (sixth audit:
// SIGHUP restarted a dependent beside the migration it waits for, which then failed). Event-driven (the
// bus), bounded by the edges' own timeout_ms; a required dependency that fails holds the app back.
import type { DependencySpec } from '../config/spec.js';
import type { EventBus } from '../supervisor/event-bus.js';
import type { Clock, Timer } from '../supervisor/ports.js';
import { type InstanceView, judge, timeoutReason } from './conditions.js';

export interface GateDeps {
  bus: EventBus;
  clock: Clock;
  /** The instances of app `name` as conditions read them, or null: there is no such app. */
  view(name: string): InstanceView[] | null;
}

export interface ReloadGate {
  /** null once every edge is met (an optional one that failed or timed out is let go), else why not. */
  readonly done: Promise<string | null>;
  /** Ends the wait now with this reason (a shutdown). */
  cancel(reason: string): void;
}

export function reloadGate(deps: GateDeps, edges: readonly DependencySpec[]): ReloadGate {
  let left = [...edges];
  let finish: (why: string | null) => void = () => {};
  const done = new Promise<string | null>((resolve) => (finish = resolve));
  const timers: Timer[] = [];
  let ended = false;
  let off: () => void = () => {};
  const end = (why: string | null) => {
    if (ended) return;
    ended = true;
    off();
    for (const t of timers) t.cancel();
    finish(why);
  };
  const check = () => {
    const verdicts = left.map((e) => ({ e, v: judge(e, deps.view(e.name)) }));
    const failed = verdicts.find(({ e, v }) => v.kind === 'failed' && e.required);
    if (failed?.v.kind === 'failed') return end(failed.v.reason);
    left = verdicts.filter(({ v }) => v.kind === 'pending').map(({ e }) => e);
    if (left.length === 0) end(null);
  };
  const names = new Set(edges.map((e) => e.name));
  // Subscribed before the first look: a change between the two is not missed.
  off = deps.bus.subscribe((e) => {
    if (e.event !== 'process.state' && e.event !== 'process.ready' && e.event !== 'process.deleted') return;
    if (names.has(e.data.name)) check();
  });
  for (const e of edges)
    if (e.timeout_ms > 0)
      timers.push(
        deps.clock.setTimer(e.timeout_ms, () => {
          if (!left.includes(e)) return;
          if (e.required) return end(timeoutReason(e));
          left = left.filter((x) => x !== e);
          if (left.length === 0) end(null);
        }),
      );
  check();
  return { done, cancel: end };
}
