// GET /api/v1/daemon: who the daemon is and what it costs (the dashboard's daemon panel).
import { VERSION } from '../version.js';
import type { ApiServices, ListenerInfo } from './types.js';

export interface DaemonInfo {
  version: string;
  pid: number;
  node: string;
  home: string;
  started_at: number;
  uptime_s: number;
  cpu_seconds: number;
  rss_bytes: number;
  listeners: ListenerInfo[];
}

export function daemonInfo(api: Pick<ApiServices, 'daemon' | 'listeners'>): DaemonInfo {
  const uptime = process.uptime();
  const cpu = process.cpuUsage();
  return {
    version: VERSION,
    pid: process.pid,
    node: process.version,
    home: api.daemon.paths.home,
    started_at: Math.round(Date.now() - uptime * 1000),
    uptime_s: Math.round(uptime * 1000) / 1000,
    cpu_seconds: (cpu.user + cpu.system) / 1e6,
    rss_bytes: process.memoryUsage.rss(),
    listeners: api.listeners(),
  };
}
