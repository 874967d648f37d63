// tend's processes in PM2's shape: one entry of `pm2 jlist` per instance, for the scripts, cron jobs and
// exporters that read `pm2_env.status`, `monit.memory` or `pm2_env.restart_time` (issue 17). Pure: from
// an instance's details as `process.describe` has them (the instance, its whole configuration, its log
// files); built in the daemon (daemon-entries.ts) for the `pm2.list` method. The shape is
// described in test/fixtures/pm2/jlist-shape.json and docs/pm2.md; values are PM2's words and units.
import type { ProcessDetail, Status } from '../protocol/process-info.js';

/** What PM2 calls each of tend's statuses. tend's dependency waits are "launching": wanted up, not yet run. */
const STATUS: Readonly<Record<Status, string>> = {
  stopped: 'stopped',
  waiting: 'launching',
  blocked: 'launching',
  launching: 'launching',
  online: 'online',
  stopping: 'stopping',
  'waiting-restart': 'waiting restart',
  errored: 'errored',
};

/** What an entry is made of: `process.describe`'s detail (its `config` is the app's AppSpec). */
export type Pm2Detail = Pick<ProcessDetail, 'process' | 'logs' | 'policies'> & { config: object };

export interface Pm2Entry {
  pid: number;
  name: string;
  pm2_env: Record<string, unknown>;
  pm_id: number;
  monit: { memory: number; cpu: number };
}

export interface EntryContext {
  /** Instances of each app name (PM2's `instances`). */
  readonly instances: ReadonlyMap<string, number>;
  /** The app's package.json version, or 'N/A' (PM2's `version`). */
  readonly version: (cwd: string) => string;
  /** PM2's `pm_pid_path`: the instance's pid file in a PM2 home, '' where tend writes none. */
  readonly pidPath: (name: string, id: number) => string;
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);

/** PM2's `exec_interpreter`: `node`, `none` (run directly), or the interpreter as given. */
function interpreterOf(interpreter: string | null, isNode: unknown): string {
  if (interpreter === null) return 'none';
  return isNode === true ? 'node' : interpreter;
}

export function pm2Entry(d: Pm2Detail, ctx: EntryContext): Pm2Entry {
  const p = d.process;
  const c = d.config as Readonly<Record<string, unknown>>;
  const env = (c.env ?? {}) as Record<string, string>;
  const running = p.pid !== null;
  const pm2_env: Record<string, unknown> = {
    // PM2 copies the app's environment into pm2_env too (`pm2_env.NODE_ENV`); its own keys win.
    ...env,
    name: p.name,
    namespace: p.namespace,
    version: ctx.version(p.cwd),
    exec_mode: p.mode === 'cluster' ? 'cluster_mode' : 'fork_mode',
    instances: ctx.instances.get(p.name) ?? 1,
    node_args: [...p.interpreter_args],
    args: [...p.args],
    watch: d.policies.watch !== false,
    autorestart: p.autorestart,
    max_restarts: c.max_restarts,
    min_uptime: c.min_uptime,
    restart_delay: c.restart_delay,
    kill_timeout: c.kill_timeout,
    ...(d.policies.max_memory_restart !== null ? { max_memory_restart: d.policies.max_memory_restart } : {}),
    ...(d.policies.cron_restart !== null ? { cron_restart: d.policies.cron_restart } : {}),
    merge_logs: c.merge_logs === true,
    ...(c.time === true ? { time: true, log_date_format: str(c.log_date_format) } : {}),
    instance_var: str(c.instance_var, 'NODE_APP_INSTANCE'),
    pm_exec_path: p.script,
    pm_cwd: p.cwd,
    exec_interpreter: interpreterOf(p.interpreter, c.is_node),
    pm_out_log_path: d.logs.out,
    pm_err_log_path: d.logs.err,
    // PM2 has this key only with a combined log file (`log_file`, `-l`).
    ...(d.logs.combined !== null ? { pm_log_path: d.logs.combined } : {}),
    // A PM2 home's pids/<name>-<id>.pid (pm2/home/pid-files.ts); '' in a tend home, which has none.
    pm_pid_path: ctx.pidPath(p.name, p.id),
    env: { ...env },
    NODE_APP_INSTANCE: p.instance,
    status: STATUS[p.status],
    pm_uptime: p.started_at ?? p.created_at,
    created_at: p.created_at,
    pm_id: p.id,
    restart_time: p.restarts,
    unstable_restarts: p.unstable_restarts,
    // Keys of PM2's monitoring agent (pmx), empty: tools iterate over them.
    axm_actions: [],
    axm_monitor: {},
    axm_options: {},
    axm_dynamic: {},
    ...(p.last_exit ? { exit_code: p.last_exit.code ?? 1 } : {}),
  };
  return {
    pid: running ? (p.pid as number) : 0,
    name: p.name,
    pm2_env,
    pm_id: p.id,
    monit: { memory: running ? p.memory : 0, cpu: running ? Math.round(p.cpu * 10) / 10 : 0 },
  };
}

/** Every instance, in id order, as PM2 lists them. */
export function pm2Entries(
  details: readonly Pm2Detail[],
  ctx: Pick<EntryContext, 'version' | 'pidPath'>,
): Pm2Entry[] {
  const instances = new Map<string, number>();
  for (const d of details) instances.set(d.process.name, (instances.get(d.process.name) ?? 0) + 1);
  return [...details]
    .sort((a, b) => a.process.id - b.process.id)
    .map((d) => pm2Entry(d, { ...ctx, instances }));
}
