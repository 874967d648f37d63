// Acting on instances and waiting for them to settle, without a polling loop: the bus is subscribed before
// acting (a unit may settle synchronously, or before the caller's await resumes), and each state event
// re-checks the instances still pending.
import type { Status } from '../protocol/process-info.js';
import type { GiveUp } from './app.js';
import type { EventBus } from './event-bus.js';
import type { ProcessUnit } from './unit.js';

/**
 * How a wait learns that it is superseded: `giveUp` is called then, and says whether it held an open-ended
 * unit; the function returned unregisters it.
 */
export type Superseded = (giveUp: GiveUp) => () => void;

/**
 * Applies `action` to each unit and, with `until`, resolves once every unit's status is in it (or the unit
 * is gone: `present(id)` no longer finds it). With `open`: once superseded, a unit `openEnded` says may wait
 * for ever (launching with no ready deadline) no longer holds the wait; preempted (a stop came for it), a
 * unit still launching does not either, whatever its deadline.
 */
export function actAndSettle(
  bus: EventBus,
  units: readonly ProcessUnit[],
  action: (u: ProcessUnit) => void,
  until: ReadonlySet<Status> | false,
  present: (id: number) => ProcessUnit | undefined,
  open?: {
    openEnded: (u: ProcessUnit) => boolean;
    superseded: Superseded;
    /** Also settled (asked again at each change of readiness too). */
    settled?: (u: ProcessUnit) => boolean;
  },
): Promise<void> {
  if (!until) {
    units.forEach(action);
    return Promise.resolve();
  }
  return new Promise<void>((resolve) => {
    const pending = new Set(units.map((u) => u.id));
    // Acting on one unit publishes events: a unit not acted on yet (still stopped, which is "settled" for a
    // start) must not be judged before its turn.
    let acting = true;
    let givenUp = false;
    const preempted = new Set<number>();
    const check = () => {
      if (acting) return;
      for (const id of pending) {
        const u = present(id);
        if (
          !u ||
          until.has(u.status) ||
          open?.settled?.(u) ||
          (givenUp && open?.openEnded(u)) ||
          (preempted.has(id) && u.status === 'launching')
        )
          pending.delete(id);
      }
      if (pending.size === 0) {
        off();
        unregister();
        resolve();
      }
    };
    const unregister =
      open?.superseded((preempt) => {
        givenUp = true;
        for (const id of pending) if (preempt?.has(id)) preempted.add(id);
        const held = [...pending].some((id) => {
          const u = present(id);
          return u !== undefined && (open.openEnded(u) || (preempted.has(id) && u.status === 'launching'));
        });
        check();
        return held;
      }) ?? (() => {});
    // Between the action and settling, a unit passes through other states (online → stopping →
    // launching → online for a restart), so wait for a state event after acting, then check.
    const off = bus.subscribe((e) => {
      if (e.event === 'process.state' || e.event === 'process.ready' || e.event === 'process.deleted')
        check();
    });
    units.forEach(action);
    acting = false;
    check();
  });
}
