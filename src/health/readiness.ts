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

/** The sources that gate the first ready of an incarnation, in the order the issue gives them. None: ready at spawn. */
export function readySources(spec: AppSpec): ReadySource[] {
  const sources: ReadySource[] = [];
  if (spec.wait_ready) sources.push('ipc', 'notify');
  if (spec.ready_log_line !== null) sources.push('log-line');
  if (spec.startup_probe !== null) sources.push('startup-probe');
  if (spec.readiness_probe !== null) sources.push('readiness-probe');
  if (spec.exec_mode === 'cluster') sources.push('listening');
  return sources;
}

/** Whether anything but the spawn itself says the app is ready (`process_healthy` needs one). */
export function hasReadinessSource(spec: AppSpec): boolean {
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
export function readyDeadline(spec: AppSpec): number | null {
  if (spec.startup_probe !== null) return null;
  const sources = readySources(spec).filter((s) => s !== 'readiness-probe');
  if (sources.length > 0) return spec.listen_timeout;
  if (spec.readiness_probe !== null) return spec.listen_timeout_set ? spec.listen_timeout : null;
  return null;
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
