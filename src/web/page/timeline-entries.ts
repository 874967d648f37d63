// Live bus events as timeline entries, the way the server builds its own (src/http/streams/timeline.ts):
// the snapshot brings the server's recent entries, and the page appends the same shape as events stream in.
import type { ProcessInfo, TimelineEntry, TimelineKind } from './types.js';

/**
 * The entry for one bus event, or null when it is not noteworthy. `before`: the instance as the page knew it
 * before this event (an exit is published before the state change, so `stopping` means it was asked to go).
 * `triggered`: ids a restart trigger is restarting (their stopping → launching is already noted).
 */
export function entryOf(
  seq: number,
  name: string,
  d: Record<string, unknown>,
  before: ProcessInfo | undefined,
  triggered: Set<number>,
): TimelineEntry | null {
  const id = typeof d.id === 'number' ? d.id : -1;
  const at = typeof d.at === 'number' ? d.at : Date.now();
  const entry = (kind: TimelineKind, detail: Record<string, unknown>, when = at): TimelineEntry => ({
    seq,
    at: when,
    app: String(d.name ?? ''),
    instance_id: before?.instance ?? null,
    id,
    kind,
    detail,
  });
  switch (name) {
    case 'process.exit': {
      const exit = d.exit as { code: number | null; signal: string | null; uptime_ms: number; at: number };
      const wanted = before?.status === 'stopping';
      return entry(
        wanted ? 'exit' : 'crash',
        { code: exit.code, signal: exit.signal, uptime_ms: exit.uptime_ms, wanted },
        exit.at,
      );
    }
    case 'process.restart-scheduled':
      return entry(
        'restart',
        { reason: d.reason, delay_ms: d.delay_ms, next_start_at: d.next_start_at },
        Date.now(),
      );
    case 'process.triggered':
      triggered.add(id);
      return entry('restart', { reason: d.reason, detail: d.detail }, Date.now());
    case 'process.state': {
      const p = d.process as ProcessInfo;
      if (d.to === 'errored') return entry('errored', { reason: p.reason, from: d.from });
      if (d.from === 'stopping' && d.to === 'launching') {
        if (triggered.delete(id)) return null;
        return entry('restart', { reason: 'requested' });
      }
      if (d.to === 'stopped' || d.to === 'online') triggered.delete(id);
      return null;
    }
    case 'process.ready':
      return entry(d.ready ? 'ready' : 'unready', { health: d.health, source: d.source });
    case 'process.reload':
      return entry(
        'reload',
        { outcome: d.outcome, pid: d.pid, old_pid: d.old_pid, reason: d.reason },
        Date.now(),
      );
    case 'process.killed':
      return entry('killed', { pid: d.pid, signal: d.signal, timeout_ms: d.timeout_ms }, Date.now());
    case 'process.deleted':
      triggered.delete(id);
      return entry('deleted', {}, Date.now());
    default:
      return null;
  }
}
