// GET /api/v1/events: a `snapshot` (processes, timeline, stats), then every bus event as it happens
// (`event: process.exit`, …) and a `stats` point after each sample. One bus listener for all clients, from
// the moment the streams open: each event gets the next id, is noted in the timeline, kept (as its frame)
// in a ring of the last RING_EVENTS for Last-Event-ID resume, and written to every client.
import type { TendEvent } from '../../protocol/events.js';
import type { EventBus } from '../../supervisor/event-bus.js';
import type { Clock } from '../../supervisor/ports.js';
import type { StreamRequest } from './index.js';
import { parseLastEventId, SeqRing, type Sequence } from './seq-ring.js';
import { frame, SseClient } from './sse.js';
import type { StatsPoint } from './stats.js';
import type { Timeline } from './timeline.js';

export const RING_EVENTS = 1000;
/** A process.state event carries a whole ProcessInfo (~1 KiB): the ring stays under a few MiB. */
export const RING_EVENT_BYTES = 4 * 1024 * 1024;

export class EventFeed {
  private readonly ring: SeqRing<string>;
  private readonly clients = new Set<SseClient>();
  private readonly off: () => void;
  private closed = false;

  constructor(
    bus: EventBus,
    private readonly seq: Sequence,
    private readonly clock: Clock,
    private readonly timeline: Timeline,
    private readonly snapshot: () => unknown,
  ) {
    this.ring = new SeqRing(RING_EVENTS, RING_EVENT_BYTES, seq.current);
    this.off = bus.subscribe((e) => this.publish(e));
  }

  /** Open event streams. */
  get size(): number {
    return this.clients.size;
  }

  open(r: StreamRequest): void {
    if (this.closed) {
      r.res.writeHead(503).end();
      return;
    }
    const sse = new SseClient(r.res, { clock: this.clock });
    sse.open();
    const last = parseLastEventId(r.lastEventId);
    const replay = last === undefined ? null : this.ring.since(last, this.seq.current);
    // Too old (or no id): a fresh snapshot, whose id says "everything up to here".
    if (replay !== null) sse.write(replay.map((x) => x.item).join(''));
    else sse.write(frame('snapshot', this.snapshot(), this.seq.current));
    if (sse.closed) return;
    this.clients.add(sse);
    sse.onClose(() => this.clients.delete(sse));
  }

  /** A `stats` point to every client (no id: the snapshot after a reconnect has the whole history). */
  stats(point: StatsPoint): void {
    if (this.clients.size === 0) return;
    const text = frame('stats', point);
    for (const c of this.clients) c.write(text);
  }

  close(): void {
    this.closed = true;
    this.off();
    for (const c of [...this.clients]) c.end();
  }

  private publish(e: TendEvent): void {
    const id = this.seq.next();
    this.timeline.note(id, e);
    const text = frame(e.event, e.data, id);
    this.ring.push(id, text, text.length);
    for (const c of this.clients) c.write(text);
  }
}
