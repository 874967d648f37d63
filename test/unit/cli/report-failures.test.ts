// What start, restart and reload say about the processes they leave not running, or not ready yet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportFailures } from '../../../src/cli/report-failures.js';
import type { ProcessInfo } from '../../../src/protocol/process-info.js';

function said(processes: Partial<ProcessInfo>[]): { lines: string[]; exitCode: typeof process.exitCode } {
  const lines: string[] = [];
  const write = process.stderr.write;
  const code = process.exitCode;
  process.stderr.write = ((chunk: string) => {
    lines.push(String(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    reportFailures(
      processes.map((p) => ({ id: 0, name: 'web', last_error: null, last_exit: null, ...p }) as ProcessInfo),
    );
    return { lines, exitCode: process.exitCode };
  } finally {
    process.stderr.write = write;
    process.exitCode = code;
  }
}

test('launching with no ready deadline and a failing readiness probe: a warning, not an error (eighth audit)', () => {
  const r = said([{ status: 'launching', reason: 'waiting for readiness', health: 'unhealthy' }]);
  assert.deepEqual(r.lines, [
    'warning: web [0] is not ready yet: its readiness probe fails; it stays launching, waiting for readiness, until the probe passes (listen_timeout sets a deadline; see "tend describe 0") (TEND_ERR_NOT_READY)\n',
  ]);
  assert.equal(r.exitCode, undefined);
});

test('online, or launching for another reason (a --no-wait start), or waiting for readiness before its probe failed its threshold: nothing said', () => {
  assert.deepEqual(
    said([
      { status: 'online', reason: null },
      { status: 'launching', reason: null },
      // Ninth audit: "its readiness probe fails" of a probe that had not failed yet (--no-wait).
      { status: 'launching', reason: 'waiting for readiness', health: 'unknown' },
    ]).lines,
    [],
  );
});

test('another command took the instance over (stop, delete, restart): a notice saying so, exit 0, no stale exit (ninth audit)', () => {
  const stale = { code: null, signal: 'SIGINT', at: 0, uptime_ms: 5 };
  const r = said([
    { status: 'stopping', reason: null, wanted: 'down', completed: false, last_exit: stale },
    { id: 1, status: 'stopped', reason: null, wanted: 'down', completed: false, last_exit: stale },
    { id: 2, status: 'stopping', reason: null, wanted: 'up', completed: false, last_exit: stale },
  ]);
  assert.deepEqual(r.lines, [
    'warning: web [0]: another command on the app (tend stop, restart or delete) took it over, and is stopping it (TEND_ERR_NOTICE)\n',
    'warning: web [1]: another command on the app (tend stop, restart or delete) took it over, and stopped it (TEND_ERR_NOTICE)\n',
    'warning: web [2]: another command on the app (tend stop, restart or delete) took it over, and is restarting it (TEND_ERR_NOTICE)\n',
  ]);
  assert.equal(r.exitCode, undefined);
});

test('waiting: says for what (verification of the eighth audit: "is waiting: waiting")', () => {
  const r = said([{ id: 1, name: 'dep', status: 'waiting', reason: 'waiting for nr (healthy), 0s' }]);
  assert.deepEqual(r.lines, [
    'warning: dep [1] is waiting: waiting for nr (healthy), 0s (see "tend describe 1") (TEND_ERR_NOT_RUNNING)\n',
  ]);
});
