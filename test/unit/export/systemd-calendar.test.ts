// cron_restart as OnCalendar=, checked against the two real readers: croner (how tend runs the schedule)
// and `systemd-analyze calendar` (how systemd will). For each expression, both list the same next runs from
// the same base time. What has no exact translation (cron's day-of-month OR day-of-week, croner's L, W, #, ?)
// gets none.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { Cron } from 'croner';
import { onCalendar } from '../../../src/export/systemd-calendar.js';

const noSystemd = spawnSync('systemd-analyze', ['--version']).error
  ? 'systemd-analyze is not installed'
  : false;
const BASE = '2026-01-01T00:00:30Z';
const RUNS = 8;

/** The next runs as systemd computes them (UTC, ISO), or its error. */
function systemdRuns(calendar: string): string[] {
  const r = spawnSync(
    'systemd-analyze',
    [
      'calendar',
      `--iterations=${RUNS}`,
      `--base-time=${BASE.replace('T', ' ').replace('Z', ' UTC')}`,
      calendar,
    ],
    { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } },
  );
  assert.equal(r.stderr, '', calendar);
  assert.equal(r.status, 0, calendar);
  return [...r.stdout.matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\S+) (\S+) UTC/g)].map((m) =>
    new Date(`${m[1]}T${m[2]}Z`).toISOString(),
  );
}

function cronerRuns(expr: string, tz: string | null): string[] {
  const cron = new Cron(expr, { paused: true, ...(tz ? { timezone: tz } : { timezone: 'UTC' }) });
  return cron.nextRuns(RUNS, new Date(BASE)).map((d) => d.toISOString());
}

const EXACT: [string, string | null, string][] = [
  ['0 3 * * *', null, '*-*-* 03:00:00'],
  ['0 4 * * 1-5', 'Europe/Paris', 'Mon..Fri *-*-* 04:00:00 Europe/Paris'],
  ['0 0 3 * * *', 'UTC', '*-*-* 03:00:00 UTC'],
  ['*/15 9-17 * * *', null, '*-*-* 09..17:00/15:00'],
  ['30 */5 * * * *', null, '*-*-* *:00/5:30'],
  ['0 0 1,15 * *', null, '*-*-01,15 00:00:00'],
  ['0 12 * JAN,mar,Jul *', null, '*-01,03,07-* 12:00:00'],
  ['0 6 * * SAT,SUN', 'America/New_York', 'Sun,Sat *-*-* 06:00:00 America/New_York'],
  ['0 6 * * 0,7', null, 'Sun *-*-* 06:00:00'],
  ['5-59/20 * * * *', null, '*-*-* *:05/20:00'],
  ['0 8-18/3 * * *', null, '*-*-* 08,11,14,17:00:00'],
  ['0 22 * * 1-5/2', null, 'Mon,Wed,Fri *-*-* 22:00:00'],
  // SUN ending a range is 7 to croner (eighth audit: MON-SUN was "a range that runs backwards", no timer).
  ['0 0 * * MON-SUN', null, '*-*-* 00:00:00'],
  ['0 6 * * FRI-SUN', 'Europe/Paris', 'Sun,Fri,Sat *-*-* 06:00:00 Europe/Paris'],
  ['0 6 * * mon-sun/2', null, 'Sun,Mon,Wed,Fri *-*-* 06:00:00'],
  ['0 6 * * SUN-SUN', null, '*-*-* 06:00:00'],
  ['0 6 * * SUN-MON', null, 'Sun,Mon *-*-* 06:00:00'],
  ['0 6 * * SAT-SUN,WED', null, 'Sun,Wed,Sat *-*-* 06:00:00'],
  ['@daily', null, '*-*-* 00:00:00'],
  ['@weekly', 'Asia/Tokyo', 'Sun *-*-* 00:00:00 Asia/Tokyo'],
  ['@hourly', null, '*-*-* *:00:00'],
  ['@yearly', null, '*-01-01 00:00:00'],
  ['0 0 L * *', null, ''],
];

describe('cron_restart → OnCalendar=', () => {
  test('exact translations: the same runs as croner, by systemd-analyze calendar', {
    skip: noSystemd,
  }, () => {
    for (const [expr, tz, expected] of EXACT) {
      const r = onCalendar(expr, tz, 252);
      if (expected === '') {
        assert.ok('problem' in r, expr);
        continue;
      }
      assert.deepEqual(r, { calendar: expected }, expr);
      assert.deepEqual(systemdRuns(expected), cronerRuns(expr, tz), `${expr} (${tz}) → ${expected}`);
    }
  });

  test('no translation where systemd would run at other times, nothing guessed', () => {
    for (const [expr, why] of [
      ['0 3 1 * 1', /both restricted: cron runs when either matches/],
      ['0 3 15 * MON-FRI', /both restricted/],
      ['0 0 L * *', /L, W, # and \? forms/],
      ['0 0 15W * *', /L, W, # and \? forms/],
      ['0 0 * * 5#2', /L, W, # and \? forms/],
      ['0 0 ? * 1', /L, W, # and \? forms/],
      ['0 0 * * 5L', /L, W, # and \? forms/],
      ['@reboot', /not a macro/],
      ['1 2 3', /expected 5 or 6 fields/],
    ] as const) {
      const r = onCalendar(expr, null, 252);
      assert.ok('problem' in r, expr);
      assert.match(r.problem, why, expr);
    }
    assert.match(
      (onCalendar('0 3 * * *', 'Europe/Paris', 234) as { problem: string }).problem,
      /needs systemd ≥ 235/,
    );
  });
});
