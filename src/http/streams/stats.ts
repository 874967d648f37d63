// CPU and memory history per instance for GET /api/v1/stats and the dashboard's sparklines: one sample every
// 10 s, the last 15 minutes (90 points), taken from the supervisor's list (the same inspector `tend ls`
// reads: one /proc stat and statm read per running instance). Kept only while the HTTP streams are open;
// instances that are gone disappear from the history.
import type { ProcessInfo } from '../../protocol/process-info.js';

export const STATS_INTERVAL_MS = 10_000;
export const STATS_POINTS = 90;

export interface InstanceSeries {
  /** Fraction of one core (1 = one core busy), oldest first. */
  cpu: number[];
  /** Resident memory in bytes, oldest first. */
  memory: number[];
}

export interface StatsSnapshot {
  interval_ms: number;
  /** When the newest point was taken (epoch ms), null before the first sample. */
  at: number | null;
  /** Keyed `<app>:<instance_id>`; the newest point last; a younger instance has fewer points. */
  instances: Record<string, InstanceSeries>;
}

/** The newest point of each instance, sent as the `stats` event after each sample. */
export interface StatsPoint {
  interval_ms: number;
  at: number;
  instances: Record<string, { cpu: number; memory: number }>;
}

export const statsKey = (p: { name: string; instance: number }): string => `${p.name}:${p.instance}`;

export class StatsHistory {
  private series = new Map<string, InstanceSeries>();
  private at: number | null = null;

  constructor(
    readonly intervalMs = STATS_INTERVAL_MS,
    readonly points = STATS_POINTS,
  ) {}

  /** Adds one point per instance (0 for an instance without a process); drops instances not listed. */
  add(processes: readonly ProcessInfo[], at: number): StatsPoint {
    const next = new Map<string, InstanceSeries>();
    const latest: StatsPoint['instances'] = {};
    for (const p of processes) {
      const key = statsKey(p);
      if (next.has(key)) continue;
      const s = this.series.get(key) ?? { cpu: [], memory: [] };
      const running = p.pid !== null;
      // The inspector says percent of one core, rounded to 0.1: as a fraction, 3 decimals say the same.
      const cpu = running ? Math.round(p.cpu * 10) / 1000 : 0;
      const memory = running ? p.memory : 0;
      s.cpu.push(cpu);
      s.memory.push(memory);
      if (s.cpu.length > this.points) {
        s.cpu.splice(0, s.cpu.length - this.points);
        s.memory.splice(0, s.memory.length - this.points);
      }
      next.set(key, s);
      latest[key] = { cpu, memory };
    }
    this.series = next;
    this.at = at;
    return { interval_ms: this.intervalMs, at, instances: latest };
  }

  snapshot(): StatsSnapshot {
    const instances: Record<string, InstanceSeries> = {};
    for (const [key, s] of this.series) instances[key] = { cpu: [...s.cpu], memory: [...s.memory] };
    return { interval_ms: this.intervalMs, at: this.at, instances };
  }
}
