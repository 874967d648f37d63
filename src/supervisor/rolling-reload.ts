// `reload` of one app's instances: cluster workers are replaced `max_surge` at a time (default 1), each by a
// new process that must be ready (and stay ready `min_ready_seconds`) before the old one stops serving (the unit does the replacing: see the `reload` rows of
// transitions.ts). Fork-mode processes cannot share a port with their replacement, so they are restarted, one
// after the other, each once the one before is back online. The first replacement (or restart) that fails
// ends the reload: it most likely runs new code that does not work, and every old worker left is still
// serving the old code. Runs inside the app's operation queue (Supervisor.reload).
import { readyDeadline } from '../health/readiness.js';
import type { EventBus } from './event-bus.js';
import type { ProcessUnit } from './unit.js';

export interface ReloadReport {
  /** The first that failed; `kept`: its old process still serves (a cluster replacement's failure). */
  failed: { id: number; name: string; reason: string; kept: boolean } | null;
  /** Ids reloaded (or restarted), in order. */
  reloaded: number[];
  /** Ids not reloaded: after a failure, held back by a dependency's, waiting for their dependencies, or cut short by a shutdown. */
  skipped: number[];
}

/**
 * A restarted instance came back: online, or a one-shot that ran and completed with 0. Not: errored, waiting
 * to restart, blocked, or stopped by tend (not ready in time, a failed probe: tend-runtime's orchestrator mode
 * restarts nothing) or with a failure.
 */
function cameBack(unit: ProcessUnit): boolean {
  if (unit.status === 'online') return true;
  const info = unit.info();
  return unit.status === 'stopped' && info.completed && info.reason === null && info.last_exit?.code === 0;
}

export async function rollingReload(
  units: readonly ProcessUnit[],
  bus: EventBus,
  restart: (units: readonly ProcessUnit[]) => Promise<void>,
  /** A shutdown began: no further batch (what is left is skipped). */
  stopped: () => boolean = () => false,
  /**
   * Registers `preempted`, called when a stop or delete comes for the instance (App.onSupersede); returns the
   * unregistering. A cluster replacement's wait ends there, so the stop runs (it drops the replacement).
   */
  onStop: (unit: ProcessUnit, preempted: () => void) => () => void = () => () => {},
): Promise<ReloadReport> {
  const fork = units.filter((u) => u.spec.exec_mode !== 'cluster');
  const cluster = units.filter((u) => u.spec.exec_mode === 'cluster');
  const reloaded: number[] = [];
  // Fork instances one at a time, each waited for until it settles: one that does not come back online (a
  // failed start: not ready in time, a crash, the restart policy's backoff) ends the reload there, as a
  // failed cluster replacement does (third audit: they restarted all at once, and a reload whose instance
  // never became ready was reported done).
  for (const [i, unit] of fork.entries()) {
    const rest = () => [...fork.slice(i + 1), ...cluster].map((u) => u.id);
    if (stopped()) return { failed: null, reloaded, skipped: [unit.id, ...rest()] };
    await restart([unit]);
    if (!cameBack(unit)) {
      const why = unit.info().reason;
      // Still launching: a wait with no ready deadline that another command ended (supervisor.ts's openEnded).
      const reason =
        unit.status === 'launching'
          ? `not ready after its restart (${why ?? 'waiting for readiness'}) when another command on the app came; the reload stops there${readyDeadline(unit.spec) === null ? ' (listen_timeout would give the instance a deadline)' : ''}`
          : `${unit.status} after its restart${why ? `: ${why}` : ''}`;
      return {
        failed: {
          id: unit.id,
          name: unit.name,
          reason,
          kept: false,
        },
        reloaded,
        skipped: rest(),
      };
    }
    reloaded.push(unit.id);
  }
  // max_surge replacements at a time: each batch must be ready (and held min_ready_seconds) before the next.
  const surge = Math.max(1, cluster[0]?.spec.max_surge ?? 1);
  for (let i = 0; i < cluster.length; i += surge) {
    if (stopped()) return { failed: null, reloaded, skipped: cluster.slice(i).map((u) => u.id) };
    const batch = cluster.slice(i, i + surge);
    // Only a worker that serves can be replaced without downtime; any other is (re)started.
    const failures = await Promise.all(
      batch.map((unit) =>
        unit.status === 'online' ? replace(unit, bus, onStop) : restart([unit]).then(() => null),
      ),
    );
    const failedAt = failures.findIndex((f) => f !== null);
    for (const [j, unit] of batch.entries()) if (failures[j] === null) reloaded.push(unit.id);
    if (failedAt >= 0) {
      const unit = batch[failedAt] as ProcessUnit;
      const skipped = cluster.slice(i + surge).map((u) => u.id);
      return {
        failed: {
          id: unit.id,
          name: unit.name,
          reason: failures[failedAt] as string,
          // The old process serves on, but not when a stop came for it.
          kept: failures[failedAt] !== STOPPED_DURING_RELOAD,
        },
        reloaded,
        skipped,
      };
    }
  }
  return { failed: null, reloaded, skipped: [] };
}

/** A replacement's failure when a stop came for the instance (the old process does not serve on then). */
const STOPPED_DURING_RELOAD =
  'a stop of the instance came during the reload; the reload stops there (the stop drops the replacement)';

/**
 * Resolves with null once the instance runs its replacement and the old process is gone, or with the reason
 * the replacement failed (the replacement is gone by then, and the old process still serves, unless
 * STOPPED_DURING_RELOAD).
 */
function replace(
  unit: ProcessUnit,
  bus: EventBus,
  onStop: (unit: ProcessUnit, preempted: () => void) => () => void,
): Promise<string | null> {
  return new Promise((resolve) => {
    let replacement: number | null = null;
    let finished = false;
    let off: () => void = () => {};
    let offStop: () => void = () => {};
    const done = (failure: string | null) => {
      if (finished) return;
      finished = true;
      off();
      offStop();
      resolve(failure);
    };
    // Subscribe before acting: a replacement that cannot even be spawned fails before dispatch returns.
    off = bus.subscribe((e) => {
      if (e.event === 'process.deleted' && e.data.id === unit.id)
        done('the instance was deleted during the reload');
      if (e.event === 'process.state' && e.data.id === unit.id && e.data.to !== 'online')
        done(`the instance left online (${e.data.to}) during the reload`);
      if (e.event !== 'process.reload' || e.data.id !== unit.id) return;
      if (e.data.outcome === 'failed') done(e.data.reason ?? 'the replacement failed');
      else if (e.data.outcome === 'replaced') replacement = e.data.pid;
      // The old process of THIS replacement is gone (not that of an earlier reload still stopping).
      else if (e.data.outcome === 'retired' && replacement !== null && e.data.pid === replacement) done(null);
    });
    // A stop or delete of the instance ends the wait (its deadline may be long: listen_timeout); the stop
    // then drops the replacement (verification of the ninth audit: it waited out listen_timeout). One already
    // queued ends it now (App.onSupersede): then no replacement is started at all.
    offStop = onStop(unit, () => done(STOPPED_DURING_RELOAD));
    if (finished) offStop();
    else unit.dispatch({ type: 'reload' });
  });
}
