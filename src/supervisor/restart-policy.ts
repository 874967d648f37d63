// The restart policy: what an unexpected exit means. Pure: the caller passes the uptime it measured with its
// clock, so backoff schedules are tested by arithmetic, not by waiting.
import type { AppSpec } from '../config/spec.js';
import type { Verdict } from './transitions.js';

export type PolicySpec = Pick<
  AppSpec,
  | 'autorestart'
  | 'stop_exit_codes'
  | 'min_uptime'
  | 'max_restarts'
  | 'restart_delay'
  | 'exp_backoff_restart_delay'
  | 'exp_backoff_max_delay'
>;

export interface Counters {
  /** Consecutive unstable exits (exit before min_uptime, or a failed start). */
  readonly unstable: number;
  /** Consecutive crashes, for the exponential backoff; reset by a stable run. */
  readonly crashes: number;
}

export interface ExitFacts {
  readonly code: number | null;
  readonly signal: string | null;
  readonly uptimeMs: number;
  /** The start failed (e.g. no 'ready' within listen_timeout): unstable whatever the uptime. */
  readonly failedStart: boolean;
  /** Why tend ended the process (ready_timeout, liveness…), null for an exit of its own: the verdict says so. */
  readonly cause?: string | null;
}

export const BACKOFF_FACTOR = 1.5;

export function backoffDelay(base: number, cap: number, crashes: number): number {
  if (base <= 0) return 0;
  return Math.min(cap, Math.round(base * BACKOFF_FACTOR ** Math.max(0, crashes - 1)));
}

export function describeExit(f: Pick<ExitFacts, 'code' | 'signal' | 'uptimeMs'>): string {
  const how = f.signal ? `killed by ${f.signal}` : `exited with code ${f.code}`;
  return `${how} after ${f.uptimeMs} ms`;
}

export function decide(
  spec: PolicySpec,
  c: Counters,
  f: ExitFacts,
): { verdict: Verdict; counters: Counters } {
  const what = f.cause ? `${f.cause}: ${describeExit(f)}` : describeExit(f);
  if (!spec.autorestart)
    return { verdict: { kind: 'done', reason: `${what}; autorestart is off` }, counters: c };
  // A process tend stopped (a failed start, liveness, watchdog) did not choose its exit code.
  if (!f.cause && f.code !== null && f.signal === null && spec.stop_exit_codes.includes(f.code))
    return { verdict: { kind: 'done', reason: `${what}, a stop exit code` }, counters: c };

  const unstable = f.failedStart || f.uptimeMs < spec.min_uptime;
  const counters: Counters = unstable
    ? { unstable: c.unstable + 1, crashes: c.crashes + 1 }
    : { unstable: 0, crashes: 1 };
  if (counters.unstable > spec.max_restarts) {
    return {
      verdict: {
        kind: 'give-up',
        reason: `${what}; ${counters.unstable} unstable exits in a row (max_restarts ${spec.max_restarts}, min_uptime ${spec.min_uptime} ms)`,
      },
      counters,
    };
  }
  const delayMs =
    spec.exp_backoff_restart_delay > 0
      ? backoffDelay(spec.exp_backoff_restart_delay, spec.exp_backoff_max_delay, counters.crashes)
      : spec.restart_delay;
  const tail = unstable ? ` (unstable ${counters.unstable}/${spec.max_restarts})` : '';
  return { verdict: { kind: 'restart', delayMs, reason: `${what}${tail}` }, counters };
}
