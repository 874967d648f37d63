// Trailing-edge debounce on the injected clock: a burst of hits (an `npm install`, a `git checkout`) fires
// once, `delayMs` after the last hit, with the first item of the burst and how many there were.
import type { Clock, Timer } from '../supervisor/ports.js';

export class Debounce<T> {
  private timer: Timer | null = null;
  private first: T | null = null;
  private count = 0;

  constructor(
    private readonly clock: Clock,
    private readonly delayMs: number,
    private readonly fire: (first: T, count: number) => void,
  ) {}

  hit(item: T): void {
    if (this.count === 0) this.first = item;
    this.count += 1;
    this.timer?.cancel();
    this.timer = this.clock.setTimer(this.delayMs, () => {
      const first = this.first as T;
      const count = this.count;
      this.timer = null;
      this.first = null;
      this.count = 0;
      this.fire(first, count);
    });
  }

  /** Forgets a pending burst: nothing fires. */
  cancel(): void {
    this.timer?.cancel();
    this.timer = null;
    this.first = null;
    this.count = 0;
  }
}
