import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hasEntry, hasKey } from '../../../src/runtime/env-tag.js';

test('hasEntry matches a whole KEY=value entry, first, middle or last, never a prefix of a longer value', () => {
  const env = 'A=1\0TEND_SPAWN_ID=9.x.1\0B=2\0';
  assert.ok(hasEntry(env, 'A=1'));
  assert.ok(hasEntry(env, 'TEND_SPAWN_ID=9.x.1'));
  assert.ok(hasEntry(env, 'B=2'));
  assert.ok(hasEntry('TEND_SPAWN_ID=9.x.1', 'TEND_SPAWN_ID=9.x.1'), 'an environ without a final NUL');
  assert.ok(!hasEntry(env, 'TEND_SPAWN_ID=9.x.'), 'a prefix of the value');
  assert.ok(!hasEntry('TEND_SPAWN_ID=9.x.12\0', 'TEND_SPAWN_ID=9.x.1'), 'spawn 1 is not spawn 12');
  assert.ok(!hasEntry('XA=1\0', 'A=1'), 'a suffix of another key');
});

test('hasKey finds a key with any value, not a key that merely ends with it', () => {
  assert.ok(hasKey('TEND_ID=3\0', 'TEND_ID'));
  assert.ok(hasKey('A=1\0TEND_ID=\0', 'TEND_ID'));
  assert.ok(!hasKey('XTEND_ID=3\0', 'TEND_ID'));
});
