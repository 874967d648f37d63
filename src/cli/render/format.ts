// Small pure formatters shared by the table and describe views.
import type { ProcessInfo } from '../../protocol/process-info.js';
import { paint } from './style.js';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}D`;
}

export function formatBytes(bytes: number): string {
  if (bytes <= 0) return '0b';
  const units = ['b', 'kb', 'mb', 'gb', 'tb'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)}${units[i]}`;
}

/** The status with what happens next: `waiting-restart (in 3s)`. */
export function statusText(p: ProcessInfo, now: number): string {
  if (p.status === 'waiting-restart' && p.next_start_at !== null)
    return `waiting-restart (in ${formatDuration(p.next_start_at - now)})`;
  if (p.status === 'stopping' && p.kill_deadline_at !== null)
    return `stopping (kill in ${formatDuration(p.kill_deadline_at - now)})`;
  // Why it waits, is blocked, or is not online yet: `waiting (waiting for db (healthy), 12s/120s)`.
  if ((p.status === 'waiting' || p.status === 'blocked' || p.status === 'launching') && p.reason)
    return `${p.status} (${p.reason})`;
  return p.status;
}

/**
 * The READY column: `yes` while the process serves, `no` while it runs but is not ready (launching, or a
 * readiness probe failing), `-` with no process; `unhealthy` when a probe says so.
 */
export function readyText(p: ProcessInfo, colour: boolean): string {
  if (p.pid === null) return '-';
  const text = p.ready ? 'yes' : 'no';
  if (p.health === 'unhealthy') return paint('red', `${text} (unhealthy)`, colour);
  return p.ready ? text : paint('yellow', text, colour);
}

export function statusStyle(status: ProcessInfo['status']): 'green' | 'red' | 'yellow' | 'gray' {
  switch (status) {
    case 'online':
      return 'green';
    case 'errored':
      return 'red';
    case 'stopped':
      return 'gray';
    default:
      return 'yellow';
  }
}
