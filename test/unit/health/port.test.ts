// A probe's port per instance ('$PORT', '$PORT+instance'), and the short failure text events carry.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { expandPort } from '../../../src/health/port.js';
import { failureText } from '../../../src/health/probe-types.js';

test('expandPort: numbers as they are, $PORT from the env, $PORT+instance adds the instance', () => {
  assert.equal(expandPort(8080, {}, 3), 8080);
  assert.equal(expandPort('8080', {}, 3), 8080);
  assert.equal(expandPort('$PORT', { PORT: '3000' }, 2), 3000);
  assert.equal(expandPort('$PORT+instance', { PORT: '3000' }, 2), 3002);
  assert.equal(expandPort(' $PORT + instance ', { PORT: ' 3000 ' }, 1), 3001);
});

test('expandPort: a clear error when PORT is missing, not a number, or the result is no port', () => {
  assert.throws(() => expandPort('$PORT', {}, 0), /port "\$PORT": the app's environment has no PORT/);
  assert.throws(() => expandPort('$PORT+instance', { PORT: 'abc' }, 0), /PORT is not a port number: "abc"/);
  assert.throws(() => expandPort('$PORT+instance', { PORT: '65535' }, 1), /gives 65536, outside 1-65535/);
  assert.throws(() => expandPort('$HOST', { PORT: '1' }, 0), /neither a number nor '\$PORT'/);
  assert.throws(() => expandPort(0, {}, 0), /outside 1-65535/);
});

test('failureText: the error, else the exit code and first line, else the output', () => {
  const base = { ok: false, at: 0, duration_ms: 1, exit_code: null, output: '', error: null };
  assert.equal(failureText({ ...base, error: 'timeout after 1000 ms' }), 'timeout after 1000 ms');
  assert.equal(failureText({ ...base, output: 'HTTP 503' }), 'HTTP 503');
  assert.equal(failureText({ ...base, exit_code: 1 }), 'exit code 1');
  assert.equal(failureText({ ...base, exit_code: 1, output: '  \n  no db  \nx' }), 'exit code 1: no db');
  assert.equal(
    failureText({ ...base, exit_code: 1, output: 'y'.repeat(500) }).length,
    'exit code 1: '.length + 200,
  );
});
