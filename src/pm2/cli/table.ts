// `tend-pm2 ls`: the process table with PM2's columns and words (id, name, namespace, version, mode, pid,
// uptime, ↺, status, cpu, mem, user, watching), drawn from the PM2-shaped entries (../jlist-entry.ts).
// Pure; no colour (scripts grep it; PM2's colours carry nothing the words do not).
import type { Pm2Entry } from '../jlist-entry.js';

const HEAD = [
  'id',
  'name',
  'namespace',
  'version',
  'mode',
  'pid',
  'uptime',
  '↺',
  'status',
  'cpu',
  'mem',
  'user',
  'watching',
];

/** PM2's short uptime: 12s, 5m, 3h, 2D. */
export function shortUptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86_400)}D`;
}

/** PM2's memory text: 512b, 12.3kb, 40.2mb, 1.1gb. */
export function shortBytes(bytes: number): string {
  const units = ['b', 'kb', 'mb', 'gb'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${v}b` : `${v.toFixed(1)}${units[u]}`;
}

export function rowOf(e: Pm2Entry, now: number, user: string): string[] {
  const env = e.pm2_env;
  const online = env.status === 'online';
  return [
    String(e.pm_id),
    e.name,
    String(env.namespace ?? 'default'),
    String(env.version ?? 'N/A'),
    env.exec_mode === 'cluster_mode' ? 'cluster' : 'fork',
    String(e.pid),
    online ? shortUptime(now - Number(env.pm_uptime ?? now)) : '0',
    String(env.restart_time ?? 0),
    String(env.status),
    `${e.monit.cpu}%`,
    shortBytes(e.monit.memory),
    user,
    env.watch ? 'enabled' : 'disabled',
  ];
}

export function renderPm2Table(entries: readonly Pm2Entry[], now: number, user: string): string {
  const rows = entries.map((e) => rowOf(e, now, user));
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (l: string, m: string, r: string) => `${l}${widths.map((w) => '─'.repeat(w + 2)).join(m)}${r}`;
  const row = (cells: readonly string[]) =>
    `│${cells.map((c, i) => ` ${c}${' '.repeat(widths[i]! - c.length)} `).join('│')}│`;
  return [
    line('┌', '┬', '┐'),
    row(HEAD),
    line('├', '┼', '┤'),
    ...rows.map(row),
    line('└', '┴', '┘'),
    '',
  ].join('\n');
}
