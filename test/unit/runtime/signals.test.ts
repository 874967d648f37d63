import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSignal } from '../../../src/runtime/signals.js';

test('parseSignal: names in any case, with or without SIG, and numbers', () => {
  for (const s of ['SIGUSR2', 'USR2', 'usr2', 'sigusr2', ' SIGUSR2 ', '12'])
    assert.equal(parseSignal(s), 'SIGUSR2');
  assert.equal(parseSignal('1'), 'SIGHUP');
  assert.equal(parseSignal('9'), 'SIGKILL');
  for (const s of ['', 'USR3', 'SIG', '0', '99', '-1', '1.5', 'SIGUSR2x'])
    assert.equal(parseSignal(s), null, s);
});
