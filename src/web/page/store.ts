// The page's state, fed by the `snapshot` and the live events of GET /api/v1/events: the processes, their
// CPU/memory history (15 minutes), the timeline, the last restart reason of each instance and the progress
// of reloads. Views subscribe and redraw (coalesced to one frame); nothing here is polled.
import type { ProcessInfo, Series, Snapshot, Stats, StatsSample, TimelineEntry } from './types.js';

export type Topic = 'processes' | 'stats' | 'timeline' | 'connection';
const WINDOW_MS = 15 * 60_000;
const TIMELINE_MAX = 500;
/** The events the timeline shows (crashes, restarts, probe flips, reloads, kills, errored). */
const TIMELINE_EVENTS = new Set([
  'process.exit',
  'process.restart-scheduled',
  'process.ready',
  'process.reload',
  'process.triggered',
  'process.killed',
  'process.errored',
]);

export interface ReloadProgress {
  total: number;
  replaced: number;
  failed: number;
}

export class Store {
  readonly processes = new Map<number, ProcessInfo>();
  readonly stats = new Map<string, Series>();
  intervalMs = 2000;
  timeline: TimelineEntry[] = [];
  readonly lastRestart = new Map<number, { reason: string; at: number }>();
  readonly reloads = new Map<string, ReloadProgress>();
  connected = false;
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
    this.timeline = raw
      .map(normalise)
      .filter((e): e is TimelineEntry => e !== null)
      .slice(-TIMELINE_MAX);
    for (const e of this.timeline) this.noteRestart(e);
    this.emit('processes');
    this.emit('timeline');
  }

  setStats(stats: Stats): void {
    if (stats.interval_ms > 0) this.intervalMs = stats.interval_ms;
    this.stats.clear();
    for (const [key, series] of Object.entries(stats.instances ?? {}))
      this.stats.set(key, { cpu: [...series.cpu], memory: [...series.memory] });
    this.emit('stats');
  }

  addSample(sample: StatsSample): void {
    const max = Math.max(2, Math.ceil(WINDOW_MS / this.intervalMs));
    for (const [key, v] of Object.entries(sample.instances ?? {})) {
      const s = this.stats.get(key) ?? { cpu: [], memory: [] };
      this.stats.set(key, s);
      s.cpu.push(...([] as number[]).concat(v.cpu));
      s.memory.push(...([] as number[]).concat(v.memory));
      if (s.cpu.length > max) s.cpu.splice(0, s.cpu.length - max);
      if (s.memory.length > max) s.memory.splice(0, s.memory.length - max);
    }
    this.emit('stats');
  }

  /** One bus event from the SSE stream. */
  event(name: string, data: Record<string, unknown>): void {
    const id = typeof data.id === 'number' ? data.id : -1;
    const p = this.processes.get(id);
    let entry: TimelineEntry | null = null;
    switch (name) {
      case 'process.state': {
        this.processes.set(id, data.process as ProcessInfo);
        if (data.to === 'errored')
          entry = {
            at: num(data.at),
            event: 'process.errored',
            data: { ...data, reason: (data.process as ProcessInfo).reason },
          };
        break;
      }
      case 'process.ready':
        if (p)
          this.processes.set(id, {
            ...p,
            ready: data.ready === true,
            health: data.health as ProcessInfo['health'],
          });
        break;
      case 'process.exit': {
        const exit = data.exit as ProcessInfo['last_exit'];
        // Published before the state change: `stopping` means a stop or restart asked for it.
        const crash = p !== undefined && p.status !== 'stopping' && p.wanted === 'up';
        if (p) this.processes.set(id, { ...p, last_exit: exit, pid: null });
        entry = { at: exit?.at ?? Date.now(), event: name, data: { ...data, crash } };
        break;
      }
      case 'process.deleted':
        this.processes.delete(id);
        break;
      case 'process.reload': {
        const r = this.reloads.get(String(data.name));
        if (r && data.outcome === 'replaced') r.replaced++;
        if (r && data.outcome === 'failed') r.failed++;
        break;
      }
    }
    if (!entry && TIMELINE_EVENTS.has(name))
      entry = { at: num(data.at ?? data.next_start_at), event: name, data };
    if (entry) {
      if (name === 'process.restart-scheduled') entry.at = Date.now();
      this.noteRestart(entry);
      this.timeline.push(entry);
      if (this.timeline.length > TIMELINE_MAX) this.timeline.splice(0, this.timeline.length - TIMELINE_MAX);
      this.emit('timeline');
    }
    this.emit('processes');
  }

  private noteRestart(e: TimelineEntry): void {
    const id = e.data.id;
    if (typeof id !== 'number') return;
    if (e.event === 'process.restart-scheduled' || e.event === 'process.triggered')
      this.lastRestart.set(id, { reason: String(e.data.reason ?? e.event), at: e.at });
  }

  /** The time of the newest crash, for "jump to last crash". */
  lastCrash(): TimelineEntry | undefined {
    for (let i = this.timeline.length - 1; i >= 0; i--) {
      const e = this.timeline[i]!;
      if (isCrash(e)) return e;
    }
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

const num = (v: unknown): number => (typeof v === 'number' ? v : Date.now());

/** An exit nobody asked for: flagged live by the store, or by the server; otherwise judged by its status. */
export function isCrash(e: TimelineEntry): boolean {
  if (e.event !== 'process.exit') return false;
  if (typeof e.data.crash === 'boolean') return e.data.crash;
  const exit = e.data.exit as { code: number | null; signal: string | null } | undefined;
  if (!exit) return false;
  return (
    (exit.code !== null && exit.code !== 0) || (exit.signal !== null && !/^SIG(INT|TERM)$/.test(exit.signal))
  );
}

/** A timeline item from the server: `{ at, event, data }` (a bus event), or a flat `{ at, type|kind, … }`. */
export function normalise(raw: unknown): TimelineEntry | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  const event =
    typeof r.event === 'string'
      ? r.event
      : typeof r.type === 'string'
        ? r.type
        : typeof r.kind === 'string'
          ? r.kind
          : null;
  if (!event) return null;
  const data = (typeof r.data === 'object' && r.data !== null ? r.data : r) as Record<string, unknown>;
  const exitAt = (data.exit as { at?: number } | undefined)?.at;
  const at = typeof r.at === 'number' ? r.at : typeof data.at === 'number' ? data.at : (exitAt ?? Date.now());
  return { seq: typeof r.seq === 'number' ? r.seq : undefined, at, event, data };
}
