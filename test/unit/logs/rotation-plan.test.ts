// The rotation planner: names, room left, line-aligned splits, retention, interval schedules (the time is an
// argument: no clock, no sleeping).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  fitting,
  nextStamp,
  planRetention,
  type RotatedFile,
  roomLeft,
  rotatedMatcher,
  rotatedName,
  stampOf,
} from '../../../src/logs/rotation-plan.js';
import { intervalProblem, nextIntervalAt } from '../../../src/logs/rotation-schedule.js';

// Local time: build instants with the Date constructor so the test holds in any TZ.
const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) =>
  new Date(y, mo - 1, d, h, mi, s, ms).getTime();

describe('rotation planner', () => {
  it('names rotated files with a sortable local date stamp, and recognises them', () => {
    const stamp = stampOf(local(2024, 5, 1, 14, 3, 7, 42));
    assert.equal(stamp, '2024-05-01_14-03-07-042');
    assert.equal(rotatedName('/l/api-out.log', stamp), '/l/api-out__2024-05-01_14-03-07-042.log');
    assert.equal(rotatedName('/l/api', stamp), '/l/api__2024-05-01_14-03-07-042');
    const match = rotatedMatcher('/l/api-out.log');
    assert.deepEqual(match('api-out__2024-05-01_14-03-07-042.log'), { stamp, compressed: false });
    assert.deepEqual(match('api-out__2024-05-01_14-03-07-042.log.gz'), { stamp, compressed: true });
    assert.deepEqual(match('api-out__2024-05-01_14-03-07-042.log.gz.tmp'), { stamp, compressed: false });
    assert.equal(match('api-out.log'), null);
    assert.equal(match('api-out-1__2024-05-01_14-03-07-042.log'), null);
    assert.equal(match('xapi-out__2024-05-01_14-03-07-042.log'), null);
  });

  it('gives two rotations in one millisecond two stamps', () => {
    assert.equal(nextStamp(1000, null), 1000);
    assert.equal(nextStamp(1000, 999), 1000);
    assert.equal(nextStamp(1000, 1000), 1001);
    assert.equal(nextStamp(990, 1005), 1006); // the clock went back
  });

  it('computes the room left and splits queued lines at a line boundary', () => {
    assert.equal(roomLeft(0, 123), Number.POSITIVE_INFINITY);
    assert.equal(roomLeft(100, 30), 70);
    assert.equal(roomLeft(100, 130), 0);
    const entry = Buffer.from('aaaa\nbbbb\ncccc\n');
    assert.equal(fitting(entry, 100), 15);
    assert.equal(fitting(entry, 12), 10);
    assert.equal(fitting(entry, 10), 10);
    assert.equal(fitting(entry, 9), 5);
    assert.equal(fitting(entry, 4), 0);
    assert.equal(fitting(entry, 0), 0);
  });

  it('keeps the newest `retain` generations, counting a generation once across files', () => {
    const f = (live: string, stamp: string, compressed = false): RotatedFile => ({
      path: `/l/${live}__${stamp}.log${compressed ? '.gz' : ''}`,
      live: `/l/${live}.log`,
      stamp,
      compressed,
    });
    const files = [
      f('a-out', '2024-01-01_00-00-00-001', true),
      f('a-error', '2024-01-01_00-00-00-001', true),
      f('a-out', '2024-01-02_00-00-00-000'),
      f('a-out', '2024-01-03_00-00-00-000'),
      f('a-error', '2024-01-03_00-00-00-000'),
    ];
    const doomed = (retain: number) => planRetention(files, retain).map((x) => x.path);
    assert.deepEqual(doomed(3), []);
    assert.deepEqual(doomed(2), [files[0]!.path, files[1]!.path]);
    assert.deepEqual(
      doomed(0),
      files.map((x) => x.path),
    );
    // An uncompressed file beside its .gz (compression interrupted): the copy goes.
    const twin = f('a-out', '2024-01-01_00-00-00-001');
    assert.deepEqual(
      planRetention([...files, twin], 3).map((x) => x.path),
      [twin.path],
    );
  });

  it('schedules interval rotations: shorthands and cron, strictly after now, local time', () => {
    const now = local(2024, 5, 1, 14, 3, 7);
    assert.equal(nextIntervalAt('daily', now), local(2024, 5, 2));
    assert.equal(nextIntervalAt('hourly', now), local(2024, 5, 1, 15));
    assert.equal(nextIntervalAt('*/15 * * * *', now), local(2024, 5, 1, 14, 15));
    assert.equal(nextIntervalAt('*/10 * * * * *', now), local(2024, 5, 1, 14, 3, 10));
    assert.equal(
      nextIntervalAt('daily', local(2024, 5, 2)),
      local(2024, 5, 3),
      'at the due time: the next one',
    );
    assert.equal(nextIntervalAt('0 0 1 1 *', now), local(2025, 1, 1));
    assert.equal(intervalProblem('daily'), null);
    assert.equal(intervalProblem('0 3 * * *'), null);
    assert.match(String(intervalProblem('every day')), /expected a cron expression/);
    assert.match(String(intervalProblem('61 * * * *')), /minute/);
  });
});
