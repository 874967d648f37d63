// What a start takes in besides its targets (pure over a view of the supervisor): the missing dependencies
// `start` adds, the dependencies `order` (resurrect, recovery) starts without, and the warnings of --no-deps.
import type { DependencySpec } from '../config/spec.js';
import type { App } from '../supervisor/app.js';
import type { ProcessUnit } from '../supervisor/unit.js';
import { type InstanceView, judge } from './conditions.js';
import type { DependencyGraph } from './graph.js';
import { HELD_STATUSES } from './wait.js';

export interface PlanView {
  app(name: string): App | undefined;
  /** The instances of app `name` as conditions read them; null: no such app. */
  view(name: string): InstanceView[] | null;
  /** Whether app `name` is wanted up (running, starting, restarting, waiting for its own dependencies). */
  running(name: string): boolean;
}

/** Not running: stopped, errored, or held by a dependency wait. */
export function startable(u: ProcessUnit): boolean {
  return u.wanted === 'down' || u.status === 'errored' || HELD_STATUSES.has(u.status);
}

/**
 * Adds to `chosen` (app → its units to start) the dependencies, transitively, that are not running and whose
 * condition does not hold (a job that completed successfully is not run again for `completed_successfully`).
 */
export function addMissing(graph: DependencyGraph, chosen: Map<string, ProcessUnit[]>, v: PlanView): void {
  const work = [...chosen.keys()];
  for (let name = work.pop(); name !== undefined; name = work.pop()) {
    for (const edge of graph.edgesOf(name)) {
      if (chosen.has(edge.name)) continue;
      const units = v.app(edge.name)?.units().filter(startable) ?? [];
      if (units.length === 0 || judge(edge, v.view(edge.name)).kind === 'met') continue;
      chosen.set(edge.name, units);
      work.push(edge.name);
    }
  }
}

/** `order` mode: the dependencies that are neither started with the app nor up (nor coming up). */
export function outsiders(
  edges: readonly DependencySpec[],
  chosen: ReadonlyMap<string, unknown>,
  v: PlanView,
): DependencySpec[] {
  return edges.filter(
    (d) => !chosen.has(d.name) && !v.running(d.name) && judge(d, v.view(d.name)).kind !== 'met',
  );
}

/** --no-deps: a coded warning for each required dependency of `name` that is down. */
export function downNotes(name: string, v: PlanView): string[] {
  return (v.app(name)?.spec.depends_on ?? [])
    .filter((d) => d.required && !v.running(d.name) && judge(d, v.view(d.name)).kind !== 'met')
    .map(
      (d) =>
        `${name}: started without its dependency ${d.name}, which is ${v.app(d.name) ? 'not running' : 'not known to the daemon'} (--no-deps) (TEND_ERR_DEPENDENCY_DOWN)`,
    );
}
