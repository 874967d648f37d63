// One NDJSON connection to the daemon: numbered requests, their replies, and event frames.
import type { Socket } from 'node:net';
import { TendError, type WireError } from '../protocol/errors.js';
import type { TendEvent } from '../protocol/events.js';
import { encodeFrame, LineDecoder, MAX_REQUEST_FRAME, MAX_RESPONSE_FRAME } from '../protocol/framing.js';

type Pending = { resolve(v: unknown): void; reject(e: Error): void };

export class Connection {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Set<(e: TendEvent) => void>();
  private closedError: TendError | null = null;
  /** Resolves when the connection has closed, from either side (e.g. the daemon exited). */
  readonly closed: Promise<void>;

  constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    const decoder = new LineDecoder(MAX_RESPONSE_FRAME);
    socket.on('data', (chunk: string) => {
      const { lines, overflow } = decoder.push(chunk);
      for (const line of lines) this.receive(line);
      if (overflow) socket.destroy(new Error('frame too large'));
    });
    this.closed = new Promise((resolve) => {
      socket.on('close', () => {
        this.closedError = new TendError('TEND_ERR_CONNECTION_CLOSED', {});
        for (const p of this.pending.values()) p.reject(this.closedError);
        this.pending.clear();
        resolve();
      });
    });
    socket.on('error', () => {});
  }

  request(method: string, params: unknown): Promise<unknown> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    const frame = encodeFrame({ id, method, params });
    // Checked here, not left to the daemon: it would cut the connection off mid-write, and the reply
    // saying why can be lost to the EPIPE of our own write. Nothing is sent; the connection stays usable.
    const bytes = Buffer.byteLength(frame);
    if (bytes > MAX_REQUEST_FRAME) {
      const source = (params as { source?: unknown } | null)?.source;
      return Promise.reject(
        new TendError('TEND_ERR_FRAME_TOO_LARGE', {
          limit: MAX_REQUEST_FRAME,
          bytes,
          method,
          source: typeof source === 'string' ? source : null,
        }),
      );
    }
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.write(frame);
    });
  }

  onEvent(listener: (e: TendEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(line: string): void {
    let frame: Record<string, unknown>;
    try {
      frame = JSON.parse(line);
    } catch {
      return;
    }
    if (typeof frame.event === 'string') {
      for (const l of this.listeners) l(frame as unknown as TendEvent);
      return;
    }
    const id = frame.id;
    const p = typeof id === 'number' ? this.pending.get(id) : undefined;
    if (!p) {
      // An error with no id answers a frame the daemon could not read: fail everything in flight.
      if (frame.error && id === null) {
        for (const q of this.pending.values()) q.reject(TendError.fromWire(frame.error as WireError));
        this.pending.clear();
      }
      return;
    }
    this.pending.delete(id as number);
    if (frame.error) p.reject(TendError.fromWire(frame.error as WireError));
    else p.resolve(frame.result);
  }

  /** Stops reading from the daemon (a slow consumer of events); the daemon then sees a backlog. */
  pause(): void {
    this.socket.pause();
  }

  resume(): void {
    this.socket.resume();
  }

  close(): Promise<void> {
    this.socket.end();
    return this.closed;
  }
}
