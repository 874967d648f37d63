// An app: one frozen spec, its instances (units), its wanted state, the policies attached to it, and the one
// queue its operations run in. Units only run instances: they read the spec from their app, so a respec
// (--update-env, restart of a changed file, scale) is one assignment, seen by every instance at its next spawn,
// and the saved list has exactly one entry per app whatever happened to its instances.
import type { AppSpec } from '../config/spec.js';
import { AppTally } from './app-tally.js';
import type { ProcessUnit } from './unit.js';

/** The instances (ids) a stop or delete came for: a set of ids, or EVERY_INSTANCE of its app. */
export type Preempt = Pick<ReadonlySet<number>, 'has'>;

/**
 * A stop or delete of a whole app: it is for the instances the app has when it runs, those a `tend scale`
 * queued before it adds included (verification of the ninth audit: `scale wr 3` then `stop wr` left two
 * instances launching after the stop had answered).
 */
export const EVERY_INSTANCE: Preempt = { has: () => true };

/**
 * What a waiting operation gives up when another comes (App.onSupersede): `preempt`, the instances a stop
 * came for (null: the other operation stops none). Says whether it held an instance waiting with no deadline.
 */
export type GiveUp = (preempt: Preempt | null) => boolean;

/** Something attached to an app for its life (the restart triggers now; probes and dependencies next). */
export interface AppPolicy {
  close(): Promise<void>;
}

export class App {
  private current: AppSpec;
  private readonly byId = new Map<number, ProcessUnit>();
  /** The tail of the app's operation queue (see enqueue). */
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;
  /** The instances of the operations queued that stop them (stop, delete), not running yet (enqueue). */
  private readonly stopsQueued: Preempt[] = [];
  /**
   * What the running operation waits for, and gives up when another comes (enqueue): a wait with no
   * deadline; with `preempt` (the instances a stop came for), a wait for those with a deadline too.
   */
  private readonly openWaits = new Set<GiveUp>();
  /** Policies by kind ('triggers', …): the policy services keep their state here, never in a unit. */
  readonly policies = new Map<string, AppPolicy>();
  /** Restarts, reloads and output since the app was added: its metrics' counters (app-tally.ts). */
  readonly tally = new AppTally();

  constructor(spec: AppSpec) {
    this.current = spec;
  }

  get name(): string {
    return this.current.name;
  }

  get spec(): AppSpec {
    return this.current;
  }

  /** Replaces the spec of every instance; each running process keeps what it was started with. */
  respec(spec: AppSpec): void {
    if (spec.name !== this.current.name) throw new Error(`respec of ${this.name} to ${spec.name}`);
    this.current = spec;
  }

  /** The instances, in instance order. */
  units(): ProcessUnit[] {
    return [...this.byId.values()].sort((a, b) => a.instance - b.instance);
  }

  has(unit: ProcessUnit): boolean {
    return this.byId.get(unit.id) === unit;
  }

  adopt(unit: ProcessUnit): void {
    this.byId.set(unit.id, unit);
  }

  forget(unit: ProcessUnit): void {
    if (this.has(unit)) this.byId.delete(unit.id);
  }

  get size(): number {
    return this.byId.size;
  }

  /** The app is wanted up when any instance is (a pending restart counts as up). */
  get wanted(): 'up' | 'down' {
    return this.units().some((u) => u.wanted === 'up') ? 'up' : 'down';
  }

  /** Operations waiting or running in the queue (0 when idle). */
  get pending(): number {
    return this.queued;
  }

  /**
   * Runs `op` after every operation enqueued before it has finished, failed or not. Every operation on an app
   * (start, stop, restart, reload, scale, delete, respec, a trigger's restart) goes through here, so commands
   * racing on one app end in the state of the order they arrived in; each waits for its own outcome only.
   * An operation never enqueues another on the same app (it would wait for itself).
   */
  enqueue<T>(op: () => Promise<T> | T, opts: { stops?: Preempt } = {}): Promise<T> {
    // A wait with no deadline (an instance waiting for readiness, supervisor.ts) holds the queue only until
    // another operation comes: without that, a release that never became ready held every later command
    // on the app (stop, delete, reload) for ever (eighth audit). An operation that stops instances (`stops`,
    // their ids) ends a wait for those with a deadline too: `tend stop` waited out a start's listen_timeout
    // (ninth audit: 30 s behind a wait_ready start, an hour with listen_timeout '1h'); the start ends there.
    const stops = opts.stops ?? null;
    if (this.queued > 0) this.supersede(stops);
    // An idle app acts at once, in the caller's turn (a stop is signalled before enqueue returns, as a
    // direct call would); a busy one acts after what is queued.
    let started: Promise<T>;
    if (this.queued === 0) started = now(op);
    else {
      if (stops) this.stopsQueued.push(stops);
      const run = () => {
        if (stops) this.stopsQueued.splice(this.stopsQueued.indexOf(stops), 1);
        return op();
      };
      started = this.tail.then(run, run);
    }
    this.queued += 1;
    const run = started.finally(() => {
      this.queued -= 1;
    });
    this.tail = run.catch(() => {});
    return run;
  }

  /**
   * Registers what the running operation gives up when another comes (`giveUp` says whether it held an
   * instance that waits with no deadline); returns the unregistering.
   */
  onSupersede(giveUp: GiveUp): () => void {
    // Another operation already queued behind this one (it came while an earlier one ran, whose waits it
    // ended): this wait is superseded from the start (ninth audit: reload, reload, stop: the stop waited for
    // ever behind the second reload). Registered all the same: a wait with a deadline goes on, and a stop
    // that comes later preempts it. `queued` counts the running operation itself, but not an idle app's
    // first one (enqueue runs it in the caller's turn, before counting it), which has nothing behind it then.
    this.openWaits.add(giveUp);
    if (this.queued > 1) giveUp(this.queuedStops());
    return () => this.openWaits.delete(giveUp);
  }

  /**
   * The running operation's open-ended waits end now (another operation, or a second SIGHUP, came): how many
   * held an instance waiting with no deadline.
   */
  supersede(preempt: Preempt | null = null): number {
    // Every wait is told, and stays registered until it ends on its own (act-and-settle.ts unregisters it):
    // one with a deadline goes on when no stop came for its instances, and a later stop must still find it
    // (verification of the ninth audit: start, restart, stop: the stop waited out the start's deadline).
    let held = 0;
    for (const giveUp of [...this.openWaits]) if (giveUp(preempt)) held += 1;
    return held;
  }

  /** The instances the stops queued (not running yet) are for, or null: none. */
  private queuedStops(): Preempt | null {
    if (this.stopsQueued.length === 0) return null;
    const stops = [...this.stopsQueued];
    return { has: (id) => stops.some((s) => s.has(id)) };
  }

  /** Closes every attached policy (the app is deleted, or the daemon stops). */
  async closePolicies(): Promise<void> {
    const all = [...this.policies.values()];
    this.policies.clear();
    await Promise.all(all.map((p) => p.close()));
  }
}

/** Runs op in this turn; its outcome (or what it threw) as a promise. */
function now<T>(op: () => Promise<T> | T): Promise<T> {
  try {
    return Promise.resolve(op());
  } catch (err) {
    return Promise.reject(err);
  }
}
