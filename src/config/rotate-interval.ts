// The grammar of `rotate_interval`: a cron expression (croner) or a shorthand. Here, in config/, because
// checking a field is config's job; logs/rotation-schedule.ts computes the schedule from the same table.
import { cronClass } from './croner.js';

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
    new (cronClass())(INTERVALS[interval] ?? interval, { paused: true });
    return null;
  } catch (err) {
    const why = (err as Error).message.replace(/^CronPattern: /, '').replace(/\.$/, '');
    return `expected a cron expression ("0 0 * * *") or one of ${Object.keys(INTERVALS).join(', ')}: ${why}`;
  }
}
