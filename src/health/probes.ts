// Kubernetes' probe semantics for one incarnation of one instance: the startup probe runs first and holds the
// others back; its failure fails the start. Then the readiness probe turns `ready` on and off (never kills)
// and the liveness probe asks for a restart. Time comes from the injected clock, runs from the injected
// runner, so unit tests drive it with fakes; the unit (supervisor/) owns one per instance and acts on the
// events. Health and readiness are per incarnation: start() resets them.
import type { ProbeSpec } from '../config/spec.js';
import type { Clock } from '../supervisor/ports.js';
import { type LastProbe, ProbeLoop } from './probe-loop.js';
import { failureText, type ProbeTarget, type RunProbe } from './probe-types.js';

export type ProbeHealth = 'unknown' | 'healthy' | 'unhealthy';

export interface ProbeEvents {
  /** The startup probe succeeded (once per incarnation), or at once inside start() when there is none. */
  startupPassed(): void;
  /** failure_threshold consecutive failures of the startup probe: the unit kills, a failed start. */
  startupFailed(reason: string): void;
  /** Only on changes: true at success_threshold consecutive successes, false at failure_threshold failures. */
  readiness(ready: boolean, reason: string | null): void;
  /** failure_threshold consecutive failures of the liveness probe: the unit restarts gracefully. */
  livenessFailed(reason: string): void;
  /** `health` changed (optional: the unit may read the getter instead). Called before the event that caused it. */
  healthChanged?(health: ProbeHealth): void;
  /** A run finished, whatever it changed (counted for the metrics, issue 14). */
  ran?(kind: 'startup' | 'readiness' | 'liveness', ok: boolean): void;
}

export interface InstanceProbeSpecs {
  startup: ProbeSpec | null;
  readiness: ProbeSpec | null;
  liveness: ProbeSpec | null;
}

type Verdict = 'pass' | 'fail' | null;

/**
 * How long a startup probe may take to pass before the start has failed (ms): the initial delay plus one
 * period per allowed failure (Kubernetes' formula). Runs that take longer than their period stretch it.
 */
export function startupBudgetMs(probe: ProbeSpec): number {
  return probe.initial_delay_ms + probe.period_ms * probe.failure_threshold;
}

export class InstanceProbes {
  private readonly startupLoop: ProbeLoop | null;
  private readonly readinessLoop: ProbeLoop | null;
  private readonly livenessLoop: ProbeLoop | null;
  private spawnedAt = 0;
  private isReady = false;
  private readinessVerdict: Verdict = null;
  private livenessVerdict: Verdict = null;
  private last: LastProbe | null = null;
  private reported: ProbeHealth = 'unknown';

  constructor(
    probes: InstanceProbeSpecs,
    target: ProbeTarget,
    private readonly deps: { clock: Clock; run: RunProbe; align?: boolean },
    private readonly events: ProbeEvents,
  ) {
    const loopDeps = { clock: deps.clock, run: deps.run, target, align: deps.align };
    const loop = (kind: 'startup' | 'readiness' | 'liveness', spec: ProbeSpec | null): ProbeLoop | null =>
      spec === null ? null : new ProbeLoop(kind, spec, loopDeps, (result) => this.onResult(result));
    this.startupLoop = loop('startup', probes.startup);
    this.readinessLoop = loop('readiness', probes.readiness);
    this.livenessLoop = loop('liveness', probes.liveness);
  }

  /**
   * A new incarnation was spawned: everything starts over from `unknown`. The startup probe runs first; with
   * none, startupPassed() is called before start() returns. Initial delays count from this call.
   */
  start(): void {
    this.stop();
    this.spawnedAt = this.deps.clock.now();
    this.isReady = false;
    this.readinessVerdict = null;
    this.livenessVerdict = null;
    this.last = null;
    this.reportHealth();
    if (this.startupLoop === null) this.startupDone();
    else this.startupLoop.begin(this.spawnedAt + this.startupLoop.spec.initial_delay_ms);
  }

  /** The incarnation ended: no more runs; verdicts of runs in flight are ignored (and the runs aborted). */
  stop(): void {
    this.startupLoop?.stop();
    this.readinessLoop?.stop();
    this.livenessLoop?.stop();
  }

  /**
   * - `unhealthy`: the readiness or the liveness probe has reached its failure threshold (one failed run is
   *   not enough: Kubernetes tolerates failure_threshold - 1 of them, and so does this);
   * - `healthy`: each of them has passed (readiness: success_threshold runs) since its last such verdict;
   * - `unknown`: no readiness or liveness probe, or no verdict yet this incarnation.
   */
  get health(): ProbeHealth {
    if (this.readinessLoop === null && this.livenessLoop === null) return 'unknown';
    if (this.readinessVerdict === 'fail' || this.livenessVerdict === 'fail') return 'unhealthy';
    const readinessOk = this.readinessLoop === null || this.readinessVerdict === 'pass';
    const livenessOk = this.livenessLoop === null || this.livenessVerdict === 'pass';
    return readinessOk && livenessOk ? 'healthy' : 'unknown';
  }

  /** What the readiness probe says now (false before its first verdict, and with no readiness probe). */
  get ready(): boolean {
    return this.isReady;
  }

  /** The latest run of any of the probes this incarnation, or null. */
  get lastProbe(): LastProbe | null {
    return this.last;
  }

  private startupDone(): void {
    const from = this.spawnedAt;
    this.readinessLoop?.begin(
      Math.max(this.deps.clock.now(), from + this.readinessLoop.spec.initial_delay_ms),
    );
    this.livenessLoop?.begin(Math.max(this.deps.clock.now(), from + this.livenessLoop.spec.initial_delay_ms));
    this.events.startupPassed();
  }

  private onResult(result: LastProbe): void {
    this.last = result;
    this.events.ran?.(result.kind, result.ok);
    if (result.kind === 'startup') this.onStartup(result);
    else if (result.kind === 'readiness') this.onReadiness(result);
    else this.onLiveness(result);
  }

  private onStartup(result: LastProbe): void {
    const loop = this.startupLoop!;
    if (result.ok) {
      loop.stop();
      this.startupDone();
      return;
    }
    if (loop.failures < loop.spec.failure_threshold) return;
    this.stop();
    this.events.startupFailed(`startup probe failed ${times(loop.failures)}: ${failureText(result)}`);
  }

  private onReadiness(result: LastProbe): void {
    const loop = this.readinessLoop!;
    if (result.ok && loop.successes >= loop.spec.success_threshold) {
      this.readinessVerdict = 'pass';
      this.reportHealth();
      if (!this.isReady) {
        this.isReady = true;
        this.events.readiness(true, null);
      }
    } else if (!result.ok && loop.failures >= loop.spec.failure_threshold) {
      const turned = this.readinessVerdict !== 'fail';
      this.readinessVerdict = 'fail';
      this.reportHealth();
      // Keeps probing: a readiness probe never ends the incarnation, and a later success makes it ready again.
      // Told when it turns failing before any ready too: a `tend start` waiting for an instance with no
      // ready deadline settles on that verdict (supervisor.ts; eighth audit: it waited in silence for ever).
      if (this.isReady || turned) {
        this.isReady = false;
        this.events.readiness(
          false,
          `readiness probe failed ${times(loop.failures)}: ${failureText(result)}`,
        );
      }
    }
  }

  private onLiveness(result: LastProbe): void {
    const loop = this.livenessLoop!;
    if (result.ok) {
      this.livenessVerdict = 'pass';
      this.reportHealth();
      return;
    }
    if (loop.failures < loop.spec.failure_threshold) return;
    this.livenessVerdict = 'fail';
    this.stop();
    this.reportHealth();
    this.events.livenessFailed(`liveness probe failed ${times(loop.failures)}: ${failureText(result)}`);
  }

  private reportHealth(): void {
    const now = this.health;
    if (now === this.reported) return;
    this.reported = now;
    this.events.healthChanged?.(now);
  }
}

/** `1 time`, `3 times`. */
const times = (n: number) => `${n} time${n === 1 ? '' : 's'}`;
