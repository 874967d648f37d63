// The registry's fields of readiness, health probes, the rolling reload's gates and dependency ordering
// (issue 13; src/health/ and src/deps/ act on them). Declared once here (see field.ts for what each entry
// means). A change applies at the next spawn, like the restart policy's.
import type { FieldDef } from './field.js';

const PROBE_DOC =
  'exactly one handler (`http_get`, `tcp_socket` or `exec`) and Kubernetes timing; see [probes](#readiness-probes-and-dependencies)';

export const HEALTH_FIELDS = [
  {
    name: 'ready_log_line',
    kind: 'readyLogLine',
    doc: 'ready once a stdout or stderr line contains this text, or matches it written as /regex/flags',
    flags: [{ syntax: '--ready-log-line <text>' }],
    group: 'readiness and health',
    change: 'restart',
  },
  {
    name: 'on_ready_timeout',
    kind: 'onReadyTimeout',
    default: 'fail',
    doc: 'no readiness within listen_timeout: "fail" (a failed start) or "assume_ready" (PM2: online anyway)',
    flags: [{ syntax: '--on-ready-timeout <mode>' }],
    group: 'readiness and health',
    change: 'restart',
  },
  {
    name: 'watchdog_sec',
    kind: 'seconds',
    default: 0,
    defaultText: '0 (off)',
    specKey: 'watchdog_ms',
    doc: 'restart when the app sends no WATCHDOG=1 (or process.send("watchdog")) for this long',
    flags: [{ syntax: '--watchdog-sec <duration>' }],
    group: 'readiness and health',
    change: 'restart',
  },
  {
    name: 'startup_probe',
    kind: 'probe',
    doc: `checked until it first succeeds, the other probes waiting; its failure kills the instance (a failed start): ${PROBE_DOC}`,
    group: 'readiness and health',
    change: 'restart',
  },
  {
    name: 'readiness_probe',
    kind: 'readinessProbe',
    doc: `while it fails, the instance is not ready (never killed): ${PROBE_DOC}`,
    group: 'readiness and health',
    change: 'restart',
  },
  {
    name: 'liveness_probe',
    kind: 'probe',
    doc: `its failure restarts the instance (reason liveness): ${PROBE_DOC}`,
    group: 'readiness and health',
    change: 'restart',
  },
  {
    name: 'probe_via',
    kind: 'probeVia',
    doc: 'cluster mode: "any_worker" accepts that an HTTP or TCP probe on the shared port reaches any worker',
    group: 'readiness and health',
    change: 'restart',
  },
  {
    name: 'max_surge',
    kind: 'positiveCount',
    default: 1,
    doc: 'rolling reload: replacement workers started at a time',
    flags: [{ syntax: '--max-surge <n>' }],
    group: 'readiness and health',
    change: 'restart',
  },
  {
    name: 'min_ready_seconds',
    kind: 'seconds',
    default: 0,
    specKey: 'min_ready_ms',
    doc: 'rolling reload: how long a replacement stays ready before the worker it replaces stops',
    flags: [{ syntax: '--min-ready-seconds <duration>' }],
    group: 'readiness and health',
    change: 'restart',
  },
  {
    name: 'depends_on',
    kind: 'dependsOn',
    doc: 'apps started (and ready, by condition) before this one; see [dependencies](#readiness-probes-and-dependencies)',
    group: 'dependencies',
    change: 'restart',
  },
] as const satisfies readonly FieldDef[];
