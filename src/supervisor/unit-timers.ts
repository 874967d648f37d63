// The timers of one instance and what they promise: when its next start is due (`next_start_at`) and when a
// stopping process will be killed (`kill_deadline_at`). The snapshot shows both, so `list` says what happens
// next. Time comes from the injected clock.
import type { Clock, Timer } from './ports.js';

export class UnitTimers {
  private restart: Timer | null = null;
  private ready: Timer | null = null;
  private kill: Timer | null = null;
  /** When the pending restart fires (epoch ms), or null. */
  nextStartAt: number | null = null;
  /** When the stopping process gets SIGKILL (epoch ms), or null. */
  killDeadlineAt: number | null = null;

  constructor(private readonly clock: Clock) {}

  /** Arms the restart timer; returns when it fires. */
  scheduleRestart(delayMs: number, fire: () => void): number {
    this.restart?.cancel();
    this.nextStartAt = this.clock.now() + delayMs;
    this.restart = this.clock.setTimer(delayMs, () => {
      this.restart = null;
      fire();
    });
    return this.nextStartAt;
  }

  cancelRestart(): void {
    this.restart?.cancel();
    this.restart = null;
    this.nextStartAt = null;
  }

  /** `wait_ready`: the process must say ready within `ms`. */
  startReady(ms: number, fire: () => void): void {
    this.ready?.cancel();
    this.ready = this.clock.setTimer(ms, () => {
      this.ready = null;
      fire();
    });
  }

  /** A stop signal went out: SIGKILL follows after `ms` unless the process exits first. */
  startKill(ms: number, fire: () => void): void {
    this.kill?.cancel();
    this.killDeadlineAt = this.clock.now() + ms;
    this.kill = this.clock.setTimer(ms, () => {
      this.kill = null;
      fire();
    });
  }

  /** The kill deadline passed (SIGKILL sent): nothing is promised any more. */
  killed(): void {
    this.killDeadlineAt = null;
  }

  /** The process is gone or ready: its ready and kill timers no longer apply. */
  clearProcessTimers(): void {
    this.ready?.cancel();
    this.kill?.cancel();
    this.ready = this.kill = null;
    this.killDeadlineAt = null;
  }

  close(): void {
    this.cancelRestart();
    this.clearProcessTimers();
  }
}
