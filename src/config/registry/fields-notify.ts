// The registry's field of alerts and hooks (issue 14; src/alerts/ acts on it). Declared once here (see
// field.ts for what each entry means). Read from the app's spec when an event arrives: a change applies as
// soon as the app has its new spec.
import type { FieldDef } from './field.js';

export const NOTIFY_FIELDS = [
  {
    name: 'notify',
    kind: 'notify',
    doc: 'webhooks and commands told when the app crashes, restarts, errors, turns unhealthy, fails a reload or recovers; see [alerts](alerts.md)',
    group: 'alerts',
    change: 'restart',
  },
] as const satisfies readonly FieldDef[];
