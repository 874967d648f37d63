// The timeline of GET /api/v1/timeline and the dashboard: the last noteworthy events (crashes and exits,
// restarts with their reason, readiness flips, reloads, errored, kills, deletes), kept from the moment the
// HTTP streams were opened. Built from the bus events as they pass; each entry keeps the event's id.
import type { TendEvent } from '../../protocol/events.js';
import type { InstanceIndex } from './instances.js';

export const TIMELINE_SIZE = 500;

export type TimelineKind =
  | 'crash'
  | 'exit'
  | 'restart'
  | 'ready'
  | 'unready'
  | 'reload'
  | 'errored'
  | 'killed'
  | 'deleted';

export interface TimelineEntry {
  seq: number;
  at: number;
  app: string;
  /** The instance number within the app; null when the instance was gone before it was seen. */
  instance_id: number | null;
  /** The daemon-wide process id (as `tend ls` shows it). */
  id: number;
  kind: TimelineKind;
  detail: Record<string, unknown>;
}

export class Timeline {
  private entries: TimelineEntry[] = [];
  /** Ids of instances a trigger is restarting: their stopping → launching is that restart, not a user's. */
  private readonly triggered = new Set<number>();

  constructor(
    private readonly index: InstanceIndex,
    private readonly now: () => number,
  ) {}

  list(): TimelineEntry[] {
    return [...this.entries];
  }

  /** Notes the event if it is noteworthy. Call before the event's own consequences are looked at. */
  note(seq: number, e: TendEvent): TimelineEntry | null {
    const entry = this.entryOf(seq, e);
    if (entry === null) return null;
    this.entries.push(entry);
    if (this.entries.length > TIMELINE_SIZE) this.entries.splice(0, this.entries.length - TIMELINE_SIZE);
    return entry;
  }

  private entryOf(seq: number, e: TendEvent): TimelineEntry | null {
    const at = this.now();
    const base = (id: number, app: string, kind: TimelineKind, detail: Record<string, unknown>) => ({
      seq,
      at,
      app,
      instance_id: this.index.instanceOf(id),
      id,
      kind,
      detail,
    });
    switch (e.event) {
      case 'process.exit': {
        const d = e.data;
        // The bus is synchronous: the unit has not moved on yet, so `stopping` means it was asked to go.
        const wanted = this.index.unit(d.id)?.status === 'stopping';
        const { code, signal, uptime_ms } = d.exit;
        return {
          ...base(d.id, d.name, wanted ? 'exit' : 'crash', { code, signal, uptime_ms, wanted }),
          at: d.exit.at,
        };
      }
      case 'process.restart-scheduled': {
        const d = e.data;
        return base(d.id, d.name, 'restart', {
          reason: d.reason,
          delay_ms: d.delay_ms,
          next_start_at: d.next_start_at,
        });
      }
      case 'process.triggered': {
        const d = e.data;
        this.triggered.add(d.id);
        return base(d.id, d.name, 'restart', { reason: d.reason, detail: d.detail });
      }
      case 'process.state': {
        const d = e.data;
        if (d.to === 'errored')
          return { ...base(d.id, d.name, 'errored', { reason: d.process.reason, from: d.from }), at: d.at };
        if (d.from === 'stopping' && d.to === 'launching') {
          if (this.triggered.delete(d.id)) return null; // noted as the trigger's restart
          return { ...base(d.id, d.name, 'restart', { reason: 'requested' }), at: d.at };
        }
        if (d.to === 'stopped' || d.to === 'online') this.triggered.delete(d.id);
        return null;
      }
      case 'process.ready': {
        const d = e.data;
        return {
          ...base(d.id, d.name, d.ready ? 'ready' : 'unready', { health: d.health, source: d.source }),
          at: d.at,
        };
      }
      case 'process.reload': {
        const d = e.data;
        return base(d.id, d.name, 'reload', {
          outcome: d.outcome,
          pid: d.pid,
          old_pid: d.old_pid,
          reason: d.reason,
        });
      }
      case 'process.killed': {
        const d = e.data;
        return base(d.id, d.name, 'killed', { pid: d.pid, signal: d.signal, timeout_ms: d.timeout_ms });
      }
      case 'process.deleted': {
        const d = e.data;
        const entry = base(d.id, d.name, 'deleted', {});
        this.triggered.delete(d.id);
        this.index.forget(d.id);
        return entry;
      }
      default:
        return null;
    }
  }
}
