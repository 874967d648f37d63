// The replacement process of a reload (cluster workers): a second process of the same instance, started
// beside the current one with its own ready timer (listen_timeout). The unit promotes it once it is ready, or
// drops it (the table decides: see the reload rows of transitions.ts). The process it replaces, or a dropped
// replacement, is stopped gracefully by Retiring, and the outcome is published on the bus only once that
// process is gone, so whoever waits for it (cluster/rolling-reload.ts) finds nothing of it left running.
import type { AppSpec } from '../config/spec.js';
import type { EventBus } from './event-bus.js';
import type { ChildHandle, Clock, Timer } from './ports.js';
import { describeExit } from './restart-policy.js';
import { Retiring } from './retire.js';
import type { UnitEvent } from './transitions.js';

/** What a replacement needs of its unit. */
export interface ReplacementHost {
  readonly id: number;
  readonly name: string;
  readonly spec: AppSpec;
  label(): string;
  /** Spawns a process of the instance; its hooks carry `generation`, by which its events are routed. */
  launch(generation: number): ChildHandle;
  dispatch(event: UnitEvent): void;
}

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
}

export class Replacement {
  private pending: Pending | null = null;
  private readonly retiring: Retiring;

  constructor(
    private readonly host: ReplacementHost,
    private readonly deps: { clock: Clock; bus: EventBus; log(line: string): void },
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
    const readyTimer = this.deps.clock.setTimer(spec.listen_timeout, () => {
      if (this.pending?.generation !== generation) return;
      const what = spec.wait_ready ? "did not send 'ready'" : 'did not listen on any port';
      this.fail(`${what} within listen_timeout (${spec.listen_timeout} ms)`, false);
    });
    // Registered before spawning: whatever the spawner reports is recognised as the replacement's.
    const pending: Pending = {
      generation,
      child: null,
      startedAt: this.deps.clock.now(),
      exited: false,
      readyTimer,
    };
    this.pending = pending;
    pending.child = this.host.launch(generation);
    this.deps.log(`${this.host.label()} reload: starting a replacement for pid ${current.pid}`);
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

  /** 'ready' counts with wait_ready; listening counts without. */
  readySignal(kind: 'listening' | 'ready'): void {
    if ((kind === 'ready') === this.host.spec.wait_ready) this.host.dispatch({ type: 'successor-ready' });
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
    next.readyTimer.cancel();
    this.pending = null;
    const run: Run = { generation: next.generation, child: next.child, startedAt: next.startedAt };
    const report = (outcome: 'replaced' | 'retired') =>
      this.deps.bus.publish('process.reload', {
        id: this.host.id,
        name: this.host.name,
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
    dropped.readyTimer.cancel();
    this.pending = null;
    const error = `reload failed: ${reason}`;
    this.deps.log(`${this.host.label()} ${error}; pid ${currentPid ?? '-'} keeps running`);
    const report = () =>
      this.deps.bus.publish('process.reload', {
        id: this.host.id,
        name: this.host.name,
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
    this.pending?.readyTimer.cancel();
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
