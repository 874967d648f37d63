// tend-runtime's exit code after a shutdown: a process counts as "had to be SIGKILLed" at its kill_timeout
// only when it died of that SIGKILL, not when it exited on its own just before (sixth audit: kill_timeout
// 300, the app exiting 0 at 295-300 ms gave exit 1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TimeoutKills } from '../../../src/container/timeout-kills.js';
import type { TendEvent } from '../../../src/protocol/events.js';

const killed = (id: number) =>
  ({
    event: 'process.killed',
    data: { id, name: 'api', pid: 100 + id, signal: 'SIGTERM', timeout_ms: 300 },
  }) as TendEvent;
const exited = (id: number, code: number | null, signal: string | null) =>
  ({
    event: 'process.exit',
    data: { id, name: 'api', exit: { code, signal, at: 0, uptime_ms: 1000 } },
  }) as TendEvent;

test('only a death by the SIGKILL counts; an exit of its own read after the timer fired does not', () => {
  const k = new TimeoutKills();
  // Exited 0 on its own; the kill timer fired before the exit was read.
  k.observe(killed(0));
  k.observe(exited(0, 0, null));
  assert.equal(k.count, 0);
  // Died of it.
  k.observe(killed(1));
  k.observe(exited(1, null, 'SIGKILL'));
  assert.equal(k.count, 1);
  // An exit with no SIGKILL sent before it: nothing to count.
  k.observe(exited(2, null, 'SIGKILL'));
  assert.equal(k.count, 1);
});
