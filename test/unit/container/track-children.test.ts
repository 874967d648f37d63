// tend-runtime's SIGKILL at the end of the grace period: only the children that died of it count as "had
// to be SIGKILLed" (exit 1); one that exited on its own meanwhile does not (fifth audit: --grace-period 0).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trackChildren } from '../../../src/container/track-children.js';
import type { ChildHandle, ChildHooks, SpawnRequest } from '../../../src/supervisor/ports.js';

test('sigkilled counts the children killAll reached that then died of SIGKILL, not those that exited', () => {
  const hooks: ChildHooks[] = [];
  const signals: string[][] = [];
  const tracked = trackChildren();
  const spawner = tracked.wrap({
    spawn(_req, h) {
      hooks.push(h);
      const sent: string[] = [];
      signals.push(sent);
      return {
        pid: 100 + hooks.length,
        stdout: null,
        stderr: null,
        signalTree: (s: NodeJS.Signals) => sent.push(s),
        send: () => false,
      } as unknown as ChildHandle;
    },
  });
  const noop: ChildHooks = { onSpawnError() {}, onExit() {}, onMessage() {} };
  for (let i = 0; i < 3; i++) spawner.spawn({} as SpawnRequest, noop);
  // The third exits before the grace ends: not reached.
  hooks[2]?.onExit(0, null);
  assert.equal(tracked.killAll(), 2);
  assert.deepEqual(signals, [['SIGKILL'], ['SIGKILL'], []]);
  // The first had exited on its own in the same turn (its exit is read after the SIGKILL went out).
  hooks[0]?.onExit(0, null);
  hooks[1]?.onExit(null, 'SIGKILL');
  assert.equal(tracked.sigkilled(), 1);
});
