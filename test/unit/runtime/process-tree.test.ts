import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  descendantsOf,
  descendantsOfAll,
  membersOfGroup,
  type ProcessTable,
  readProcessTable,
} from '../../../src/runtime/process-tree.js';

function table(rows: [pid: number, ppid: number, pgid: number][]): ProcessTable {
  return new Map(rows.map(([pid, ppid, pgid]) => [pid, { ppid, pgid, starttime: pid, state: 'S' }]));
}

describe('process tree', () => {
  const t = table([
    [1, 0, 1],
    [10, 1, 10], // the leader
    [11, 10, 10],
    [12, 11, 10], // grandchild
    [13, 12, 13], // great-grandchild that left the group
    [20, 1, 20], // unrelated
    [21, 20, 20],
  ]);

  it('finds every generation of descendants, not the process itself', () => {
    assert.deepEqual(descendantsOf(10, t), [11, 12, 13]);
    assert.deepEqual(descendantsOf(13, t), []);
    assert.deepEqual(descendantsOf(99, t), []);
  });

  it('unites several roots', () => {
    assert.deepEqual(descendantsOfAll([12, 20], t).sort(), [13, 21]);
  });

  it('survives a cycle (a table read while pids were recycled)', () => {
    const cyclic = table([
      [5, 6, 5],
      [6, 5, 5],
    ]);
    assert.deepEqual(descendantsOf(5, cyclic), [6]);
  });

  it('lists the members of a group', () => {
    assert.deepEqual(membersOfGroup(10, t), [10, 11, 12]);
  });

  it('reads the real table, with our own pid and parent', () => {
    const real = readProcessTable();
    assert.equal(real.get(process.pid)?.ppid, process.ppid);
    assert.ok(descendantsOf(process.ppid, real).includes(process.pid));
  });
});
