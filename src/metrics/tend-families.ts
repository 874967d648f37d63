// tend's own metric families, built afresh at each scrape from the supervisor's state (no timer, no cache):
// per app, per instance (unless rollup_only), and the build. Labels are `app`, `namespace` and `instance_id`
// (the instance number in its app, 0..N-1) plus bounded enums (status, reason, stream, mode, probe) —
// never `instance` (Prometheus's target label) and never `pid` (it churns). Base units, `_total` counters.
// A deleted app or a scaled-down instance is simply absent from the next scrape. docs/metrics.md lists all.
// The samples go straight into text (text-format.ts): an app's and an instance's label text is rendered once
// and extended by constant pairs (`,status="online"`), so a scrape allocates little more than its output.

import { constants } from 'node:os';
import { basename } from 'node:path';
import type { AlertStat } from '../alerts/types.js';
import type { ProcessInfo, Status } from '../protocol/process-info.js';
import { RESTART_REASONS } from '../supervisor/app-tally.js';
import type { Supervisor } from '../supervisor/supervisor.js';
import { ALL_STATUSES } from '../supervisor/transitions.js';
import type { ProcessUnit } from '../supervisor/unit.js';
import { VERSION } from '../version.js';
import type { FamilyType } from './family.js';
import type { ReadUsage } from './proc-usage.js';
import { labelPair, TextFamily } from './text-format.js';

export interface TendFamiliesOptions {
  rollupOnly: boolean;
  usage: ReadUsage;
  /** Instances of an app that did not answer /metrics/apps, by app name (counted by the service). */
  scrapeErrors: ReadonlyMap<string, number>;
  /** The alerts service's counters (`daemon.alerts.stats()`): deliveries per app and kind of hook. */
  notifications?: readonly AlertStat[];
}

const PROBES = ['startup', 'readiness', 'liveness'] as const;

/** `,name="value"` for each value: the constant label pairs appended to an app's or an instance's labels. */
function pairs<V extends string>(name: string, values: readonly V[]): Record<V, string> {
  return Object.fromEntries(values.map((v) => [v, `,${labelPair(name, v)}`])) as Record<V, string>;
}

const STATUS = pairs('status', ALL_STATUSES);
const STATE = pairs('state', ALL_STATUSES);
const REASON = pairs('reason', RESTART_REASONS);
const RELOAD = pairs('result', ['success', 'failed']);
const STREAM = pairs('stream', ['stdout', 'stderr']);
const MODE = pairs('mode', ['user', 'system']);
const PROBE = pairs('probe', PROBES);
const RESULT = pairs('result', ['sent', 'failed', 'suppressed']);

type Add = (labels: string, value: number, pair?: string) => void;

class Families {
  readonly list: TextFamily[] = [];

  /** A new family; returns the function that adds its samples (labels as rendered text). */
  add(name: string, type: FamilyType, help: string): Add {
    const family = new TextFamily(name, help, type);
    this.list.push(family);
    return (labels, value, pair) => family.add(labels, value, pair);
  }
}

export function tendFamilies(supervisor: Supervisor, opts: TendFamiliesOptions): TextFamily[] {
  const f = new Families();
  const info = f.add(
    'tend_app_info',
    'gauge',
    'An app tend supervises (value 1): its exec mode and interpreter.',
  );
  const desired = f.add('tend_app_desired_instances', 'gauge', 'Instances the app is configured to run.');
  const instances = f.add('tend_app_instances', 'gauge', 'Instances of the app in each status.');
  const ready = f.add('tend_app_ready_instances', 'gauge', 'Instances of the app that are online and ready.');
  const restarts = f.add(
    'tend_app_restarts_total',
    'counter',
    'Restarts of any instance of the app since tend added it, by reason.',
  );
  const reloads = f.add('tend_app_reloads_total', 'counter', 'Rolling reloads of the app, by result.');
  const lines = f.add('tend_app_log_lines_total', 'counter', 'Lines the app wrote, by stream.');
  const bytes = f.add(
    'tend_app_log_bytes_total',
    'counter',
    'Bytes of whole lines the app wrote, by stream.',
  );
  const dropped = f.add(
    'tend_app_log_dropped_lines_total',
    'counter',
    "Lines of the app that never reached a log file (full disk, write error), or tend-runtime's gone stdout.",
  );
  const scrapeErrors = f.add(
    'tend_app_metrics_scrape_errors_total',
    'counter',
    'Instances of an app with metrics: true that did not answer a /metrics/apps scrape in time.',
  );

  const notifications = f.add(
    'tend_app_notifications_total',
    'counter',
    'Alerts of the app (notify hooks), by kind of hook and result: sent, failed (given up) or suppressed (rate limit).',
  );

  const perInstance = opts.rollupOnly ? null : instanceFamilies(f);
  for (const app of supervisor.apps()) {
    const { spec, tally } = app;
    const labels = `${labelPair('app', spec.name)},${labelPair('namespace', spec.namespace)}`;
    const interpreter = spec.interpreter === null ? 'none' : basename(spec.interpreter);
    info(`${labels},${labelPair('mode', spec.exec_mode)},${labelPair('interpreter', interpreter)}`, 1);
    desired(labels, spec.instances);
    const units = app.units();
    const snapshots = units.map((u) => u.info());
    const byStatus = new Map<Status, number>();
    let readyCount = 0;
    for (const p of snapshots) {
      byStatus.set(p.status, (byStatus.get(p.status) ?? 0) + 1);
      if (p.ready) readyCount++;
    }
    for (const status of ALL_STATUSES) instances(labels, byStatus.get(status) ?? 0, STATUS[status]);
    ready(labels, readyCount);
    for (const reason of RESTART_REASONS) restarts(labels, tally.restarts[reason], REASON[reason]);
    reloads(labels, tally.reloads.success, RELOAD.success);
    reloads(labels, tally.reloads.failed, RELOAD.failed);
    const { logs } = tally;
    lines(labels, logs.outLines, STREAM.stdout);
    lines(labels, logs.errLines, STREAM.stderr);
    bytes(labels, logs.outBytes, STREAM.stdout);
    bytes(labels, logs.errBytes, STREAM.stderr);
    dropped(labels, logs.dropped);
    if (spec.metrics && spec.is_node) scrapeErrors(labels, opts.scrapeErrors.get(spec.name) ?? 0);
    for (const stat of opts.notifications ?? []) {
      if (stat.app !== spec.name) continue;
      const hook = `${labels},${labelPair('hook', stat.kind)}`;
      for (const result of ['sent', 'failed', 'suppressed'] as const)
        notifications(hook, stat[result], RESULT[result]);
    }
    if (perInstance)
      for (const [i, u] of units.entries()) perInstance(u, snapshots[i] as ProcessInfo, labels, opts.usage);
  }

  f.add(
    'tend_build_info',
    'gauge',
    'The tend daemon serving these metrics (value 1).',
  )(`${labelPair('version', VERSION)},${labelPair('node', process.version)}`, 1);
  return f.list;
}

/** The per-instance families; returns what adds one instance's samples. */
function instanceFamilies(
  f: Families,
): (u: ProcessUnit, p: ProcessInfo, appLabels: string, usage: ReadUsage) => void {
  const up = f.add('tend_instance_up', 'gauge', '1 while the instance has a running process.');
  const ready = f.add('tend_instance_ready', 'gauge', '1 while the instance is online and ready.');
  const state = f.add(
    'tend_instance_state',
    'gauge',
    'The instance status: 1 for the current one, 0 for the others.',
  );
  const start = f.add(
    'tend_instance_start_time_seconds',
    'gauge',
    "Start of the instance's current process, in seconds since the Unix epoch.",
  );
  const restarts = f.add('tend_instance_restarts_total', 'counter', 'Restarts of the instance.');
  const exit = f.add(
    'tend_instance_last_exit_code',
    'gauge',
    "Exit code of the instance's last process (128 + the signal number when a signal ended it).",
  );
  const cpu = f.add(
    'tend_instance_cpu_seconds_total',
    'counter',
    "CPU time of the instance's current process, by mode (user, system).",
  );
  const rss = f.add(
    'tend_instance_resident_memory_bytes',
    'gauge',
    "Resident memory of the instance's current process.",
  );
  const fds = f.add(
    'tend_instance_open_fds',
    'gauge',
    "Open file descriptors of the instance's current process.",
  );
  const passed = f.add(
    'tend_instance_probe_successes_total',
    'counter',
    'Probe runs that passed, by probe (startup, readiness, liveness).',
  );
  const failed = f.add(
    'tend_instance_probe_failures_total',
    'counter',
    'Probe runs that failed, by probe (startup, readiness, liveness).',
  );

  return (u, p, appLabels, usage) => {
    const labels = `${appLabels},instance_id="${p.instance}"`;
    up(labels, p.pid === null ? 0 : 1);
    ready(labels, p.ready ? 1 : 0);
    for (const s of ALL_STATUSES) state(labels, s === p.status ? 1 : 0, STATE[s]);
    if (p.started_at !== null && p.pid !== null) start(labels, p.started_at / 1000);
    restarts(labels, p.restarts);
    if (p.last_exit !== null) exit(labels, exitCode(p.last_exit.code, p.last_exit.signal));
    const used = p.pid === null ? undefined : usage(p.pid);
    if (used !== undefined) {
      cpu(labels, used.userSeconds, MODE.user);
      cpu(labels, used.systemSeconds, MODE.system);
      rss(labels, used.residentBytes);
      if (used.openFds !== null) fds(labels, used.openFds);
    }
    const runs = u.health.probeRuns;
    for (const probe of PROBES) {
      if (u.spec[`${probe}_probe`] === null) continue;
      passed(labels, runs?.[probe].success ?? 0, PROBE[probe]);
      failed(labels, runs?.[probe].failure ?? 0, PROBE[probe]);
    }
  };
}

/** The shell's convention: a signal N is 128 + N. */
function exitCode(code: number | null, signal: string | null): number {
  if (code !== null) return code;
  const n = signal === null ? undefined : constants.signals[signal as NodeJS.Signals];
  return n === undefined ? -1 : 128 + n;
}
