// Where a config problem is: `apps[2] (worker)`, one line whatever the name holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { appLocation } from '../../../src/config/read-app.js';

test('the name as written, or JSON-quoted when it holds a line break or another control character (eighth audit)', () => {
  assert.equal(appLocation(0, { name: 'api' }), 'apps[0] (api)');
  assert.equal(appLocation(1, { name: 'a\nb' }), 'apps[1] ("a\\nb")');
  assert.equal(appLocation(2, { name: 'x\u2028y' }), 'apps[2] ("x\u2028y")');
  assert.equal(appLocation(3, {}), 'apps[3]');
});
