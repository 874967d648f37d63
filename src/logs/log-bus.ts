// Live log lines for `tend logs`: a bus apart from the daemon's event bus, because lines are many and most
// listeners (the state file, waiting handlers) must never see them. Writers ask `active` before building
// anything: with no subscriber, a line costs nothing beyond its write.
import type { StreamName } from './line-format.js';

export interface LiveBatch {
  id: number;
  name: string;
  namespace: string;
  stream: StreamName;
  /** When the daemon read the lines (epoch ms). */
  at: number;
  /** The file the lines went to, its inode and the byte offset they start at; null for /dev/null or a broken file. */
  path: string | null;
  ino: number | null;
  offset: number | null;
  /** The bytes written (complete lines), decoded only if someone listens. */
  bytes: Buffer;
}

export interface LiveSubscriber {
  accepts(batch: LiveBatch): boolean;
  deliver(batch: LiveBatch): void;
}

export class LogBus {
  private readonly subscribers = new Set<LiveSubscriber>();

  get active(): boolean {
    return this.subscribers.size > 0;
  }

  subscribe(subscriber: LiveSubscriber): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  publish(batch: LiveBatch): void {
    for (const s of this.subscribers) {
      try {
        if (s.accepts(batch)) s.deliver(batch);
      } catch {
        // A failing subscriber must not break the writer (nor the other subscribers).
      }
    }
  }
}
