// The command line a started process is logged with (daemon.log, tend-runtime's stderr): credentials in its
// arguments are masked (third audit: a pod's log showed `--db=postgres://u:hunter2@db/x`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskedArgs } from '../../../src/protocol/secrets.js';

test('a word carrying a credential, or completing one with the word before it, is masked; the rest stays', () => {
  assert.deepEqual(
    maskedArgs([
      '--db=postgres://u:hunter2@db/x',
      'password=hunter3',
      '-u',
      'admin:hunter4',
      '--password',
      'hunter5',
      '--port',
      '3000',
      'serve',
    ]),
    ['********', '********', '-u', '********', '--password', '********', '--port', '3000', 'serve'],
  );
  assert.deepEqual(maskedArgs(['--token', '$TOKEN', '-p', '8080']), ['--token', '$TOKEN', '-p', '8080']);
  assert.deepEqual(maskedArgs([]), []);
});
