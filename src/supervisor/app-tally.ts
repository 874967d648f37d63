// What an app has done since it was added to this daemon, counted for its Prometheus counters (issue 14,
// src/metrics): restarts by reason, reloads by result, output lines and bytes per stream. Plain numbers bumped
// where the thing happens (no event subscriber, no object per line), owned by the App so they never go down
// while the app exists (a scaled-down instance takes nothing with it) and vanish with it.

/** Why an instance was restarted (tend_app_restarts_total's `reason`; docs/metrics.md lists them). */
export type RestartReason =
  | 'crash'
  | 'exit'
  | 'ready_timeout'
  | 'startup_probe'
  | 'liveness'
  | 'watchdog'
  | 'memory'
  | 'cron'
  | 'watch'
  | 'manual'
  | 'reload';

export const RESTART_REASONS: readonly RestartReason[] = [
  'crash',
  'exit',
  'ready_timeout',
  'startup_probe',
  'liveness',
  'watchdog',
  'memory',
  'cron',
  'watch',
  'manual',
  'reload',
];

/** Output of the app's instances, written by the log sinks (logs/file-sink.ts). */
export interface LogCounts {
  outLines: number;
  outBytes: number;
  errLines: number;
  errBytes: number;
  /** Lines that never reached a log file (a line dropped from two files counts twice, as log_dropped). */
  dropped: number;
}

export class AppTally {
  readonly restarts: Record<RestartReason, number> = {
    crash: 0,
    exit: 0,
    ready_timeout: 0,
    startup_probe: 0,
    liveness: 0,
    watchdog: 0,
    memory: 0,
    cron: 0,
    watch: 0,
    manual: 0,
    reload: 0,
  };
  /** Rolling reloads of the app (one per `reload` of it): every instance replaced, or stopped at a failure. */
  readonly reloads = { success: 0, failed: 0 };
  readonly logs: LogCounts = { outLines: 0, outBytes: 0, errLines: 0, errBytes: 0, dropped: 0 };
}
