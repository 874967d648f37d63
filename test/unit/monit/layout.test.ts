// The pure layout of `tend monit`: rows shared between table and logs, scrolling, row text.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clip, headerRow, heights, processRow, scrollTop } from '../../../src/monit/layout.js';
import type { ProcessInfo } from '../../../src/protocol/process-info.js';

const proc = (over: Partial<ProcessInfo> = {}): ProcessInfo => ({
  id: 3,
  name: 'api',
  namespace: 'default',
  mode: 'fork',
  instance: 0,
  pid: 1234,
  status: 'online',
  ready: true,
  health: 'unknown',
  reason: null,
  wanted: 'up',
  completed: false,
  restarts: 2,
  unstable_restarts: 0,
  started_at: 0,
  uptime_ms: 125_000,
  cpu: 12.345,
  memory: 50 * 1024 * 1024,
  last_exit: null,
  last_error: null,
  next_start_at: null,
  kill_deadline_at: null,
  created_at: 0,
  script: '/app.js',
  args: [],
  cwd: '/',
  interpreter: 'node',
  interpreter_args: [],
  autorestart: true,
  out_log: '/o',
  err_log: '/e',
  watching: false,
  watch_restarts: 0,
  memory_restarts: 0,
  cron_restarts: 0,
  log_dropped: 0,
  next_cron_at: null,
  ...over,
});

test('heights: the table takes what it needs up to half, the logs the rest; tiny screens still fit', () => {
  assert.deepEqual(heights(40, 3), { table: 3, logs: 32 });
  assert.deepEqual(heights(40, 100), { table: 17, logs: 18 });
  assert.deepEqual(heights(5, 10), { table: 1, logs: 1 });
  assert.deepEqual(heights(24, 0), { table: 1, logs: 18 });
});

test('scrollTop keeps the selection visible, moving the window as little as possible', () => {
  assert.equal(scrollTop(0, 0, 5, 20), 0);
  assert.equal(scrollTop(4, 0, 5, 20), 0);
  assert.equal(scrollTop(5, 0, 5, 20), 1);
  assert.equal(scrollTop(19, 1, 5, 20), 15);
  assert.equal(scrollTop(10, 15, 5, 20), 10);
  // The list shrank below the window: back to the top.
  assert.equal(scrollTop(1, 15, 5, 3), 0);
});

test('rows: columns line up with the header, CPU and memory shown only for a running process', () => {
  const header = headerRow(100);
  const row = processRow(proc(), 100);
  assert.equal(row.length, header.length);
  assert.match(header, /^id +name +status +cpu +memory +restarts +uptime$/);
  assert.match(row, /^3 +api +online +12\.3% +50\.0 MB +2 +2m$/);
  assert.match(processRow(proc({ pid: null, status: 'stopped' }), 100), /stopped +- +- +2 +-$/);
  // A long name is cut, never pushes the other columns.
  assert.equal(processRow(proc({ name: 'n'.repeat(300) }), 100).length, header.length);
});

test('clip: control characters and colour codes removed, cut to the width', () => {
  assert.equal(clip('a\tb\u001b[31mred\u001b[0m\r', 80), 'a  bred');
  assert.equal(clip('x'.repeat(10), 5), 'xxxx…');
});
