// The ids and rings behind Last-Event-ID: when a resume is possible, what it replays, and the bounds.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseLastEventId, SeqRing, Sequence } from '../../../src/http/streams/seq-ring.js';

describe('Sequence', () => {
  test('starts at the clock in microseconds and only grows: a later daemon starts above an earlier one', () => {
    const a = new Sequence(1_700_000_000_000);
    assert.equal(a.current, 1_700_000_000_000_000);
    assert.equal(a.next(), 1_700_000_000_000_001);
    for (let i = 0; i < 10_000; i++) a.next();
    const b = new Sequence(1_700_000_000_100); // 100 ms later
    assert.ok(b.current > a.current);
    assert.ok(Number.isSafeInteger(new Sequence(Date.UTC(2200, 0, 1)).current));
  });
});

describe('SeqRing', () => {
  test('replays the items after an id; null when the id is older than the ring, or newer than any', () => {
    const seq = new Sequence(1);
    const ring = new SeqRing<string>(3, Number.POSITIVE_INFINITY, seq.current);
    const start = seq.current;
    assert.deepEqual(ring.since(start, seq.current), [], 'nothing new');
    for (const x of ['a', 'b', 'c', 'd']) ring.push(seq.next(), x);
    assert.equal(ring.length, 3);
    assert.equal(ring.floor, start + 1, 'a is gone');
    assert.equal(ring.since(start, seq.current), null, 'a was missed: too old');
    assert.deepEqual(
      ring.since(start + 1, seq.current)?.map((e) => e.item),
      ['b', 'c', 'd'],
    );
    assert.deepEqual(
      ring.since(start + 3, seq.current)?.map((e) => e.item),
      ['d'],
    );
    assert.deepEqual(ring.since(seq.current, seq.current), []);
    assert.equal(ring.since(seq.current + 1, seq.current), null, 'an id from the future (another daemon)');
    assert.equal(ring.since(Number.NaN, seq.current), null);
  });

  test('bounded by bytes too (keeping at least the newest item); reset forgets everything', () => {
    const ring = new SeqRing<string>(1000, 100, 0);
    for (let i = 1; i <= 10; i++) ring.push(i, `item ${i}`, 30);
    assert.equal(ring.length, 3);
    assert.equal(ring.floor, 7);
    ring.push(11, 'huge', 1000);
    assert.equal(ring.length, 1, 'a single item over the bound is kept');
    ring.reset(20);
    assert.equal(ring.length, 0);
    assert.equal(ring.since(11, 20), null);
    assert.deepEqual(ring.since(20, 20), []);
  });

  test('many pushes keep the ring bounded (the queue compacts)', () => {
    const ring = new SeqRing<number>(10, Number.POSITIVE_INFINITY, 0);
    for (let i = 1; i <= 100_000; i++) ring.push(i, i);
    assert.deepEqual(
      ring.since(99_990, 100_000)?.map((e) => e.item),
      Array.from({ length: 10 }, (_, i) => 99_991 + i),
    );
  });
});

test('parseLastEventId: decimal ids only', () => {
  assert.equal(parseLastEventId('1700000000000001'), 1_700_000_000_000_001);
  assert.equal(parseLastEventId('0'), 0);
  for (const bad of [undefined, '', '-1', '1e3', ' 12', '12abc', '99999999999999999'])
    assert.equal(parseLastEventId(bad), undefined, String(bad));
});

describe('Sequence.reserve and SeqRing.holds', () => {
  test('reserve hands out n ids at once and returns the last; holds knows the floor and the ids pushed', () => {
    const s = new Sequence(1_000);
    const start = s.current;
    assert.equal(s.reserve(5), start + 5);
    assert.equal(s.next(), start + 6);
    const ring = new SeqRing<string>(3, 1000, 10);
    for (const seq of [11, 13, 17, 19]) ring.push(seq, `#${seq}`);
    // 11 fell out: the floor is 11 now.
    assert.deepEqual(
      [10, 11, 12, 13, 17, 18, 19, 20].map((n) => ring.holds(n)),
      [false, true, false, true, true, false, true, false],
    );
  });
});
