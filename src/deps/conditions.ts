// Whether a dependency's condition holds, read from its instances as the snapshot shows them (pure), and the
// words a waiting or blocked app shows for it. A dependency that is still trying (launching, restarting after
// a crash, waiting for its own dependencies) is pending; only an errored or blocked one, one that was stopped,
// or one that is gone has failed: a crash and restart of db while api waits is not a failure.
import type { DependencyCondition, DependencySpec } from '../config/spec.js';

/** What a condition reads of one instance of the dependency (a ProcessInfo is one). */
export interface InstanceView {
  readonly status: string;
  readonly wanted: 'up' | 'down';
  readonly ready: boolean;
  readonly completed: boolean;
  readonly last_exit: { readonly code: number | null; readonly signal: string | null } | null;
}

export type Verdict = { kind: 'met' } | { kind: 'pending' } | { kind: 'failed'; reason: string };

const MET: Verdict = { kind: 'met' };
const PENDING: Verdict = { kind: 'pending' };

/** The condition as a waiting app's reason names it: `waiting for db (healthy)`. */
export function conditionLabel(condition: DependencyCondition): string {
  switch (condition) {
    case 'process_started':
      return 'started';
    case 'process_healthy':
      return 'healthy';
    case 'process_log_ready':
      return 'log ready';
    case 'process_completed':
      return 'completed';
    case 'process_completed_successfully':
      return 'completed successfully';
  }
}

export function isCompletion(condition: DependencyCondition): boolean {
  return condition === 'process_completed' || condition === 'process_completed_successfully';
}

/**
 * Judges one dependency from its instances (null: no app of that name). Every instance must meet the
 * condition; an app with no instance meets every condition.
 */
export function judge(dep: DependencySpec, instances: readonly InstanceView[] | null): Verdict {
  const { name, condition } = dep;
  if (instances === null) return failed(`dependency ${name} does not exist`);
  if (isCompletion(condition) && instances.every((i) => i.status === 'stopped' && i.completed)) {
    if (condition === 'process_completed') return MET;
    const bad = instances.find((i) => i.last_exit?.code !== 0);
    return bad ? failed(`dependency ${name} ${exitWords(bad.last_exit)}`) : MET;
  }
  if (!isCompletion(condition) && instances.every((i) => meets(condition, i))) return MET;
  if (instances.some((i) => i.status === 'errored')) return failed(`dependency ${name} errored`);
  if (instances.some((i) => i.status === 'blocked')) return failed(`dependency ${name} is blocked`);
  // An instance that completed is on its way for a completion condition (the others still run).
  const stopped = instances.find(
    (i) => i.status === 'stopped' && i.wanted === 'down' && !(i.completed && isCompletion(condition)),
  );
  if (stopped)
    return failed(
      stopped.completed && !isCompletion(condition)
        ? `dependency ${name} ${exitWords(stopped.last_exit)} (it completed)`
        : `dependency ${name} is stopped`,
    );
  return PENDING;
}

function meets(condition: DependencyCondition, i: InstanceView): boolean {
  if (condition === 'process_started') return i.status === 'launching' || i.status === 'online';
  // healthy and log_ready: the unit marks the instance ready from its readiness sources (the log line for
  // an app whose source is its ready_log_line), so both read the same fact.
  return i.status === 'online' && i.ready;
}

function exitWords(exit: InstanceView['last_exit']): string {
  if (exit === null) return 'stopped';
  return exit.signal !== null && exit.code === null
    ? `was ended by ${exit.signal}`
    : `exited with code ${exit.code}`;
}

function failed(reason: string): Verdict {
  return { kind: 'failed', reason };
}

/** `120s`, `1.5s`. */
export function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10}s`;
}

/**
 * A waiting app's reason: `waiting for db (healthy), 12s/120s` (`12s` with no timeout); several pending
 * dependencies are listed one after the other, `; `-separated.
 */
export function waitingReason(pending: readonly DependencySpec[], elapsedMs: number): string {
  const elapsed = `${Math.floor(Math.max(0, elapsedMs) / 1000)}s`;
  const parts = pending.map(
    (d) =>
      `${d.name} (${conditionLabel(d.condition)}), ${elapsed}${d.timeout_ms > 0 ? `/${seconds(d.timeout_ms)}` : ''}`,
  );
  return `waiting for ${parts.join('; ')}`;
}

/** A blocked app's reason after a dependency's timeout. */
export function timeoutReason(dep: DependencySpec): string {
  return `timed out after ${seconds(dep.timeout_ms)} waiting for ${dep.name} (${conditionLabel(dep.condition)})`;
}
