// The supervisor: apps and their instances. It resolves targets to instances, runs every operation on an app
// in that app's queue (app.ts), and, when asked, waits for the outcome by listening to the bus (subscribed
// before acting, so nothing is missed). Nothing outside supervisor/ dispatches to a unit.
import { redactNotify } from '../config/notify-redact.js';
import type { AppSpec } from '../config/spec.js';
import { readyDeadline, readySources } from '../health/readiness.js';
import { TendError } from '../protocol/errors.js';
import type { DescribedProcess } from '../protocol/methods/process-describe.js';
import type { ProcessInfo, Status } from '../protocol/process-info.js';
import { actAndSettle } from './act-and-settle.js';
import { App, EVERY_INSTANCE } from './app.js';
import type { EventBus } from './event-bus.js';
import { instanceLogs, type LogNaming } from './instance-logs.js';
import { policySettings } from './policy-settings.js';
import type { Clock, Inspector, OpenProbes, OutputSinks, Spawner, StartCheck } from './ports.js';
import { type ReloadReport, rollingReload } from './rolling-reload.js';
import type { TriggerReason } from './trigger-tally.js';
import { ProcessUnit } from './unit.js';

export type { ReloadReport } from './rolling-reload.js';

export interface SupervisorDeps {
  clock: Clock;
  spawner: Spawner;
  sinks: OutputSinks;
  inspector: Inspector;
  bus: EventBus;
  /**
   * TEND_HOME told to the apps (the tag a daemon's crash recovery finds its processes by), or null: none.
   * tend-runtime without its control socket does not hold the home: a daemon of that home, recovering from a
   * crash, would take its apps for its own leftovers.
   */
  home: string | null;
  log(line: string): void;
  startCheck?: StartCheck;
  /** Runs the apps' probes (health/ in the daemon); absent: probes are not run. */
  openProbes?: OpenProbes;
  /** Issue 17: PM2's names for the instances' log files in a PM2 home (supervisor/instance-logs.ts). */
  logNaming?: LogNaming;
  /**
   * Why an app with autorestart off is not restarted, as its memory limit's reason says: "autorestart off"
   * when absent. tend-runtime's orchestrator mode turns every app's off: it says so (ninth audit: the user
   * had written no autorestart).
   */
  noRestartWhy?(name: string): string;
}

/** No app named as a whole: a stop or delete of instances by id. */
const NONE: ReadonlySet<string> = new Set();

/** A trigger's restart (watch, memory limit, cron): counted and recorded apart from a user's. */
export interface TriggerCause {
  trigger: TriggerReason;
  detail: string;
}

/** One instance to create with a chosen id (resurrect, crash recovery), and what it keeps of its past. */
export interface InstanceSlot {
  id: number;
  instance: number;
  restarts?: number;
}

/** Runs `stop` on each app in some order (the dependency service's: dependents first). */
export type StopOrder = (apps: readonly App[], stop: (app: App) => Promise<void>) => Promise<void>;

/** States a unit settles in after `start`/`restart` (it either runs, or the policy has had its say). */
const SETTLED_UP: ReadonlySet<Status> = new Set([
  'online',
  'errored',
  'stopped',
  'waiting-restart',
  'blocked',
]);
/**
 * An instance whose wait for readiness has no deadline (a readiness probe alone, listen_timeout not written:
 * health/readiness.ts): it may never be ready. A command waiting for it holds the app's queue only until
 * another command on the app comes (App.enqueue), or tend-runtime's second SIGHUP (eighth audit: after a
 * release that never became ready, `tend stop`, `tend reload` and every later SIGHUP waited for ever). The
 * instance keeps waiting for readiness.
 */
function openEnded(u: ProcessUnit): boolean {
  return u.status === 'launching' && readyDeadline(u.spec) === null && !u.health.isReady;
}

const SETTLED_DOWN: ReadonlySet<Status> = new Set(['stopped', 'errored', 'blocked']);
/** An instance ended for a failure settles where the policy puts it: stopped, errored, or due to restart. */
const SETTLED_DOWN_OR_RESTARTING: ReadonlySet<Status> = new Set([...SETTLED_DOWN, 'waiting-restart']);

export class Supervisor {
  private readonly byName = new Map<string, App>();
  private readonly byId = new Map<number, ProcessUnit>();
  private nextId = 0;
  /** Told the name of an app whose instances or spec changed (src/triggers attach and detach on it). */
  private readonly observers = new Set<(name: string) => void>();
  private stopOrder: StopOrder | null = null;
  /**
   * close() has begun: nothing starts again. A rolling reload or a start queued or under way when the
   * shutdown came would otherwise bring back the processes the shutdown stops (tend-runtime, SIGTERM during
   * a reload: workers restarted for the whole grace period).
   */
  private closing = false;

  constructor(private readonly deps: SupervisorDeps) {}

  /**
   * Calls `fn` with an app's name whenever its instances or spec change: added (whoever adds it: a start, a
   * scale, or the recovery of a saved list), respecified, deleted. State changes are on the bus.
   */
  observe(fn: (name: string) => void): () => void {
    this.observers.add(fn);
    return () => this.observers.delete(fn);
  }

  private changed(names: Iterable<string>): void {
    for (const name of new Set(names)) for (const fn of [...this.observers]) fn(name);
  }

  /** Every app, in order of their first instance's id. */
  apps(): App[] {
    return [...this.byName.values()].sort((a, b) => firstId(a) - firstId(b));
  }

  app(name: string): App | undefined {
    return this.byName.get(name);
  }

  /** Every instance of every app, by id. */
  instances(): ProcessUnit[] {
    return [...this.byId.values()].sort((a, b) => a.id - b.id);
  }

  /** Whether an instance has this id. */
  has(id: number): boolean {
    return this.byId.has(id);
  }

  /** The id the next new instance gets. */
  get idCounter(): number {
    return this.nextId;
  }

  /** Ids below `next` are not given to new instances (a restored list keeps the ids of deleted apps used). */
  reserveIds(next: number): void {
    this.nextId = Math.max(this.nextId, next);
  }

  /**
   * Creates a new app and its instances (stopped; the caller starts them): one per instance with new ids, or
   * the given slots (ids the caller checked are free). An app of that name must not exist.
   */
  add(spec: AppSpec, slots?: readonly InstanceSlot[]): ProcessUnit[] {
    if (this.byName.has(spec.name)) throw new Error(`app ${spec.name} exists`);
    const app = new App(spec);
    this.byName.set(spec.name, app);
    const wanted: readonly InstanceSlot[] =
      slots ?? Array.from({ length: spec.instances }, (_, instance) => ({ id: -1, instance }));
    const created = wanted.map((s) =>
      this.create(app, s.instance, s.id < 0 ? this.nextId : s.id, s.restarts),
    );
    this.changed([spec.name]);
    return created;
  }

  /** One instance (stopped) of an app. */
  private create(app: App, instance: number, id: number, restarts = 0): ProcessUnit {
    this.nextId = Math.max(this.nextId, id + 1);
    const { spec } = app;
    const { out_file: outLog, err_file: errLog, log_file } = instanceLogs(spec, id, this.deps.logNaming);
    const sink = this.deps.sinks.open({
      id,
      name: spec.name,
      out_file: outLog,
      err_file: errLog,
      log_file,
      spec,
      counts: app.tally.logs,
    });
    const unit = new ProcessUnit(id, instance, app, outLog, errLog, {
      clock: this.deps.clock,
      spawner: this.deps.spawner,
      bus: this.deps.bus,
      sink,
      home: this.deps.home,
      log: this.deps.log,
      startCheck: this.deps.startCheck,
      openProbes: this.deps.openProbes,
    });
    if (restarts > 0) unit.restoreRestarts(restarts);
    app.adopt(unit);
    this.byId.set(id, unit);
    return unit;
  }

  /** `all`, numeric ids, app names and namespaces; every token must match something. */
  resolve(target: readonly string[]): ProcessUnit[] {
    const found = new Map<number, ProcessUnit>();
    const missing: string[] = [];
    for (const token of target) {
      const matches = this.match(token);
      if (matches.length === 0) missing.push(token);
      for (const u of matches) found.set(u.id, u);
    }
    if (missing.length > 0) throw new TendError('TEND_ERR_TARGET_NOT_FOUND', { target: missing });
    return [...found.values()].sort((a, b) => a.id - b.id);
  }

  /** The apps `target` names as apps (a name, a namespace, `all`), not by instance ids. */
  wholeApps(target: readonly string[]): Set<string> {
    const names = new Set<string>();
    for (const token of target)
      if (!/^\d+$/.test(token)) for (const u of this.match(token)) names.add(u.app.name);
    return names;
  }

  private match(token: string): ProcessUnit[] {
    if (token === 'all') return this.instances();
    if (/^\d+$/.test(token)) {
      const u = this.byId.get(Number(token));
      return u ? [u] : [];
    }
    const app = this.byName.get(token);
    if (app) return app.units();
    return this.instances().filter((u) => u.spec.namespace === token);
  }

  start(units: readonly ProcessUnit[], wait: boolean): Promise<void> {
    return this.perApp(units, async (us) => {
      if (!this.closing)
        await this.act(
          us,
          (u) => u.dispatch({ type: 'start' }),
          wait && SETTLED_UP,
          (u) => this.notReadyYet(u),
        );
    });
  }

  /**
   * Puts instances in `waiting` (their dependencies are not there yet: deps/), or refreshes the reason of
   * those waiting. Immediate, like a state read: the dependency service calls it inside its own operation.
   */
  hold(units: readonly ProcessUnit[], reason: string): void {
    for (const u of units) u.dispatch({ type: 'wait', reason });
  }

  /** Waiting instances whose dependency failed or timed out: `blocked`, with the reason. */
  block(units: readonly ProcessUnit[], reason: string): void {
    for (const u of units) u.dispatch({ type: 'block', reason });
  }

  /** With a cause (a trigger's), each instance counts, records and logs it first (ProcessUnit.noteTrigger). */
  restart(units: readonly ProcessUnit[], wait: boolean, cause?: TriggerCause): Promise<void> {
    return this.perApp(units, (us) => this.restartNow(us, wait, cause));
  }

  private restartNow(
    units: readonly ProcessUnit[],
    wait: boolean,
    cause?: TriggerCause,
    reason?: 'reload',
  ): Promise<void> {
    if (this.closing) return Promise.resolve();
    if (cause) for (const u of units) u.noteTrigger(cause.trigger, cause.detail);
    const event = cause
      ? { type: 'restart' as const, trigger: cause.trigger }
      : { type: 'restart' as const, ...(reason ? { reason } : {}) };
    return this.act(
      units,
      (u) => u.dispatch(event),
      wait && SETTLED_UP,
      reason === 'reload' ? undefined : (u) => this.notReadyYet(u),
    );
  }

  /**
   * `whole`: the apps the command named (by name, namespace, `all`): their stop takes the instances each has
   * when it runs, those a scale queued before it adds included (perApp).
   */
  stop(units: readonly ProcessUnit[], wait: boolean, whole: ReadonlySet<string> = NONE): Promise<void> {
    return this.perApp(units, (us) => this.stopNow(us, wait), { stops: true, whole });
  }

  private stopNow(units: readonly ProcessUnit[], wait: boolean): Promise<void> {
    return this.act(units, (u) => u.dispatch({ type: 'stop' }), wait && SETTLED_DOWN);
  }

  /**
   * Rolling reload (rolling-reload.ts), one app after the other in each app's queue. The first failed
   * replacement ends the reload of its app; the report names it (and the others' outcomes).
   */
  async reload(units: readonly ProcessUnit[], cause?: TriggerCause): Promise<ReloadReport> {
    const report: ReloadReport = { failed: null, reloaded: [], skipped: [] };
    await this.perApp(units, async (us) => {
      if (this.closing) return;
      // The memory limit of an app that is not restarted (autorestart off, as every app is under
      // tend-runtime's orchestrator mode): its instances end, as after a liveness failure (sixth audit: a
      // one-shot was re-run in place forever).
      if (cause?.trigger === 'memory' && us[0]?.spec.autorestart === false) {
        const why = this.deps.noRestartWhy?.(us[0].name) ?? 'autorestart off';
        await this.act(us, (u) => u.exceededMemory(cause.detail, why), SETTLED_DOWN_OR_RESTARTING);
        return;
      }
      // Fork instances are restarted with the cause (noted there); cluster workers note it here.
      const isFork = (u: ProcessUnit) => u.spec.exec_mode !== 'cluster';
      if (cause) for (const u of us) if (!isFork(u)) u.noteTrigger(cause.trigger, cause.detail);
      if (this.closing) return;
      const one = await rollingReload(
        us,
        this.deps.bus,
        (some) => this.restartNow(some, true, some.every(isFork) ? cause : undefined, 'reload'),
        () => this.closing,
        (unit, preempted) =>
          unit.app.onSupersede((preempt) => {
            if (preempt?.has(unit.id)) preempted();
            return false;
          }),
      );
      // The app's metrics (issue 14): one reload of this app, and how it ended.
      const app = us[0]?.app;
      if (app) app.tally.reloads[one.failed ? 'failed' : 'success'] += 1;
      report.reloaded.push(...one.reloaded);
      report.skipped.push(...one.skipped);
      report.failed ??= one.failed;
    });
    return report;
  }

  /** Stops (always waiting: a deleted process must not outlive its entry) and forgets. */
  async delete(units: readonly ProcessUnit[], whole: ReadonlySet<string> = NONE): Promise<ProcessInfo[]> {
    const infos: ProcessInfo[] = [];
    await this.perApp(units, async (us) => infos.push(...(await this.deleteNow(us))), {
      stops: true,
      whole,
    });
    return infos.sort((a, b) => a.id - b.id);
  }

  private async deleteNow(units: readonly ProcessUnit[]): Promise<ProcessInfo[]> {
    await this.stopNow(units, true);
    const infos = units.map((u) => u.info());
    const names = new Set<string>();
    for (const u of units) {
      const { app } = u;
      app.forget(u);
      this.byId.delete(u.id);
      await u.close();
      this.deps.bus.publish('process.deleted', { id: u.id, name: u.name });
      if (app.size === 0 && this.byName.get(app.name) === app) {
        this.byName.delete(app.name);
        await app.closePolicies();
      }
      names.add(app.name);
    }
    this.changed(names);
    return infos;
  }

  /**
   * Sets the number of instances of an app: instances for the missing instance numbers are created and
   * started, the highest are stopped gracefully and deleted. With wait, resolves once the new ones settled.
   */
  scale(name: string, count: number, wait: boolean): Promise<void> {
    const app = this.byName.get(name);
    if (!app) throw new TendError('TEND_ERR_TARGET_NOT_FOUND', { target: [name] });
    return app.enqueue(async () => {
      if (this.byName.get(name) !== app) throw new TendError('TEND_ERR_TARGET_NOT_FOUND', { target: [name] });
      const units = app.units();
      app.respec(Object.freeze({ ...app.spec, instances: count }));
      this.changed([name]);
      if (units.length > count) await this.deleteNow(units.slice(count));
      const used = new Set(app.units().map((u) => u.instance));
      const added: ProcessUnit[] = [];
      for (let instance = 0; used.size + added.length < count; instance++) {
        if (!used.has(instance)) added.push(this.create(app, instance, this.nextId));
      }
      if (added.length > 0) this.changed([name]);
      if (!this.closing) await this.act(added, (u) => u.dispatch({ type: 'start' }), wait && SETTLED_UP);
    });
  }

  /**
   * Gives the apps of these instances a new spec (restart --update-env, restart of a changed file); every
   * instance of the app takes it at its next spawn. Immediate, not queued: it changes what the next spawn
   * runs, and the operation that follows (restart, reload) is queued behind what was already asked.
   */
  respec(units: readonly ProcessUnit[], update: (spec: AppSpec) => AppSpec): void {
    const apps = new Set(units.map((u) => u.app));
    for (const app of apps) app.respec(update(app.spec));
    this.changed([...apps].map((a) => a.name));
  }

  /**
   * Stops every instance now, outside the queues (`tend kill`, shutdown, `tend update`): whatever is queued
   * or running on an app settles on its own once its instances are stopped.
   */
  stopAll(): Promise<void> {
    // Every instance wanted down first, the stop signals then in order: an app waiting for its turn (its
    // dependents still stopping) that ends meanwhile, killed at a grace period's end or crashing, must not
    // be restarted by its policy (sixth audit: a process spawned after the runtime's SIGKILLs outlived it).
    for (const u of this.instances()) u.dispatch({ type: 'shutdown' });
    const order = this.stopOrder;
    if (!order) return this.stopNow(this.instances(), true);
    return order(this.apps(), (app) => this.stopNow(app.units(), true));
  }

  /** deps/: the order stopAll stops apps in (each app once its dependents are stopped). */
  orderStops(order: StopOrder): void {
    this.stopOrder = order;
  }

  /**
   * Runs `op` on each app's share of `units`, in that app's queue; resolves when every app's share is done.
   * An instance deleted while the operation waited is left out; if none is left at all, the target is gone.
   */
  private async perApp(
    units: readonly ProcessUnit[],
    op: (units: readonly ProcessUnit[]) => Promise<unknown>,
    /** The operation stops its instances (stop, delete): it ends a start's wait for them, deadline or not. */
    opts: { stops?: boolean; whole?: ReadonlySet<string> } = {},
  ): Promise<void> {
    const byApp = new Map<App, ProcessUnit[]>();
    for (const u of units) byApp.set(u.app, [...(byApp.get(u.app) ?? []), u]);
    let alive = 0;
    const runs = [...byApp].map(([app, us]) => {
      // A stop or delete of an app the command named (not of instances by id) takes the instances the app
      // has when it runs (EVERY_INSTANCE): a scale queued before it cannot leave some running.
      const whole = opts.stops === true && (opts.whole?.has(app.name) ?? false);
      return app.enqueue(
        async () => {
          const present = whole
            ? app.units().filter((u) => this.byId.get(u.id) === u)
            : us.filter((u) => app.has(u) && this.byId.get(u.id) === u);
          alive += present.length;
          if (present.length > 0) await op(present);
        },
        opts.stops ? { stops: whole ? EVERY_INSTANCE : new Set(us.map((u) => u.id)) } : {},
      );
    });
    await Promise.all(runs);
    if (units.length > 0 && alive === 0)
      throw new TendError('TEND_ERR_TARGET_NOT_FOUND', {
        target: [...new Set(units.map((u) => String(u.id)))],
      });
  }

  /** Applies `action` to each unit and, with `until`, resolves once every one is there (act-and-settle.ts). */
  private act(
    units: readonly ProcessUnit[],
    action: (u: ProcessUnit) => void,
    until: ReadonlySet<Status> | false,
    settled?: (u: ProcessUnit) => boolean,
  ): Promise<void> {
    const apps = [...new Set(units.map((u) => u.app))];
    return actAndSettle(this.deps.bus, units, action, until, (id) => this.byId.get(id), {
      openEnded,
      ...(settled ? { settled } : {}),
      superseded: (giveUp) => {
        const offs = apps.map((a) => a.onSupersede(giveUp));
        return () => {
          for (const off of offs) off();
        };
      },
    });
  }

  /**
   * A start or restart also settles on an instance with no ready deadline once its readiness probe has
   * failed its failure threshold (not ready yet; the reply says so, and it goes on waiting for readiness):
   * `tend start` of a release whose probe never passes waited in silence for ever (eighth audit). And on an
   * instance waiting for a dependency that is so, directly or through its own wait (with `timeout_seconds`
   * 0 it waits as long as that one tries: the verification of the eighth audit found `tend start` of a
   * dependent hanging the same way). A reload does not: its gate waits until ready or the next command.
   */
  notReadyYet(u: ProcessUnit, seen: Set<string> = new Set()): boolean {
    if (u.status === 'launching') return openEnded(u) && u.health.readinessFailing;
    if (u.status !== 'waiting' || seen.has(u.name)) return false;
    seen.add(u.name);
    return u.spec.depends_on.some(
      (d) =>
        d.condition !== 'process_started' &&
        (this.byName.get(d.name)?.units() ?? []).some((i) => this.notReadyYet(i, seen)),
    );
  }

  /** Some instance of app `name` is notReadyYet (the dependency service's stalled waits). */
  appNotReadyYet(name: string): boolean {
    return (this.byName.get(name)?.units() ?? []).some((u) => this.notReadyYet(u));
  }

  /**
   * The operations under way stop waiting for instances with no ready deadline (tend-runtime's SIGHUP during
   * a reload that waits so); how many waits were given up.
   */
  supersedeOpenWaits(): number {
    let n = 0;
    for (const app of this.byName.values()) n += app.supersede();
    return n;
  }

  list(): ProcessInfo[] {
    const units = this.instances();
    const pids = units.map((u) => u.pid).filter((p): p is number => p !== null);
    const usage = pids.length > 0 ? this.deps.inspector.sample(pids) : new Map();
    return units.map((u) => u.info(u.pid === null ? undefined : usage.get(u.pid)));
  }

  describe(units: readonly ProcessUnit[]): DescribedProcess[] {
    const infos = new Map(this.list().map((p) => [p.id, p]));
    return units.map((u) => ({
      process: infos.get(u.id) ?? u.info(),
      // notify's secrets (a webhook's secret, tokens in its URL) are never shown (issue 14).
      config: { ...u.spec, notify: redactNotify(u.spec.notify) },
      notes: [...u.spec.notes],
      restart_history: u.restartHistory(),
      recent_stderr: u.recentStderr(),
      last_exits: u.lastExits(),
      logs: { out: u.outLog, err: u.errLog, combined: u.spec.log_file },
      readiness: {
        sources: readySources(u.spec),
        deadline_ms: readyDeadline(u.spec),
        notify_status: u.health.statusText,
        last_probe: u.health.lastProbe,
      },
      policies: policySettings(u.spec),
    }));
  }

  /**
   * A shutdown has begun, its stop maybe later (tend-runtime's --shutdown-delay): nothing starts or restarts
   * from now on. Every instance is wanted down, and one that ends meanwhile stays stopped (completed, with its
   * exit code: a failure of its own). close() stops them.
   */
  beginShutdown(): void {
    this.closing = true;
    for (const u of this.instances()) u.dispatch({ type: 'shutdown' });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.stopAll();
    for (const app of this.byName.values()) await app.closePolicies();
    for (const u of this.instances()) await u.close();
  }
}

function firstId(app: App): number {
  return app.units()[0]?.id ?? Number.MAX_SAFE_INTEGER;
}
