// GET /api/v1/logs/stream: recent lines, then live lines, filtered per client, with Last-Event-ID resume.
// The live lines come from the LogBus, subscribed only while a log stream is open (and LINGER_MS after the
// last one closed, so a browser that reconnects can resume): with nobody watching, the writers build
// nothing. While subscribed, the last lines are kept in a ring (bounded by count and bytes) for resumes,
// and the recent lines each stream started with (log-snapshots.ts): every line sent has its own id.

import type { DaemonContext } from '../../daemon/context.js';
import type { LiveBatch } from '../../logs/log-bus.js';
import type { LineFormat } from '../../logs/parse-line.js';
import type { Clock, Timer } from '../../supervisor/ports.js';
import type { StreamRequest } from './index.js';
import type { InstanceIndex } from './instances.js';
import { type LogFilter, type LogLine, matches, parseLogFilter } from './log-filter.js';
import { LogSnapshots } from './log-snapshots.js';
import { recentLines, toLogLine } from './log-tail.js';
import { badRequest } from './respond.js';
import { parseLastEventId, SeqRing, type Sequence } from './seq-ring.js';
import { frame, MAX_QUEUED, SseClient } from './sse.js';

export const RING_LINES = 1000;
export const RING_BYTES = 1024 * 1024;
export const LINGER_MS = 30_000;
/** Recent lines kept for resumes (log-snapshots.ts): of this many streams at most, in as many bytes. */
export const SNAPSHOTS = 64;
export const SNAPSHOT_BYTES = 1024 * 1024;

interface Entry {
  seq: number;
  line: LogLine;
  /** The frame, built on first use and shared by every client that gets it. */
  text?: string;
}

interface Client {
  sse: SseClient;
  filter: LogFilter;
  /** Lines that arrived while the recent lines were being read; null once live. */
  pending: Entry[] | null;
  pendingBytes: number;
}

const bytesOf = (entries: readonly Entry[]): number =>
  entries.reduce((n, e) => n + e.line.line.length + 64, 0);

const frameOf = (e: Entry): string => {
  e.text ??= frame('line', e.line, e.seq);
  return e.text;
};

export class LogFeed {
  private readonly clients = new Set<Client>();
  private ring: SeqRing<Entry> | null = null;
  private readonly snapshots = new LogSnapshots<LogLine>(SNAPSHOT_BYTES, SNAPSHOTS);
  private off: (() => void) | null = null;
  private linger: Timer | null = null;
  private closed = false;

  constructor(
    private readonly ctx: DaemonContext,
    private readonly index: InstanceIndex,
    private readonly seq: Sequence,
    private readonly clock: Clock,
  ) {}

  /** Open log streams. */
  get size(): number {
    return this.clients.size;
  }

  /** Whether the feed listens to the LogBus (a stream is open, or closed less than LINGER_MS ago). */
  get subscribed(): boolean {
    return this.off !== null;
  }

  open(r: StreamRequest): void {
    let filter: LogFilter;
    try {
      filter = parseLogFilter(r.query);
    } catch (err) {
      badRequest(r.res, err);
      return;
    }
    if (this.closed) {
      r.res.writeHead(503).end();
      return;
    }
    const ring = this.subscribe();
    const sse = new SseClient(r.res, { clock: this.clock });
    sse.open();
    const client: Client = { sse, filter, pending: null, pendingBytes: 0 };
    this.clients.add(client);
    sse.onClose(() => this.drop(client));

    const last = parseLastEventId(r.lastEventId);
    if (last !== undefined) {
      const replay = this.replay(ring, last, filter);
      if (replay !== null) {
        sse.write(replay);
        return;
      }
      sse.write(frame('reset', { reason: 'the lines after that id are gone' }));
    }
    // The seam: lines published from now on have ids above it and come live; the files hold those before.
    // Each recent line gets an id of its own, reserved now: the newest takes the seam, the older ones the
    // ids below it (a resume from any of them goes on with the next line).
    client.pending = [];
    const seam = this.seq.reserve(filter.lines);
    recentLines(this.ctx, this.index, filter)
      .catch(() => [] as LogLine[])
      .then((lines) => {
        if (sse.closed) return;
        const first = seam - lines.length + 1;
        const recent: Entry[] = lines.map((line, i) => ({ seq: first + i, line }));
        if (this.ring === ring) {
          this.snapshots.prune(ring.floor);
          this.snapshots.add(recent, bytesOf(recent));
        }
        sse.write(recent.map(frameOf).join(''));
        const held = client.pending ?? [];
        client.pending = null;
        client.pendingBytes = 0;
        sse.write(held.map(frameOf).join(''));
      })
      .catch(() => sse.drop()); // never an unhandled rejection in the daemon; the browser reconnects
  }

  /**
   * What a client that saw up to id `last` has not seen, or null when that cannot be told (then a reset and
   * a fresh start): the rest of the recent lines it started with, if `last` is one of them, then the ring's
   * lines after them. The ring answers only for an id it holds (a live line's, or its floor): any other id
   * may be inside recent lines let go, and lines after it would skip the rest of them.
   */
  private replay(ring: SeqRing<Entry>, last: number, filter: LogFilter): string | null {
    this.snapshots.prune(ring.floor);
    const snap = this.snapshots.resume(last);
    if (snap.kind === 'gone' || (snap.kind === 'none' && !ring.holds(last))) return null;
    const live = ring.since(snap.kind === 'lines' ? snap.seam : last, this.seq.current);
    if (live === null) return null;
    const recent = snap.kind === 'lines' ? snap.lines : [];
    return [...recent, ...live.map((e) => e.item)]
      .filter((e) => matches(filter, e.line))
      .map(frameOf)
      .join('');
  }

  close(): void {
    this.closed = true;
    for (const c of [...this.clients]) c.sse.end();
    this.unsubscribe();
  }

  private subscribe(): SeqRing<Entry> {
    this.linger?.cancel();
    this.linger = null;
    if (this.ring !== null && this.off !== null) return this.ring;
    // A fresh id as the floor: an id handed out before this subscription (lines may have been missed
    // since, unseen by anyone) is older than the ring and gets a fresh start.
    const ring = new SeqRing<Entry>(RING_LINES, RING_BYTES, this.seq.next());
    this.ring = ring;
    this.off = this.ctx.logs.bus.subscribe({ accepts: () => true, deliver: (b) => this.deliver(b) });
    return ring;
  }

  private unsubscribe(): void {
    this.linger?.cancel();
    this.linger = null;
    this.off?.();
    this.off = null;
    this.ring = null;
    this.snapshots.clear();
  }

  private drop(client: Client): void {
    this.clients.delete(client);
    if (this.clients.size > 0 || this.closed || this.off === null) return;
    this.linger?.cancel();
    this.linger = this.clock.setTimer(LINGER_MS, () => {
      this.linger = null;
      if (this.clients.size === 0) this.unsubscribe();
    });
  }

  private deliver(b: LiveBatch): void {
    const ring = this.ring;
    if (ring === null) return;
    const sink = this.ctx.logs.sink(b.id);
    const format: LineFormat | null = sink ? sink.settings : null;
    const origin = { name: b.name, id: b.id, stream: b.stream };
    const text = b.bytes.toString('utf8');
    const raws = text.slice(0, text.endsWith('\n') ? -1 : undefined).split('\n');
    const entries: Entry[] = [];
    for (let raw of raws) {
      if (raw.endsWith('\r')) raw = raw.slice(0, -1);
      const line = toLogLine(raw, format, origin, this.index, b.at);
      const seq = this.seq.next();
      const entry: Entry = { seq, line };
      ring.push(seq, entry, raw.length + 64);
      entries.push(entry);
    }
    for (const c of this.clients) {
      const wanted = entries.filter((e) => matches(c.filter, e.line));
      if (wanted.length === 0) continue;
      if (c.pending === null) {
        c.sse.write(wanted.map(frameOf).join(''));
        continue;
      }
      c.pending.push(...wanted);
      for (const e of wanted) c.pendingBytes += e.line.line.length + 64;
      if (c.pendingBytes > MAX_QUEUED) c.sse.drop();
    }
  }
}
