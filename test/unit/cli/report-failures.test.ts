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
  const r = said([{ status: 'launching', reason: 'waiting for readiness' }]);
  assert.deepEqual(r.lines, [
    'warning: web [0] is not ready yet: its readiness probe fails; it stays launching, waiting for readiness, until the probe passes (listen_timeout sets a deadline; see "tend describe 0") (TEND_ERR_NOT_READY)\n',
  ]);
  assert.equal(r.exitCode, undefined);
});

test('online, or launching for another reason (a --no-wait start): nothing said', () => {
  assert.deepEqual(
    said([
      { status: 'online', reason: null },
      { status: 'launching', reason: null },
    ]).lines,
    [],
  );
});

test('waiting: says for what (verification of the eighth audit: "is waiting: waiting")', () => {
  const r = said([{ id: 1, name: 'dep', status: 'waiting', reason: 'waiting for nr (healthy), 0s' }]);
  assert.deepEqual(r.lines, [
    'warning: dep [1] is waiting: waiting for nr (healthy), 0s (see "tend describe 1") (TEND_ERR_NOT_RUNNING)\n',
  ]);
});
