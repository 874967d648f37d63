import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGone, parseProcStat, readProcStat } from '../../../src/runtime/proc-stat.js';

// 52 fields as in proc(5); after starttime (field 22): vsize and rss (fields 23, 24), then a tail that does
// not matter here.
const tail = ' 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n';
const line = (comm: string) =>
  `4242 (${comm}) S 17 4200 4200 0 -1 4194304 1 0 0 0 123 45 0 0 20 0 1 0 98765 8192000 250${tail}`;

describe('parseProcStat', () => {
  it('reads ppid, pgid, cpu times, starttime and rss', () => {
    assert.deepEqual(parseProcStat(line('node')), {
      pid: 4242,
      comm: 'node',
      state: 'S',
      ppid: 17,
      pgid: 4200,
      utime: 123,
      stime: 45,
      starttime: 98765,
      rss: 250,
    });
  });

  it('anchors on the last ")": comm may contain spaces and parentheses', () => {
    for (const comm of ['my app', 'a) S 1 2 (b', ')(', 'x)', '(']) {
      const stat = parseProcStat(line(comm));
      assert.equal(stat?.comm, comm);
      assert.equal(stat?.ppid, 17);
      assert.equal(stat?.pgid, 4200);
      assert.equal(stat?.starttime, 98765);
    }
  });

  it('rejects text that is not a stat line', () => {
    assert.equal(parseProcStat(''), undefined);
    assert.equal(parseProcStat('garbage'), undefined);
    assert.equal(parseProcStat('12 (x) S 1'), undefined);
  });

  it('reads our own process', () => {
    const self = readProcStat(process.pid);
    assert.equal(self?.ppid, process.ppid);
    assert.equal(isGone(self), false);
    assert.equal(readProcStat(2 ** 31), undefined);
    assert.equal(isGone(undefined), true);
  });
});
