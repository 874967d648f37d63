// An injected clock for backoff, timeouts and schedules: tests advance it; nothing waits on real time.
import type { Clock, Timer } from '../../src/supervisor/ports.js';

export class FakeClock implements Clock {
  private t: number;
  private timers: { at: number; fn: () => void; live: boolean; seq: number }[] = [];
  private seq = 0;
  constructor(start = 1_000_000) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  setTimer(ms: number, fn: () => void): Timer {
    const timer = { at: this.t + ms, fn, live: true, seq: this.seq++ };
    this.timers.push(timer);
    return {
      cancel: () => {
        timer.live = false;
      },
    };
  }
  /** Moves time forward, firing due timers in order (a timer may schedule another). */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers
        .filter((x) => x.live && x.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      due.live = false;
      this.t = due.at;
      due.fn();
    }
    this.t = end;
    this.timers = this.timers.filter((x) => x.live);
  }
  /** Time until the next live timer, or null. */
  nextIn(): number | null {
    const live = this.timers.filter((x) => x.live).map((x) => x.at - this.t);
    return live.length ? Math.min(...live) : null;
  }
}
