// One app waiting for its dependencies before its instances launch. It lives on the App (`app.policies`,
// key 'deps'), so a deleted app ends it. It holds the instances (`waiting`, with a reason kept current once a
// second on the injected clock), re-judges its dependencies on every bus event about them (no polling), and
// ends in one of three ways: every condition met → it starts the instances; a required dependency failed or
// timed out → `blocked`; the operator moved the instances out of `waiting` (stop, restart, delete) → it lets go.
// A bind wait (a bound dependency went down) is `persistent`: blocked, it keeps watching, and starts the app
// again once the dependency is back.
import type { DependencySpec } from '../config/spec.js';
import type { App, AppPolicy } from '../supervisor/app.js';
import type { Clock, Timer } from '../supervisor/ports.js';
import type { ProcessUnit } from '../supervisor/unit.js';
import { type InstanceView, judge, seconds, timeoutReason, waitingReason } from './conditions.js';

export const HELD_STATUSES: ReadonlySet<string> = new Set(['waiting', 'blocked']);

export type WaitOutcome = { kind: 'started' } | { kind: 'blocked'; reason: string } | { kind: 'cancelled' };

/** What a wait needs from the service beside the supervisor. */
export interface WaitContext {
  clock: Clock;
  hold(units: readonly ProcessUnit[], reason: string): Promise<void>;
  block(units: readonly ProcessUnit[], reason: string): Promise<void>;
  /** Starts the units; the service tracks the start as in flight until it settles. */
  launch(app: App, units: readonly ProcessUnit[], wait: boolean): Promise<void>;
  /** The instances of app `name` as conditions read them, or null: there is no such app. */
  view(name: string): InstanceView[] | null;
  /** The service is starting app `name` right now: what it shows (stopped, errored) is not a failure yet. */
  inFlight(name: string): boolean;
  /**
   * App `name` is not ready yet and has no deadline to be (a readiness probe alone that has failed its
   * threshold, or waiting for such an app): a wait for it may last for ever (supervisor.ts, notReadyYet).
   */
  stalled(name: string): boolean;
  /**
   * App `name` is in a reload that has not reached it yet: what it shows now is the old code, so a condition
   * it meets is not met yet (ninth audit: a SIGHUP during start-up started a dependent, and a one-shot
   * migration, against the old dependency, which the reload then restarted under them).
   */
  reloading(name: string): boolean;
  log(line: string): void;
}

export interface WaitOptions {
  /** A bind wait: blocked, it keeps watching, and starts the app once its dependencies are back. */
  persistent: boolean;
  /** Before every reason (`dependency_down: ` for a bind wait). */
  prefix: string;
  /** Whether the start at the end waits for the instances to settle. */
  wait: boolean;
}

export const DEPS_POLICY = 'deps';

export class DependencyWait implements AppPolicy {
  /** The `depends_on` entries still waited for (an optional one that failed is dropped, with a note). */
  private edges: DependencySpec[];
  private readonly units = new Set<ProcessUnit>();
  private since: number;
  private phase: 'new' | 'waiting' | 'blocked' | 'starting' | 'done' = 'new';
  /** The units were put in `waiting` (before that, their status says nothing about the operator). */
  private held = false;
  private readonly timers: Timer[] = [];
  private refresh: Timer | null = null;
  private listeners: ((o: WaitOutcome) => void)[] = [];
  private stallListeners: (() => void)[] = [];
  private reason = '';
  /** The dependency whose timeout blocked this wait, if one did. */
  private timedOutOn: DependencySpec | null = null;
  /** Coded warnings for the command that started the wait (optional dependencies given up on). */
  readonly notes: string[] = [];

  constructor(
    readonly app: App,
    units: readonly ProcessUnit[],
    private readonly ctx: WaitContext,
    readonly opts: WaitOptions,
    edges: readonly DependencySpec[] = app.spec.depends_on,
  ) {
    this.edges = [...edges];
    for (const u of units) this.units.add(u);
    this.since = ctx.clock.now();
  }

  /** Whether an event about app `name` may change this wait. */
  concerns(name: string): boolean {
    return name === this.app.name || this.edges.some((e) => e.name === name);
  }

  get done(): boolean {
    return this.phase === 'done';
  }

  /** The next outcome: started (and settled, with wait), blocked, or let go. */
  outcome(): Promise<WaitOutcome> {
    if (this.phase === 'done') return Promise.resolve({ kind: 'cancelled' });
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  /**
   * Resolves once a pending dependency is stalled (not ready, with no deadline: see WaitContext.stalled): the
   * command that started this wait stops waiting for it there (the wait goes on); never when it ends first.
   * Verification of the eighth audit: `tend start` of an app depending on one whose probe never passes
   * waited in silence for ever.
   */
  stalledOn(): Promise<void> {
    return new Promise((resolve) => this.stallListeners.push(resolve));
  }

  private noteStall(pending: readonly DependencySpec[]): void {
    if (this.stallListeners.length === 0) return;
    if (!pending.some((d) => d.condition !== 'process_started' && this.ctx.stalled(d.name))) return;
    const all = this.stallListeners;
    this.stallListeners = [];
    for (const l of all) l();
  }

  /** Holds the instances (or starts them at once when nothing is pending) and arms the timeouts. */
  begin(): void {
    this.since = this.ctx.clock.now();
    this.armTimeouts();
    this.phase = 'waiting';
    const verdict = this.evaluate();
    if (verdict.kind === 'met') return void this.start();
    this.reason = this.opts.prefix + waitingReason(verdict.pending, 0);
    const units = this.live();
    void this.ctx.hold(units, this.reason).then(() => {
      this.held = true;
      this.check();
    });
    if (verdict.kind === 'pending') this.noteStall(verdict.pending);
    this.scheduleRefresh();
    if (verdict.kind === 'failed') this.blockWith(verdict.reason);
  }

  /**
   * More instances of the app join (another start while this one waits); a blocked wait waits again. False
   * when the wait is over or starting (the caller starts them itself).
   */
  adopt(units: readonly ProcessUnit[]): boolean {
    if (this.phase === 'done' || this.phase === 'starting') return false;
    const fresh = units.filter((u) => !this.units.has(u));
    for (const u of fresh) this.units.add(u);
    if (this.phase === 'blocked') {
      this.phase = 'waiting';
      this.since = this.ctx.clock.now();
      this.timedOutOn = null;
      this.armTimeouts();
      this.reason = this.opts.prefix + waitingReason(this.edges, 0);
      void this.ctx.hold(this.live(), this.reason).then(() => this.check());
      this.scheduleRefresh();
    } else if (fresh.length > 0) void this.ctx.hold(fresh, this.reason);
    return true;
  }

  /** Re-judges the dependencies (a bus event about them or about this app's instances). */
  check(): void {
    if (this.phase === 'done' || this.phase === 'starting' || this.phase === 'new') return;
    // A start's wait that blocked is over (it ends in the same turn); only a bind wait watches on.
    if (this.phase === 'blocked' && !this.opts.persistent) return;
    if (this.held) {
      // An instance the operator moved out of waiting/blocked (stop, restart, delete) is no longer ours.
      for (const u of this.units) if (!this.app.has(u) || !HELD_STATUSES.has(u.status)) this.units.delete(u);
      if (this.units.size === 0) {
        this.finish({ kind: 'cancelled' });
        return;
      }
    }
    const verdict = this.evaluate();
    if (verdict.kind === 'met') {
      void this.start();
      return;
    }
    if (verdict.kind === 'failed') {
      this.blockWith(verdict.reason);
      return;
    }
    if (this.phase === 'blocked') {
      // A bind wait whose failed dependency is trying again (the operator restarted it) waits again; one
      // that timed out stays blocked until the dependency is back.
      if (this.timedOutOn !== null) return;
      this.phase = 'waiting';
      this.reason = '';
      this.scheduleRefresh();
    }
    this.updateReason(verdict.pending);
    this.noteStall(verdict.pending);
  }

  async close(): Promise<void> {
    this.finish({ kind: 'cancelled' });
  }

  private live(): ProcessUnit[] {
    return [...this.units].filter((u) => this.app.has(u));
  }

  private evaluate():
    | { kind: 'met' }
    | { kind: 'pending'; pending: DependencySpec[] }
    | { kind: 'failed'; reason: string; pending: DependencySpec[] } {
    const pending: DependencySpec[] = [];
    let failure: string | null = null;
    for (const edge of [...this.edges]) {
      let v = judge(edge, this.ctx.view(edge.name));
      if (v.kind === 'failed' && this.ctx.inFlight(edge.name)) v = { kind: 'pending' };
      if (v.kind === 'met' && this.ctx.reloading(edge.name)) v = { kind: 'pending' };
      if (v.kind === 'met') continue;
      if (v.kind === 'failed' && !edge.required) {
        this.giveUp(edge, v.reason);
        continue;
      }
      if (v.kind === 'failed') failure ??= v.reason;
      pending.push(edge);
    }
    if (failure !== null) return { kind: 'failed', reason: failure, pending };
    return pending.length === 0 ? { kind: 'met' } : { kind: 'pending', pending };
  }

  /** An optional dependency failed or timed out: noted, and no longer waited for. */
  private giveUp(edge: DependencySpec, why: string): void {
    this.edges = this.edges.filter((e) => e !== edge);
    const note = `${this.app.name}: ${why}; starting without it (required: false) (TEND_ERR_DEPENDENCY_DOWN)`;
    this.notes.push(note);
    this.ctx.log(note);
  }

  private timedOut(edge: DependencySpec): void {
    if (this.phase !== 'waiting' || !this.edges.includes(edge)) return;
    if (judge(edge, this.ctx.view(edge.name)).kind === 'met') return;
    if (!edge.required) {
      this.giveUp(edge, `dependency ${edge.name} timed out after ${seconds(edge.timeout_ms)}`);
      this.check();
    } else {
      this.timedOutOn = edge;
      this.blockWith(timeoutReason(edge));
    }
  }

  /** Each dependency's timeout_seconds, from now. */
  private armTimeouts(): void {
    for (const t of this.timers.splice(0)) t.cancel();
    for (const edge of this.edges)
      if (edge.timeout_ms > 0)
        this.timers.push(this.ctx.clock.setTimer(edge.timeout_ms, () => this.timedOut(edge)));
  }

  private blockWith(reason: string): void {
    if (this.phase === 'blocked') return;
    this.phase = 'blocked';
    this.clearRefresh();
    this.reason = this.opts.prefix + reason;
    this.ctx.log(`${this.app.name} blocked: ${this.reason}`);
    const units = this.live();
    void this.ctx.block(units, this.reason).then(() => this.notify({ kind: 'blocked', reason: this.reason }));
    if (!this.opts.persistent) this.finish(null);
  }

  private async start(): Promise<void> {
    this.phase = 'starting';
    this.clearTimers();
    const units = this.live();
    this.ctx.log(`${this.app.name}: dependencies ready, starting`);
    try {
      await this.ctx.launch(this.app, units, this.opts.wait);
    } finally {
      this.finish({ kind: 'started' });
    }
  }

  private updateReason(pending: readonly DependencySpec[]): void {
    const reason = this.opts.prefix + waitingReason(pending, this.ctx.clock.now() - this.since);
    if (reason === this.reason) return;
    this.reason = reason;
    void this.ctx.hold(this.live(), reason);
  }

  /** Once a second (whole seconds since the wait began): the reason's elapsed time stays current. */
  private scheduleRefresh(): void {
    this.clearRefresh();
    const elapsed = this.ctx.clock.now() - this.since;
    this.refresh = this.ctx.clock.setTimer(1000 - (elapsed % 1000), () => {
      this.refresh = null;
      if (this.phase !== 'waiting') return;
      this.check();
      if (this.phase === 'waiting') this.scheduleRefresh();
    });
  }

  private clearRefresh(): void {
    this.refresh?.cancel();
    this.refresh = null;
  }

  private clearTimers(): void {
    this.clearRefresh();
    for (const t of this.timers.splice(0)) t.cancel();
  }

  private notify(o: WaitOutcome): void {
    for (const l of this.listeners.splice(0)) l(o);
  }

  /** Ends the wait (null: the outcome was told already) and takes it off the app. */
  private finish(o: WaitOutcome | null): void {
    this.phase = 'done';
    this.clearTimers();
    if (this.app.policies.get(DEPS_POLICY) === this) this.app.policies.delete(DEPS_POLICY);
    if (o) this.notify(o);
  }
}
