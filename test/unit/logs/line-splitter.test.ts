import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineSplitter } from '../../../src/logs/line-splitter.js';

function split(chunks: (string | Buffer)[], maxLineLength?: number): string[] {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), maxLineLength);
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  splitter.end();
  return lines;
}

describe('LineSplitter', () => {
  it('splits on newlines and keeps a line split across chunks whole', () => {
    assert.deepEqual(split(['one\ntw', 'o\nthr', 'e', 'e\n']), ['one', 'two', 'three']);
  });

  it('emits a last line without newline at end, and keeps empty lines', () => {
    assert.deepEqual(split(['a\n\nb']), ['a', '', 'b']);
    assert.deepEqual(split(['a\n']), ['a']);
    assert.deepEqual(split([]), []);
  });

  it('drops the CR of CRLF', () => {
    assert.deepEqual(split(['a\r\nb\r', '\n']), ['a', 'b']);
  });

  it('decodes a multi-byte character split across chunks', () => {
    const bytes = Buffer.from('é€😀\n');
    const chunks = [...bytes].map((byte) => Buffer.from([byte]));
    assert.deepEqual(split(chunks), ['é€😀']);
  });

  it('cuts an overlong line and resumes at the next newline', () => {
    assert.deepEqual(split(['abcdef', 'ghij\nok\n'], 4), ['abcd…', 'ok']);
  });
});
