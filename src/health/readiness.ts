// Where an instance's readiness comes from, read from its spec alone (pure): which sources count, and the
// deadline of the first ready. The unit gates `online` on it; config/ checks `process_healthy` dependencies
// against it (a dependency with no readiness source cannot be waited for).
import type { AppSpec } from '../config/spec.js';

/**
 * - `ipc`/`notify`: the app says it (`process.send('ready')`, `READY=1` on the notify pipe), with wait_ready;
 * - `log-line`: a stdout/stderr line matches `ready_log_line`;
 * - `startup-probe`/`readiness-probe`: the probe passes;
 * - `listening`: a cluster worker listens.
 */
export type ReadySource = 'ipc' | 'notify' | 'log-line' | 'listening' | 'startup-probe' | 'readiness-probe';

/**
 * The fields of a spec that say where its readiness comes from and how long it may take: an AppSpec, or
 * what `tend startup` reads leniently from dump.json (startup/timeouts.ts).
 */
export interface ReadinessFields {
  readonly wait_ready: boolean;
  readonly ready_log_line: string | null;
  readonly startup_probe: {
    readonly initial_delay_ms: number;
    readonly period_ms: number;
    readonly failure_threshold: number;
  } | null;
  readonly readiness_probe: object | null;
  readonly exec_mode: string;
  readonly listen_timeout: number;
  readonly listen_timeout_set: boolean;
}

/** The sources that gate the first ready of an incarnation, in the order the issue gives them. None: ready at spawn. */
export function readySources(spec: ReadinessFields): ReadySource[] {
  const sources: ReadySource[] = [];
  if (spec.wait_ready) sources.push('ipc', 'notify');
  if (spec.ready_log_line !== null) sources.push('log-line');
  if (spec.startup_probe !== null) sources.push('startup-probe');
  if (spec.readiness_probe !== null) sources.push('readiness-probe');
  if (spec.exec_mode === 'cluster') sources.push('listening');
  return sources;
}

/** Whether anything but the spawn itself says the app is ready (`process_healthy` needs one). */
export function hasReadinessSource(spec: ReadinessFields): boolean {
  return readySources(spec).length > 0;
}

/** The notify pipe (fd 3, TEND_NOTIFY_FD/NOTIFY_FD) is passed whenever wait_ready or watchdog_sec is set. */
export function usesNotifyPipe(spec: AppSpec): boolean {
  return spec.wait_ready || spec.watchdog_ms > 0;
}

/**
 * How long an incarnation may take to become ready before its start has failed (ms), or null: no deadline.
 * - a startup probe: none here (the probe's own budget, initial delay + period × failure threshold, fails it);
 * - IPC, notify, log line, cluster listening: listen_timeout;
 * - a readiness probe alone: listen_timeout when it was written, else none (waits, `waiting for readiness`).
 */
export function readyDeadline(spec: ReadinessFields): number | null {
  if (spec.startup_probe !== null) return null;
  const sources = readySources(spec).filter((s) => s !== 'readiness-probe');
  if (sources.length > 0) return spec.listen_timeout;
  if (spec.readiness_probe !== null) return spec.listen_timeout_set ? spec.listen_timeout : null;
  return null;
}

/**
 * The longest the first ready of an incarnation may take before its start has failed (ms): 0 when it is
 * ready at spawn; a startup probe's budget (initial delay + period × failure threshold); else readyDeadline;
 * null when tend waits without a deadline (a readiness probe alone, listen_timeout not written). What a
 * supervisor above tend must allow for a start: systemd's TimeoutStartSec (`tend startup`, `tend export`),
 * compose's start_period.
 */
export function readyBudget(spec: ReadinessFields): number | null {
  const p = spec.startup_probe;
  if (p !== null) return p.initial_delay_ms + p.period_ms * p.failure_threshold;
  if (!hasReadinessSource(spec)) return 0;
  return readyDeadline(spec);
}

/**
 * readyBudget, always bounded, for a supervisor above tend that needs a deadline (systemd's TimeoutStartSec,
 * compose's start_period): where tend waits without one (a readiness probe alone), the probe's first window
 * (initial delay + period × failure threshold), after which tend reports the app unready, not starting.
 */
export function boundedReadyBudget(spec: ReadinessFields): number {
  const budget = readyBudget(spec);
  if (budget !== null) return budget;
  const p = spec.readiness_probe as Partial<
    Record<'initial_delay_ms' | 'period_ms' | 'failure_threshold', unknown>
  >;
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
  return p ? n(p.initial_delay_ms) + n(p.period_ms) * n(p.failure_threshold) : 0;
}

/**
 * The signal that gates the first ready of an incarnation (the order; the first present wins): the
 * app's own (`wait_ready`), its log line, its probes, a cluster worker's listening; `spawn`: none.
 */
export type ReadyGate = 'app' | 'log-line' | 'probes' | 'listening' | 'spawn';

export function readyGate(spec: AppSpec): ReadyGate {
  if (spec.wait_ready) return 'app';
  if (spec.ready_log_line !== null) return 'log-line';
  if (spec.readiness_probe !== null || spec.startup_probe !== null) return 'probes';
  if (spec.exec_mode === 'cluster') return 'listening';
  return 'spawn';
}
