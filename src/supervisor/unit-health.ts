// The readiness and health of an instance's current incarnation: whether it has said it serves, from which
// source, its probes and its watchdog. A fact beside the status: the unit asks it at each spawn and exit, and
// it tells the unit (through the table's events) when the incarnation is ready, failed its start, or must be
// restarted. Health is per incarnation: everything is reset at each spawn, so it is never stale.
//
// Which signal gates the first ready (the order; the first present wins): the app's own
// (`wait_ready`: IPC 'ready' or notify READY=1), `ready_log_line`, the probes (the readiness probe, or the
// startup probe when there is no readiness probe), a cluster worker's `listening`. A startup probe must pass
// in any case. With none, a process is ready when spawned. Afterwards a readiness probe governs `ready`.
import type { Readable } from 'node:stream';
import type { AppSpec } from '../config/spec.js';
import { lineMatcher, watchLines } from '../health/log-line.js';
import type { NotifyMessage } from '../health/notify-lines.js';
import { type ReadyGate, readyDeadline, readyGate } from '../health/readiness.js';
import type { Health } from '../protocol/process-info.js';
import type { EventBus } from './event-bus.js';
import type { Clock, LastProbe, OpenProbes, ProbeSet, Timer } from './ports.js';
import type { UnitEvent } from './transitions.js';

export interface HealthHost {
  readonly id: number;
  readonly name: string;
  readonly instance: number;
  readonly spec: AppSpec;
  label(): string;
  dispatch(event: UnitEvent): void;
  /** The incarnation failed (a failed start, liveness, watchdog): shown and recorded before it is stopped. */
  failed(error: string): void;
}

export interface HealthDeps {
  clock: Clock;
  bus: EventBus;
  log(line: string): void;
  /** Absent: the app's probes are not run (unit tests without them). */
  openProbes?: OpenProbes | undefined;
}

/**
 * Why an incarnation ended badly, kept as the instance's `reason` until the next one starts. `memory`: over
 * max_memory_restart with autorestart off (ProcessUnit.exceededMemory), where a restart would re-run it.
 */
export type FailureCause = 'ready_timeout' | 'startup_probe' | 'liveness' | 'watchdog' | 'memory';

type ProbeKind = 'startup' | 'readiness' | 'liveness';

export class InstanceHealth {
  private ready = false;
  private gate: ReadyGate = 'spawn';
  private gateOpen = false;
  private startupPassed = true;
  private probes: ProbeSet | null = null;
  private deadline: Timer | null = null;
  private watchdog: Timer | null = null;
  private stopLines: (() => void) | null = null;
  /** The incarnation being watched (0: none); late signals of an older one are ignored. */
  private incarnation = 0;
  /** Why the last incarnation failed (reset at each spawn). */
  cause: FailureCause | null = null;
  /** The app's last `STATUS=` line. */
  statusText: string | null = null;
  /** The failure the unit reads when it records and judges the exit (cleared by the next begin). */
  failure: { cause: FailureCause; detail: string; failedStart: boolean } | null = null;
  /** This incarnation has been ready once (it is, or was, online). */
  private firstReady = false;
  /** The current cluster worker listens. */
  private listened = false;
  /** The last (incarnation, ready, health) published. */
  private published = '';
  /** The readiness probe's last verdict (null: none yet). */
  private probeVerdict: boolean | null = null;
  /** Probe runs of every incarnation, by kind and outcome (the instance's metrics, issue 14); null before any. */
  probeRuns: Record<ProbeKind, { success: number; failure: number }> | null = null;

  constructor(
    private readonly host: HealthHost,
    private readonly deps: HealthDeps,
  ) {}

  get isReady(): boolean {
    return this.ready;
  }

  /** Not ready yet in this incarnation, and its readiness probe has failed its failure threshold. */
  get readinessFailing(): boolean {
    return !this.firstReady && this.probeVerdict === false;
  }

  get health(): Health {
    return this.probes?.health ?? 'unknown';
  }

  get lastProbe(): LastProbe | null {
    return this.probes?.lastProbe ?? null;
  }

  /** Whether the first ready of an incarnation waits for a signal (false: ready at spawn). */
  get gated(): boolean {
    return readyGate(this.host.spec) !== 'spawn' || this.host.spec.startup_probe !== null;
  }

  /**
   * A new incarnation was spawned (its pid is known): everything is reset, its probes and watchdog start,
   * and its output is watched for the ready line. Called before the table hears 'spawned'.
   */
  begin(
    target: { env: Readonly<Record<string, string>>; cwd: string; output: readonly (Readable | null)[] },
    alreadyReady: boolean,
  ): void {
    this.end();
    const { spec } = this.host;
    const incarnation = ++this.incarnation;
    this.ready = false;
    this.firstReady = false;
    this.listened = false;
    this.probeVerdict = null;
    this.cause = null;
    this.failure = null;
    this.statusText = null;
    this.gate = readyGate(spec);
    this.gateOpen = this.gate === 'spawn';
    this.startupPassed = spec.startup_probe === null;
    if (!this.gated || alreadyReady) {
      // Ready at spawn; or a reload's replacement, ready when it was promoted.
      this.ready = true;
      this.firstReady = true;
      this.gateOpen = true;
      this.startupPassed = true;
    }
    if (!this.firstReady && this.gate === 'log-line' && spec.ready_log_line !== null) {
      this.stopLines = watchLines(target.output, lineMatcher(spec.ready_log_line), () => {
        if (incarnation === this.incarnation) this.signal('log-line');
      });
    }
    const { readiness_probe: readiness, liveness_probe: liveness } = spec;
    const startup = alreadyReady ? null : spec.startup_probe;
    if (this.deps.openProbes && (startup || readiness || liveness)) {
      const mine = (fn: () => void) => () => incarnation === this.incarnation && fn();
      this.probes = this.deps.openProbes(
        { startup, readiness, liveness },
        { instance: this.host.instance, env: target.env, cwd: target.cwd },
        {
          startupPassed: () =>
            mine(() => {
              this.startupPassed = true;
              // With no readiness probe, the startup probe is the probes' ready signal.
              if (this.gate === 'probes' && spec.readiness_probe === null) this.gateOpen = true;
              this.maybeReady('startup');
            })(),
          startupFailed: (reason) => mine(() => this.fail('startup_probe', reason, true))(),
          readiness: (ready, reason) => mine(() => this.readiness(ready, reason))(),
          livenessFailed: (reason) => mine(() => this.fail('liveness', reason, false))(),
          // After the event that changed it has been applied: the health is read from the probes then.
          healthChanged: () => mine(() => queueMicrotask(() => this.healthChanged(incarnation)))(),
          ran: (kind, ok) => mine(() => this.countRun(kind, ok))(),
        },
      );
      this.probes.start();
    }
    if (spec.watchdog_ms > 0) this.kickWatchdog();
  }

  /** The incarnation is gone (or its unit closed): probes, timers and readers stop. */
  end(): void {
    this.incarnation += 1;
    this.ready = false;
    this.probes?.stop();
    this.probes = null;
    this.deadline?.cancel();
    this.deadline = null;
    this.watchdog?.cancel();
    this.watchdog = null;
    this.stopLines?.();
    this.stopLines = null;
  }

  /** The table armed the first-ready deadline (status launching, gated). */
  armDeadline(): void {
    const ms = readyDeadline(this.host.spec);
    this.deadline?.cancel();
    this.deadline = null;
    if (ms === null) return;
    const incarnation = this.incarnation;
    this.deadline = this.deps.clock.setTimer(ms, () => {
      this.deadline = null;
      if (incarnation !== this.incarnation || this.ready) return;
      const what = describeGate(this.gate, this.startupPassed);
      if (this.host.spec.on_ready_timeout === 'assume_ready') {
        this.deps.log(`${this.host.label()} ${what} within ${ms} ms: assumed ready (on_ready_timeout)`);
        this.gateOpen = true;
        this.startupPassed = true;
        this.listened = true; // assumed too: PM2's old "online at the deadline"
        this.maybeReady('ready_timeout');
        return;
      }
      // A cluster worker that does not serve (a queue consumer) never listens: say what to use instead.
      const hint =
        this.gate === 'listening'
          ? ": a cluster worker is ready when it listens; one that does not serve can send process.send('ready') with wait_ready, run in exec_mode fork, or use on_ready_timeout 'assume_ready'"
          : '';
      this.fail('ready_timeout', `${what} within listen_timeout (${ms} ms)${hint}`, true);
    });
  }

  /** A ready signal of the current process: IPC 'ready', notify READY=1, listening. */
  signal(source: 'ipc' | 'notify' | 'listening' | 'log-line'): void {
    if (source === 'listening' && !this.listened) {
      this.listened = true;
      this.maybeReady('listening');
    }
    const counts =
      ((source === 'ipc' || source === 'notify') && this.gate === 'app') ||
      (source === 'log-line' && this.gate === 'log-line') ||
      (source === 'listening' && this.gate === 'listening');
    if (!counts || this.gateOpen) return;
    this.gateOpen = true;
    this.maybeReady(source);
  }

  /** One line of the notify pipe (or the IPC equivalents 'ready' and 'watchdog'). */
  notify(message: NotifyMessage): void {
    if (message.key === 'READY' && message.value === '1') this.signal('notify');
    else if (message.key === 'WATCHDOG' && message.value === '1') this.kickWatchdog();
    else if (message.key === 'STATUS') this.statusText = message.value.slice(0, 200);
    else if (message.key === 'STOPPING' && message.value === '1')
      this.deps.log(`${this.host.label()} says it is stopping`);
  }

  /** `process.send('watchdog')` or WATCHDOG=1: the watchdog's deadline starts again. */
  kickWatchdog(): void {
    const ms = this.host.spec.watchdog_ms;
    if (ms <= 0 || this.incarnation === 0) return;
    this.watchdog?.cancel();
    const incarnation = this.incarnation;
    this.watchdog = this.deps.clock.setTimer(ms, () => {
      this.watchdog = null;
      if (incarnation !== this.incarnation) return;
      this.fail('watchdog', `no WATCHDOG=1 within watchdog_sec (${ms} ms)`, false);
    });
  }

  /** Over max_memory_restart, not to be restarted: ended like a liveness failure, its exit judged by the policy. */
  exceededMemory(detail: string): void {
    this.fail('memory', detail, false);
  }

  private countRun(kind: ProbeKind, ok: boolean): void {
    this.probeRuns ??= {
      startup: { success: 0, failure: 0 },
      readiness: { success: 0, failure: 0 },
      liveness: { success: 0, failure: 0 },
    };
    this.probeRuns[kind][ok ? 'success' : 'failure'] += 1;
  }

  private healthChanged(incarnation: number): void {
    if (incarnation === this.incarnation && this.firstReady) this.publish('health');
  }

  private readiness(ready: boolean, reason: string | null): void {
    const before = this.probeVerdict;
    this.probeVerdict = ready;
    if (!this.firstReady) {
      if (ready && this.gate === 'probes') {
        this.gateOpen = true;
        this.maybeReady('readiness');
      } else if (!ready && before !== false) {
        // Said before the first ready too (not ready it was, and stays): a command waiting for an instance
        // with no ready deadline settles on the probe's failing verdict (supervisor.ts).
        this.publish('readiness', true);
      }
      // Another source gates the first ready; the probe's verdict applies from then on.
      return;
    }
    if (ready === this.ready) return;
    this.ready = ready;
    if (!ready) this.deps.log(`${this.host.label()} not ready: ${reason ?? 'readiness probe failing'}`);
    this.publish('readiness');
  }

  private maybeReady(source: string): void {
    if (!this.gateOpen || !this.startupPassed || this.firstReady) return;
    // A cluster worker serves only once it listens: its log line or probe (an exec probe cannot tell the
    // workers of a shared port apart) does not make it ready before that. With wait_ready, its word is taken.
    if (this.host.spec.exec_mode === 'cluster' && this.gate !== 'app' && !this.listened) return;
    this.ready = true;
    this.firstReady = true;
    this.deadline?.cancel();
    this.deadline = null;
    this.host.dispatch({ type: 'ready' });
    this.publish(source);
    if (this.probeVerdict === false) this.readiness(false, 'readiness probe failing');
  }

  private fail(cause: FailureCause, detail: string, failedStart: boolean): void {
    this.cause = cause;
    this.ready = false;
    this.deadline?.cancel();
    this.deadline = null;
    this.probes?.stop();
    this.failure = { cause, detail, failedStart };
    this.host.failed(`${cause}: ${detail}`);
    this.host.dispatch(cause === 'ready_timeout' ? { type: 'ready-timeout' } : { type: 'failed' });
  }

  private publish(source: string, verdict = false): void {
    // One event per change of (ready, health) in an incarnation, whoever noticed it first; and one for a
    // readiness probe's failing verdict before the first ready (`verdict`).
    const key = `${this.incarnation}:${this.ready}:${this.health}${verdict ? ':failing' : ''}`;
    if (key === this.published) return;
    this.published = key;
    this.deps.bus.publish('process.ready', {
      id: this.host.id,
      name: this.host.name,
      ready: this.ready,
      health: this.health,
      at: this.deps.clock.now(),
      source,
    });
  }
}

function describeGate(gate: ReadyGate, startupPassed: boolean): string {
  if (!startupPassed) return 'did not pass its startup probe';
  switch (gate) {
    case 'app':
      return "did not send 'ready' (process.send('ready'), or READY=1 on the notify pipe)";
    case 'log-line':
      return 'wrote no line matching ready_log_line';
    case 'probes':
      return 'did not pass its readiness probe';
    case 'listening':
      // A cluster worker that does not serve (a queue consumer) never listens: say what to use instead.
      return 'did not listen on any port';
    case 'spawn':
      return 'was not ready';
  }
}
