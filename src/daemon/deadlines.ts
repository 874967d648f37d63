// Timers for many things with deadlines of one length (the socket server's connections: the hello, the end of
// a frame). Plain setTimeout, as the rest of the socket server: these bounds are seconds long and only tests
// shorten them (TEND_REQUEST_TIMEOUT_MS).
import { monotonicMs } from '../runtime/utc-time.js';

/**
 * Deadlines that all have the same length expire in the order they were set: an insertion-ordered Map and one
 * timer for its head, instead of a timer per key (the socket server: a flood of connections would arm and clear one each).
 * Setting a deadline again moves it to the end, which keeps the order.
 */
export class Deadlines<K> {
  private readonly due = new Map<K, number>();
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly ms: number,
    private readonly expire: (key: K) => void,
  ) {}

  set(c: K): void {
    this.due.delete(c);
    this.due.set(c, monotonicMs() + this.ms);
    if (this.timer === undefined) this.timer = setTimeout(this.fire, this.ms);
  }

  has(c: K): boolean {
    return this.due.has(c);
  }

  clear(c: K): void {
    if (!this.due.delete(c) || this.due.size > 0 || this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private readonly fire = () => {
    this.timer = undefined;
    const now = monotonicMs();
    for (const [c, at] of this.due) {
      if (at > now) {
        this.timer = setTimeout(this.fire, at - now);
        return;
      }
      this.due.delete(c);
      this.expire(c);
    }
  };
}
