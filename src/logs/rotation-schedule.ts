// rotate_interval: a cron expression (croner) or a shorthand, and the next time it is due. Pure: the time is
// an argument (the rotation group passes its clock's).
import type { Cron } from 'croner';
import { cronClass } from '../config/croner.js';
import { INTERVALS } from '../config/rotate-interval.js';

// The grammar (shorthands, the check of a written interval) is config's: it validates the field.
export { INTERVALS, intervalProblem } from '../config/rotate-interval.js';

function schedule(interval: string): Cron {
  return new (cronClass())(INTERVALS[interval] ?? interval, { paused: true });
}

/** The next time strictly after `now` at which `interval` is due, or null if it never is again. */
export function nextIntervalAt(interval: string, now: number): number | null {
  const next = schedule(interval).nextRun(new Date(now));
  if (next === null) return null;
  const at = next.getTime();
  return at > now
    ? at
    : (schedule(interval)
        .nextRun(new Date(now + 1))
        ?.getTime() ?? null);
}
