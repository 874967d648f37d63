// When tend-runtime ends on its own, and with which exit code (issue 15): pure, fed each instance that
// reached an end state while the runtime was not shutting down. The orchestrator must learn the truth:
//
// - A failure ends the runtime with the app's own code (128+N for signal N): an exit with a non-zero code or
//   a signal that the policy did not restart (orchestrator mode: every exit; policy mode: autorestart off),
//   an app that became `errored` (its last code, 1 when it has none: a spawn failure; 1 when tend's own stops
//   made it so, below), or `blocked` (1).
// - An instance tend ended (not ready in time, a failed startup or liveness probe, the watchdog): 1; its
//   exit code only answers our stop signal.
// - orchestrator mode: a service (an app whose own autorestart is on) that exits, even with 0, ends the
//   runtime with that code: the orchestrator restarts it, not us.
// - A one-shot app (autorestart off) completing with 0 is done; once every instance has ended the runtime
//   exits 0 (a CronJob's success).
// - policy mode: a service that exits with one of its stop_exit_codes is done too (not restarted, as
//   declared), whatever the code: the other apps go on, and once every instance has ended, exit 0.
// - A one-shot app that had not completed when a shutdown stopped it (a Job's pod deleted, drained or evicted
//   mid-migration) ends the runtime with its own code: 143 when the stop signal ended it, or what it exited
//   with on it (seventh audit: exit 0, and the Job counted a migration that never finished as a success).
//   It exiting 0 on the signal is its own verdict; tend's SIGKILL (kill_timeout, the grace's end) is 1.
//   The same for a one-shot stopped on request (`tend stop` over the control socket) before it completed
//   (ninth audit).
// - `autoExit: false` (--no-auto-exit): only a signal ends the runtime. An app's end that would have ended
//   it (`Ending.app`) is held instead: /readyz fails for that app until it starts again (run.ts).
import { constants } from 'node:os';
import type { ProcessInfo } from '../protocol/process-info.js';
import type { RestartMode } from './args.js';

export interface Ending {
  code: number;
  /** What happened, for the runtime's message: `api [0] exited with code 3`. */
  why: string;
  /** The app whose end decides (a failure, or a service gone in orchestrator mode); absent once every app has completed. */
  app?: string;
}

export interface OutcomeRules {
  mode: RestartMode;
  autoExit: boolean;
  /** Apps whose own autorestart is on (before orchestrator mode turned it off). */
  services: ReadonlySet<string>;
  /** Each app's stop_exit_codes (absent: none), the codes that say "done, do not restart". */
  stopExitCodes?: ReadonlyMap<string, readonly number[]>;
}

/** Why tend itself ended an incarnation (supervisor/unit-health.ts's FailureCause). */
const TEND_CAUSES: ReadonlySet<string> = new Set([
  'ready_timeout',
  'startup_probe',
  'liveness',
  'watchdog',
  'memory',
]);

/** 128+N for signal N (the shell's convention, and Kubernetes'); the code itself otherwise. */
export function exitCodeOf(exit: { code: number | null; signal: string | null } | null): number | null {
  if (!exit) return null;
  if (exit.signal) {
    const n = (constants.signals as Record<string, number | undefined>)[exit.signal];
    return 128 + (n ?? 0);
  }
  return exit.code;
}

function how(p: ProcessInfo): string {
  const exit = p.last_exit;
  const label = `${p.name} [${p.id}]`;
  if (p.status === 'blocked') return `${label} is blocked${p.reason ? `: ${p.reason}` : ''}`;
  if (!exit) return `${label} ${p.status}${p.reason ? `: ${p.reason}` : ''}`;
  const what = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  // The reason of an app errored by its own crashes is that exit again, with its time: said once.
  const reason = p.reason?.startsWith(what) ? p.reason : p.reason ? `${what}; ${p.reason}` : what;
  return p.status === 'errored' ? `${label} is errored (${reason})` : `${label} ${what}`;
}

/**
 * `p` just reached `stopped`, `errored` or `blocked`; `everyEnded`: no instance is left running or due to
 * start again. Returns how the runtime ends, or null to go on.
 */
export function judgeEnd(rules: OutcomeRules, p: ProcessInfo, everyEnded: boolean): Ending | null {
  if (!rules.autoExit) return null;
  return appEnding(rules, p) ?? (everyEnded ? { code: 0, why: 'every app has ended' } : null);
}

/**
 * The part of judgeEnd that is about `p`'s app alone, whatever `autoExit`: how its end would end the runtime
 * (a failure, or a service gone in orchestrator mode), or null (a one-shot that completed, a stop on request,
 * still running). With --no-auto-exit, /readyz fails for such an app (run.ts).
 */
export function appEnding(rules: OutcomeRules, p: ProcessInfo): (Ending & { app: string }) | null {
  const app = p.name;
  if (p.status === 'blocked') return { code: 1, why: how(p), app };
  const code = exitCodeOf(p.last_exit);
  // Errored after tend's own stops (not ready in time, a probe, the watchdog): its last code answered our stop
  // signal (143), no verdict of the app's: 1, as in orchestrator mode (sixth audit).
  if (p.status === 'errored' && p.reason !== null && TEND_CAUSES.has(p.reason))
    return { code: 1, why: `${p.name} [${p.id}] is errored (${p.last_error ?? p.reason})`, app };
  if (p.status === 'errored') return { code: code === null || code === 0 ? 1 : code, why: how(p), app };
  if (p.status !== 'stopped') return null;
  // tend ended it (a failed start, a liveness or watchdog verdict): its exit code answers our stop signal,
  // it is no verdict of the app's. 1, with what failed.
  if (p.completed && p.reason !== null && TEND_CAUSES.has(p.reason))
    return { code: 1, why: `${p.name} [${p.id}] ${p.last_error ?? p.reason}`, app };
  // A one-shot stopped on request (`tend stop` on the control socket) before it completed had not
  // completed, as under a shutdown: its code, so the Job is Failed (ninth audit: exit 0, a migration cut
  // short counted as a success); tend's SIGKILL at the end of its kill_timeout: 1.
  if (!p.completed && !rules.services.has(p.name) && p.last_exit) {
    const cut = interruptedOneShot(rules, p, '"tend stop"');
    if (cut) return cut;
    if (p.last_exit.signal === 'SIGKILL')
      return {
        code: 1,
        why: `${p.name} [${p.id}] had not completed (killed by SIGKILL on "tend stop")`,
        app,
      };
  }
  // Not completed: stopped on request (`tend stop` on the control socket); its code is no verdict. In policy
  // mode a service completes only with one of its stop_exit_codes: declared done, not a failure; the others
  // go on (eighth audit: a declared code 3 ended the runtime with 3, and stopped the healthy apps).
  const declaredDone =
    rules.mode === 'policy' &&
    rules.services.has(p.name) &&
    p.last_exit?.signal === null &&
    code !== null &&
    (rules.stopExitCodes?.get(p.name)?.includes(code) ?? false);
  if (p.completed && code !== null && code !== 0 && !declaredDone) return { code, why: how(p), app };
  if (rules.mode === 'orchestrator' && p.completed && rules.services.has(p.name))
    return { code: 0, why: how(p), app };
  return null;
}

/**
 * `p` reached `stopped` answering the runtime's stop signal (not `completed`): a one-shot app (autorestart
 * off, before orchestrator mode) that ran and ended with a failure then had not completed: its code, so a
 * Job's pod is Failed and retried, not Succeeded. A service stopped so is a clean stop (null), and so is a
 * one-shot that exited 0 on the signal, or one that never ran (waiting for a dependency). tend's own SIGKILL
 * (its kill_timeout, the grace period's end) is null here: the runtime's "had to SIGKILL" rule gives 1.
 */
export function interruptedOneShot(
  rules: OutcomeRules,
  p: ProcessInfo,
  on = 'the stop signal',
): (Ending & { app: string }) | null {
  if (p.status !== 'stopped' || p.completed || rules.services.has(p.name)) return null;
  const exit = p.last_exit;
  if (!exit || exit.signal === 'SIGKILL') return null;
  const code = exitCodeOf(exit);
  if (code === null || code === 0) return null;
  const what = exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return { code, why: `${p.name} [${p.id}] had not completed (${what} on ${on})`, app: p.name };
}
