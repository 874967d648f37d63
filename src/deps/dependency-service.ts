// depends_on at run time: a service beside the supervisor (DESIGN.md's policies) that starts apps in
// dependency order, stops them in reverse order, and runs the bind and restart cascades. It asks the
// supervisor to act (start, stop, restart, hold, block) and keeps its state on the App (`app.policies`, a
// DependencyWait per waiting app). Ordering is event-driven, not by levels: an app starts the moment its own
// dependencies meet their conditions, so independent branches run side by side and nothing waits on a slow
// app it does not need. Timeouts and the waiting reason's clock come from the injected Clock.
import type { DependencySpec } from '../config/spec.js';
import type { DependencyDetail, GraphApp } from '../protocol/dependencies.js';
import { TendError } from '../protocol/errors.js';
import type { TendEvent } from '../protocol/events.js';
import type { App } from '../supervisor/app.js';
import type { EventBus } from '../supervisor/event-bus.js';
import type { Clock } from '../supervisor/ports.js';
import type { ReloadReport, Supervisor } from '../supervisor/supervisor.js';
import type { ProcessUnit } from '../supervisor/unit.js';
import { Cascades } from './cascades.js';
import { type InstanceView, judge } from './conditions.js';
import { dependencyDetail, graphData } from './describe.js';
import { DependencyCycleError, DependencyGraph } from './graph.js';
import { runInOrder } from './in-order.js';
import { type StopDeps, stopAppsInOrder, stopInDependencyOrder } from './ordered-stop.js';
import { type ReloadGate, reloadGate } from './reload-gate.js';
import { addMissing, downNotes, outsiders, type PlanView, startable } from './start-plan.js';
import { DEPS_POLICY, DependencyWait, HELD_STATUSES, type WaitContext, type WaitOptions } from './wait.js';

export interface DependencyServiceDeps {
  supervisor: Supervisor;
  bus: EventBus;
  clock: Clock;
  log(line: string): void;
}

/**
 * How a start treats dependencies: `start` starts the missing ones first and waits for each app's
 * conditions; `order` (resurrect, crash recovery) waits only for dependencies that are started with it or
 * already up, and starts without the others, with a note; `ignore` (--no-deps) starts the apps alone.
 */
export type DepsMode = 'start' | 'order' | 'ignore';

export interface StartOutcome {
  /** Every instance this start acted on (the targets and the dependencies it started). */
  units: ProcessUnit[];
  /** Coded warnings: dependencies down with --no-deps, optional dependencies given up on. */
  notes: string[];
}

export class DependencyService {
  private readonly off: () => void;
  private closed = false;
  /** Apps this service is starting now, with how many starts are in flight. */
  private readonly inflight = new Map<string, number>();
  /** Apps an event was about since the last re-judging of the waits (see onEvent). */
  private readonly dirty = new Set<string>();
  private readonly cascades: Cascades;
  private readonly waitCtx: WaitContext;
  private readonly planView: PlanView;
  private readonly stopDeps: StopDeps;
  /** Reloads waiting for their dependencies to meet their conditions again (reload-gate.ts). */
  private readonly gates = new Set<ReloadGate>();
  /** Apps a reload has yet to be done with, counted per reload in progress (WaitContext.reloading). */
  private readonly reloading = new Map<string, number>();

  constructor(private readonly deps: DependencyServiceDeps) {
    const { supervisor } = deps;
    this.waitCtx = {
      clock: deps.clock,
      hold: async (units, reason) => {
        await supervisor.hold(units, reason);
      },
      block: async (units, reason) => {
        await supervisor.block(units, reason);
      },
      launch: (app, units, wait) => this.launch(app.name, units, wait),
      view: (name) => this.view(name),
      inFlight: (name) => (this.inflight.get(name) ?? 0) > 0,
      stalled: (name) => supervisor.appNotReadyYet(name),
      reloading: (name) => (this.reloading.get(name) ?? 0) > 0,
      log: deps.log,
    };
    this.planView = {
      app: (name) => supervisor.app(name),
      view: (name) => this.view(name),
      running: (name) => this.running(name),
    };
    this.cascades = new Cascades({
      ...deps,
      graph: () => this.graph(),
      view: (name) => this.view(name),
      bindWait: (app) => this.bindWait(app),
    });
    this.stopDeps = { supervisor, cascades: this.cascades, running: (n) => this.running(n) };
    this.off = deps.bus.subscribe((e) => this.onEvent(e));
    // tend kill, shutdown and update stop everything: dependents first, each app once its dependents are down.
    supervisor.orderStops((apps, stop) => stopAppsInOrder(this.graphOrNull(), apps, stop));
  }

  /** The graph of the apps the supervisor has now; a cycle (config prevents it) is a config error. */
  graph(): DependencyGraph {
    try {
      return new DependencyGraph(this.deps.supervisor.apps().map((a) => a.spec));
    } catch (err) {
      if (err instanceof DependencyCycleError)
        throw new TendError('TEND_ERR_CONFIG_INVALID', { where: 'apps', detail: err.message });
      throw err;
    }
  }

  /** The instances of app `name` as conditions read them; null: no such app. */
  view(name: string): InstanceView[] | null {
    return (
      this.deps.supervisor
        .app(name)
        ?.units()
        .map((u) => u.info()) ?? null
    );
  }

  /**
   * Starts `units` with their dependencies (see DepsMode). With `wait`, resolves once every app started and
   * settled, or is blocked; without, once the waiting apps are held (they start later on their own).
   */
  async start(units: readonly ProcessUnit[], opts: { wait: boolean; deps: DepsMode }): Promise<StartOutcome> {
    const { supervisor } = this.deps;
    const notes: string[] = [];
    const chosen = new Map<string, ProcessUnit[]>();
    for (const u of units) if (startable(u)) chosen.set(u.name, [...(chosen.get(u.name) ?? []), u]);
    const acted = () => [...chosen.values()].flat();
    if (opts.deps === 'ignore') {
      for (const name of chosen.keys()) notes.push(...downNotes(name, this.planView));
      await supervisor.start(acted(), opts.wait);
      return { units: [...units], notes };
    }
    const graph = this.graph();
    if (opts.deps === 'start') addMissing(graph, chosen, this.planView);
    const runs: Promise<unknown>[] = [];
    const waits: DependencyWait[] = [];
    for (const name of graph.sorted(chosen.keys())) {
      const app = supervisor.app(name);
      const us = chosen.get(name);
      if (!app || !us) continue;
      const existing = waitOf(app);
      if (existing?.adopt(us)) {
        waits.push(existing);
        runs.push(Promise.race([existing.outcome(), existing.stalledOn()]));
        continue;
      }
      const skipped = opts.deps === 'order' ? outsiders(app.spec.depends_on, chosen, this.planView) : [];
      for (const d of skipped)
        notes.push(
          `${name}: dependency ${d.name} is not running and was not started with it; starting without it (TEND_ERR_DEPENDENCY_DOWN)`,
        );
      const edges = app.spec.depends_on.filter((d) => !skipped.includes(d));
      if (edges.every((d) => judge(d, this.view(d.name)).kind === 'met')) {
        runs.push(this.launch(name, us, opts.wait));
        continue;
      }
      const wait = this.newWait(app, us, edges, { persistent: false, prefix: '', wait: opts.wait });
      waits.push(wait);
      runs.push(Promise.race([wait.outcome(), wait.stalledOn()]));
      wait.begin();
    }
    if (opts.wait) await Promise.all(runs);
    for (const w of waits) notes.push(...w.notes);
    return { units: [...new Set([...units, ...acted()])].sort((a, b) => a.id - b.id), notes };
  }

  /**
   * Stops `units` (their apps' dependents first, with cascade), and the apps bound to them; without cascade,
   * a note names the dependents left running with a dependency down.
   */
  async stop(
    units: readonly ProcessUnit[],
    opts: { wait: boolean; cascade: boolean; whole?: ReadonlySet<string> },
  ): Promise<string[]> {
    const graph = this.graphOrNull();
    if (graph) return stopInDependencyOrder(this.stopDeps, graph, units, opts);
    await this.deps.supervisor.stop(units, opts.wait, opts.whole);
    return [];
  }

  /** An operator's restart: the apps, then (restart: true) their dependents once they are ready again. */
  async restart(units: readonly ProcessUnit[], wait: boolean): Promise<void> {
    const since = this.deps.clock.now();
    // Waited for internally even without `wait`: the cascade must not judge the old, still running process.
    const restarted = this.deps.supervisor.restart(units, true);
    const cascade = restarted.then(() => this.cascades.afterRestart(names(units), since));
    if (wait) await cascade;
    else cascade.catch((err) => this.deps.log(`restart cascade failed: ${String(err)}`));
  }

  /**
   * An operator's reload (`tend reload`, tend-runtime's SIGHUP), rolling across the apps too: an app's reload
   * begins once its dependencies' reloads are done, and not at all when one of them failed (its processes
   * keep running, skipped); independent apps side by side. An instance still waiting for its dependencies
   * is skipped: its start is yet to come, with the new code, and restarting it now would skip that wait
   * (third audit: a SIGHUP during start-up started a dependent before its dependency was healthy). An app
   * reloaded after its dependencies waits until they meet its conditions again (a one-shot: completed), and
   * is held back if one fails. Then the restart cascade of the apps whose targeted instances all reloaded.
   */
  async reload(units: readonly ProcessUnit[]): Promise<ReloadReport> {
    const since = this.deps.clock.now();
    const report: ReloadReport = { failed: null, reloaded: [], skipped: [] };
    const byApp = new Map<string, ProcessUnit[]>();
    for (const u of units) byApp.set(u.name, [...(byApp.get(u.name) ?? []), u]);
    const graph = this.graphOrNull();
    // Seen now, not when the app's turn comes: by then its wait may be over, its start being the new code.
    const waiting = new Set(units.filter((u) => u.status === 'waiting'));
    const failedApps = new Set<string>();
    const reloadedApps = new Set<string>();
    // Until its reload is done, an app meets no condition of a wait (WaitContext.reloading): a dependent
    // waiting for it, skipped here, or a one-shot left alone, starts against the new code, not the old.
    const pendingApps = new Set(byApp.keys());
    for (const name of pendingApps) this.reloading.set(name, (this.reloading.get(name) ?? 0) + 1);
    const reloaded = (name: string) => {
      if (!pendingApps.delete(name)) return;
      const left = (this.reloading.get(name) ?? 1) - 1;
      if (left > 0) this.reloading.set(name, left);
      else this.reloading.delete(name);
      if (!this.closed) this.recheck(name);
    };
    const reloadApp = async (name: string) => {
      try {
        await reloadOne(name);
      } finally {
        reloaded(name);
      }
    };
    const reloadOne = async (name: string) => {
      const us = byApp.get(name) ?? [];
      const gated = graph?.dependenciesOf(name).some((d) => failedApps.has(d)) ?? false;
      // Held back, it holds back its own dependents in turn.
      if (gated) failedApps.add(name);
      const go = gated ? [] : us.filter((u) => !waiting.has(u));
      const skip = (ids: readonly ProcessUnit[]) => report.skipped.push(...ids.map((u) => u.id));
      skip(us.filter((u) => !go.includes(u)));
      if (go.length === 0) return;
      // Its turn once the dependencies reloaded before it meet its conditions again (reload-gate.ts).
      const edges = (this.deps.supervisor.app(name)?.spec.depends_on ?? []).filter((e) =>
        reloadedApps.has(e.name),
      );
      if (edges.length > 0) {
        const why = await this.gated(edges);
        if (why !== null) {
          failedApps.add(name);
          skip(go);
          const first = go[0] as ProcessUnit;
          report.failed ??= { id: first.id, name, reason: why, kept: true };
          return;
        }
      }
      const one = await this.deps.supervisor.reload(go);
      report.reloaded.push(...one.reloaded);
      report.skipped.push(...one.skipped);
      if (one.reloaded.length > 0) reloadedApps.add(name);
      if (one.failed) {
        failedApps.add(name);
        report.failed ??= one.failed;
      }
    };
    const apps = [...byApp.keys()];
    try {
      // Without a graph (a cycle, reported by graphOrNull), nothing to wait on: every app at once.
      await runInOrder(apps, (n) => graph?.dependenciesOf(n) ?? [], reloadApp);
    } finally {
      // None is left marked, whatever happened: a wait must never be held by a reload that is over.
      for (const name of [...pendingApps]) reloaded(name);
    }
    const done = new Set(report.reloaded);
    const whole = apps.filter((n) => units.every((u) => u.name !== n || done.has(u.id)));
    await this.cascades.afterRestart(whole, since);
    return report;
  }

  /** Waits until `edges` are met again (null), or why they are not; a shutdown ends the wait. */
  private async gated(edges: readonly DependencySpec[]): Promise<string | null> {
    if (this.closed) return 'the shutdown began';
    const gate = reloadGate({ ...this.deps, view: (n) => this.view(n) }, edges);
    this.gates.add(gate);
    try {
      return await gate.done;
    } finally {
      this.gates.delete(gate);
    }
  }

  /** `describe`'s dependencies block of app `name` (null when the graph cannot be built). */
  detail(name: string): DependencyDetail | undefined {
    const graph = this.graphOrNull();
    return graph ? dependencyDetail(graph, name, (n) => this.view(n)) : undefined;
  }

  /** `app.graph`: every app, its edges, dependents and instances, and the start levels. */
  graphData(): { apps: GraphApp[]; order: string[][] } {
    const { supervisor } = this.deps;
    const infos = supervisor.list();
    return graphData(
      this.graph(),
      (n) => infos.filter((p) => p.name === n),
      (n) => supervisor.app(n)?.spec.namespace ?? 'default',
    );
  }

  private graphOrNull(): DependencyGraph | null {
    try {
      return this.graph();
    } catch (err) {
      this.deps.log(`dependency order not applied: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    }
  }

  /** Whether app `name` is wanted up (running, starting, restarting or waiting for its own dependencies). */
  running(name: string): boolean {
    return (
      this.deps.supervisor
        .app(name)
        ?.units()
        .some((u) => u.wanted === 'up') ?? false
    );
  }

  private newWait(
    app: App,
    units: readonly ProcessUnit[],
    edges: readonly DependencySpec[],
    opts: WaitOptions,
  ) {
    const wait = new DependencyWait(app, units, this.waitCtx, opts, edges);
    app.policies.set(DEPS_POLICY, wait);
    return wait;
  }

  /** A bind wait for `app`, whose bound dependency went down (cascades.ts stopped it). */
  private bindWait(app: App): DependencyWait | null {
    if (this.closed) return null;
    const existing = waitOf(app);
    if (existing) return existing;
    const units = app.units().filter((u) => u.status === 'stopped' || HELD_STATUSES.has(u.status));
    return this.newWait(app, units, app.spec.depends_on, {
      persistent: true,
      prefix: 'dependency_down: ',
      wait: false,
    });
  }

  /** Starts `units` of app `name`, tracked as in flight until the start settles (or is dispatched). */
  private async launch(name: string, units: readonly ProcessUnit[], wait: boolean): Promise<void> {
    this.inflight.set(name, (this.inflight.get(name) ?? 0) + 1);
    try {
      await this.deps.supervisor.start(units, wait);
    } finally {
      const left = (this.inflight.get(name) ?? 1) - 1;
      if (left > 0) this.inflight.set(name, left);
      else this.inflight.delete(name);
      this.recheck(name);
    }
  }

  private onEvent(e: TendEvent): void {
    if (this.closed) return;
    if (e.event !== 'process.state' && e.event !== 'process.ready' && e.event !== 'process.deleted') return;
    // Not from inside the publish: starting an app here would publish its events before the rest of the
    // bus heard this one (a subscriber would see web launch before the api it waited for was online).
    if (this.dirty.size === 0) queueMicrotask(() => this.flush());
    this.dirty.add(e.data.name);
    this.cascades.onEvent(e);
  }

  private flush(): void {
    const names = [...this.dirty];
    this.dirty.clear();
    if (!this.closed) for (const n of names) this.recheck(n);
  }

  /** Re-judges every wait an event about app `name` may change. */
  private recheck(name: string): void {
    for (const app of this.deps.supervisor.apps()) {
      const w = waitOf(app);
      if (w?.concerns(name)) w.check();
    }
  }

  /** Ends every wait and cascade (the daemon calls this before stopping the processes). */
  async close(): Promise<void> {
    this.closed = true;
    this.off();
    for (const g of this.gates) g.cancel('the shutdown began');
    this.cascades.close();
    for (const app of this.deps.supervisor.apps()) {
      const w = waitOf(app);
      if (w) await w.close();
    }
  }
}

function waitOf(app: App): DependencyWait | undefined {
  const p = app.policies.get(DEPS_POLICY);
  return p instanceof DependencyWait && !p.done ? p : undefined;
}

function names(units: readonly ProcessUnit[]): string[] {
  return [...new Set(units.map((u) => u.name))];
}
