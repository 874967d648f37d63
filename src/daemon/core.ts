// The supervising core both long-lived programs build the same way: the daemon (daemon/main.ts) and the
// container runtime (container/run.ts). The event bus, the spawner (cluster primaries for cluster-mode apps,
// plain children otherwise), the inspector, the supervisor with its probes, and the policies beside it
// (restart triggers, depends_on). What differs is given: where output goes (log files, or stdout), and the
// program's own log. Closing stays with the caller: the daemon and the runtime stop in different ways.
import { createClusterSpawner } from '../cluster/cluster-spawner.js';
import { DependencyService } from '../deps/dependency-service.js';
import { runProbe } from '../health/probe-runner.js';
import { InstanceProbes } from '../health/probes.js';
import { realClock } from '../runtime/clock.js';
import { createInspector } from '../runtime/inspector.js';
import { createSpawner } from '../runtime/spawner.js';
import { startProblem } from '../runtime/start-check.js';
import { createTreeMemory } from '../runtime/tree-memory.js';
import { EventBus } from '../supervisor/event-bus.js';
import type { LogNaming } from '../supervisor/instance-logs.js';
import type { Inspector, OutputSinks, Spawner } from '../supervisor/ports.js';
import { Supervisor } from '../supervisor/supervisor.js';
import { TriggerService } from '../triggers/trigger-service.js';
import { openChokidar } from '../triggers/watch.js';

export interface CoreOptions {
  home: string;
  /** Tell the apps TEND_HOME (default true; see SupervisorDeps.home). */
  tagHome?: boolean;
  log(line: string): void;
  /** Where the instances' output goes; built with the bus (the daemon's log files publish rotations on it). */
  sinks(bus: EventBus): OutputSinks;
  /** Wraps the real spawner (the runtime keeps the children it must SIGKILL at the end of its grace period). */
  wrapSpawner?(spawner: Spawner): Spawner;
  /** Issue 17: PM2's names for the instances' log files in a PM2 home (supervisor/instance-logs.ts). */
  logNaming?: LogNaming;
  /** SupervisorDeps.noRestartWhy. */
  noRestartWhy?(name: string): string;
}

export interface Core {
  bus: EventBus;
  /** The cluster spawner: closed after the supervisor (it stops the cluster primaries). */
  spawner: ReturnType<typeof createClusterSpawner>;
  inspector: Inspector;
  supervisor: Supervisor;
  triggers: TriggerService;
  deps: DependencyService;
}

export function openCore(opts: CoreOptions): Core {
  const { home, log } = opts;
  const bus = new EventBus();
  const sinks = opts.sinks(bus);
  // Cluster-mode instances become workers of their app's cluster primary; the rest are plain children.
  const plain = createSpawner();
  const spawner = createClusterSpawner({ fork: opts.wrapSpawner ? opts.wrapSpawner(plain) : plain, log });
  // One inspector for every reader (list, the memory limit): its cpu figures do not depend on who asks.
  const inspector = createInspector();
  const supervisor = new Supervisor({
    clock: realClock,
    spawner,
    sinks,
    inspector,
    bus,
    home: opts.tagHome === false ? null : home,
    log,
    startCheck: startProblem,
    // Probes run only for apps that declare them (health/probes.ts; HTTP is loaded on the first HTTP probe).
    // align: passing HTTP/TCP probes of one period share a timer (health/probe-grid.ts; issue 13, probe CPU).
    openProbes: (specs, target, events) =>
      new InstanceProbes(specs, target, { clock: realClock, run: runProbe, align: true }, events),
    ...(opts.logNaming ? { logNaming: opts.logNaming } : {}),
    ...(opts.noRestartWhy ? { noRestartWhy: opts.noRestartWhy } : {}),
  });
  // Watch, memory limit and cron follow the supervisor's apps, however they were added.
  const triggers = new TriggerService({
    supervisor,
    bus,
    clock: realClock,
    openWatcher: openChokidar,
    memory: createTreeMemory(inspector),
    home,
    log,
  });
  // depends_on: start order, waits, stop order (stopAll too) and cascades.
  const deps = new DependencyService({ supervisor, bus, clock: realClock, log });
  return { bus, spawner, inspector, supervisor, triggers, deps };
}
