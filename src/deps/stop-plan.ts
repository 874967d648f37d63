// What a stop of some apps means for the apps that depend on them (pure): the dependents `--cascade` stops
// first, the bound dependents (`bind: true`) that go down with them, and the dependents left running with a
// dependency down, which `tend stop db` warns about.
import { isCompletion } from './conditions.js';
import type { DependencyGraph } from './graph.js';

export interface StopPlan {
  /** Apps stopped by this command: the targets, their running dependents with --cascade. */
  stopped: string[];
  /** Running apps bound to a stopped one: stopped too, and started again when it is back. */
  bound: string[];
  /** Running apps that keep running with a dependency stopped (the warning lists them, with what they need). */
  stranded: { name: string; needs: string[] }[];
}

export function planStop(
  graph: DependencyGraph,
  targets: readonly string[],
  running: (name: string) => boolean,
  cascade: boolean,
): StopPlan {
  const stopped = new Set(targets);
  if (cascade) for (const t of targets) for (const d of graph.dependentsOf(t)) if (running(d)) stopped.add(d);
  // A bound app goes down with its dependency, and so, in turn, do the apps bound to it.
  const bound = new Set<string>();
  const down = (n: string) => stopped.has(n) || bound.has(n);
  for (let grew = true; grew; ) {
    grew = false;
    for (const name of graph.apps()) {
      if (down(name) || !running(name)) continue;
      const binds = graph
        .edgesOf(name)
        .some((e) => e.bind && !isCompletion(e.condition) && down(e.name) && graph.has(e.name));
      if (binds) {
        bound.add(name);
        grew = true;
      }
    }
  }
  const stranded = graph
    .apps()
    .filter((n) => !down(n) && running(n))
    .map((name) => ({ name, needs: graph.edgesOf(name).flatMap((e) => (down(e.name) ? [e.name] : [])) }))
    .filter((s) => s.needs.length > 0);
  return { stopped: graph.sorted(stopped), bound: graph.sorted(bound), stranded };
}
