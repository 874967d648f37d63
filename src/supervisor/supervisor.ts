// The supervisor: apps → units (one per instance). It resolves targets, applies commands to units and, when
// asked, waits for their outcome by listening to the bus (subscribed before acting, so nothing is missed).
import type { AppSpec } from '../config/spec.js';
import { TendError } from '../protocol/errors.js';
import type { TendEvent } from '../protocol/events.js';
import type { DescribedProcess } from '../protocol/methods/process-describe.js';
import type { ProcessInfo, Status } from '../protocol/process-info.js';
import type { EventBus } from './event-bus.js';
import { policySettings } from './policy-settings.js';
import type { Clock, Inspector, OutputSinks, Spawner } from './ports.js';
import type { TriggerReason } from './trigger-tally.js';
import { ProcessUnit } from './unit.js';

export interface SupervisorDeps {
  clock: Clock;
  spawner: Spawner;
  sinks: OutputSinks;
  inspector: Inspector;
  bus: EventBus;
  home: string;
  log(line: string): void;
  /** Why a spec cannot start now (its script was deleted, say), checked before each spawn; null if it can. */
  startCheck?(spec: AppSpec): string | null;
}

/** States a unit settles in after `start`/`restart` (it either runs, or the policy has had its say). */
const SETTLED_UP: ReadonlySet<Status> = new Set(['online', 'errored', 'stopped', 'waiting-restart']);
const SETTLED_DOWN: ReadonlySet<Status> = new Set(['stopped', 'errored']);

export class Supervisor {
  private readonly units = new Map<number, ProcessUnit>();
  private nextId = 0;
  /** Told the name of an app whose units or spec changed (src/triggers attach and detach on it). */
  private readonly observers = new Set<(name: string) => void>();

  constructor(private readonly deps: SupervisorDeps) {}

  /**
   * Calls `fn` with an app's name whenever its units or spec change: added (whoever adds it: a start, a
   * scale, or the recovery of a saved list), respecified, deleted. State changes are on the bus.
   */
  observe(fn: (name: string) => void): () => void {
    this.observers.add(fn);
    return () => this.observers.delete(fn);
  }

  private changed(names: Iterable<string>): void {
    for (const name of new Set(names)) for (const fn of [...this.observers]) fn(name);
  }

  all(): ProcessUnit[] {
    return [...this.units.values()];
  }

  /** Units of the app called `name`, in instance order. */
  app(name: string): ProcessUnit[] {
    return this.all().filter((u) => u.name === name);
  }

  /** Creates the units of a new app (stopped); the caller starts them. */
  add(spec: AppSpec, firstId?: number): ProcessUnit[] {
    const created: ProcessUnit[] = [];
    for (let instance = 0; instance < spec.instances; instance++) {
      created.push(this.create(spec, instance, firstId !== undefined ? firstId + instance : this.nextId));
    }
    return created;
  }

  /** The id the next new unit gets. */
  get idCounter(): number {
    return this.nextId;
  }

  /** Ids below `next` are not given to new units (a restored list keeps the ids of deleted apps used). */
  reserveIds(next: number): void {
    this.nextId = Math.max(this.nextId, next);
  }

  /** Creates units (stopped) with chosen ids (resurrect, crash recovery); the caller checked they are free. */
  addUnits(spec: AppSpec, slots: readonly { id: number; instance: number }[]): ProcessUnit[] {
    return slots.map((slot) => this.create(spec, slot.instance, slot.id));
  }

  /** Whether a unit has this id. */
  has(id: number): boolean {
    return this.units.has(id);
  }

  /** One unit (stopped) for one instance of an app. */
  private create(spec: AppSpec, instance: number, id: number): ProcessUnit {
    this.nextId = Math.max(this.nextId, id + 1);
    // merge_logs: the instances share the app's files (the log writers keep their lines whole).
    const suffix = spec.instances > 1 && !spec.merge_logs ? `-${id}` : '';
    const outLog = withSuffix(spec.out_file, suffix);
    const errLog = withSuffix(spec.err_file, suffix);
    const logFile = spec.log_file === null ? null : withSuffix(spec.log_file, suffix);
    const sink = this.deps.sinks.open({
      id,
      name: spec.name,
      out_file: outLog,
      err_file: errLog,
      log_file: logFile,
      spec,
    });
    const unit = new ProcessUnit(id, instance, spec, outLog, errLog, {
      clock: this.deps.clock,
      spawner: this.deps.spawner,
      bus: this.deps.bus,
      sink,
      home: this.deps.home,
      log: this.deps.log,
      startCheck: this.deps.startCheck,
    });
    this.units.set(id, unit);
    this.changed([spec.name]);
    return unit;
  }

  /**
   * Sets the number of instances of an app: units for the missing instance numbers are created and started,
   * the highest instances are stopped gracefully and deleted. With wait, resolves once the new units settled.
   */
  async scale(name: string, count: number, wait: boolean): Promise<void> {
    const units = this.app(name).sort((a, b) => a.instance - b.instance);
    const first = units[0];
    if (!first) throw new TendError('TEND_ERR_TARGET_NOT_FOUND', { target: [name] });
    const spec: AppSpec = Object.freeze({ ...first.spec, instances: count });
    const kept = units.slice(0, count);
    this.respec(kept, () => spec);
    if (units.length > count) await this.delete(units.slice(count));
    const used = new Set(kept.map((u) => u.instance));
    const added: ProcessUnit[] = [];
    for (let instance = 0; used.size + added.length < count; instance++) {
      if (!used.has(instance)) added.push(this.create(spec, instance, this.nextId));
    }
    await this.start(added, wait);
  }

  /** `all`, numeric ids, names and namespaces; every token must match something. */
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

  private match(token: string): ProcessUnit[] {
    if (token === 'all') return this.all();
    if (/^\d+$/.test(token)) {
      const u = this.units.get(Number(token));
      return u ? [u] : [];
    }
    const byName = this.all().filter((u) => u.name === token);
    return byName.length > 0 ? byName : this.all().filter((u) => u.spec.namespace === token);
  }

  async start(units: readonly ProcessUnit[], wait: boolean): Promise<void> {
    await this.act(units, (u) => u.dispatch({ type: 'start' }), wait ? SETTLED_UP : null);
  }

  /** With a reason (a trigger's), each unit counts, records and logs it first (ProcessUnit.noteTrigger). */
  async restart(
    units: readonly ProcessUnit[],
    wait: boolean,
    reason?: { trigger: TriggerReason; detail: string },
  ): Promise<void> {
    if (reason) for (const u of units) u.noteTrigger(reason.trigger, reason.detail);
    const event = reason
      ? { type: 'restart' as const, trigger: reason.trigger }
      : { type: 'restart' as const };
    await this.act(units, (u) => u.dispatch(event), wait ? SETTLED_UP : null);
  }

  async stop(units: readonly ProcessUnit[], wait: boolean): Promise<void> {
    await this.act(units, (u) => u.dispatch({ type: 'stop' }), wait ? SETTLED_DOWN : null);
  }

  /** Stops (always waiting: a deleted process must not outlive its entry) and forgets. */
  async delete(units: readonly ProcessUnit[]): Promise<ProcessInfo[]> {
    await this.stop(units, true);
    const infos = units.map((u) => u.info());
    for (const u of units) {
      this.units.delete(u.id);
      await u.close();
      this.deps.bus.publish('process.deleted', { id: u.id, name: u.name });
    }
    this.changed(units.map((u) => u.name));
    return infos;
  }

  /** Replaces the spec of every unit of an app (restart --update-env); takes effect at the next spawn. */
  respec(units: readonly ProcessUnit[], update: (spec: AppSpec) => AppSpec): void {
    const bySpec = new Map<AppSpec, AppSpec>();
    for (const u of units) {
      let next = bySpec.get(u.spec);
      if (!next) {
        next = update(u.spec);
        bySpec.set(u.spec, next);
      }
      u.spec = next;
    }
    this.changed(units.map((u) => u.name));
  }

  /**
   * Applies `action` to each unit and, with `until`, resolves once every unit's status is in it. The bus is
   * subscribed before acting: a unit may settle synchronously, or before the caller's await resumes.
   */
  private act(
    units: readonly ProcessUnit[],
    action: (u: ProcessUnit) => void,
    until: ReadonlySet<Status> | null,
  ) {
    if (!until) {
      units.forEach(action);
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const pending = new Set(units.map((u) => u.id));
      // Acting on one unit publishes events: a unit not acted on yet (still stopped, which is "settled" for a
      // start) must not be judged before its turn.
      let acting = true;
      const check = () => {
        if (acting) return;
        for (const id of pending) {
          const u = this.units.get(id);
          if (!u || until.has(u.status)) pending.delete(id);
        }
        if (pending.size === 0) {
          off();
          resolve();
        }
      };
      // Between the action and settling, a unit passes through other states (online → stopping →
      // launching → online for a restart), so wait for a state event after acting, then check.
      const off = this.deps.bus.subscribe((e: TendEvent) => {
        if (e.event === 'process.state' || e.event === 'process.deleted') check();
      });
      units.forEach(action);
      acting = false;
      check();
    });
  }

  list(): ProcessInfo[] {
    const units = this.all();
    const pids = units.map((u) => u.pid).filter((p): p is number => p !== null);
    const usage = pids.length > 0 ? this.deps.inspector.sample(pids) : new Map();
    return units.map((u) => u.info(u.pid === null ? undefined : usage.get(u.pid)));
  }

  describe(units: readonly ProcessUnit[]): DescribedProcess[] {
    const infos = new Map(this.list().map((p) => [p.id, p]));
    return units.map((u) => ({
      process: infos.get(u.id) ?? u.info(),
      config: { ...u.spec },
      notes: [...u.spec.notes],
      restart_history: u.restartHistory(),
      recent_stderr: u.recentStderr(),
      last_exits: u.lastExits(),
      logs: { out: u.outLog, err: u.errLog, combined: u.spec.log_file },
      policies: policySettings(u.spec),
    }));
  }

  async close(): Promise<void> {
    await this.stop(this.all(), true);
    for (const u of this.all()) await u.close();
  }
}

function withSuffix(file: string, suffix: string): string {
  if (!suffix || file === '/dev/null') return file;
  const dot = file.lastIndexOf('.');
  const slash = file.lastIndexOf('/');
  return dot > slash ? `${file.slice(0, dot)}${suffix}${file.slice(dot)}` : `${file}${suffix}`;
}
