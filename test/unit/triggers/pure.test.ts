// The pure parts of the restart triggers: the debounce on a fake clock, the next cron run (5 and 6 fields,
// time zones) and which changed paths are ignored.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nextCronAt } from '../../../src/triggers/cron.js';
import { Debounce } from '../../../src/triggers/debounce.js';
import { ignoreMatcher } from '../../../src/triggers/ignore.js';
import { FakeClock } from '../../helpers/fake-clock.js';

describe('Debounce (trailing edge)', () => {
  test('a burst fires once, delay after its last hit, with the first item and the distinct count', () => {
    const clock = new FakeClock(0);
    const fired: [string, number, number][] = [];
    const d = new Debounce<string>(clock, 500, (first, count) => fired.push([first, count, clock.now()]));
    for (let i = 0; i < 100; i++) {
      d.hit(`f${i % 50}`);
      clock.advance(10);
    }
    // last hit at t=990 (now 1000): nothing before 1490
    clock.advance(489);
    assert.deepEqual(fired, []);
    clock.advance(1);
    assert.deepEqual(fired, [['f0', 50, 1490]]);
    clock.advance(10_000);
    assert.equal(fired.length, 1);
    d.hit('again');
    clock.advance(500);
    assert.deepEqual(fired[1], ['again', 1, 11_990]);
  });

  test('cancel drops a pending burst', () => {
    const clock = new FakeClock(0);
    let fired = 0;
    const d = new Debounce<string>(clock, 100, () => fired++);
    d.hit('a');
    d.cancel();
    clock.advance(1000);
    assert.equal(fired, 0);
    assert.equal(clock.nextIn(), null);
  });
});

describe('nextCronAt', () => {
  const at = (iso: string) => Date.parse(iso);
  test('5 fields: minute resolution, strictly after', () => {
    assert.equal(nextCronAt('0 */6 * * *', 'UTC', at('2026-03-01T05:59:59Z')), at('2026-03-01T06:00:00Z'));
    assert.equal(nextCronAt('0 */6 * * *', 'UTC', at('2026-03-01T06:00:00Z')), at('2026-03-01T12:00:00Z'));
  });

  test('6 fields: seconds first', () => {
    assert.equal(nextCronAt('*/10 * * * * *', 'UTC', at('2026-03-01T00:00:01Z')), at('2026-03-01T00:00:10Z'));
    assert.equal(nextCronAt('* * * * * *', 'UTC', at('2026-03-01T00:00:10Z')), at('2026-03-01T00:00:11Z'));
  });

  test('a time zone: 09:00 in Tokyo is midnight UTC', () => {
    assert.equal(
      nextCronAt('0 9 * * *', 'Asia/Tokyo', at('2026-03-01T01:00:00Z')),
      at('2026-03-02T00:00:00Z'),
    );
    assert.equal(nextCronAt('0 9 * * *', 'UTC', at('2026-03-01T01:00:00Z')), at('2026-03-01T09:00:00Z'));
  });
});

describe('ignoreMatcher', () => {
  const ignored = ignoreMatcher({
    cwd: '/srv/app',
    ignore_watch: ['*.log', 'src/generated/**', './tmp/', '/srv/app/cache'],
    out_file: '/srv/app/logs/api-out.log',
    err_file: '/home/me/.tend/logs/api-error.log',
    log_file: null,
    home: '/srv/app/.tend-home',
  });
  const cases: [string, boolean][] = [
    ['/srv/app/src/index.js', false],
    ['/srv/app/src', false],
    ['/srv/app', false],
    ['/srv/app/node_modules', true],
    ['/srv/app/node_modules/x/index.js', true],
    ['/srv/app/packages/a/node_modules/y.js', true],
    ['/srv/app/.git/HEAD', true],
    ['/srv/app/debug.log', true],
    ['/srv/app/deep/er/trace.log', true],
    ['/srv/app/src/generated/a/b.ts', true],
    ['/srv/app/src/generated.ts', false],
    ['/srv/app/tmp/x', true],
    ['/srv/app/cache/x', true],
    // tend's own files: the app's log files, an instance's, rotated ones, and TEND_HOME
    ['/srv/app/logs/api-out.log', true],
    ['/srv/app/logs/api-out-3.log', true],
    ['/srv/app/logs/api-out__2026-03-01T00-00-00.log.gz', true],
    ['/srv/app/logs/other.txt', false],
    ['/srv/app/.tend-home/daemon.log', true],
  ];
  for (const [file, expected] of cases)
    test(`${file} ${expected ? 'is' : 'is not'} ignored`, () => assert.equal(ignored(file), expected));
});
