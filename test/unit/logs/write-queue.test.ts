import assert from 'node:assert/strict';
import { test } from 'node:test';
import { afterShortWrite, countLines } from '../../../src/logs/write-queue.js';

const entry = (text: string) => ({ buf: Buffer.from(text), name: text.slice(0, 2) });
const lost = (r: ReturnType<typeof afterShortWrite<ReturnType<typeof entry>>>) =>
  r.lost.map(({ entry: e, lines }) => [e.name, lines]);

test('a write cut mid-line keeps the whole lines before the cut; the cut line and the rest are lost', () => {
  const batch = [entry('a1\na2\n'), entry('b1\nb2\nb3\n'), entry('c1\n')];
  // 8 bytes: "a1\na2\nb1" — b1 is cut before its newline.
  const r = afterShortWrite(batch, 8);
  assert.equal(r.kept, 6);
  assert.deepEqual(lost(r), [
    ['b1', 3],
    ['c1', 1],
  ]);
});

test('a cut right after a newline loses no fragment', () => {
  const batch = [entry('a1\na2\n'), entry('b1\n')];
  const r = afterShortWrite(batch, 3);
  assert.equal(r.kept, 3);
  assert.deepEqual(lost(r), [
    ['a1', 1],
    ['b1', 1],
  ]);
});

test('a failed write (0 bytes) loses everything; a complete one nothing', () => {
  const batch = [entry('a1\na2\n'), entry('b1\n')];
  assert.deepEqual(afterShortWrite(batch, 0), {
    kept: 0,
    lost: [
      { entry: batch[0], lines: 2 },
      { entry: batch[1], lines: 1 },
    ],
  });
  assert.deepEqual(afterShortWrite(batch, 9), { kept: 9, lost: [] });
});

test('countLines counts a last line without its newline', () => {
  assert.equal(countLines(Buffer.from('')), 0);
  assert.equal(countLines(Buffer.from('a\nb\n')), 2);
  assert.equal(countLines(Buffer.from('a\nb')), 2);
});
