// An instance's snapshot (ProcessInfo, what `jlist` shows) from the unit's parts, and its short `reason`.
// Pure: the unit gathers its state, this file only shapes it. Apart from unit.ts so the unit stays the
// executor of the table.
import type { AppSpec } from '../config/spec.js';
import { readyDeadline } from '../health/readiness.js';
import type { ExitInfo, Health, ProcessInfo, Status } from '../protocol/process-info.js';
import type { Usage } from './ports.js';
import type { TriggerTally } from './trigger-tally.js';
import type { FailureCause } from './unit-health.js';

export interface UnitParts {
  id: number;
  instance: number;
  spec: AppSpec;
  now: number;
  pid: number | null;
  startedAt: number | null;
  status: Status;
  wanted: 'up' | 'down';
  ready: boolean;
  health: Health;
  reason: string | null;
  completed: boolean;
  restarts: number;
  unstable: number;
  usage: Usage | undefined;
  lastExit: ExitInfo | null;
  lastError: string | null;
  nextStartAt: number | null;
  killDeadlineAt: number | null;
  createdAt: number;
  outLog: string;
  errLog: string;
  logDropped: number;
  triggers: ReturnType<TriggerTally['info']>;
}

/** The snapshot: what is and what will happen next (next_start_at, kill_deadline_at). */
export function snapshot(u: UnitParts): ProcessInfo {
  const { spec } = u;
  return {
    id: u.id,
    name: spec.name,
    namespace: spec.namespace,
    mode: spec.exec_mode,
    instance: u.instance,
    pid: u.pid,
    status: u.status,
    wanted: u.wanted,
    ready: u.ready,
    health: u.health,
    reason: u.reason,
    completed: u.completed,
    restarts: u.restarts,
    unstable_restarts: u.unstable,
    started_at: u.startedAt,
    uptime_ms: u.startedAt === null || u.status !== 'online' ? 0 : u.now - u.startedAt,
    cpu: u.usage?.cpu ?? 0,
    memory: u.usage?.memory ?? 0,
    last_exit: u.lastExit,
    last_error: u.lastError,
    next_start_at: u.nextStartAt,
    kill_deadline_at: u.killDeadlineAt,
    created_at: u.createdAt,
    script: spec.script,
    args: [...spec.args],
    cwd: spec.cwd,
    interpreter: spec.interpreter,
    interpreter_args: [...spec.interpreter_args],
    autorestart: spec.autorestart,
    out_log: u.outLog,
    err_log: u.errLog,
    log_dropped: u.logDropped,
    ...u.triggers,
  };
}

/**
 * A short why, for the statuses that need one: the dependency wait while `waiting`/`blocked`; the failure
 * cause (`ready_timeout`, `startup_probe`, `liveness`, `watchdog`) after a failed incarnation, or the head of
 * the error when errored; `waiting for readiness` while launching with no deadline.
 */
export function reasonOf(
  status: Status,
  hold: string | null,
  health: { cause: FailureCause | null; gated: boolean },
  lastError: string | null,
  spec: AppSpec,
  pid: number | null,
): string | null {
  if (status === 'waiting' || status === 'blocked') return hold;
  if (status === 'errored') return health.cause ?? shortError(lastError);
  if (status === 'waiting-restart' || status === 'stopped') return health.cause;
  if (status === 'launching' && health.gated && readyDeadline(spec) === null && pid !== null)
    return spec.startup_probe === null ? 'waiting for readiness' : 'waiting for the startup probe';
  return null;
}

/** The first clause of an error: `exited with code 1 after 20 ms; 16 unstable exits…` → its head. */
function shortError(error: string | null): string | null {
  if (error === null) return null;
  const head = error.split(';')[0] ?? error;
  return head.length > 120 ? `${head.slice(0, 117)}...` : head;
}
