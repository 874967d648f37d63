// The page's state, fed by the `snapshot` and the live events of GET /api/v1/events: the processes, their
// CPU/memory history (15 minutes), the timeline, the last restart reason of each instance and the progress
// of reloads. Views subscribe and redraw (coalesced to one frame); nothing here is polled.
import { entryOf } from './timeline-entries.js';
import type { ProcessInfo, Series, Snapshot, Stats, StatsPoint, TimelineEntry } from './types.js';

export type Topic = 'processes' | 'stats' | 'timeline' | 'connection';
const WINDOW_MS = 15 * 60_000;
const TIMELINE_MAX = 500;

export interface ReloadProgress {
  total: number;
  replaced: number;
  failed: number;
}

export class Store {
  readonly processes = new Map<number, ProcessInfo>();
  readonly stats = new Map<string, Series>();
  intervalMs = 10_000;
  /** When the newest CPU/memory sample was taken (0: none yet). */
  sampledAt = 0;
  timeline: TimelineEntry[] = [];
  readonly lastRestart = new Map<number, { reason: string; at: number }>();
  readonly reloads = new Map<string, ReloadProgress>();
  connected = false;
  private readonly triggered = new Set<number>();
  private readonly listeners = new Set<(topic: Topic) => void>();

  on(fn: (topic: Topic) => void): void {
    this.listeners.add(fn);
  }
  emit(topic: Topic): void {
    for (const fn of this.listeners) fn(topic);
  }

  setConnected(connected: boolean): void {
    if (this.connected === connected) return;
    this.connected = connected;
    this.emit('connection');
  }

  /** A fresh snapshot replaces everything (first connection, or a resume older than the server's buffer). */
  snapshot(s: Snapshot): void {
    this.processes.clear();
    for (const p of s.processes) this.processes.set(p.id, p);
    if (s.stats) this.setStats(s.stats);
    const raw = Array.isArray(s.timeline) ? s.timeline : (s.timeline?.events ?? []);
    this.timeline = raw.slice(-TIMELINE_MAX);
    this.lastRestart.clear();
    for (const e of this.timeline) this.noteRestart(e);
    this.emit('processes');
    this.emit('timeline');
  }

  setStats(stats: Stats): void {
    if (stats.interval_ms > 0) this.intervalMs = stats.interval_ms;
    this.sampledAt = stats.at ?? 0;
    this.stats.clear();
    for (const [key, series] of Object.entries(stats.instances ?? {}))
      this.stats.set(key, { cpu: [...series.cpu], memory: [...series.memory] });
    this.emit('stats');
  }

  /** One `stats` point: appended to each instance's series; instances not in it are gone. */
  addPoint(point: StatsPoint): void {
    if (point.interval_ms && point.interval_ms > 0) this.intervalMs = point.interval_ms;
    this.sampledAt = point.at ?? Date.now();
    const max = Math.max(2, Math.ceil(WINDOW_MS / this.intervalMs));
    for (const key of this.stats.keys()) if (!(key in point.instances)) this.stats.delete(key);
    for (const [key, v] of Object.entries(point.instances)) {
      const s = this.stats.get(key) ?? { cpu: [], memory: [] };
      this.stats.set(key, s);
      s.cpu.push(v.cpu);
      s.memory.push(v.memory);
      if (s.cpu.length > max) s.cpu.splice(0, s.cpu.length - max);
      if (s.memory.length > max) s.memory.splice(0, s.memory.length - max);
    }
    this.emit('stats');
  }

  /** One bus event from the SSE stream, with its id. */
  event(name: string, data: Record<string, unknown>, seq: number): void {
    const id = typeof data.id === 'number' ? data.id : -1;
    const before = this.processes.get(id);
    const entry = entryOf(seq, name, data, before, this.triggered);
    switch (name) {
      case 'process.state':
        this.processes.set(id, data.process as ProcessInfo);
        break;
      case 'process.ready':
        if (before)
          this.processes.set(id, {
            ...before,
            ready: data.ready === true,
            health: data.health as ProcessInfo['health'],
          });
        break;
      case 'process.exit':
        if (before) this.processes.set(id, { ...before, last_exit: data.exit as ProcessInfo['last_exit'] });
        break;
      case 'process.deleted':
        this.processes.delete(id);
        break;
      case 'process.reload': {
        // The instance stays online while its worker is replaced (no state event): the reload event
        // carries it as it is after the outcome (the new pid, the counted restart, a failure's last_error).
        if (before && data.process) this.processes.set(id, data.process as ProcessInfo);
        const r = this.reloads.get(String(data.name));
        if (r && data.outcome === 'replaced') r.replaced++;
        if (r && data.outcome === 'failed') r.failed++;
        break;
      }
    }
    if (entry) {
      this.noteRestart(entry);
      this.timeline.push(entry);
      if (this.timeline.length > TIMELINE_MAX) this.timeline.splice(0, this.timeline.length - TIMELINE_MAX);
      this.emit('timeline');
    }
    this.emit('processes');
  }

  private noteRestart(e: TimelineEntry): void {
    if (e.kind === 'restart')
      this.lastRestart.set(e.id, { reason: String(e.detail.reason ?? 'restart'), at: e.at });
  }

  /** The newest crash, for "jump to last crash". */
  lastCrash(): TimelineEntry | undefined {
    for (let i = this.timeline.length - 1; i >= 0; i--)
      if (this.timeline[i]!.kind === 'crash') return this.timeline[i];
    return undefined;
  }

  /** The instances of each app, by name, in instance order. */
  apps(): Map<string, ProcessInfo[]> {
    const apps = new Map<string, ProcessInfo[]>();
    for (const p of this.processes.values()) {
      const list = apps.get(p.name);
      if (list) list.push(p);
      else apps.set(p.name, [p]);
    }
    for (const list of apps.values()) list.sort((a, b) => a.instance - b.instance);
    return apps;
  }

  seriesOf(p: ProcessInfo): Series | undefined {
    return this.stats.get(`${p.name}:${p.instance}`);
  }
}
