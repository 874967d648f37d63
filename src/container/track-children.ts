// The children the runtime has alive (plain processes and cluster primaries, each leading its process group),
// so that at the end of the grace period every group still there gets SIGKILL (issue 15): the apps' own
// kill_timeout may be longer than what the orchestrator gives the runtime.
import type { ChildHandle, Spawner } from '../supervisor/ports.js';

export interface TrackedChildren {
  /** Wraps the real spawner (daemon/core.ts's wrapSpawner). */
  wrap(inner: Spawner): Spawner;
  /** SIGKILL to the tree of every live child; returns how many. */
  killAll(): number;
  /**
   * How many of the children killAll reached then died of that SIGKILL: one that exited on its own in the
   * meantime (its stop signal and the SIGKILL in one turn, `--grace-period 0`) had not "had to be SIGKILLed"
   * (fifth audit: exit 1 after the app's own exit 0).
   */
  sigkilled(): number;
}

export function trackChildren(): TrackedChildren {
  const live = new Set<ChildHandle>();
  const killed = new Set<ChildHandle>();
  let diedOfIt = 0;
  return {
    wrap: (inner) => ({
      spawn(req, hooks) {
        let handle: ChildHandle | null = null;
        let gone = false;
        const forget = () => {
          gone = true;
          if (handle) live.delete(handle);
        };
        handle = inner.spawn(req, {
          ...hooks,
          onSpawnError: (err) => {
            forget();
            hooks.onSpawnError(err);
          },
          onExit: (code, signal) => {
            if (handle && killed.has(handle) && signal === 'SIGKILL') diedOfIt += 1;
            forget();
            hooks.onExit(code, signal);
          },
        });
        if (!gone) live.add(handle);
        return handle;
      },
    }),
    killAll() {
      const n = live.size;
      for (const h of live) {
        killed.add(h);
        h.signalTree('SIGKILL');
      }
      return n;
    },
    sigkilled: () => diedOfIt,
  };
}
