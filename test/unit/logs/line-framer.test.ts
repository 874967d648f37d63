// The line framer: whole lines out, however the bytes were chunked; overlong lines cut and marked.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CUT_MARK,
  charBoundary,
  LineFramer,
  lastLines,
  MAX_LINE_BYTES,
  splitLines,
} from '../../../src/logs/line-framer.js';

/** Feeds `chunks` and returns every line released (end() included), as text. */
function frame(chunks: (string | Buffer)[], max?: number): string[] {
  const f = new LineFramer(max);
  const out: Buffer[] = [];
  for (const c of chunks) {
    const block = f.push(typeof c === 'string' ? Buffer.from(c) : c);
    if (block) {
      assert.equal(block[block.length - 1], 0x0a, 'a block ends with a newline');
      out.push(block);
    }
  }
  const last = f.end();
  if (last) out.push(last);
  return splitLines(Buffer.concat(out));
}

describe('LineFramer', () => {
  it('releases only complete lines; a line in several chunks is one line', () => {
    const f = new LineFramer();
    assert.equal(f.push(Buffer.from('hel')), null);
    assert.equal(f.push(Buffer.from('lo wo')), null);
    assert.equal(String(f.push(Buffer.from('rld\nsecond'))), 'hello world\n');
    assert.equal(String(f.push(Buffer.from(' line\nthird\n'))), 'second line\nthird\n');
    assert.equal(f.end(), null);
  });

  it('gives the same lines whatever the chunk boundaries', () => {
    const text = Array.from({ length: 200 }, (_, i) => `line ${i} ${'é'.repeat(i % 7)}`).join('\n');
    const whole = frame([`${text}\n`]);
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      const bytes = Buffer.from(`${text}\n`);
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      assert.deepEqual(frame(chunks), whole, `chunks of ${size}`);
    }
    assert.equal(whole.length, 200);
  });

  it('turns a last line without newline into a line at end()', () => {
    assert.deepEqual(frame(['a\nb']), ['a', 'b']);
    assert.deepEqual(frame(['']), []);
  });

  it('keeps binary bytes unchanged', () => {
    const garbage = Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x0a, 0xc3, 0x28, 0x0a]);
    const f = new LineFramer();
    assert.deepEqual(f.push(garbage), garbage);
  });

  it('cuts a line longer than the maximum into marked pieces, keeping every byte', () => {
    const max = 16;
    const line = 'abcdefghijklmnopqrstuvwxyz0123456789'; // 36 bytes
    const lines = frame([`${line}\nshort\n`], max);
    assert.deepEqual(lines, [
      `${line.slice(0, 16)}${CUT_MARK}`,
      `${line.slice(16, 32)}${CUT_MARK}`,
      line.slice(32),
      'short',
    ]);
    // The same when the long line arrives without its newline, in small chunks.
    const chunks = [...line].map((c) => c);
    assert.deepEqual(frame([...chunks, '\nshort\n'], max), lines);
  });

  it('never holds more than the maximum pending (a 10 MB line without newline)', () => {
    const f = new LineFramer();
    const mb = Buffer.alloc(1024 * 1024, 0x61);
    let released = 0;
    for (let i = 0; i < 10; i++) released += f.push(mb)?.length ?? 0;
    released += f.end()?.length ?? 0;
    const pieces = Math.ceil((10 * 1024 * 1024) / MAX_LINE_BYTES);
    assert.equal(released, 10 * 1024 * 1024 + (pieces - 1) * (Buffer.byteLength(CUT_MARK) + 1) + 1);
  });

  it('does not cut inside a UTF-8 character', () => {
    const lines = frame([`${'é'.repeat(20)}\n`], 9); // 2 bytes each: 9 would split one
    for (const l of lines) assert.doesNotMatch(l, /\uFFFD/);
    assert.equal(lines.map((l) => l.replace(CUT_MARK, '')).join(''), 'é'.repeat(20));
    assert.equal(charBoundary(Buffer.from('aé'), 2), 1);
  });
});

describe('lastLines / splitLines', () => {
  it('returns the last lines of a block, decoded, without CR', () => {
    const block = Buffer.from('one\r\ntwo\nthree\n');
    assert.deepEqual(lastLines(block, 2), ['two', 'three']);
    assert.deepEqual(lastLines(block, 10), ['one', 'two', 'three']);
    assert.deepEqual(splitLines(Buffer.from('a\n\nb\n')), ['a', '', 'b']);
  });
});
