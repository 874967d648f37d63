// PM2's saved list → tend ecosystem apps (issue 17, `tend import pm2`). Pure. PM2 saves one entry per
// instance, with its runtime state and its whole environment; tend's file wants one app per name with the
// fields that configure it. Every PM2 field is either mapped, PM2's own state (dropped: status, counters,
// monitoring), at PM2's default (dropped), or listed in `ignored` with its value: nothing vanishes unsaid.
import path from 'node:path';
import type { Pm2DumpEntry } from './dump-read.js';

export interface ImportOptions {
  /** PM2's home: log files at PM2's default place there move to tend's default place. */
  readonly pm2Home: string;
  /** The importing shell's environment: the app's variables with the same value are inherited anyway. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Keep every variable of the app's environment, inherited ones too. */
  readonly fullEnv: boolean;
}

export interface ImportResult {
  /** Ecosystem apps with tend's field names, in PM2's order. */
  readonly apps: Record<string, unknown>[];
  /** Names of the apps PM2 had stopped. */
  readonly stopped: string[];
  /** `app: field = value (why)`: PM2 settings tend has no meaning for. */
  readonly ignored: string[];
  /** What the user should know: renamed apps, moved logs, variables left out. */
  readonly notes: string[];
}

/** PM2 fields copied as they are (same name and meaning in tend). */
const SAME = [
  'autorestart',
  'ignore_watch',
  'watch_delay',
  'max_memory_restart',
  'cron_restart',
  'max_restarts',
  'min_uptime',
  'restart_delay',
  'exp_backoff_restart_delay',
  'kill_timeout',
  'listen_timeout',
  'wait_ready',
  'shutdown_with_message',
  'stop_exit_codes',
  'time',
  'log_date_format',
  'log_type',
  'kill_signal',
  'env_file',
  'increment_var',
] as const;

/** PM2 fields read into other tend fields (below). Also what tend-pm2's dump digests (home/tend-part.ts). */
export const MAPPED_KEYS = [
  'name',
  'namespace',
  'pm_exec_path',
  'args',
  'pm_cwd',
  'exec_interpreter',
  'node_args',
  'exec_mode',
  'instances',
  'env',
  'watch',
  'merge_logs',
  'instance_var',
  'pm_out_log_path',
  'pm_err_log_path',
  'pm_log_path',
] as const;
const MAPPED = new Set<string>([...MAPPED_KEYS, ...SAME]);

/** PM2's runtime state and bookkeeping: not configuration. */
const STATE = new Set([
  'status',
  'pm_uptime',
  'created_at',
  'restart_time',
  'unstable_restarts',
  'pm_id',
  'pm_pid_path',
  'axm_actions',
  'axm_monitor',
  'axm_options',
  'axm_dynamic',
  'km_link',
  'vizion_running',
  'node_version',
  '_pm2_version',
  'exit_code',
  '_tree_pids',
  'prev_restart_delay',
  'versioning',
  'version',
  'unique_id',
  'NODE_APP_INSTANCE',
  'username',
  'windowsHide',
  'pmx_module',
  // tend-pm2's own part of the entry (home/tend-part.ts): read by its resurrect, not an import's business.
  'tend',
]);

/** PM2 settings at PM2's default value mean nothing to carry over. */
const PM2_DEFAULTS: Readonly<Record<string, unknown>> = {
  vizion: true,
  pmx: true,
  automation: true,
  treekill: true,
  autostart: true,
  kill_retry_time: 100,
  source_map_support: true,
  disable_trace: true,
  trace: false,
};

/** Why tend ignores a PM2 setting, when there is more to say than "no such feature". */
const WHY: Readonly<Record<string, string>> = {
  treekill: 'tend always signals the whole process tree',
  autostart: 'every app of a file starts with it',
  kill_retry_time: 'tend sends SIGKILL once kill_timeout has passed',
  vizion: 'tend keeps no version-control metadata',
  filter_env: 'tend passes the environment of the shell that runs tend start',
};

/** Variables PM2 or the shell session add to every environment: never the app's own. */
const SESSION_VARS = new Set([
  'PM2_HOME',
  'PM2_USAGE',
  'PM2_INTERACTOR_PROCESSING',
  'PM2_JSON_PROCESSING',
  'PM2_PROGRAMMATIC',
  'PM2_DISCRETE_MODE',
  'unique_id',
  'pm_id',
  'NODE_APP_INSTANCE',
  '_',
  'PWD',
  'OLDPWD',
  'SHLVL',
]);

const show = (v: unknown) => JSON.stringify(v);
const JS = /\.[cm]?js$/i;

export function appsFromDump(entries: readonly Pm2DumpEntry[], opts: ImportOptions): ImportResult {
  const groups = new Map<string, Pm2DumpEntry[]>();
  for (const e of entries) {
    const key = `${String(e.namespace ?? 'default')}\0${e.name}`;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const result: ImportResult = { apps: [], stopped: [], ignored: [], notes: [] };
  const names = new Set<string>();
  let inherited = 0;
  const moved: string[] = [];
  for (const group of groups.values()) {
    const first = group[0] as Pm2DumpEntry;
    let name = first.name;
    // tend keeps one name per app; PM2 allows the same name in two namespaces.
    if (names.has(name)) {
      const renamed = `${name}-${String(first.namespace)}`;
      result.notes.push(
        `${name} (namespace ${String(first.namespace)}): imported as ${renamed}, tend keeps one app per name`,
      );
      name = renamed;
    }
    names.add(name);
    const env = envOf(first, opts);
    inherited += env.inherited;
    const app = appOf(name, group, env.vars, result);
    if (logPaths(app, first, group.length, opts.pm2Home)) moved.push(name);
    result.apps.push(app);
    if (group.every((e) => e.status === 'stopped')) result.stopped.push(name);
  }
  if (moved.length > 0)
    result.notes.push(
      `logs of ${moved.join(', ')} go to tend's logs folder ($TEND_HOME/logs); PM2's files stay in ${path.join(opts.pm2Home, 'logs')}`,
    );
  if (inherited > 0)
    result.notes.push(
      `${inherited} environment variable(s) equal to this shell's were left out: apps inherit the environment tend start runs in (--full-env keeps them)`,
    );
  return result;
}

function appOf(
  name: string,
  group: readonly Pm2DumpEntry[],
  env: Record<string, string>,
  result: ImportResult,
): Record<string, unknown> {
  const e = group[0] as Pm2DumpEntry;
  const app: Record<string, unknown> = { name, script: e.pm_exec_path };
  if (typeof e.namespace === 'string' && e.namespace !== 'default') app.namespace = e.namespace;
  if (typeof e.pm_cwd === 'string') app.cwd = e.pm_cwd;
  if (Array.isArray(e.args) && e.args.length > 0) app.args = e.args.map(String);
  const interpreter = e.exec_interpreter;
  if (typeof interpreter === 'string' && !(interpreter === 'node' && JS.test(e.pm_exec_path)))
    app.interpreter = interpreter;
  if (Array.isArray(e.node_args) && e.node_args.length > 0) app.node_args = e.node_args.map(String);
  const cluster = e.exec_mode === 'cluster_mode' || e.exec_mode === 'cluster';
  if (cluster || group.length > 1) {
    app.instances = group.length;
    app.exec_mode = cluster ? 'cluster' : 'fork';
  }
  if (group.length > 1 && e.merge_logs === true) app.merge_logs = true;
  if (e.watch === true || (Array.isArray(e.watch) && e.watch.length > 0)) app.watch = e.watch;
  for (const key of SAME) if (e[key] !== undefined && e[key] !== null) app[key] = e[key];
  // PM2 writes autorestart: true and instance_var: NODE_APP_INSTANCE for every app: tend's defaults too.
  if (app.autorestart === true) delete app.autorestart;
  if (typeof e.instance_var === 'string' && e.instance_var !== 'NODE_APP_INSTANCE')
    app.instance_var = e.instance_var;
  if (Object.keys(env).length > 0) app.env = env;
  for (const [key, value] of Object.entries(e)) {
    // env_<name> sections: the saved env has the one PM2 applied already.
    if (MAPPED.has(key) || STATE.has(key) || isEnvCopy(key, e) || key.startsWith('env_')) continue;
    if (key in PM2_DEFAULTS && isDefault(value, PM2_DEFAULTS[key])) continue;
    if (key === 'filter_env' && Array.isArray(value) && value.length === 0) continue;
    if (key === 'merge_logs') continue;
    result.ignored.push(`${name}: ${key} = ${show(value)}${WHY[key] ? ` (${WHY[key]})` : ''}`);
  }
  return app;
}

/** PM2 copies the environment into the entry itself: those keys are the env, not fields. */
function isEnvCopy(key: string, e: Pm2DumpEntry): boolean {
  const env = e.env as Record<string, unknown> | undefined;
  return env !== undefined && env !== null && typeof env === 'object' && key in env && !MAPPED.has(key);
}

function isDefault(value: unknown, dflt: unknown): boolean {
  return JSON.stringify(value) === JSON.stringify(dflt);
}

function envOf(e: Pm2DumpEntry, opts: ImportOptions): { vars: Record<string, string>; inherited: number } {
  const vars: Record<string, string> = {};
  let inherited = 0;
  const env = e.env && typeof e.env === 'object' ? (e.env as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(env)) {
    if (SESSION_VARS.has(k) || k === e.name) continue;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') continue;
    const value = String(v);
    if (!opts.fullEnv && opts.env[k] === value) {
      inherited += 1;
      continue;
    }
    vars[k] = value;
  }
  return { vars, inherited };
}

/**
 * PM2's log files: at PM2's default place (`$PM2_HOME/logs/<name>-out.log`), they move to tend's default
 * (`$TEND_HOME/logs`), said once; elsewhere they are kept, without the `-<n>` PM2 adds per instance (tend
 * adds its own `-<id>` when instances do not merge their logs).
 */
function logPaths(
  app: Record<string, unknown>,
  e: Pm2DumpEntry,
  instances: number,
  pm2Home: string,
): boolean {
  const logs = path.join(pm2Home, 'logs');
  const base = (p: string) => (instances > 1 ? p.replace(/-\d+(\.log)$/, '$1') : p);
  const pairs = [
    ['pm_out_log_path', 'out_file', `${e.name}-out.log`],
    ['pm_err_log_path', 'error_file', `${e.name}-error.log`],
  ] as const;
  let moved = false;
  for (const [from, to, pm2Default] of pairs) {
    const p = e[from];
    if (typeof p !== 'string') continue;
    if (base(p) === path.join(logs, pm2Default)) moved = true;
    else app[to] = base(p);
  }
  if (typeof e.pm_log_path === 'string') app.log_file = base(e.pm_log_path);
  return moved;
}
