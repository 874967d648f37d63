// The ids of the HTTP streams and the rings that make `Last-Event-ID` resume possible. One sequence serves
// every stream of a daemon: ids only grow. It starts at the wall clock in microseconds, so the ids of a new
// daemon (or of HTTP turned off and on again) are above any id an earlier one handed out, and a browser that
// reconnects with an old id gets a fresh start instead of a replay of unrelated items.

export class Sequence {
  private value: number;

  constructor(nowMs: number) {
    this.value = Math.floor(nowMs) * 1000;
  }

  /** The id of the newest item so far. */
  get current(): number {
    return this.value;
  }

  next(): number {
    this.value += 1;
    return this.value;
  }

  /**
   * Hands out `n` ids at once (a log stream's recent lines, one id each) and returns the last of them. At
   * most 1000 per log stream opened: far below the thousand a millisecond the wall-clock start leaves.
   */
  reserve(n: number): number {
    this.value += n;
    return this.value;
  }
}

/**
 * The last items of a stream with their ids, bounded by count and by bytes. `floor` is the newest id that is
 * no longer (or never was) in the ring: a client that has seen up to id L can resume from the ring exactly
 * when floor ≤ L ≤ the sequence's current id.
 */
export class SeqRing<T> {
  private items: { seq: number; item: T; bytes: number }[] = [];
  private head = 0;
  private bytes = 0;
  floor: number;

  constructor(
    private readonly maxItems: number,
    private readonly maxBytes: number,
    startSeq: number,
  ) {
    this.floor = startSeq;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  push(seq: number, item: T, bytes = 0): void {
    this.items.push({ seq, item, bytes });
    this.bytes += bytes;
    while (this.length > this.maxItems || (this.bytes > this.maxBytes && this.length > 1)) {
      const old = this.items[this.head++] as { seq: number; bytes: number };
      this.bytes -= old.bytes;
      this.floor = old.seq;
    }
    // Compact now and then: the array is a queue with a moving head.
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** The items after `last`, oldest first; null when some of them are gone (or `last` is unknown). */
  since(last: number, current: number): { seq: number; item: T }[] | null {
    if (!Number.isSafeInteger(last) || last < this.floor || last > current) return null;
    const out: { seq: number; item: T }[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const e = this.items[i] as { seq: number; item: T };
      if (e.seq > last) out.push(e);
    }
    return out;
  }

  /** Whether `seq` is the floor or the id of an item still here (binary search: ids ascend). */
  holds(seq: number): boolean {
    if (seq === this.floor) return true;
    let lo = this.head;
    let hi = this.items.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const at = (this.items[mid] as { seq: number }).seq;
      if (at === seq) return true;
      if (at < seq) lo = mid + 1;
      else hi = mid - 1;
    }
    return false;
  }

  /** Forgets everything: the ring covers what comes after `seq`. */
  reset(seq: number): void {
    this.items = [];
    this.head = 0;
    this.bytes = 0;
    this.floor = seq;
  }
}

/** A `Last-Event-ID` value: a decimal id, or undefined for anything else (then the stream starts afresh). */
export function parseLastEventId(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,16}$/.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}
