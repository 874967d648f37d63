// At most N deliveries per minute per app and hook: a crash loop must not flood a chat channel or a pager.
// A sliding window (the send times of the last 60 s), not a fixed minute, so a burst across a minute's
// boundary is limited too. What is over the limit is counted, not queued: the next delivery that goes
// through says how many were left out (`suppressed` in the body), so nothing is silently lost and nothing
// old arrives late.

const WINDOW_MS = 60_000;

export interface Admission {
  readonly ok: boolean;
  /** ok: alerts left out since the last one that went through (reset now); not ok: left out so far. */
  readonly suppressed: number;
}

export class RateLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly left = new Map<string, number>();

  /** Asks to send one more for `key` at `now`, within `max` per minute. */
  take(key: string, max: number, now: number): Admission {
    const times = (this.sent.get(key) ?? []).filter((t) => t > now - WINDOW_MS);
    if (times.length >= max) {
      this.sent.set(key, times);
      const suppressed = (this.left.get(key) ?? 0) + 1;
      this.left.set(key, suppressed);
      return { ok: false, suppressed };
    }
    times.push(now);
    this.sent.set(key, times);
    const suppressed = this.left.get(key) ?? 0;
    this.left.delete(key);
    return { ok: true, suppressed };
  }

  /** Drops the windows that are over (keys of deleted apps would otherwise stay). */
  prune(now: number): void {
    for (const [key, times] of this.sent)
      if (times.every((t) => t <= now - WINDOW_MS) && !this.left.has(key)) this.sent.delete(key);
  }
}
