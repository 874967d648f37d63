// The process state machine: one pure table, (state, event) → (next state, effects). It is the only place
// that knows the edges; ProcessUnit executes the effects and is the only writer of its state.
// docs/state-machine.md draws it.
import type { Status } from '../protocol/process-info.js';

/**
 * What the user wants, kept apart from what is observed. `restart` is `up` plus "launch again as soon as the
 * current process has exited", whatever the restart policy would say; it shows as `up` outside the unit.
 */
export type Want = 'up' | 'down' | 'restart';

export interface UnitState {
  readonly status: Status;
  readonly want: Want;
}

/** The restart policy's reading of an exit (see restart-policy.ts). */
export type Verdict =
  | { kind: 'restart'; delayMs: number; reason: string }
  | { kind: 'done'; reason: string }
  | { kind: 'give-up'; reason: string };

export type UnitEvent =
  | { type: 'start' }
  | { type: 'stop' }
  /**
   * Everything is being stopped (Supervisor.stopAll: a shutdown, `tend kill`, `update`): wanted down from now
   * on, so nothing restarts, while the stop signal itself comes in the instance's turn (dependents first).
   * Without it an app waiting its turn was still wanted up: killed at the grace period's end, or crashing
   * meanwhile, it was restarted by its policy and outlived the runtime (sixth audit).
   */
  | { type: 'shutdown' }
  /**
   * `trigger`: asked by watch, memory limit or cron (the unit recorded it already, see noteTrigger).
   * `reason`: a fork instance restarted by a reload (counted as such in the app's metrics).
   */
  | { type: 'restart'; trigger?: string; reason?: 'reload' }
  /** Its dependencies are not there yet (deps/): it waits, wanted up, and nothing is spawned. */
  | { type: 'wait'; reason: string }
  /** A dependency failed or timed out while it waited: it stays down, wanted up, until started again. */
  | { type: 'block'; reason: string }
  /** `gated`: the process has a readiness source (health/readiness.ts) and stays launching until it is ready. */
  | { type: 'spawned'; gated: boolean }
  | { type: 'spawn-failed'; reason: string }
  | { type: 'ready' }
  /** No readiness within the deadline: a failed start (the unit recorded why). */
  | { type: 'ready-timeout' }
  /** The process must go and its exit be judged by the restart policy: a startup probe that failed, a
   * liveness probe, the watchdog (the unit recorded the cause first). */
  | { type: 'failed' }
  | { type: 'exited'; verdict: Verdict }
  | { type: 'kill-timeout' }
  | { type: 'restart-timer' }
  /** Zero-downtime reload (cluster workers): start a replacement beside the running process. */
  | { type: 'reload' }
  /** The replacement is ready (listening, or 'ready' with wait_ready). */
  | { type: 'successor-ready' }
  /** The replacement failed: not ready within listen_timeout, exited, or could not start. */
  | { type: 'successor-failed'; reason: string };

export type Effect =
  | { type: 'spawn' }
  /** Why the instance waits or is blocked (null: it no longer does). */
  | { type: 'hold'; reason: string | null }
  | { type: 'count-restart' }
  | { type: 'reset-unstable' }
  /** Graceful stop: optional 'shutdown' message, the kill signal, and the kill deadline timer. */
  | { type: 'signal' }
  | { type: 'kill' }
  | { type: 'start-ready-timer' }
  | { type: 'schedule-restart'; delayMs: number; reason: string }
  | { type: 'cancel-restart-timer' }
  /** Cancel the ready and kill timers: the process they were about is gone or settled. */
  | { type: 'clear-process-timers' }
  | { type: 'set-error'; reason: string | null }
  /** The process finished by itself and is not restarted (told apart from a user's stop). */
  | { type: 'complete'; reason: string }
  /** Start the replacement process of a reload (its own ready timer: listen_timeout). */
  | { type: 'spawn-successor' }
  /** The replacement becomes the instance's process; the old one is stopped gracefully. */
  | { type: 'promote-successor' }
  /** Abandon a pending replacement (stopped gracefully if it runs); the current process is untouched. */
  | { type: 'drop-successor'; reason: string };

export interface Transition {
  readonly next: UnitState;
  readonly effects: readonly Effect[];
}

const stay = (s: UnitState, want: Want = s.want): Transition => ({
  next: { status: s.status, want },
  effects: [],
});
const go = (status: Status, want: Want, ...effects: Effect[]): Transition => ({
  next: { status, want },
  effects,
});

/** Where an exit of a process that should be running leads, according to the policy's verdict. */
function afterExit(verdict: Verdict, want: Want): Transition {
  switch (verdict.kind) {
    case 'restart':
      return go('waiting-restart', want === 'restart' ? 'up' : want, {
        type: 'schedule-restart',
        delayMs: verdict.delayMs,
        reason: verdict.reason,
      });
    case 'done':
      return go('stopped', 'down', { type: 'complete', reason: verdict.reason });
    case 'give-up':
      return go('errored', 'up', { type: 'set-error', reason: verdict.reason });
  }
}

export function transition(s: UnitState, e: UnitEvent): Transition {
  const { status } = s;
  switch (e.type) {
    case 'start':
      if (status === 'stopped' || status === 'errored' || status === 'waiting' || status === 'blocked')
        return go(
          'launching',
          'up',
          { type: 'hold', reason: null },
          { type: 'reset-unstable' },
          { type: 'set-error', reason: null },
          { type: 'spawn' },
        );
      if (status === 'waiting-restart')
        return go(
          'launching',
          'up',
          { type: 'cancel-restart-timer' },
          { type: 'count-restart' },
          { type: 'spawn' },
        );
      // stopping while down: launch again once the old process is gone.
      if (status === 'stopping') return stay(s, s.want === 'down' ? 'restart' : s.want);
      return stay(s, 'up');

    case 'stop':
      if (status === 'online')
        return go('stopping', 'down', dropSuccessor('the instance was stopped during the reload'), {
          type: 'signal',
        });
      if (status === 'launching') return go('stopping', 'down', { type: 'signal' });
      if (status === 'waiting-restart') return go('stopped', 'down', { type: 'cancel-restart-timer' });
      if (status === 'errored') return go('stopped', 'down');
      if (status === 'waiting' || status === 'blocked')
        return go('stopped', 'down', { type: 'hold', reason: null });
      return stay(s, 'down');

    case 'shutdown':
      if (status === 'online')
        return go('online', 'down', dropSuccessor('the instance is being stopped (shutdown)'));
      if (status === 'waiting-restart') return go('stopped', 'down', { type: 'cancel-restart-timer' });
      if (status === 'waiting' || status === 'blocked')
        return go('stopped', 'down', { type: 'hold', reason: null });
      if (status === 'errored') return go('stopped', 'down');
      return stay(s, 'down');

    case 'wait':
      if (status === 'stopped' || status === 'errored' || status === 'blocked' || status === 'waiting')
        return go('waiting', 'up', { type: 'hold', reason: e.reason });
      return stay(s);

    case 'block':
      if (status === 'waiting') return go('blocked', 'up', { type: 'hold', reason: e.reason });
      return stay(s);

    case 'restart':
      if (status === 'online')
        return go(
          'stopping',
          'restart',
          dropSuccessor('the instance was restarted during the reload'),
          { type: 'reset-unstable' },
          { type: 'signal' },
        );
      if (status === 'launching')
        return go('stopping', 'restart', { type: 'reset-unstable' }, { type: 'signal' });
      if (status === 'stopping') return stay(s, 'restart');
      if (status === 'waiting-restart')
        return go(
          'launching',
          'up',
          { type: 'cancel-restart-timer' },
          { type: 'reset-unstable' },
          { type: 'count-restart' },
          { type: 'spawn' },
        );
      return go(
        'launching',
        'up',
        { type: 'hold', reason: null },
        { type: 'reset-unstable' },
        { type: 'set-error', reason: null },
        { type: 'count-restart' },
        { type: 'spawn' },
      );

    case 'spawned':
      if (status !== 'launching') return stay(s);
      return e.gated ? go('launching', s.want, { type: 'start-ready-timer' }) : go('online', s.want);

    case 'spawn-failed':
      if (status === 'launching' || status === 'stopping')
        return go(s.want === 'down' ? 'stopped' : 'errored', s.want === 'down' ? 'down' : 'up', {
          type: 'set-error',
          reason: e.reason,
        });
      return stay(s);

    case 'ready':
      if (status === 'launching') return go('online', s.want, { type: 'clear-process-timers' });
      return stay(s);

    case 'ready-timeout':
      // A process that never said it was ready is a failed start, never silently "online": stop it, and
      // let its exit go through the restart policy (want stays up, not restart).
      // Wanted down already (a shutdown began): it stays so.
      if (status === 'launching') return go('stopping', upUnlessDown(s.want), { type: 'signal' });
      return stay(s);

    case 'failed':
      // Startup probe, liveness probe, watchdog: stopped gracefully; the exit is judged like a crash.
      if (status === 'launching') return go('stopping', upUnlessDown(s.want), { type: 'signal' });
      if (status === 'online')
        return go('stopping', upUnlessDown(s.want), dropSuccessor('the instance failed during the reload'), {
          type: 'signal',
        });
      return stay(s);

    case 'exited':
      if (status === 'stopping') {
        if (s.want === 'down') return go('stopped', 'down', { type: 'clear-process-timers' });
        if (s.want === 'restart')
          return go(
            'launching',
            'up',
            { type: 'clear-process-timers' },
            { type: 'count-restart' },
            { type: 'spawn' },
          );
        return withClear(afterExit(e.verdict, s.want));
      }
      // Ended by itself once wanted down (a shutdown began, its stop signal not sent yet): never restarted,
      // whatever the verdict; it finished by itself, so it is `completed` and its exit code stands. The
      // history says why a restart or a give-up did not happen.
      if ((status === 'online' || status === 'launching') && s.want === 'down') {
        const reason =
          e.verdict.kind === 'done' ? e.verdict.reason : `${exitReason(e.verdict)}; not restarted: stopping`;
        const done = { kind: 'done' as const, reason };
        const t = withClear(afterExit(done, 'down'));
        if (status === 'launching') return t;
        return { next: t.next, effects: [dropSuccessor('the running process exited'), ...t.effects] };
      }
      if (status === 'online') {
        const t = withClear(afterExit(e.verdict, s.want));
        const drop = dropSuccessor('the running process exited during the reload');
        return { next: t.next, effects: [drop, ...t.effects] };
      }
      if (status === 'launching') return withClear(afterExit(e.verdict, s.want));
      return stay(s);

    case 'kill-timeout':
      if (status === 'stopping') return go('stopping', s.want, { type: 'kill' });
      return stay(s);

    case 'restart-timer':
      if (status === 'waiting-restart')
        return go('launching', s.want, { type: 'count-restart' }, { type: 'spawn' });
      return stay(s);

    case 'reload':
      // Only a process that serves can be replaced without downtime; anything else is restarted (started).
      if (status === 'online') return go('online', s.want, { type: 'spawn-successor' });
      return transition(s, { type: 'restart' });

    case 'successor-ready':
      // A user's reload counts as a restart, like `restart`; the replacement's own ready timer is its own.
      if (status === 'online')
        return go('online', s.want, { type: 'promote-successor' }, { type: 'count-restart' });
      return stay(s);

    case 'successor-failed':
      // The old process keeps serving: the status does not change, the failure is the reload's to report.
      return go(status, s.want, { type: 'drop-successor', reason: e.reason });
  }
}

/** Leaving `online`: a reload in progress is abandoned (a no-op without one). */
function dropSuccessor(reason: string): Effect {
  return { type: 'drop-successor', reason };
}

/** The policy's account of an exit without its verdict's tail (`(unstable 2/16)`, `; 17 unstable exits…`). */
function exitReason(verdict: Verdict): string {
  return verdict.reason.replace(/ \(unstable \d+\/\d+\)$/, '').split('; ')[0] ?? verdict.reason;
}

/** A failure keeps the instance wanted up (its exit goes to the policy), unless it is wanted down already. */
function upUnlessDown(want: Want): Want {
  return want === 'down' ? 'down' : 'up';
}

function withClear(t: Transition): Transition {
  return { next: t.next, effects: [{ type: 'clear-process-timers' }, ...t.effects] };
}

/** Every status and event type, for exhaustive table tests and docs. */
export const ALL_STATUSES: readonly Status[] = [
  'stopped',
  'waiting',
  'blocked',
  'launching',
  'online',
  'stopping',
  'waiting-restart',
  'errored',
];
