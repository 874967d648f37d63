// The bookkeeping every real runner shares: one verdict per run, whatever comes first (the check, its
// timeout, the caller's abort), with the run's start time and duration filled in.

import { realClock } from '../runtime/clock.js';
import { monotonicMs } from '../runtime/utc-time.js';
import type { Timer } from '../supervisor/ports.js';
import { expandPort } from './port.js';
import { gridOf } from './probe-grid.js';
import type { ProbeResult, ProbeTarget } from './probe-types.js';

export type Verdict = Pick<ProbeResult, 'ok' | 'output' | 'error'> & { exit_code?: number | null };

export interface Outcome {
  /** Settles the run once; later calls are ignored. */
  finish(verdict: Verdict): void;
  readonly done: boolean;
  readonly promise: Promise<ProbeResult>;
}

/**
 * A run that resolves at its first verdict. `cleanup` runs once, right after it (destroy the socket, kill
 * the group…). An abort of `signal` is a verdict (`aborted`); the timeout is the runner's own business
 * because what it means differs (exec waits for the killed process to exit, to keep its output).
 */
export function outcome(signal: AbortSignal | undefined, cleanup: () => void): Outcome {
  return new Run(signal, cleanup);
}

/** outcome()'s object: a class, not a literal of closures (the daemon runs V8 without a JIT; this is per run). */
class Run implements Outcome {
  private readonly at = Date.now();
  private readonly t0 = monotonicMs();
  private settled = false;
  private resolve!: (r: ProbeResult) => void;
  readonly promise = new Promise<ProbeResult>((r) => {
    this.resolve = r;
  });
  private readonly onAbort = (): void => this.finish({ ok: false, output: '', error: 'aborted' });

  constructor(
    private readonly signal: AbortSignal | undefined,
    private readonly cleanup: () => void,
  ) {
    if (signal === undefined) return;
    if (signal.aborted) queueMicrotask(this.onAbort);
    else signal.addEventListener('abort', this.onAbort, { once: true });
  }

  get done(): boolean {
    return this.settled;
  }

  finish(verdict: Verdict): void {
    if (this.settled) return;
    this.settled = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.resolve({
      ok: verdict.ok,
      at: this.at,
      duration_ms: Math.round(monotonicMs() - this.t0),
      exit_code: verdict.exit_code ?? null,
      output: verdict.output,
      error: verdict.error,
    });
    this.cleanup();
  }
}

/** An error's message for a result (`connect ECONNREFUSED 127.0.0.1:3000`). */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** What a socket probe opened, to be destroyed at its verdict (whichever comes first). */
export interface Opened {
  destroy(): void;
}

/**
 * The frame the HTTP and TCP probes share: the port expanded for the instance (a bad one is the verdict), one
 * timeout for the whole run (connect, send, answer; not each idle gap of it), and what `open` made destroyed
 * at the verdict. `open` reports through `finish`; a throw in it is the verdict too.
 */
export function socketRun(
  port: number | string,
  target: ProbeTarget,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  open: (port: number, finish: (verdict: Verdict) => void) => Opened,
): Promise<ProbeResult> {
  let opened: Opened | undefined;
  let timer: Timer | undefined;
  const run = outcome(signal, () => {
    timer?.cancel();
    opened?.destroy();
  });
  if (run.done || signal?.aborted) return run.promise;
  try {
    const expanded = portOf(port, target);
    // On the shared timers: the runs that start in the same millisecond (probes on the grid) share one.
    timer = gridOf(realClock).at(Date.now() + timeoutMs, 1, () => {
      const error = `timeout after ${timeoutMs} ms`;
      run.finish({ ok: false, output: error, error });
    });
    opened = open(expanded, (verdict) => run.finish(verdict));
  } catch (err) {
    // A bad port, or a request the runner refuses (a header value with a newline…).
    run.finish({ ok: false, output: messageOf(err), error: messageOf(err) });
  }
  return run.promise;
}

/** The last expansion of a probe port per instance: the same as long as the port and the app's PORT are. */
const expansions = new WeakMap<
  ProbeTarget,
  { port: number | string; env: string | undefined; value: number }
>();

function portOf(port: number | string, target: ProbeTarget): number {
  if (typeof port === 'number') return expandPort(port, target.env, target.instance);
  const env = target.env.PORT;
  const known = expansions.get(target);
  if (known !== undefined && known.port === port && known.env === env) return known.value;
  const value = expandPort(port, target.env, target.instance);
  expansions.set(target, { port, env, value });
  return value;
}
