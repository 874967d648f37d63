// A fixed-capacity ring: keeps the last `capacity` items pushed, in O(1) per push and bounded memory.
export class RingBuffer<T = string> {
  private readonly items: T[] = [];
  /** Index of the oldest item once the ring is full. */
  private start = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`RingBuffer capacity must be a non-negative integer, got ${capacity}`);
    }
  }

  get length(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.capacity === 0) return;
    if (this.items.length < this.capacity) {
      this.items.push(item);
      return;
    }
    this.items[this.start] = item; // overwrite the oldest
    this.start = (this.start + 1) % this.capacity;
  }

  /** A copy, oldest first, newest last. */
  toArray(): T[] {
    return [...this.items.slice(this.start), ...this.items.slice(0, this.start)];
  }

  clear(): void {
    this.items.length = 0;
    this.start = 0;
  }
}
