// The dependency graph of a set of apps (pure): who depends on whom, start levels (topological, independent
// branches side by side), stop levels (dependents first), transitive dependencies and dependents, and the
// cycle finder. Config checks cycles and unknown names at load (config/); the graph stays safe anyway: a cycle
// is a clear error here, and an edge to an app that is not in the set is kept but takes no part in the order.
import type { DependencySpec } from '../config/spec.js';

/** What the graph reads of an app (an AppSpec is one). */
export interface GraphApp {
  readonly name: string;
  readonly depends_on: readonly DependencySpec[];
}

export class DependencyCycleError extends Error {
  constructor(readonly path: readonly string[]) {
    super(`dependency cycle: ${path.join(' → ')}`);
    this.name = 'DependencyCycleError';
  }
}

/**
 * The first cycle met walking the apps in their given order and each app's dependencies in their written
 * order (so the same input always names the same cycle): `['api', 'worker', 'cache', 'api']`, or null.
 */
export function findCycle(apps: readonly GraphApp[]): string[] | null {
  const byName = new Map(apps.map((a) => [a.name, a]));
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();
  const visit = (name: string): string[] | null => {
    if (onPath.has(name)) return [...path.slice(path.indexOf(name)), name];
    if (done.has(name)) return null;
    const app = byName.get(name);
    if (!app) return null;
    path.push(name);
    onPath.add(name);
    for (const dep of app.depends_on) {
      const cycle = visit(dep.name);
      if (cycle) return cycle;
    }
    path.pop();
    onPath.delete(name);
    done.add(name);
    return null;
  };
  for (const app of apps) {
    const cycle = visit(app.name);
    if (cycle) return cycle;
  }
  return null;
}

export class DependencyGraph {
  private readonly byName: ReadonlyMap<string, GraphApp>;
  /** Direct dependents of each app (apps in the set only), in the set's order. */
  private readonly dependents = new Map<string, string[]>();
  private readonly names: readonly string[];

  /** Throws DependencyCycleError when the apps' dependencies form a cycle. */
  constructor(apps: readonly GraphApp[]) {
    const cycle = findCycle(apps);
    if (cycle) throw new DependencyCycleError(cycle);
    this.byName = new Map(apps.map((a) => [a.name, a]));
    this.names = [...this.byName.keys()];
    for (const name of this.names) this.dependents.set(name, []);
    for (const app of this.byName.values())
      for (const dep of new Set(app.depends_on.map((d) => d.name))) this.dependents.get(dep)?.push(app.name);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** The app names, in the order given. */
  apps(): readonly string[] {
    return this.names;
  }

  /** The app's `depends_on` entries (names that are not in the set included). */
  edgesOf(name: string): readonly DependencySpec[] {
    return this.byName.get(name)?.depends_on ?? [];
  }

  /** The edge from `dependent` to `dependency`, or undefined. */
  edge(dependent: string, dependency: string): DependencySpec | undefined {
    return this.edgesOf(dependent).find((d) => d.name === dependency);
  }

  /** Names the app depends on that are not in the set. */
  missing(name: string): string[] {
    return this.edgesOf(name)
      .map((d) => d.name)
      .filter((n) => !this.byName.has(n));
  }

  /** Apps that depend on `name` directly. */
  directDependents(name: string): readonly string[] {
    return this.dependents.get(name) ?? [];
  }

  /** Every app `name` needs, directly or not (in the set), dependencies before what needs them. */
  dependenciesOf(name: string): string[] {
    const seen = new Set<string>();
    const visit = (n: string) => {
      for (const d of this.edgesOf(n)) {
        if (seen.has(d.name) || !this.byName.has(d.name)) continue;
        visit(d.name);
        seen.add(d.name);
      }
    };
    visit(name);
    return this.sorted(seen);
  }

  /** Every app that needs `name`, directly or not, in start order. */
  dependentsOf(name: string): string[] {
    const seen = new Set<string>();
    const visit = (n: string) => {
      for (const d of this.directDependents(n)) {
        if (seen.has(d)) continue;
        seen.add(d);
        visit(d);
      }
    };
    visit(name);
    return this.sorted(seen);
  }

  /**
   * Start levels: level 0 depends on nothing in the set, level n on something of level n-1 at most. Apps of
   * one level are independent of each other, in the set's order.
   */
  order(): string[][] {
    const level = new Map<string, number>();
    const of = (n: string): number => {
      const known = level.get(n);
      if (known !== undefined) return known;
      const deps = this.edgesOf(n).filter((d) => this.byName.has(d.name));
      const l = deps.length === 0 ? 0 : 1 + Math.max(...deps.map((d) => of(d.name)));
      level.set(n, l);
      return l;
    };
    return group(this.names, of);
  }

  /**
   * Stop levels: level 0 is what nothing depends on (top dependents and unrelated apps: they stop at once),
   * level n is needed by level n-1 at most; the apps everything rests on stop last.
   */
  stopOrder(): string[][] {
    const height = new Map<string, number>();
    const of = (n: string): number => {
      const known = height.get(n);
      if (known !== undefined) return known;
      const up = this.directDependents(n);
      const h = up.length === 0 ? 0 : 1 + Math.max(...up.map(of));
      height.set(n, h);
      return h;
    };
    return group(this.names, of);
  }

  /** `names` in start order (a dependency before what needs it; otherwise the set's order). */
  sorted(names: Iterable<string>): string[] {
    const wanted = new Set(names);
    return this.order()
      .flat()
      .filter((n) => wanted.has(n));
  }
}

function group(names: readonly string[], levelOf: (name: string) => number): string[][] {
  const levels: string[][] = [];
  for (const n of names) {
    const l = levelOf(n);
    while (levels.length <= l) levels.push([]);
    levels[l]?.push(n);
  }
  return levels;
}
