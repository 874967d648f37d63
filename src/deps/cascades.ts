// The two cascades of depends_on.
// - bind: when a bound dependency leaves `online`/`launching` (stopped, crashed, errored, restarted), the
//   dependent is stopped and held by a persistent wait (reason `dependency_down: …`), which starts it again
//   once the dependency meets its condition again.
// - restart: after an operator's restart or reload of an app, its `restart: true` dependents restart once it
//   meets their condition again, transitively, in order, each app at most once: an app that was (re)started
//   after the cascade began (a bind brought it back) already runs against the new dependency and is skipped.
// A crash-restart of a dependency never reaches the restart cascade: only operator commands call it.
import type { DependencySpec } from '../config/spec.js';
import type { TendEvent } from '../protocol/events.js';
import type { App } from '../supervisor/app.js';
import type { EventBus } from '../supervisor/event-bus.js';
import type { Clock, Timer } from '../supervisor/ports.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import type { ProcessUnit } from '../supervisor/unit.js';
import { type InstanceView, judge, timeoutReason, type Verdict } from './conditions.js';
import type { DependencyGraph } from './graph.js';
import { runInOrder } from './in-order.js';
import { planStop } from './stop-plan.js';
import { DEPS_POLICY, type DependencyWait, HELD_STATUSES } from './wait.js';

export interface CascadeDeps {
  supervisor: Supervisor;
  bus: EventBus;
  clock: Clock;
  log(line: string): void;
  graph(): DependencyGraph;
  view(name: string): InstanceView[] | null;
  /** The persistent wait that brings a bind-stopped app back (null once the service is closed). */
  bindWait(app: App): DependencyWait | null;
}

const UP: ReadonlySet<string> = new Set(['launching', 'online']);
const DOWN: ReadonlySet<string> = new Set(['stopping', 'stopped', 'errored', 'waiting-restart']);

export class Cascades {
  /** Apps a bind is stopping now (two instances of a dependency going down stop the dependent once). */
  private readonly binding = new Set<string>();
  /** Restart cascades waiting for a dependency's condition: re-judged on each event about it. */
  private readonly watchers = new Set<{ name: string; check: () => void }>();
  private closed = false;

  constructor(private readonly deps: CascadeDeps) {}

  onEvent(e: TendEvent): void {
    if (this.closed) return;
    if (e.event === 'process.state' || e.event === 'process.ready' || e.event === 'process.deleted')
      for (const w of [...this.watchers]) if (w.name === e.data.name) w.check();
    if (e.event === 'process.state' && UP.has(e.data.from) && DOWN.has(e.data.to))
      this.dependencyDown(e.data.name);
  }

  /**
   * An instance of `name` went down: the apps bound to it (and, in turn, those bound to them) go down too,
   * each once the apps bound to it are down, and wait together once all are.
   */
  private dependencyDown(name: string): void {
    const graph = this.tryGraph();
    if (!graph) return;
    const { bound } = planStop(graph, [name], (n) => this.upUnits(n).length > 0, false);
    if (bound.length === 0) return;
    const units = new Map(bound.map((n) => [n, this.upUnits(n)]));
    for (const n of bound) this.binding.add(n);
    this.deps.log(`dependency_down: ${name} went down: stopping ${bound.join(', ')} (bind)`);
    // Not from inside the unit's own publish: the stops run in their own turn.
    queueMicrotask(() => void this.bindAll(graph, units));
  }

  private async bindAll(graph: DependencyGraph, units: ReadonlyMap<string, ProcessUnit[]>): Promise<void> {
    const waits: DependencyWait[] = [];
    await runInOrder(
      [...units.keys()],
      (n) => graph.dependentsOf(n),
      async (n) => {
        const wait = await this.bindDown(n, units.get(n) ?? [], true);
        if (wait) waits.push(wait);
      },
    );
    for (const w of waits) w.begin();
  }

  /** The units of app `name` a bind would stop: wanted up, not held, not being stopped or held by us. */
  private upUnits(name: string): ProcessUnit[] {
    const app = this.deps.supervisor.app(name);
    if (!app || this.binding.has(name) || app.policies.has(DEPS_POLICY)) return [];
    return app.units().filter((u) => u.wanted === 'up' && !HELD_STATUSES.has(u.status));
  }

  /**
   * Stops a bound app's units, then holds it until its dependencies are back. With `later`, the hold is left
   * to the caller (a stop of the dependency itself: the wait begins once the dependency is down too).
   */
  async bindDown(name: string, units: readonly ProcessUnit[], later = false): Promise<DependencyWait | null> {
    this.binding.add(name);
    try {
      await this.deps.supervisor.stop(units, true);
      const app = this.deps.supervisor.app(name);
      const wait = app && !this.closed ? this.deps.bindWait(app) : null;
      if (!later) wait?.begin();
      return wait;
    } finally {
      this.binding.delete(name);
    }
  }

  /** The restart cascade after an operator's restart or reload of `roots` (done by then). */
  async afterRestart(roots: readonly string[], since: number): Promise<void> {
    const graph = this.tryGraph();
    if (!graph) return;
    const rootSet = new Set(roots);
    const members = new Set<string>();
    const work = [...roots];
    for (let n = work.pop(); n !== undefined; n = work.pop())
      for (const d of graph.directDependents(n)) {
        if (!graph.edge(d, n)?.restart || rootSet.has(d) || members.has(d)) continue;
        members.add(d);
        work.push(d);
      }
    if (members.size === 0) return;
    const inCascade = (n: string) => rootSet.has(n) || members.has(n);
    await runInOrder(
      [...roots, ...members],
      (n) => graph.dependenciesOf(n),
      async (n) => {
        const app = rootSet.has(n) ? undefined : this.deps.supervisor.app(n);
        if (!app) return;
        const edges = app.spec.depends_on.filter((e) => e.restart && inCascade(e.name));
        for (const edge of edges) {
          const v = await this.settled(edge);
          if (v.kind === 'failed') {
            this.deps.log(`${n}: not restarted after ${edge.name} (restart: true): ${v.reason}`);
            return;
          }
        }
        const units = app
          .units()
          .filter((u) => u.wanted === 'up' && !HELD_STATUSES.has(u.status) && startedBefore(u, since));
        if (units.length === 0) return;
        this.deps.log(`${n}: restarting after ${edges.map((e) => e.name).join(', ')} (restart: true)`);
        await this.deps.supervisor.restart(units, true);
      },
    );
  }

  /** Resolves once the dependency meets the edge's condition, or failed (errored, stopped, timed out). */
  private settled(edge: DependencySpec): Promise<Verdict> {
    return new Promise((resolve) => {
      let timer: Timer | null = null;
      const watcher = {
        name: edge.name,
        check: () => {
          const v = this.closed
            ? ({ kind: 'failed', reason: 'the daemon is stopping' } as const)
            : judge(edge, this.deps.view(edge.name));
          if (v.kind !== 'pending') done(v);
        },
      };
      const done = (v: Verdict) => {
        this.watchers.delete(watcher);
        timer?.cancel();
        resolve(v);
      };
      this.watchers.add(watcher);
      if (edge.timeout_ms > 0)
        timer = this.deps.clock.setTimer(edge.timeout_ms, () =>
          done({ kind: 'failed', reason: timeoutReason(edge) }),
        );
      watcher.check();
    });
  }

  private tryGraph(): DependencyGraph | null {
    try {
      return this.deps.graph();
    } catch {
      return null;
    }
  }

  close(): void {
    this.closed = true;
    for (const w of [...this.watchers]) w.check();
  }
}

function startedBefore(u: ProcessUnit, since: number): boolean {
  const started = u.info().started_at;
  return started !== null && started < since;
}
