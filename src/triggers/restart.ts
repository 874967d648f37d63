// How a trigger restarts instances: gracefully, as a user's `reload` would. Fork-mode instances are
// restarted (stop signal, kill_timeout, then a new process); cluster workers are replaced one at a time by
// a new worker that must be ready before the old one stops serving. Each instance counts the trigger apart
// from crash restarts and records it in its restart history.
import type { Supervisor } from '../supervisor/supervisor.js';
import type { TriggerReason } from '../supervisor/trigger-tally.js';
import type { ProcessUnit } from '../supervisor/unit.js';

export interface RestartDeps {
  supervisor: Supervisor;
  log(line: string): void;
}

/** Resolves once every instance has settled (or its reload failed: the old worker keeps serving). */
export async function restartGracefully(
  units: readonly ProcessUnit[],
  trigger: TriggerReason,
  detail: string,
  deps: RestartDeps,
): Promise<void> {
  const report = await deps.supervisor.reload(units, { trigger, detail });
  if (report.failed) {
    const { name, id, reason } = report.failed;
    deps.log(`${name}[${id}] ${trigger} reload failed: ${reason}; the old worker keeps serving`);
  }
}
