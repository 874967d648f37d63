// How a trigger restarts instances: gracefully, as a user's `reload` would. Fork-mode instances are
// restarted (stop signal, kill_timeout, then a new process); cluster workers are replaced one at a time by
// a new worker that must be ready before the old one stops serving. Each instance counts the trigger apart
// from crash restarts and records it in its restart history.
import { rollingReload } from '../cluster/rolling-reload.js';
import type { EventBus } from '../supervisor/event-bus.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { TriggerReason } from '../supervisor/trigger-tally.js';
import type { ProcessUnit } from '../supervisor/unit.js';

export interface RestartDeps {
  supervisor: Supervisor;
  bus: EventBus;
  log(line: string): void;
}

/** Resolves once every instance has settled (or its reload failed: the old worker keeps serving). */
export async function restartGracefully(
  units: readonly ProcessUnit[],
  trigger: TriggerReason,
  detail: string,
  deps: RestartDeps,
): Promise<void> {
  const fork = units.filter((u) => u.spec.exec_mode !== 'cluster');
  const cluster = units.filter((u) => u.spec.exec_mode === 'cluster');
  if (fork.length > 0) await deps.supervisor.restart(fork, true, { trigger, detail });
  if (cluster.length === 0) return;
  for (const u of cluster) u.noteTrigger(trigger, detail);
  const report = await rollingReload(cluster, deps);
  if (report.failed) {
    const { name, id, reason } = report.failed;
    deps.log(`${name}[${id}] ${trigger} reload failed: ${reason}; the old worker keeps serving`);
  }
}
