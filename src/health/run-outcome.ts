// The bookkeeping every real runner shares: one verdict per run, whatever comes first (the check, its
// timeout, the caller's abort), with the run's start time and duration filled in.
import { performance } from 'node:perf_hooks';
import { expandPort } from './port.js';
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
  const at = Date.now();
  const t0 = performance.now();
  let done = false;
  let resolve!: (r: ProbeResult) => void;
  const promise = new Promise<ProbeResult>((r) => {
    resolve = r;
  });
  const onAbort = (): void => self.finish({ ok: false, output: '', error: 'aborted' });
  const self: Outcome = {
    get done() {
      return done;
    },
    promise,
    finish(verdict) {
      if (done) return;
      done = true;
      signal?.removeEventListener('abort', onAbort);
      resolve({
        ok: verdict.ok,
        at,
        duration_ms: Math.round(performance.now() - t0),
        exit_code: verdict.exit_code ?? null,
        output: verdict.output,
        error: verdict.error,
      });
      cleanup();
    },
  };
  if (signal?.aborted) queueMicrotask(onAbort);
  else signal?.addEventListener('abort', onAbort, { once: true });
  return self;
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
  let timer: NodeJS.Timeout | undefined;
  const run = outcome(signal, () => {
    clearTimeout(timer);
    opened?.destroy();
  });
  if (run.done || signal?.aborted) return run.promise;
  const failed = (err: unknown) => run.finish({ ok: false, output: messageOf(err), error: messageOf(err) });
  try {
    const expanded = expandPort(port, target.env, target.instance);
    timer = setTimeout(() => {
      const error = `timeout after ${timeoutMs} ms`;
      run.finish({ ok: false, output: error, error });
    }, timeoutMs);
    opened = open(expanded, (verdict) => run.finish(verdict));
  } catch (err) {
    // A bad port, or options the request refuses synchronously (a header value with a newline…).
    failed(err);
  }
  return run.promise;
}
