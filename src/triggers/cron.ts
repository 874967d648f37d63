// `cron_restart`: the next run is computed by croner from the injected clock's now (in `cron_restart_tz`, or
// the daemon's local time) and armed as a clock timer; on firing, the next one is armed. Part of the spec, so
// an app recovered after a daemon restart or a resurrect gets its schedule back when it is added.
import { cronClass } from '../config/croner.js';
import type { AppSpec } from '../config/spec.js';
import type { Clock, Timer } from '../supervisor/ports.js';

/** The first run of `expr` strictly after `after` (epoch ms), or null if there is none. */
export function nextCronAt(expr: string, tz: string | null, after: number): number | null {
  const cron = new (cronClass())(expr, { paused: true, ...(tz ? { timezone: tz } : {}) });
  const next = cron.nextRun(new Date(after))?.getTime() ?? null;
  if (next === null || next > after) return next;
  return cron.nextRun(new Date(after + 1))?.getTime() ?? null;
}

export interface CronDeps {
  clock: Clock;
  log(line: string): void;
  /** The schedule is due (the app is restarted, or started). */
  onFire(): void;
  /** The next run, or null (closed, or the expression has no future run). */
  onNext(at: number | null): void;
}

export class CronTrigger {
  private timer: Timer | null = null;
  private closed = false;

  constructor(
    private readonly spec: AppSpec,
    private readonly deps: CronDeps,
  ) {}

  start(): void {
    this.arm(this.deps.clock.now());
  }

  /**
   * `after` is the later of now and the run that just fired: a timer that fires a millisecond early must not
   * find the same run again.
   */
  private arm(after: number): void {
    const { clock } = this.deps;
    const now = clock.now();
    const expr = this.spec.cron_restart as string;
    let at: number | null;
    try {
      at = nextCronAt(expr, this.spec.cron_restart_tz, Math.max(now, after));
    } catch (err) {
      // Checked at start; an expression stored by an older version may still fail here.
      this.deps.log(`${this.spec.name} cron_restart "${expr}" cannot be scheduled: ${String(err)}`);
      at = null;
    }
    this.deps.onNext(at);
    if (at === null) return;
    this.timer = clock.setTimer(at - now, () => {
      this.timer = null;
      if (this.closed) return;
      this.deps.onFire();
      if (!this.closed) this.arm(at);
    });
  }

  close(): void {
    this.closed = true;
    this.timer?.cancel();
    this.timer = null;
    this.deps.onNext(null);
  }
}
