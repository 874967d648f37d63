import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RingBuffer } from '../../../src/logs/ring-buffer.js';

describe('RingBuffer', () => {
  it('keeps everything until full, oldest first', () => {
    const ring = new RingBuffer(3);
    assert.deepEqual(ring.toArray(), []);
    ring.push('a');
    ring.push('b');
    assert.deepEqual(ring.toArray(), ['a', 'b']);
    assert.equal(ring.length, 2);
  });

  it('keeps the last `capacity` items, newest last, across many wraps', () => {
    const ring = new RingBuffer(3);
    for (let i = 0; i < 10; i++) ring.push(String(i));
    assert.deepEqual(ring.toArray(), ['7', '8', '9']);
    assert.equal(ring.length, 3);
  });

  it('returns a copy', () => {
    const ring = new RingBuffer(2);
    ring.push('a');
    ring.toArray().push('mutated');
    assert.deepEqual(ring.toArray(), ['a']);
  });

  it('clears, and accepts a capacity of 0 but not a negative one', () => {
    const ring = new RingBuffer(2);
    ring.push('a');
    ring.push('b');
    ring.push('c');
    ring.clear();
    ring.push('d');
    assert.deepEqual(ring.toArray(), ['d']);
    const none = new RingBuffer(0);
    none.push('x');
    assert.deepEqual(none.toArray(), []);
    assert.throws(() => new RingBuffer(-1), RangeError);
    assert.throws(() => new RingBuffer(1.5), RangeError);
  });
});
