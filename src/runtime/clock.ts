// The real Clock: wall time from Date.now, timers from setTimeout.
import type { Clock, Timer } from '../supervisor/ports.js';

// setTimeout's delay is a signed 32-bit millisecond count; a larger one fires after 1 ms (with a
// TimeoutOverflowWarning). Longer delays (a cron job weeks away) are chained through several timeouts.
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(ms: number, fn: () => void): Timer {
    let cancelled = false;
    let handle: NodeJS.Timeout | undefined;
    const due = Date.now() + ms;
    const arm = (delay: number): void => {
      if (delay > MAX_TIMEOUT_MS) {
        handle = setTimeout(() => arm(due - Date.now()), MAX_TIMEOUT_MS);
        return;
      }
      handle = setTimeout(
        () => {
          // clearTimeout already prevents the call; the flag makes "cancelled never fires" independent of
          // that detail (e.g. if a later change defers fn behind a microtask).
          if (!cancelled) fn();
        },
        Math.max(0, delay),
      );
    };
    arm(ms);
    return {
      cancel(): void {
        cancelled = true;
        if (handle !== undefined) clearTimeout(handle);
      },
    };
  },
};
