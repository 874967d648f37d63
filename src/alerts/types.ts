// The shapes the alerts service passes around: an alert (what happened to one instance), the hooks it goes
// to, and the counters and delivery reports it exposes. Types only: importing this file loads nothing.
import type { AlertEvent, NotifySpec } from '../config/spec.js';

export type { AlertEvent } from '../config/spec.js';

/** One thing that happened to one instance, as hooks are told about it (docs/alerts.md). */
export interface Alert {
  readonly event: AlertEvent;
  readonly app: string;
  readonly namespace: string;
  /** The instance number within the app (0..N-1), as the metrics label it. */
  readonly instance_id: number;
  /** The instance's tend id (`tend describe <id>`). */
  readonly id: number;
  /** What happened, in tend's words (`exited with code 1 after 420 ms`, `liveness: HTTP 503`, …). */
  readonly reason: string;
  readonly exit_code: number | null;
  readonly signal: string | null;
  /** When (epoch ms, the daemon's clock). */
  readonly at: number;
  /** The instance's last stderr lines, oldest first (empty for `recovered`). */
  readonly stderr: readonly string[];
}

/** Where an alert's hooks come from: the app's own `notify`, or the settings file's (every app). */
export interface HookSet {
  readonly scope: 'app' | 'global';
  readonly notify: NotifySpec;
  /** Exec hooks run here: the app's cwd, or the daemon's home for the global ones. */
  readonly cwd: string;
}

export type HookKind = 'webhook' | 'exec';

/** Counters per app and kind of hook, for `alerts.stats()` (the metrics can expose them). */
export interface AlertStat {
  readonly app: string;
  readonly kind: HookKind;
  /** Delivered: a 2xx answer, or a command that exited 0. */
  readonly sent: number;
  /** Given up: every try failed, the command failed or timed out. */
  readonly failed: number;
  /** Not sent: over the hook's max_per_minute for this app. */
  readonly suppressed: number;
}

/** One step of a delivery, told to `onDelivery` (tests wait on these instead of on the clock). */
export interface DeliveryReport {
  readonly kind: HookKind;
  readonly app: string;
  readonly event: AlertEvent;
  readonly outcome: 'sent' | 'failed' | 'suppressed' | 'retrying';
  /** Tries made so far (webhooks; 1 for exec). */
  readonly attempt: number;
  /** `HTTP 200`, `HTTP 500`, `timeout after 5000 ms`, `exit code 1: …`. */
  readonly detail: string;
}
