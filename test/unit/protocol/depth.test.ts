// How deeply a request or an ecosystem file may nest (src/protocol/depth.ts): refused where it enters, with
// where (tenth audit: 100 000 levels overflowed the stack of tend's recursive walkers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_DEPTH, tooDeep } from '../../../src/protocol/depth.js';

const nested = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
};

test('within MAX_DEPTH: null; deeper: the path, cut short', () => {
  // The value of A is at depth 4: 60 arrays in it reach depth 63, the deepest taken.
  assert.equal(tooDeep({ apps: [{ env: { A: nested(MAX_DEPTH - 4) } }] }), null);
  assert.notEqual(tooDeep({ apps: [{ env: { A: nested(MAX_DEPTH - 3) } }] }), null);
  const deep = tooDeep({ apps: [{ env: { A: nested(100_000) } }] });
  assert.match(deep ?? '', /^apps\[0\]\.env\.A\[0\]\[0\][[\]0]*\.\.\.$/);
  assert.ok((deep ?? '').length <= 120);
  assert.equal(tooDeep(nested(MAX_DEPTH + 1)), `${'[0]'.repeat(MAX_DEPTH).slice(0, 117)}...`);
  assert.equal(
    tooDeep({ a: { b: nested(MAX_DEPTH) } }),
    `a.b${'[0]'.repeat(MAX_DEPTH - 2)}`.replace(/^(.{117}).+/, '$1...'),
  );
  assert.equal(tooDeep('text'), null);
});

test('a cycle (a JavaScript ecosystem file) is walked once; wide values are linear', () => {
  const a: Record<string, unknown> = { name: 'a' };
  a.self = a;
  assert.equal(tooDeep({ apps: [a] }), null);
  assert.equal(tooDeep({ list: Array.from({ length: 1_000_000 }, (_, i) => ({ i })) }), null);
});
