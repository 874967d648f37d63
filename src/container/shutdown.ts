// How tend-runtime stops (issue 15): /readyz already answers 503 (the caller flipped it); wait the
// --shutdown-delay so load balancers drain, then stop the apps in reverse dependency order within the
// --grace-period, and SIGKILL every process group still there at its end. Time comes from the injected clock.
import type { Clock } from '../supervisor/ports.js';

/** After the SIGKILLs, how long the stop may still take before the runtime gives up waiting (never hang). */
export const AFTER_KILL_MS = 5000;

export interface ShutdownSteps {
  clock: Clock;
  delayMs: number;
  /** A health listener serves /readyz (it answers 503 during the delay); false with --health-listen off. */
  readyz: boolean;
  graceMs: number;
  /** Stops every app (dependents first); resolves once they are all stopped. */
  stopApps(): Promise<void>;
  /** SIGKILLs every process group still alive; returns how many. */
  killRemaining(): number;
  /** Told when a step begins (the runtime's messages). */
  note?(line: string): void;
}

export interface Shutdown {
  /** Resolves when the apps are stopped: with the number of process groups SIGKILLed at the grace's end. */
  readonly done: Promise<{ sigkilled: number }>;
  /**
   * A second shutdown signal: skip what is left of the delay, or SIGKILL now when already stopping; 'done'
   * once the apps are stopped (nothing left to hurry).
   */
  hurry(): 'skip-delay' | 'sigkill' | 'done';
}

export function shutDown(s: ShutdownSteps): Shutdown {
  let sigkilled = 0;
  let stopping = false;
  let finished = false;
  let skipDelay: () => void = () => {};
  let killNow: () => void = () => {};
  const done = (async () => {
    if (s.delayMs > 0) {
      // Without a health listener nothing answers 503: only the wait is said (ninth audit).
      s.note?.(
        `${s.readyz ? '/readyz answers 503; stopping' : 'stopping'} in ${s.delayMs} ms (--shutdown-delay)`,
      );
      await new Promise<void>((resolve) => {
        const timer = s.clock.setTimer(s.delayMs, resolve);
        skipDelay = () => {
          timer.cancel();
          resolve();
        };
      });
    }
    stopping = true;
    let giveUp: () => void = () => {};
    const gaveUp = new Promise<void>((resolve) => (giveUp = resolve));
    let after: { cancel(): void } | null = null;
    const kill = () => {
      grace.cancel();
      if (after) return;
      sigkilled += s.killRemaining();
      if (sigkilled > 0) s.note?.(`SIGKILL sent to ${sigkilled} process group(s)`);
      after = s.clock.setTimer(AFTER_KILL_MS, giveUp);
    };
    killNow = kill;
    const grace = s.clock.setTimer(s.graceMs, () => {
      s.note?.(`grace period of ${s.graceMs} ms is over`);
      kill();
    });
    await Promise.race([s.stopApps(), gaveUp]);
    finished = true;
    grace.cancel();
    (after as { cancel(): void } | null)?.cancel();
    return { sigkilled };
  })();
  return {
    done,
    hurry: () => {
      if (finished) return 'done';
      if (stopping) {
        killNow();
        return 'sigkill';
      }
      skipDelay();
      return 'skip-delay';
    },
  };
}

/** How close a repeat of a stop signal must follow it to be the same signal (see signalRepeats). */
export const SIGNAL_REPEAT_MS = 200;

/** The longest window TEND_RUNTIME_SIGNAL_REPEAT_MS may set: past it a deliberate second ^C would never count. */
export const SIGNAL_REPEAT_MAX_MS = 10_000;

/**
 * The window of signalRepeats: TEND_RUNTIME_SIGNAL_REPEAT_MS, a whole number of ms up to SIGNAL_REPEAT_MAX_MS
 * (0: every repeat is a second signal), else SIGNAL_REPEAT_MS, with what was wrong with the value.
 */
export function repeatWindowMs(env: NodeJS.ProcessEnv): { ms: number; problem: string | null } {
  const raw = env.TEND_RUNTIME_SIGNAL_REPEAT_MS;
  if (raw === undefined) return { ms: SIGNAL_REPEAT_MS, problem: null };
  if (/^\d+$/.test(raw) && Number(raw) <= SIGNAL_REPEAT_MAX_MS) return { ms: Number(raw), problem: null };
  return {
    ms: SIGNAL_REPEAT_MS,
    problem: `TEND_RUNTIME_SIGNAL_REPEAT_MS=${JSON.stringify(raw)} is not a whole number of ms from 0 to ${SIGNAL_REPEAT_MAX_MS}: ${SIGNAL_REPEAT_MS} ms`,
  };
}

/**
 * A stop signal that repeats one of the same name within `windowMs` of it is that one again, not a second
 * signal (which SIGKILLs): a terminal's ^C reaches the whole foreground process group, and a wrapper in it
 * (`npm start`) forwards it too, a few ms later. The window runs from the first of a burst: a signal every
 * 100 ms for a second is five signals with a 200 ms window.
 */
export function signalRepeats(
  clock: Pick<Clock, 'now'>,
  windowMs: number,
): { isRepeat(signal: string): boolean } {
  const first = new Map<string, number>();
  return {
    isRepeat(signal) {
      const now = clock.now();
      const at = first.get(signal);
      if (at !== undefined && now - at < windowMs) return true;
      first.set(signal, now);
      return false;
    },
  };
}
