// The words and defaults of the `notify` grammar (issue 14: alerts and hooks), as plain data: the value type
// (notify-field.ts), the JSON Schema (json-schema-notify.ts), the alerts service (src/alerts/) and the docs
// read them without loading a schema library.
import type { AlertEvent, WebhookHook } from './spec.js';

/** Every alert event, in the order docs/alerts.md lists them. */
export const ALERT_EVENTS = [
  'crash',
  'restart',
  'errored',
  'unhealthy',
  'reload_failed',
  'recovered',
] as const satisfies readonly AlertEvent[];

/** The events a hook gets when it names none: the ones someone should look at. */
export const DEFAULT_ALERT_EVENTS: readonly AlertEvent[] = ['crash', 'errored', 'unhealthy', 'reload_failed'];

export const WEBHOOK_FORMATS = [
  'json',
  'slack',
  'discord',
] as const satisfies readonly WebhookHook['format'][];

export const NOTIFY_DEFAULTS = {
  /** A webhook request (one try) may take this long. */
  webhook_timeout_ms: 5000,
  /** An exec hook is killed (its process group, SIGKILL) after this long. */
  exec_timeout_ms: 10_000,
  /** Deliveries per minute per app and hook. */
  max_per_minute: 10,
} as const;

/** The keys of a webhook object and of an exec object, for messages and the JSON Schema. */
export const WEBHOOK_KEYS = ['url', 'events', 'format', 'secret', 'timeout', 'max_per_minute'] as const;
export const EXEC_KEYS = ['command', 'events', 'timeout', 'max_per_minute'] as const;
