// What `describe` and `app.graph` show of the dependencies (pure, from the graph and the instances' snapshot).
import type { DependencyDetail, GraphApp } from '../protocol/dependencies.js';
import type { ProcessInfo } from '../protocol/process-info.js';
import { type InstanceView, judge } from './conditions.js';
import type { DependencyGraph } from './graph.js';

/** One app's dependencies, each with whether its condition holds now, and its direct dependents. */
export function dependencyDetail(
  graph: DependencyGraph,
  name: string,
  view: (name: string) => InstanceView[] | null,
): DependencyDetail {
  return {
    depends_on: graph.edgesOf(name).map((edge) => {
      const v = judge(edge, view(edge.name));
      return { ...edge, state: v.kind, detail: v.kind === 'failed' ? v.reason : null };
    }),
    dependents: [...graph.directDependents(name)],
  };
}

/** Every app of the graph with its edges, dependents and instances, and the start levels. */
export function graphData(
  graph: DependencyGraph,
  instances: (name: string) => readonly ProcessInfo[],
  namespace: (name: string) => string,
): { apps: GraphApp[]; order: string[][] } {
  return {
    apps: graph.apps().map((name) => ({
      name,
      namespace: namespace(name),
      depends_on: graph.edgesOf(name).map((e) => ({ ...e })),
      dependents: [...graph.directDependents(name)],
      instances: instances(name).map((p) => ({
        id: p.id,
        status: p.status,
        ready: p.ready,
        reason: p.reason,
      })),
    })),
    order: graph.order(),
  };
}
