// `tend-pm2 describe <target>`: one table per instance with PM2's row names (status, name, restarts,
// script path, out log path, …), read from the PM2-shaped entry (../jlist-entry.ts). Pure.
import type { Pm2Entry } from '../jlist-entry.js';

const date = (ms: unknown) => (typeof ms === 'number' && ms > 0 ? new Date(ms).toISOString() : 'N/A');

export function describeRows(e: Pm2Entry): [string, string][] {
  const env = e.pm2_env;
  const args = Array.isArray(env.args) ? (env.args as string[]).join(' ') : '';
  const nodeArgs = Array.isArray(env.node_args) ? (env.node_args as string[]).join(' ') : '';
  const appEnv = (env.env ?? {}) as Record<string, string>;
  return [
    ['status', String(env.status)],
    ['name', e.name],
    ['namespace', String(env.namespace)],
    ['version', String(env.version)],
    ['restarts', String(env.restart_time)],
    ['uptime', env.status === 'online' ? date(env.pm_uptime) : '0'],
    ['script path', String(env.pm_exec_path)],
    ['script args', args || 'N/A'],
    ['error log path', String(env.pm_err_log_path)],
    ['out log path', String(env.pm_out_log_path)],
    ['pid path', String(env.pm_pid_path) || 'N/A'],
    ['interpreter', String(env.exec_interpreter)],
    ['interpreter args', nodeArgs || 'N/A'],
    ['script id', String(e.pm_id)],
    ['exec cwd', String(env.pm_cwd)],
    ['exec mode', String(env.exec_mode)],
    ['node.js version', process.versions.node],
    ['node env', appEnv.NODE_ENV ?? 'N/A'],
    ['watch & reload', env.watch ? '✔' : '✘'],
    ['unstable restarts', String(env.unstable_restarts)],
    ['created at', date(env.created_at)],
    ['pid', String(e.pid)],
    ['memory', String(e.monit.memory)],
    ['cpu', String(e.monit.cpu)],
  ];
}

export function renderDescribe(entries: readonly Pm2Entry[]): string {
  return entries
    .map((e) => {
      const rows = describeRows(e);
      const w = Math.max(...rows.map(([k]) => k.length));
      const v = Math.max(...rows.map(([, x]) => x.length));
      const bar = (l: string, m: string, r: string) => `${l}${'─'.repeat(w + 2)}${m}${'─'.repeat(v + 2)}${r}`;
      return [
        ` Describing process with id ${e.pm_id} - name ${e.name}`,
        bar('┌', '┬', '┐'),
        ...rows.map(([k, x]) => `│ ${k.padEnd(w)} │ ${x.padEnd(v)} │`),
        bar('└', '┴', '┘'),
        '',
      ].join('\n');
    })
    .join('\n');
}
