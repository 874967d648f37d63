// One server-sent-events response: the headers, the frames, a keep-alive comment after 25 s of silence (on
// the injected clock), and a bound on what the peer has not read yet. A reader that falls more than
// MAX_QUEUED bytes behind is cut off (its browser reconnects with Last-Event-ID and resumes from the ring,
// or gets a fresh snapshot): a slow or stalled reader never grows the daemon.
import type { ServerResponse } from 'node:http';
import type { Clock, Timer } from '../../supervisor/ports.js';

/** Bytes queued for one client (Node's buffer plus the socket's) past which it is dropped. */
export const MAX_QUEUED = 4 * 1024 * 1024;
export const KEEPALIVE_MS = 25_000;
/** How long a browser waits before reconnecting (the `retry:` field). */
export const RETRY_MS = 2000;

/** One SSE frame; `data` is one line of JSON (JSON.stringify escapes newlines). */
export function frame(event: string, data: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export interface SseOptions {
  clock: Clock;
  maxQueued?: number;
  keepAliveMs?: number;
}

export class SseClient {
  private closedFlag = false;
  private lastWrite: number;
  private timer: Timer | null = null;
  private readonly closers: (() => void)[] = [];
  private readonly maxQueued: number;
  private readonly keepAliveMs: number;
  /** Why the stream ended, when the daemon ended it ('slow': the reader fell too far behind). */
  endedBy: 'slow' | 'close' | null = null;

  constructor(
    private readonly res: ServerResponse,
    private readonly opts: SseOptions,
  ) {
    this.maxQueued = opts.maxQueued ?? MAX_QUEUED;
    this.keepAliveMs = opts.keepAliveMs ?? KEEPALIVE_MS;
    this.lastWrite = opts.clock.now();
    res.on('close', () => this.finish());
    res.on('error', () => this.finish());
  }

  get closed(): boolean {
    return this.closedFlag;
  }

  /** Runs fn once when the stream ends, whoever ends it. */
  onClose(fn: () => void): void {
    if (this.closedFlag) fn();
    else this.closers.push(fn);
  }

  /** Sends the headers and the `retry:` field; starts the keep-alive. */
  open(): void {
    this.res.socket?.setNoDelay(true);
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
      'X-Content-Type-Options': 'nosniff',
      Connection: 'keep-alive',
    });
    this.write(`retry: ${RETRY_MS}\n\n`);
    this.arm(this.keepAliveMs);
  }

  /** Writes frames (already formatted); a reader past the bound is dropped instead. */
  write(chunk: string): void {
    if (this.closedFlag || chunk === '') return;
    this.res.write(chunk);
    this.lastWrite = this.opts.clock.now();
    if (this.res.writableLength > this.maxQueued) this.drop();
  }

  /** Cuts off a reader that fell too far behind (its connection is destroyed, nothing more is queued). */
  drop(): void {
    if (this.closedFlag) return;
    this.endedBy = 'slow';
    this.res.destroy();
    this.finish();
  }

  /** Ends the stream (the listener is closing). */
  end(): void {
    if (this.closedFlag) return;
    this.endedBy = 'close';
    this.res.end();
    this.finish();
  }

  private arm(ms: number): void {
    this.timer = this.opts.clock.setTimer(ms, () => {
      if (this.closedFlag) return;
      const idle = this.opts.clock.now() - this.lastWrite;
      if (idle >= this.keepAliveMs) {
        this.write(': keepalive\n\n');
        this.arm(this.keepAliveMs);
      } else this.arm(this.keepAliveMs - idle);
    });
  }

  private finish(): void {
    if (this.closedFlag) return;
    this.closedFlag = true;
    this.timer?.cancel();
    this.timer = null;
    for (const fn of this.closers.splice(0)) fn();
  }
}
