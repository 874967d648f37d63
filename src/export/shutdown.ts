// One shutdown budget for every target, so the orchestrator's deadline always covers tend-runtime's: the
// runtime gets the app's kill_timeout plus 2 s (`--grace-period`) and SIGKILLs what is left at its end; the
// target waits 3 s more before killing the runtime itself.
import type { AppSpec } from '../config/spec.js';
import { seconds } from './units.js';

/** tend-runtime's --grace-period, in seconds. */
export function runtimeGraceSeconds(app: AppSpec): number {
  return seconds(app.kill_timeout) + 2;
}

/** What the target waits between its stop signal and SIGKILL (TimeoutStopSec, stop_grace_period). */
export function targetStopSeconds(app: AppSpec): number {
  return runtimeGraceSeconds(app) + 3;
}

/** Signals tend-runtime takes as "shut down"; others (HUP, USR1, USR2) mean reload or are forwarded. */
export const SHUTDOWN_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGQUIT'] as const;

/** The stop signal for the runtime: the app's kill_signal when the runtime reads it as a shutdown, else null. */
export function runtimeStopSignal(app: AppSpec): string | null {
  return (SHUTDOWN_SIGNALS as readonly string[]).includes(app.kill_signal) ? app.kill_signal : null;
}

/** The tend-runtime arguments after the file: which app, which env, the shutdown budget. */
export function runtimeArgs(app: AppSpec, envName: string | null): string[] {
  return [
    '--only',
    app.name,
    ...(envName ? ['--env', envName] : []),
    '--grace-period',
    `${runtimeGraceSeconds(app)}s`,
  ];
}
