// rotate_interval: a cron expression (croner) or a shorthand, and the next time it is due. Pure: the time is
// an argument (the rotation group passes its clock's).
import type { Cron } from 'croner';
import { cronClass } from '../config/croner.js';

/** rotate_interval shorthands, as cron expressions (local time). */
export const INTERVALS: Readonly<Record<string, string>> = {
  hourly: '0 * * * *',
  daily: '0 0 * * *',
  weekly: '0 0 * * 0',
  monthly: '0 0 1 * *',
};

/** A cron expression (5 fields, or 6 with seconds first) or a shorthand; returns the problem, or null. */
export function intervalProblem(interval: string): string | null {
  try {
    schedule(interval);
    return null;
  } catch (err) {
    const why = (err as Error).message.replace(/^CronPattern: /, '').replace(/\.$/, '');
    return `expected a cron expression ("0 0 * * *") or one of ${Object.keys(INTERVALS).join(', ')}: ${why}`;
  }
}

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
