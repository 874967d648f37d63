// Stopping in reverse dependency order: an operator's stop (`tend stop`, with --cascade, and the apps bound to
// the targets), and stopAll's order (`tend kill`, shutdown, `update`). Each app stops once every app that
// needs it is stopped; unrelated apps stop at once.
import type { App } from '../supervisor/app.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { ProcessUnit } from '../supervisor/unit.js';
import type { Cascades } from './cascades.js';
import type { DependencyGraph } from './graph.js';
import { runInOrder } from './in-order.js';
import { planStop } from './stop-plan.js';
import type { DependencyWait } from './wait.js';

export interface StopDeps {
  supervisor: Supervisor;
  cascades: Cascades;
  /** Whether app `name` is wanted up. */
  running(name: string): boolean;
}

/**
 * Stops `units` (with cascade, their apps' running dependents first) and the apps bound to them (held until
 * the targets are back); returns the warning naming the dependents left running with a dependency stopped.
 */
export async function stopInDependencyOrder(
  deps: StopDeps,
  graph: DependencyGraph,
  units: readonly ProcessUnit[],
  /** `whole`: the apps the command named (supervisor.stop); the dependents it adds are stopped whole too. */
  opts: { wait: boolean; cascade: boolean; whole?: ReadonlySet<string> },
): Promise<string[]> {
  const { supervisor, cascades } = deps;
  const targets = [...new Set(units.map((u) => u.name))];
  const plan = planStop(graph, targets, deps.running, opts.cascade);
  const byApp = new Map<string, ProcessUnit[]>();
  for (const u of units) byApp.set(u.name, [...(byApp.get(u.name) ?? []), u]);
  const upUnits = (n: string) =>
    supervisor
      .app(n)
      ?.units()
      .filter((u) => u.wanted === 'up') ?? [];
  for (const n of [...plan.stopped, ...plan.bound]) if (!byApp.has(n)) byApp.set(n, upUnits(n));
  const bound: DependencyWait[] = [];
  await runInOrder(
    [...byApp.keys()],
    (n) => graph.dependentsOf(n),
    async (n) => {
      const us = byApp.get(n) ?? [];
      const whole = targets.includes(n) ? opts.whole : new Set([n]);
      if (!plan.bound.includes(n)) return supervisor.stop(us, opts.wait, whole);
      const wait = await cascades.bindDown(n, us, true);
      if (wait) bound.push(wait);
    },
  );
  // Held only now: begun before its dependency was down, a bind wait would find it up and start again.
  for (const w of bound) w.begin();
  if (plan.stranded.length === 0) return [];
  // An app still waiting for what was stopped is not running: its wait ends blocked (ninth audit: it was
  // said to be left running).
  const waiting = (name: string) =>
    (supervisor.app(name)?.units() ?? []).every((u) => u.status === 'waiting' || u.status === 'blocked');
  const list = (xs: typeof plan.stranded) =>
    xs.map((x) => `${x.name} (needs ${x.needs.join(', ')})`).join(', ');
  const running = plan.stranded.filter((x) => !waiting(x.name));
  const held = plan.stranded.filter((x) => waiting(x.name));
  const parts = [
    ...(running.length > 0 ? [`leaves running: ${list(running)}`] : []),
    ...(held.length > 0 ? [`blocks what was waiting for it: ${list(held)}`] : []),
  ];
  return [
    `stopping ${targets.join(', ')} ${parts.join('; ')} (use --cascade to stop dependents first) (TEND_ERR_DEPENDENTS_RUNNING)`,
  ];
}

/** stopAll's order: `stop` on each app once its dependents are stopped (all at once without a graph). */
export function stopAppsInOrder(
  graph: DependencyGraph | null,
  apps: readonly App[],
  stop: (app: App) => Promise<void>,
): Promise<void> {
  if (!graph) return Promise.all(apps.map(stop)).then(() => {});
  const byName = new Map(apps.map((a) => [a.name, a]));
  return runInOrder(
    apps.map((a) => a.name),
    (n) => graph.dependentsOf(n),
    (n) => {
      const app = byName.get(n);
      return app ? stop(app) : Promise.resolve();
    },
  );
}
