// Trailing-edge debounce on the injected clock: a burst of hits (an `npm install`, a `git checkout`) fires
// once, `delayMs` after the last hit, with the first item of the burst and how many distinct items it had
// (a new file is often reported twice, created then written).
import type { Clock, Timer } from '../supervisor/ports.js';

export class Debounce<T> {
  private timer: Timer | null = null;
  private first: T | null = null;
  private readonly items = new Set<T>();

  constructor(
    private readonly clock: Clock,
    private readonly delayMs: number,
    private readonly fire: (first: T, count: number) => void,
  ) {}

  hit(item: T): void {
    if (this.items.size === 0) this.first = item;
    this.items.add(item);
    this.timer?.cancel();
    this.timer = this.clock.setTimer(this.delayMs, () => {
      const first = this.first as T;
      const count = this.items.size;
      this.timer = null;
      this.first = null;
      this.items.clear();
      this.fire(first, count);
    });
  }

  /** Forgets a pending burst: nothing fires. */
  cancel(): void {
    this.timer?.cancel();
    this.timer = null;
    this.first = null;
    this.items.clear();
  }
}
