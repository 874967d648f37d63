// The classifier alone, fed the bus's events with a scripted view of the instance: the cases the in-process
// supervisor tests do not reach (a failed start, a readiness probe turning, a trigger's restart, a reload that
// failed, a deleted instance).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AlertClassifier, type InstanceView } from '../../src/alerts/classify.js';
import type { TendEvent } from '../../src/protocol/events.js';
import type { ProcessInfo, Status } from '../../src/protocol/process-info.js';

function world() {
  const v = {
    name: 'api',
    namespace: 'default',
    instance: 1,
    status: 'online' as Status,
    spec: { autorestart: true, stop_exit_codes: [] as number[] },
    failureNow: null as { cause: string; detail: string; failedStart: boolean } | null,
    probe: null as string | null,
    present: true,
  };
  const view = (): InstanceView | undefined =>
    v.present
      ? {
          ...v,
          failure: () => v.failureNow,
          probeText: () => v.probe,
          stderr: () => ['last words'],
        }
      : undefined;
  const c = new AlertClassifier(view, () => 42);
  const on = (e: TendEvent) => c.on(e).map((a) => `${a.event}: ${a.reason}`);
  const state = (from: Status, to: Status, ready = false): TendEvent => {
    v.status = to;
    const process = { ready, last_error: null, reason: null } as unknown as ProcessInfo;
    return { event: 'process.state', data: { id: 7, name: 'api', from, to, at: 1, process } };
  };
  const exit = (code: number | null, signal: string | null = null): TendEvent => ({
    event: 'process.exit',
    data: { id: 7, name: 'api', exit: { code, signal, at: 1, uptime_ms: 5 } },
  });
  return { v, c, on, state, exit };
}

describe('alert classification', () => {
  test('a failed start that tend ended is a crash with its cause', () => {
    const w = world();
    w.v.status = 'launching';
    w.v.failureNow = { cause: 'ready_timeout', detail: 'did not send ready', failedStart: true };
    assert.deepEqual(w.on(w.state('launching', 'stopping')), [], 'not unhealthy: a failed start');
    assert.deepEqual(w.on(w.exit(null, 'SIGINT')), ['crash: ready_timeout: did not send ready']);
  });

  test('a readiness probe turning on an online instance is unhealthy once, then recovered', () => {
    const w = world();
    w.v.probe = 'readiness probe: HTTP 503';
    const notReady: TendEvent = {
      event: 'process.ready',
      data: { id: 7, name: 'api', ready: false, health: 'unhealthy', at: 2, source: 'readiness' },
    };
    assert.deepEqual(w.on(notReady), ['unhealthy: not ready: readiness probe: HTTP 503']);
    assert.deepEqual(w.on(notReady), [], 'once per episode');
    const ready: TendEvent = {
      event: 'process.ready',
      data: { id: 7, name: 'api', ready: true, health: 'healthy', at: 3, source: 'readiness' },
    };
    assert.deepEqual(w.on(ready), ['recovered: online and ready again (after unhealthy)']);
    assert.deepEqual(w.on(ready), [], 'nothing owed any more');
  });

  test('a trigger’s restart and a failed reload', () => {
    const w = world();
    assert.deepEqual(
      w.on({
        event: 'process.triggered',
        data: { id: 7, name: 'api', reason: 'memory', detail: '210 MB > 200 MB' },
      }),
      ['restart: memory: 210 MB > 200 MB'],
    );
    const reload = (outcome: 'replaced' | 'failed'): TendEvent => ({
      event: 'process.reload',
      data: {
        id: 7,
        name: 'api',
        outcome,
        pid: 2,
        old_pid: 1,
        reason: outcome === 'failed' ? 'not ready in 3000 ms' : null,
        process: { pid: outcome === 'failed' ? 1 : 2, status: 'online' } as unknown as ProcessInfo,
      },
    });
    assert.deepEqual(w.on(reload('replaced')), []);
    assert.deepEqual(w.on(reload('failed')), ['reload_failed: not ready in 3000 ms']);
  });

  test('an alert carries the instance, the exit and the clock’s time; a deleted instance gives none', () => {
    const w = world();
    const [a] = w.c.on(w.exit(1));
    assert.deepEqual(a, {
      event: 'crash',
      app: 'api',
      namespace: 'default',
      instance_id: 1,
      id: 7,
      reason: 'exited with code 1 after 5 ms',
      exit_code: 1,
      signal: null,
      at: 1,
      stderr: ['last words'],
    });
    w.v.present = false;
    assert.deepEqual(w.on(w.exit(1)), []);
  });
});
