// The replacement process of a reload (cluster workers): a second process of the same instance, started
// beside the current one with its own ready timer (listen_timeout). The unit promotes it once it is ready, or
// drops it (the table decides: see the reload rows of transitions.ts). The process it replaces, or a dropped
// replacement, is stopped gracefully by Retiring, and the outcome is published on the bus only once that
// process is gone, so whoever waits for it (cluster/rolling-reload.ts) finds nothing of it left running.
import type { AppSpec, ProbeSpec } from '../config/spec.js';
import { lineMatcher, watchLines } from '../health/log-line.js';
import { readyGate } from '../health/readiness.js';
import type { EventData } from '../protocol/events.js';
import type { EventBus } from './event-bus.js';
import type { ChildHandle, Clock, OpenProbes, ProbeSet, Timer } from './ports.js';
import { describeExit } from './restart-policy.js';
import { Retiring } from './retire.js';
import type { UnitEvent } from './transitions.js';

/** What a replacement needs of its unit. */
export interface ReplacementHost {
  readonly id: number;
  readonly name: string;
  readonly spec: AppSpec;
  label(): string;
  readonly instance: number;
  /** Spawns a process of the instance; its hooks carry `generation`, by which its events are routed. */
  launch(generation: number): ChildHandle;
  /** What a launched process of the instance runs with (its env and output), by generation. */
  launchedWith(generation: number): {
    env: Readonly<Record<string, string>>;
    cwd: string;
    output: readonly (import('node:stream').Readable | null)[];
  };
  dispatch(event: UnitEvent): void;
  /** Publishes a reload outcome (process.reload) with the instance's ProcessInfo, once that is up to date. */
  reloadOutcome(outcome: ReloadOutcome): void;
}

/** A process.reload event as the replacement knows it: the unit adds its id, name and ProcessInfo. */
export type ReloadOutcome = Omit<EventData<'process.reload'>, 'id' | 'name' | 'process'>;

/** A process of the instance, by the generation its hooks carry. */
export interface Run {
  generation: number;
  child: ChildHandle;
  startedAt: number;
}

interface Pending {
  readonly generation: number;
  child: ChildHandle | null;
  readonly startedAt: number;
  exited: boolean;
  readonly readyTimer: Timer;
  /** min_ready_seconds: the replacement stays ready this long before it is promoted. */
  hold: Timer | null;
  /** Exec probes run on the replacement itself, and the log-line reader: stopped when it settles. */
  stops: (() => void)[];
  /** Its gate passed (its signal, log line or exec probes). */
  passed: boolean;
  /** It listens (a cluster worker must, before it replaces one that serves; with wait_ready its word is taken). */
  listened: boolean;
}

/**
 * What makes a reload's replacement ready. While old and new worker listen on one shared port, an HTTP or TCP
 * probe cannot tell them apart: the replacement is gated on its own signals (IPC or notify 'ready', its log
 * line, listening) and on exec probes, which run for it alone.
 */
type SuccessorGate = 'ready' | 'log-line' | 'exec-probes' | 'listening';

function successorGate(spec: AppSpec): SuccessorGate {
  switch (readyGate(spec)) {
    case 'app':
      return 'ready';
    case 'log-line':
      return 'log-line';
    case 'probes':
      return execOnly(spec.startup_probe) || execOnly(spec.readiness_probe) ? 'exec-probes' : 'listening';
    default:
      return 'listening';
  }
}

function execOnly(probe: ProbeSpec | null): ProbeSpec | null {
  return probe !== null && 'exec' in probe.handler ? probe : null;
}

export class Replacement {
  private pending: Pending | null = null;
  private readonly retiring: Retiring;

  constructor(
    private readonly host: ReplacementHost,
    private readonly deps: {
      clock: Clock;
      bus: EventBus;
      log(line: string): void;
      openProbes?: OpenProbes | undefined;
    },
  ) {
    this.retiring = new Retiring(deps.clock, (line) => deps.log(`${host.label()} ${line}`));
  }

  /** What a process that is not the instance's current one is to it. */
  roleOf(generation: number): 'successor' | 'retiring' | null {
    if (this.pending?.generation === generation) return 'successor';
    return this.retiring.has(generation) ? 'retiring' : null;
  }

  get pid(): number | null {
    return this.pending?.child?.pid ?? null;
  }

  /** Starts the replacement of `current` (a no-op while one is pending: a second reload joins the first). */
  start(generation: number, current: ChildHandle): void {
    if (this.pending) return;
    const { spec } = this.host;
    const gate = successorGate(spec);
    const readyTimer = this.deps.clock.setTimer(spec.listen_timeout, () => {
      if (this.pending?.generation !== generation || this.pending.hold) return;
      const what = {
        ready: "did not send 'ready'",
        'log-line': 'wrote no line matching ready_log_line',
        'exec-probes': 'did not pass its exec probes',
        listening: 'did not listen on any port',
      }[gate];
      this.fail(`${what} within listen_timeout (${spec.listen_timeout} ms)`, false);
    });
    // Registered before spawning: whatever the spawner reports is recognised as the replacement's.
    const pending: Pending = {
      generation,
      child: null,
      startedAt: this.deps.clock.now(),
      exited: false,
      readyTimer,
      hold: null,
      stops: [],
      passed: false,
      listened: false,
    };
    this.pending = pending;
    pending.child = this.host.launch(generation);
    this.deps.log(`${this.host.label()} reload: starting a replacement for pid ${current.pid}`);
    if (this.pending !== pending) return; // it failed at once
    const launched = this.host.launchedWith(generation);
    if (gate === 'log-line' && spec.ready_log_line !== null)
      pending.stops.push(
        watchLines(launched.output, lineMatcher(spec.ready_log_line), () => this.gateOpen(generation)),
      );
    if (gate === 'exec-probes' && this.deps.openProbes) {
      const readiness = execOnly(spec.readiness_probe);
      const probes: ProbeSet = this.deps.openProbes(
        { startup: execOnly(spec.startup_probe), readiness, liveness: null },
        { instance: this.host.instance, env: launched.env, cwd: launched.cwd },
        {
          startupPassed: () => {
            if (readiness === null) this.gateOpen(generation);
          },
          startupFailed: (reason) => this.pending?.generation === generation && this.fail(reason, false),
          readiness: (ready) => {
            if (ready) this.gateOpen(generation);
          },
          livenessFailed: () => {},
        },
      );
      pending.stops.push(() => probes.stop());
      probes.start();
    }
  }

  /** The replacement passed its gate: promoted now, or after min_ready_seconds if it stays up that long. */
  private gateOpen(generation: number): void {
    const pending = this.pending;
    if (pending?.generation !== generation || pending.hold) return;
    pending.passed = true;
    const gate = successorGate(this.host.spec);
    if (gate !== 'ready' && gate !== 'listening' && !pending.listened) return;
    const holdMs = this.host.spec.min_ready_ms;
    if (holdMs <= 0) {
      this.host.dispatch({ type: 'successor-ready' });
      return;
    }
    this.deps.log(`${this.host.label()} reload: pid ${pending.child?.pid} is ready; holding it ${holdMs} ms`);
    pending.readyTimer.cancel();
    pending.hold = this.deps.clock.setTimer(holdMs, () => {
      if (this.pending === pending) this.host.dispatch({ type: 'successor-ready' });
    });
  }

  private settle(pending: Pending): void {
    pending.readyTimer.cancel();
    pending.hold?.cancel();
    for (const stop of pending.stops.splice(0)) stop();
  }

  // ---- events of the replacement process ----

  spawnFailed(reason: string): void {
    this.fail(reason, true);
  }

  spawned(): void {
    this.deps.log(`${this.host.label()} replacement started pid ${this.pid}`);
  }

  exited(code: number | null, signal: string | null): void {
    const uptimeMs = this.deps.clock.now() - (this.pending?.startedAt ?? 0);
    this.fail(`${describeExit({ code, signal, uptimeMs })}, before it was ready`, true);
  }

  /** IPC or notify 'ready' counts with wait_ready; listening when it is the replacement's gate. */
  readySignal(kind: 'listening' | 'ready'): void {
    const pending = this.pending;
    if (!pending) return;
    const gate = successorGate(this.host.spec);
    if (kind === 'listening') pending.listened = true;
    if (
      (kind === 'ready' && gate === 'ready') ||
      (kind === 'listening' && (gate === 'listening' || pending.passed))
    )
      this.gateOpen(pending.generation);
  }

  /** A retiring process is gone. */
  gone(generation: number): void {
    this.retiring.gone(generation);
  }

  // ---- what the unit's effects do ----

  /** The replacement becomes the instance's process; `old` is stopped gracefully. Null if none is pending. */
  promote(old: Run | null): Run | null {
    const next = this.pending;
    if (!next?.child) return null;
    this.settle(next);
    this.pending = null;
    const run: Run = { generation: next.generation, child: next.child, startedAt: next.startedAt };
    const report = (outcome: 'replaced' | 'retired') =>
      this.host.reloadOutcome({
        outcome,
        pid: run.child.pid ?? null,
        old_pid: old?.child.pid ?? null,
        reason: null,
      });
    this.deps.log(
      `${this.host.label()} reload: pid ${run.child.pid} is ready; stopping pid ${old?.child.pid}`,
    );
    report('replaced');
    if (old) this.retire(old.generation, old.child, () => report('retired'));
    else report('retired');
    return run;
  }

  /** Abandons the pending replacement, if any; returns the error to show on the instance. */
  drop(reason: string, currentPid: number | null): string | null {
    const dropped = this.pending;
    if (!dropped) return null;
    this.settle(dropped);
    this.pending = null;
    const error = `reload failed: ${reason}`;
    this.deps.log(`${this.host.label()} ${error}; pid ${currentPid ?? '-'} keeps running`);
    const report = () =>
      this.host.reloadOutcome({
        outcome: 'failed',
        pid: dropped.child?.pid ?? null,
        old_pid: currentPid,
        reason,
      });
    // It may have listened, and so been handed connections: stopped gracefully, reported once gone.
    if (dropped.exited || !dropped.child) report();
    else this.retire(dropped.generation, dropped.child, report);
    return error;
  }

  /** The unit is closed: nothing of it may outlive it. */
  close(): void {
    if (this.pending) this.settle(this.pending);
    this.pending?.child?.signalTree('SIGKILL');
    this.retiring.killAll();
  }

  private retire(generation: number, child: ChildHandle, onGone: () => void): void {
    this.retiring.retire(generation, child, this.host.spec, this.host.label(), onGone);
  }

  /** The table hears of the failure; `exited`: the process is already gone (nothing to stop). */
  private fail(reason: string, exited: boolean): void {
    if (this.pending && exited) this.pending.exited = true;
    this.host.dispatch({ type: 'successor-failed', reason: `the replacement ${reason}` });
  }
}
