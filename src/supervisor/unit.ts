// One supervised instance. It executes the effects the transition table asks for and is the only writer of
// its state; everything that happens to it arrives as an event through dispatch().
import type { AppSpec } from '../config/spec.js';
import type { NotifyMessage } from '../health/notify-lines.js';
import type { ExitInfo, ProcessInfo, Status } from '../protocol/process-info.js';
import type { App } from './app.js';
import { type Answer, AppRequests } from './app-requests.js';
import type { RestartReason } from './app-tally.js';
import type { ChildHandle, Usage } from './ports.js';
import { type ReloadOutcome, Replacement } from './replacement.js';
import { type Counters, decide } from './restart-policy.js';
import { stopGracefully } from './retire.js';
import { type Effect, type Transition, transition, type UnitEvent, type UnitState } from './transitions.js';
import { type TriggerReason, TriggerTally } from './trigger-tally.js';
import { InstanceHealth } from './unit-health.js';
import { type RestartRecord, UnitHistory } from './unit-history.js';
import { InstanceProcess, type LaunchTarget, type ProcessDeps } from './unit-process.js';
import { reasonOf, snapshot } from './unit-snapshot.js';
import { UnitTimers } from './unit-timers.js';

export type { RestartRecord } from './unit-history.js';

/** The unit's ports; its current process (unit-process.ts) uses them all. */
export interface UnitDeps extends ProcessDeps {}

export class ProcessUnit {
  private state: UnitState = { status: 'stopped', want: 'down' };
  /** Which process is the instance's now, and since when. */
  private readonly current: InstanceProcess;
  /** A reload's replacement process, and the processes it replaced while they stop. */
  private readonly replacement: Replacement;
  private counters: Counters = { unstable: 0, crashes: 0 };
  private restartCount = 0;
  private lastExit: ExitInfo | null = null;
  private lastError: string | null = null;
  /** The last run ended by itself (policy verdict done: autorestart false, a stop_exit_codes exit). */
  private completed = false;
  private readonly timers: UnitTimers;
  private readonly history = new UnitHistory();
  /** The event being applied: records made while applying an exit carry that exit. */
  private applying: UnitEvent | null = null;
  /** Restarts asked for by watch, memory limit and cron, and their status (written by src/triggers). */
  readonly triggers = new TriggerTally();
  private readonly queue: UnitEvent[] = [];
  private dispatching = false;
  /** Reload outcomes reported while a transition's effects run: published after it, with its ProcessInfo. */
  private readonly outcomes: ReloadOutcome[] = [];
  readonly createdAt: number;
  /** Readiness, probes and watchdog of the current incarnation (unit-health.ts). */
  readonly health: InstanceHealth;
  /** Why the instance waits or is blocked (dependencies), while it does. */
  private holdReason: string | null = null;
  /** Why the next counted restart happens (the app's tend_app_restarts_total{reason}, issue 14). */
  private restartReason: RestartReason = 'manual';
  /** Questions to the current process over IPC, waiting for their answers (app-requests.ts). */
  private readonly requests = new AppRequests();

  constructor(
    readonly id: number,
    readonly instance: number,
    /** Its app: the instance reads the spec there, so a respec reaches every instance at once. */
    readonly app: App,
    readonly outLog: string,
    readonly errLog: string,
    private readonly deps: UnitDeps,
  ) {
    this.createdAt = deps.clock.now();
    this.timers = new UnitTimers(deps.clock);
    this.health = new InstanceHealth(this, {
      clock: deps.clock,
      bus: deps.bus,
      log: deps.log,
      openProbes: deps.openProbes,
    });
    this.replacement = new Replacement(this, deps);
    this.current = new InstanceProcess(this, deps, this.replacement, (code, signal, at, uptimeMs) =>
      this.exited(code, signal, at, uptimeMs),
    );
  }

  get status(): Status {
    return this.state.status;
  }
  get spec(): AppSpec {
    return this.app.spec;
  }
  get name(): string {
    return this.spec.name;
  }
  get pid(): number | null {
    return this.current.child?.pid ?? null;
  }
  get restarts(): number {
    return this.restartCount;
  }
  /** The wanted state as shown to users: a pending restart is "up". */
  get wanted(): 'up' | 'down' {
    return this.state.want === 'down' ? 'down' : 'up';
  }

  /** Events are queued so an effect that dispatches (a failed spawn, say) never re-enters the table. */
  dispatch(event: UnitEvent): void {
    this.queue.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let e = this.queue.shift(); e; e = this.queue.shift()) this.apply(e);
    } finally {
      this.dispatching = false;
    }
  }

  private apply(event: UnitEvent): void {
    if (event.type === 'restart') this.restartReason = event.reason ?? triggerReason(event.trigger);
    else if (event.type === 'reload') this.restartReason = 'reload';
    const before = this.state;
    const t: Transition = transition(before, event);
    this.state = t.next;
    if (event.type === 'restart' && event.trigger === undefined)
      this.record(`restart requested (was ${before.status})`, null);
    this.applying = event;
    try {
      for (const effect of t.effects) this.execute(effect);
    } finally {
      this.applying = null;
    }
    if (before.status !== this.state.status) {
      const now = this.deps.clock.now();
      this.deps.log(`${this.label()} ${before.status} -> ${this.state.status}`);
      this.deps.bus.publish('process.state', {
        id: this.id,
        name: this.name,
        from: before.status,
        to: this.state.status,
        at: now,
        process: this.info(),
      });
    }
    for (const o of this.outcomes.splice(0)) this.publishReload(o);
  }

  /** A reload's outcome (replacement.ts); during a transition it waits for its end: a `replaced` is
   * reported while the promotion runs, before the new pid and the counted restart are the instance's. */
  reloadOutcome(outcome: ReloadOutcome): void {
    if (this.applying !== null) this.outcomes.push(outcome);
    else this.publishReload(outcome);
  }

  private publishReload(o: ReloadOutcome): void {
    this.deps.bus.publish('process.reload', { id: this.id, name: this.name, ...o, process: this.info() });
  }

  private execute(effect: Effect): void {
    switch (effect.type) {
      case 'spawn':
        this.timers.nextStartAt = null;
        this.completed = false;
        this.current.spawn();
        return;
      case 'count-restart':
        this.restartCount += 1;
        this.app.tally.restarts[this.restartReason] += 1;
        return;
      case 'reset-unstable':
        this.counters = { unstable: 0, crashes: 0 };
        return;
      case 'signal':
        this.signal();
        return;
      case 'kill': {
        const { kill_timeout, kill_signal } = this.spec;
        const pid = this.pid;
        const reason = `pid ${pid} did not stop within ${kill_timeout} ms of ${kill_signal}: SIGKILL`;
        this.deps.log(`${this.label()} ${reason}`);
        this.record(reason, null);
        this.deps.bus.publish('process.killed', {
          id: this.id,
          name: this.name,
          pid,
          signal: kill_signal,
          timeout_ms: kill_timeout,
        });
        this.timers.killed();
        this.current.child?.signalTree('SIGKILL');
        return;
      }
      case 'complete':
        this.completed = true;
        this.record(effect.reason, null);
        return;
      case 'start-ready-timer':
        this.health.armDeadline();
        return;
      case 'hold':
        this.holdReason = effect.reason;
        return;
      case 'schedule-restart': {
        const at = this.timers.scheduleRestart(effect.delayMs, () =>
          this.dispatch({ type: 'restart-timer' }),
        );
        this.record(effect.reason, effect.delayMs);
        this.deps.log(`${this.label()} ${effect.reason}: restarting in ${effect.delayMs} ms`);
        this.deps.bus.publish('process.restart-scheduled', {
          id: this.id,
          name: this.name,
          delay_ms: effect.delayMs,
          next_start_at: at,
          reason: effect.reason,
        });
        return;
      }
      case 'cancel-restart-timer':
        this.timers.cancelRestart();
        return;
      case 'clear-process-timers':
        this.timers.clearProcessTimers();
        return;
      case 'set-error':
        if (effect.reason !== null) {
          this.record(effect.reason, null);
          this.deps.log(`${this.label()} errored: ${effect.reason}`);
        }
        this.lastError = effect.reason;
        return;
      case 'spawn-successor':
        this.current.spawnSuccessor();
        return;
      case 'promote-successor': {
        // The replacement is ready: it becomes this instance's process (the old one is stopped gracefully).
        const promoted = this.current.promote();
        if (!promoted) return;
        this.lastError = null;
        this.record(
          `reloaded: pid ${promoted.old?.child.pid} replaced by pid ${promoted.next.child.pid}`,
          null,
        );
        return;
      }
      case 'drop-successor': {
        const error = this.replacement.drop(effect.reason, this.pid);
        if (error !== null) {
          this.lastError = error;
          this.record(error, null);
        }
        return;
      }
    }
  }

  /** Spawns a process of this instance (the current one, or a reload's replacement) and captures its output. */
  launch(generation: number): ChildHandle {
    return this.current.launch(generation);
  }

  launchedWith(generation: number): LaunchTarget {
    return this.current.targetOf(generation);
  }

  // ---- the current process's readiness (InstanceProcess reports, InstanceHealth decides) ----

  began(target: LaunchTarget, ready: boolean): boolean {
    this.health.begin(target, ready);
    return this.health.gated;
  }

  readySignal(source: 'ipc' | 'listening'): void {
    this.health.signal(source);
  }

  notify(message: NotifyMessage): void {
    this.health.notify(message);
  }

  ended(): void {
    this.health.end();
  }

  appMessage(message: unknown): boolean {
    return this.requests.receive(message);
  }

  /**
   * Asks the current process `{ type, id }` over its IPC channel (the app's metrics, issue 14) and resolves
   * with its answer, or why there is none (no process or no channel; no answer within timeoutMs).
   */
  ask(type: `tend:${string}`, timeoutMs: number): Promise<Answer> {
    const child = this.current.child;
    if (!child) return Promise.resolve({ ok: false, why: 'no-channel' });
    return this.requests.ask(type, (m) => child.send(m), timeoutMs, this.deps.clock);
  }

  failed(error: string): void {
    this.lastError = error;
    this.record(error, null);
    this.deps.log(`${this.label()} ${error}`);
  }

  /** The current process exited (InstanceProcess has let go of it): recorded, published, judged. */
  private exited(code: number | null, signal: string | null, now: number, uptimeMs: number): void {
    this.lastExit = { code, signal, at: now, uptime_ms: uptimeMs };
    this.history.exited(this.lastExit);
    this.deps.log(`${this.label()} exited (code ${code}, signal ${signal}) after ${uptimeMs} ms`);
    this.deps.bus.publish('process.exit', { id: this.id, name: this.name, exit: this.lastExit });
    // A failed start (ready_timeout, startup probe) or a liveness/watchdog verdict ended it: judged as such,
    // whatever it exited with on the stop signal.
    const failure = this.health.failure;
    const { verdict, counters } = decide(this.spec, this.counters, {
      code,
      signal,
      uptimeMs,
      failedStart: failure?.failedStart === true,
      cause: failure ? `${failure.cause} (${failure.detail})` : null,
    });
    if (failure) this.lastError = `${failure.cause}: ${failure.detail}`;
    // Only an exit the policy gets to judge moves the counters; a requested stop or restart does not.
    const judged = this.state.want === 'up' && this.state.status !== 'waiting-restart';
    if (judged) this.counters = counters;
    if (judged && verdict.kind === 'restart')
      this.restartReason = failure ? failure.cause : code === 0 && signal === null ? 'exit' : 'crash';
    // Wanted down (a shutdown began before its stop signal): the table does not restart it, whatever the
    // verdict (transitions.ts).
    this.dispatch({ type: 'exited', verdict });
  }

  private signal(): void {
    const child = this.current.child;
    if (!child) return;
    const { spec } = this;
    stopGracefully(child, spec);
    this.timers.startKill(spec.kill_timeout, () => this.dispatch({ type: 'kill-timeout' }));
  }

  private record(reason: string, delayMs: number | null): void {
    const exit = this.applying?.type === 'exited' ? this.lastExit : null;
    this.history.record({ at: this.deps.clock.now(), reason, delay_ms: delayMs, exit });
  }

  /** A restored instance keeps its restart count (crash recovery, resurrect, update). */
  restoreRestarts(count: number): void {
    this.restartCount = count;
  }

  /** `tend reset` (PM2's): the counters start from zero, max_restarts' budget too; the history stays. */
  resetCounters(): void {
    this.restartCount = 0;
    this.counters = { unstable: 0, crashes: 0 };
    this.triggers.reset();
  }

  /** A trigger is about to restart this instance: counted apart, kept in the history, logged. */
  noteTrigger(reason: TriggerReason, detail: string): void {
    this.triggers.count(reason);
    this.record(`${reason}: ${detail}`, null);
    this.deps.log(`${this.label()} ${reason}: ${detail}`);
    this.deps.bus.publish('process.triggered', { id: this.id, name: this.name, reason, detail });
  }

  /**
   * Over max_memory_restart with autorestart off: PM2's answer, a restart, would silently run a one-shot (a
   * Job under tend-runtime's orchestrator mode) again, so the incarnation ends instead, as a liveness failure
   * does (reason `memory`): stopped gracefully, its exit judged by the policy (autorestart off: done).
   */
  exceededMemory(detail: string, why = 'autorestart off'): void {
    if (this.state.status !== 'online' && this.state.status !== 'launching') return;
    this.health.exceededMemory(`${detail} (not restarted: ${why})`);
  }

  label(): string {
    return `${this.name}[${this.id}]`;
  }

  restartHistory(): RestartRecord[] {
    return this.history.restarts();
  }

  /** The last exits, newest last (bounded). */
  lastExits(): ExitInfo[] {
    return this.history.exits();
  }

  recentStderr(): string[] {
    return this.deps.sink.recentStderr();
  }

  /** The snapshot: what is and what will happen next (next_start_at, kill_deadline_at). */
  info(usage?: Usage): ProcessInfo {
    const { status } = this.state;
    return snapshot({
      id: this.id,
      instance: this.instance,
      spec: this.spec,
      now: this.deps.clock.now(),
      pid: this.pid,
      startedAt: this.current.startedAt,
      status,
      wanted: this.wanted,
      ready: this.health.isReady && status === 'online',
      health: this.health.health,
      reason: reasonOf(status, this.holdReason, this.health, this.lastError, this.spec, this.pid),
      completed: this.completed && status === 'stopped',
      restarts: this.restartCount,
      unstable: this.counters.unstable,
      usage,
      lastExit: this.lastExit,
      lastError: this.lastError,
      nextStartAt: this.timers.nextStartAt,
      killDeadlineAt: this.timers.killDeadlineAt,
      createdAt: this.createdAt,
      outLog: this.outLog,
      errLog: this.errLog,
      logDropped: this.deps.sink.droppedLines?.() ?? 0,
      triggers: this.triggers.info(),
    });
  }

  close(): Promise<void> {
    this.health.end();
    this.timers.close();
    this.replacement.close();
    return this.deps.sink.close();
  }
}

/** A restart event's reason: the trigger that asked for it, or a user (or a dependency cascade). */
function triggerReason(trigger: string | undefined): RestartReason {
  return trigger === 'watch' || trigger === 'memory' || trigger === 'cron' ? trigger : 'manual';
}
