// One probe's schedule for one incarnation: the first run at a given time, then one run per period, never
// two at once, each bounded by its timeout. It counts consecutive successes and failures; what they mean
// (ready, a failed start, a restart) is decided by its owner, InstanceProbes (probes.ts). With `align`, an
// HTTP or TCP probe that has passed once runs on the shared grid of its period (probe-grid.ts).
import type { ProbeSpec } from '../config/spec.js';
import type { Clock, Timer } from '../supervisor/ports.js';
import { gridOf, ProbeGrid } from './probe-grid.js';
import type { ProbeResult, ProbeTarget, RunProbe } from './probe-types.js';
import { messageOf } from './run-outcome.js';

export type ProbeKind = 'startup' | 'readiness' | 'liveness';

/** The latest run of any of an instance's probes, as `describe` shows it. */
export type LastProbe = { readonly kind: ProbeKind } & ProbeResult;

/**
 * The runner enforces the timeout itself (and an exec run's verdict waits for the killed command's exit, to
 * keep its output). The loop's own guard fires this much later: it only catches a runner that never settles,
 * and then counts the run as timed out and aborts it.
 */
export const RUNNER_GRACE_MS = 1000;

export interface LoopDeps {
  clock: Clock;
  run: RunProbe;
  target: ProbeTarget;
  /**
   * Once an HTTP or TCP probe has passed in this incarnation, its next runs go to the first multiple of its
   * period at or after their time (probe-grid.ts: one wake-up for all probes due then; each run at most one
   * period late, once). Exec probes never: their runs would queue for the exec slots all at once.
   */
  align?: boolean;
}

export class ProbeLoop {
  /** Consecutive successful runs (0 after a failure). */
  successes = 0;
  /** Consecutive failed runs (0 after a success). */
  failures = 0;
  private timer: Timer | null = null;
  private guard: Timer | null = null;
  /** Aborts the run in flight; kept from run to run until one is aborted (one fewer object per run). */
  private controller: AbortController | null = null;
  private inFlight = false;
  /** Bumped by stop(): a verdict carrying an older token belongs to a run that no longer counts. */
  private token = 0;
  /** Whether runs go on the grid: `align`, a socket probe, and a success this incarnation. */
  private onGrid = false;
  /** The grid instant the coming run is due at (its timer may fire a little later), or null off the grid. */
  private dueAt: number | null = null;

  constructor(
    readonly kind: ProbeKind,
    readonly spec: ProbeSpec,
    private readonly deps: LoopDeps,
    private readonly onResult: (result: LastProbe) => void,
  ) {}

  /** Schedules the first run at clock time `firstAt` (at once if that has passed). */
  begin(firstAt: number): void {
    this.stop();
    this.successes = 0;
    this.failures = 0;
    this.onGrid = false;
    this.dueAt = null;
    this.schedule(firstAt - this.deps.clock.now());
  }

  /** No more runs; a run in flight is aborted and its verdict ignored. */
  stop(): void {
    this.token++;
    this.timer?.cancel();
    this.timer = null;
    this.guard?.cancel();
    this.guard = null;
    if (this.inFlight) this.abortRun();
  }

  private abortRun(): void {
    this.inFlight = false;
    this.controller?.abort();
    this.controller = null;
  }

  private schedule(ms: number): void {
    this.timer = this.deps.clock.setTimer(Math.max(0, ms), this.fire);
  }

  private readonly fire = (): void => {
    this.timer = null;
    this.tick();
  };

  private tick(): void {
    const { clock, run, target } = this.deps;
    const { spec } = this;
    const token = this.token;
    const startedAt = clock.now();
    // On the grid, periods count from the instant the run was due: a timer that fired a few ms late must not
    // push the next run to the instant after.
    const from = this.dueAt ?? startedAt;
    this.dueAt = null;
    this.controller ??= new AbortController();
    const { signal } = this.controller;
    this.inFlight = true;
    let settled = false;
    const settle = (raw: ProbeResult): void => {
      if (settled || token !== this.token) return;
      settled = true;
      this.inFlight = false;
      this.guard?.cancel();
      this.guard = null;
      const took = clock.now() - startedAt;
      // A verdict that came after the timeout is a failure, whatever it says (Kubernetes: a probe that does
      // not answer in time has failed).
      const result =
        raw.ok && took > spec.timeout_ms
          ? { ...raw, ok: false, error: `took ${took} ms, over the timeout of ${spec.timeout_ms} ms` }
          : raw;
      if (result.ok) {
        this.successes++;
        this.failures = 0;
        this.onGrid ||= this.deps.align === true && !('exec' in spec.handler);
      } else {
        this.failures++;
        this.successes = 0;
      }
      this.onResult({ kind: this.kind, ...result });
      if (token !== this.token) return; // the owner stopped probing on this verdict
      // Never overlapping: the next run is a period after this one started, or at once if it ran longer.
      if (this.onGrid) {
        const next = ProbeGrid.due(from + spec.period_ms, spec.period_ms);
        // An instant already past (this run outlived its period): at once, and the period counts from then.
        this.dueAt = next >= clock.now() ? next : null;
        this.timer = gridOf(clock).at(next, spec.period_ms, this.fire);
      } else this.schedule(startedAt + spec.period_ms - clock.now());
    };
    // On the shared timers: the runs of one grid instant share their guard.
    this.guard = gridOf(clock).at(startedAt + spec.timeout_ms + RUNNER_GRACE_MS, 1, () => {
      this.guard = null;
      this.abortRun();
      const error = `timeout after ${spec.timeout_ms} ms`;
      settle({
        ok: false,
        at: startedAt,
        duration_ms: clock.now() - startedAt,
        exit_code: null,
        output: '',
        error,
      });
    });
    const failed = (err: unknown): ProbeResult => ({
      ok: false,
      at: startedAt,
      duration_ms: clock.now() - startedAt,
      exit_code: null,
      output: '',
      error: messageOf(err),
    });
    let pending: Promise<ProbeResult>;
    try {
      pending = run(spec.handler, target, spec.timeout_ms, signal);
    } catch (err) {
      pending = Promise.resolve(failed(err)); // a runner must not throw; if one does, the run failed
    }
    pending.then(settle, (err: unknown) => settle(failed(err)));
  }
}
