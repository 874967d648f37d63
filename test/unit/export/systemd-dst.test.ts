// cron_restart as a timer in a zone with daylight saving time (the audit: docs/export.md said "translated
// exactly or not at all", but on a changeover day systemd skips the hour that does not exist and runs the
// repeated hour once, where croner runs late and twice). Checked against the two real readers around the
// changeover days: where the warning says they differ, systemd-analyze calendar and croner list other runs;
// where it says nothing (a zone without DST, a schedule out of the changeover hours), the same runs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { Cron } from 'croner';
import { dstDifference, observesDst } from '../../../src/export/dst.js';
import { renderExport } from '../../../src/export/render.js';
import { onCalendar, timesOfDay } from '../../../src/export/systemd-calendar.js';
import { appsFixtures } from './support.js';

const { inputFor } = appsFixtures('tend-export-dst-');
const noSystemd = spawnSync('systemd-analyze', ['--version']).error
  ? 'systemd-analyze is not installed'
  : false;
const FROM = Date.parse('2026-01-01T00:00:00Z');
const RUNS = 30;

function systemdRuns(calendar: string, base: string): string[] {
  const r = spawnSync(
    'systemd-analyze',
    [
      'calendar',
      `--iterations=${RUNS}`,
      `--base-time=${base.replace('T', ' ').replace('Z', ' UTC')}`,
      calendar,
    ],
    { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } },
  );
  assert.equal(r.stderr, '', calendar);
  return [...r.stdout.matchAll(/(?:Next elapse|Iter\. #\d+): \w+ (\S+) (\S+) UTC/g)].map((m) =>
    new Date(`${m[1]}T${m[2]}Z`).toISOString(),
  );
}

const cronerRuns = (expr: string, tz: string, base: string) =>
  new Cron(expr, { paused: true, timezone: tz }).nextRuns(RUNS, new Date(base)).map((d) => d.toISOString());

const difference = (expr: string, tz: string) =>
  dstDifference(timesOfDay(expr) ?? assert.fail(expr), tz, FROM);

// [expression, zone, a base time shortly before a changeover day]
const DIFFERENT: [string, string, string, RegExp][] = [
  [
    '30 2 * * *',
    'Europe/Berlin',
    '2026-03-27T12:00:00Z',
    /do not exist .*\(02:00–03:00, e\.g\. 2026-03-29\)/,
  ],
  ['0 * * * *', 'Europe/Berlin', '2026-10-24T23:30:00Z', /happen twice .*\(02:00–03:00, e\.g\. 2026-10-25\)/],
  [
    '0 0 * * *',
    'America/Santiago',
    '2026-09-04T12:00:00Z',
    /do not exist .*\(00:00–01:00, e\.g\. 2026-09-06\)/,
  ],
  [
    '*/30 2 * * *',
    'Europe/Berlin',
    '2026-10-24T21:00:00Z',
    /happen twice .*\(02:00–03:00, e\.g\. 2026-10-25\) is run once by systemd \(the first time\), where tend may run it a second time/,
  ],
];
const SAME: [string, string, string][] = [
  ['0 4 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z'],
  ['0 4 * * *', 'Europe/Berlin', '2026-10-23T12:00:00Z'],
  ['30 2 * * *', 'Asia/Kolkata', '2026-03-27T12:00:00Z'],
  ['0 * * * *', 'UTC', '2026-10-24T23:30:00Z'],
];

describe('daylight saving time', () => {
  test('which zones observe it (Intl)', () => {
    assert.equal(observesDst('Europe/Berlin', FROM), true);
    assert.equal(observesDst('America/Santiago', FROM), true);
    assert.equal(observesDst('UTC', FROM), false);
    assert.equal(observesDst('Asia/Kolkata', FROM), false);
  });

  test('where the warning says systemd differs, it does; where it says nothing, the runs are the same', {
    skip: noSystemd,
  }, () => {
    for (const [expr, tz, base, said] of DIFFERENT) {
      const calendar = (onCalendar(expr, tz, 252) as { calendar: string }).calendar;
      assert.notDeepEqual(systemdRuns(calendar, base), cronerRuns(expr, tz, base), `${expr} ${tz}`);
      assert.match(difference(expr, tz) ?? '', said, `${expr} ${tz}`);
    }
    for (const [expr, tz, base] of SAME) {
      const calendar = (onCalendar(expr, tz, 252) as { calendar: string }).calendar;
      assert.deepEqual(systemdRuns(calendar, base), cronerRuns(expr, tz, base), `${expr} ${tz}`);
      assert.equal(difference(expr, tz), null, `${expr} ${tz}`);
    }
    // Santiago goes back at midnight to 23:00: the repeated hour is 23:00–24:00, so a midnight run is the
    // same on that day (only the day it goes forward differs), and the warning says the gap only.
    assert.deepEqual(
      systemdRuns('*-*-* 00:00:00 America/Santiago', '2026-04-03T12:00:00Z'),
      cronerRuns('0 0 * * *', 'America/Santiago', '2026-04-03T12:00:00Z'),
    );
    assert.doesNotMatch(difference('0 0 * * *', 'America/Santiago') ?? '', /twice/);
    // croner runs some schedules twice in the repeated hour and others once (as systemd: 23:00 there):
    // the warning says "may", it does not guess which.
    assert.deepEqual(
      systemdRuns('*-*-* 23:00:00 America/Santiago', '2026-04-03T12:00:00Z'),
      cronerRuns('0 23 * * *', 'America/Santiago', '2026-04-03T12:00:00Z'),
    );
    assert.match(
      difference('0 23 * * *', 'America/Santiago') ?? '',
      /\(23:00–00:00, .*may run it a second time/,
    );
  });

  test('the export writes the timer and warns, naming the zone; the local zone when cron_restart_tz is not set', async () => {
    const app = (cron: string, tz?: string) => ({
      name: 'report',
      autorestart: false,
      cron_restart: cron,
      ...(tz ? { cron_restart_tz: tz } : {}),
    });
    const warned = async (a: Record<string, unknown>, localTimeZone = 'UTC') => {
      const r = renderExport('systemd', await inputFor([a], { localTimeZone }));
      assert.deepEqual(
        r.files.map((f) => f.name),
        ['report.service', 'report.timer'],
      );
      return r.warnings.filter((w) => w.field === 'cron_restart').map((w) => w.message);
    };
    const [berlin] = await warned(app('30 2 * * *', 'Europe/Berlin'));
    assert.match(
      berlin ?? '',
      /^the timer is written, but is not exact: Europe\/Berlin observes daylight saving time/,
    );
    assert.match(berlin ?? '', /skipped by systemd, where tend runs it late/);
    assert.match(berlin ?? '', /set cron_restart_tz to a zone without daylight saving time \(e\.g\. UTC\)/);
    assert.deepEqual(await warned(app('30 2 * * *', 'UTC')), []);
    assert.deepEqual(await warned(app('30 2 * * *', 'Asia/Kolkata')), []);
    assert.deepEqual(await warned(app('0 4 * * *', 'Europe/Berlin')), []);
    // No cron_restart_tz: the machine's local zone.
    assert.deepEqual(await warned(app('30 2 * * *')), []);
    const [local] = await warned(app('30 2 * * *'), 'Europe/Berlin');
    assert.match(
      local ?? '',
      /Europe\/Berlin observes .*\(no cron_restart_tz: the machine's local zone, Europe\/Berlin here\)/,
    );
  });
});
