// One shutdown budget for every target, so the orchestrator's deadline always covers tend-runtime's: the
// runtime gets the app's kill_timeout plus 2 s (`--grace-period`) and SIGKILLs what is left at its end; the
// target waits 3 s more before killing the runtime itself.
import type { AppSpec } from '../config/spec.js';
import { GO_DURATION_SECONDS_MAX, seconds } from './units.js';

/**
 * The longest --grace-period written: the deadline that covers it in a pod (5 s preStop + grace + 3 s) is
 * still a duration the kubelet can hold (units.ts), and it is written as digits, never `1e+21` (which
 * tend-runtime, compose and systemd all refuse). ~292 years: the app waits as if there were no deadline.
 */
export const GRACE_SECONDS_MAX = GO_DURATION_SECONDS_MAX - 8;

/** tend-runtime's --grace-period, in seconds. */
export function runtimeGraceSeconds(app: AppSpec): number {
  return Math.min(seconds(app.kill_timeout) + 2, GRACE_SECONDS_MAX);
}

/** Whether kill_timeout is longer than the grace period written (the renderers warn, systemd: infinity). */
export function graceClamped(app: AppSpec): boolean {
  return seconds(app.kill_timeout) + 2 > GRACE_SECONDS_MAX;
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

/** What a target takes over from tend-runtime, besides the app's dependencies (always the target's). */
export interface RuntimeHandOver {
  /**
   * The target runs the instances (Kubernetes' replicas, a Job's parallelism): `--instances 1`, each pod
   * runs one (without it, `instances: 4` gave 4 replicas of 4 instances: 16 processes).
   */
  readonly instances?: boolean;
  /**
   * As `instances`, in fork mode (`--single-instance`): a cluster app's pod runs its one instance without a
   * cluster primary (k8s-pod.ts says when).
   */
  readonly singleInstance?: boolean;
  /** The target runs the app on its cron_restart schedule (a CronJob): `--no-cron`. */
  readonly cron?: boolean;
}

/**
 * The tend-runtime arguments after the file: which app, which env, the shutdown budget. Every target runs
 * one app per unit, pod or service, so:
 * - `--only=<app>`, one word: an app named `-lead` would be read as an option after a separate `--only`;
 *   `--env=<name>` likewise (fifth audit: `--env -prod` was refused by tend-runtime, a crash loop);
 * - `--no-deps`: exactly that app, not what it depends on (the target orders or starts those: another unit,
 *   pod or service; without it each unit would start its own copy of its dependencies, and a one-shot
 *   dependency would keep a Type=oneshot unit or a service_completed_successfully condition from ending);
 * - `--secrets-from-env`: the variables that look secret are not written into the target (env.ts); the
 *   target sets them in the runtime's environment (EnvironmentFile=, a Secret's secretKeyRef, compose's
 *   environment), and that value wins over the one in the ecosystem file the image or host holds;
 * - `--no-env-file` when the app has an env_file: the target reads the file and sets its variables in the
 *   runtime's environment (EnvironmentFile=, envFrom, compose's env_file:); the runtime must not look for
 *   it (a pod has no such file, and a 0600 file of root's is readable by systemd, not by User=);
 * - `--instances 1` or `--single-instance`, `--no-cron`: what the target took over (RuntimeHandOver).
 */
export function runtimeArgs(app: AppSpec, envName: string | null, handOver: RuntimeHandOver = {}): string[] {
  return [
    `--only=${app.name}`,
    '--no-deps',
    '--secrets-from-env',
    ...(handOver.singleInstance ? ['--single-instance'] : handOver.instances ? ['--instances', '1'] : []),
    ...(handOver.cron && app.cron_restart !== null ? ['--no-cron'] : []),
    ...(app.env_file.length > 0 ? ['--no-env-file'] : []),
    ...(envName ? [`--env=${envName}`] : []),
    '--grace-period',
    `${runtimeGraceSeconds(app)}s`,
  ];
}
