// The recent lines of log streams kept for Last-Event-ID: a resume inside them gets exactly the rest, at
// their last id nothing of them, inside lines let go (bytes, count) a fresh start; pruned below the floor.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogSnapshots, type SnapshotLine } from '../../../src/http/streams/log-snapshots.js';

const snap = (first: number, n: number, tag: string): SnapshotLine<string>[] =>
  Array.from({ length: n }, (_, i) => ({ seq: first + i, line: `${tag}${i}` }));

test('an id inside kept recent lines: the lines after it and the seam; its last id: none of them', () => {
  const s = new LogSnapshots<string>(1000, 10);
  s.add(snap(101, 5, 'a'), 50);
  assert.deepEqual(s.resume(102), {
    kind: 'lines',
    lines: snap(101, 5, 'a').slice(2),
    seam: 105,
  });
  assert.deepEqual(s.resume(105), { kind: 'lines', lines: [], seam: 105 });
  assert.deepEqual(s.resume(100), { kind: 'none' });
  assert.deepEqual(s.resume(106), { kind: 'none' });
});

test('past the bytes, the oldest lines are let go (their range kept: inside it, only a fresh start)', () => {
  const s = new LogSnapshots<string>(100, 10);
  s.add(snap(1, 3, 'a'), 60);
  s.add(snap(11, 3, 'b'), 60);
  assert.deepEqual(s.size, { snapshots: 2, bytes: 60 });
  assert.deepEqual(s.resume(2), { kind: 'gone' });
  assert.deepEqual(s.resume(3), { kind: 'lines', lines: [], seam: 3 }, 'its last id still resumes');
  assert.equal(s.resume(12).kind, 'lines');
});

test('past the count, the oldest are forgotten; prune forgets those that end below the floor', () => {
  const s = new LogSnapshots<string>(1000, 2);
  s.add(snap(1, 2, 'a'), 10);
  s.add(snap(11, 2, 'b'), 10);
  s.add(snap(21, 2, 'c'), 10);
  assert.deepEqual(s.size, { snapshots: 2, bytes: 20 });
  assert.equal(s.resume(1).kind, 'none');
  s.prune(15);
  assert.deepEqual(s.size, { snapshots: 1, bytes: 10 });
  assert.equal(s.resume(11).kind, 'none');
  assert.equal(s.resume(21).kind, 'lines');
  s.add([], 0);
  assert.equal(s.size.snapshots, 1, 'no lines, nothing kept');
  s.clear();
  assert.deepEqual(s.size, { snapshots: 0, bytes: 0 });
});
