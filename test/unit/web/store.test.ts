// The dashboard's state (src/web/page/store.ts, DOM-free): live bus events become the same timeline entries
// the server keeps (a crash is an exit nobody asked for, a requested restart is noted once), stats points
// extend the 15-minute series and drop gone instances, and reload progress counts replaced workers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ProcessInfo } from '../../../src/protocol/process-info.js';
import { Store } from '../../../src/web/page/store.js';

const proc = (over: Partial<ProcessInfo>): ProcessInfo =>
  ({
    id: 0,
    name: 'api',
    instance: 0,
    status: 'online',
    wanted: 'up',
    pid: 100,
    ready: true,
    health: 'unknown',
    ...over,
  }) as ProcessInfo;

test('an exit while online is a crash; while stopping it was asked for', () => {
  const s = new Store();
  s.snapshot({
    processes: [proc({ id: 0 }), proc({ id: 1, instance: 1, status: 'stopping' })],
    timeline: [],
  });
  s.event('process.exit', { id: 0, name: 'api', exit: { code: 1, signal: null, at: 5, uptime_ms: 9 } }, 7);
  s.event(
    'process.exit',
    { id: 1, name: 'api', exit: { code: null, signal: 'SIGINT', at: 6, uptime_ms: 9 } },
    8,
  );
  assert.deepEqual(
    s.timeline.map((e) => [e.seq, e.kind, e.id, e.instance_id, e.at]),
    [
      [7, 'crash', 0, 0, 5],
      [8, 'exit', 1, 1, 6],
    ],
  );
  assert.equal(s.lastCrash()?.seq, 7);
});

test('restarts: the scheduled one keeps its reason; a trigger restart is noted once; requested ones too', () => {
  const s = new Store();
  s.snapshot({ processes: [proc({ id: 3 })] });
  s.event(
    'process.restart-scheduled',
    { id: 3, name: 'api', delay_ms: 100, next_start_at: 1, reason: 'exit code 1' },
    1,
  );
  assert.equal(s.lastRestart.get(3)?.reason, 'exit code 1');
  s.event('process.triggered', { id: 3, name: 'api', reason: 'memory', detail: 'over 1 MiB' }, 2);
  const moved = (from: string, to: string, seq: number) =>
    s.event(
      'process.state',
      {
        id: 3,
        name: 'api',
        from,
        to,
        at: seq,
        process: proc({ id: 3, status: to as ProcessInfo['status'] }),
      },
      seq,
    );
  moved('online', 'stopping', 3);
  moved('stopping', 'launching', 4);
  moved('launching', 'online', 5);
  moved('online', 'stopping', 6);
  moved('stopping', 'launching', 7);
  assert.deepEqual(
    s.timeline.map((e) => [e.kind, e.detail.reason]),
    [
      ['restart', 'exit code 1'],
      ['restart', 'memory'],
      ['restart', 'requested'],
    ],
  );
});

test('stats points extend each series up to 15 minutes and drop instances that are gone', () => {
  const s = new Store();
  s.setStats({
    interval_ms: 300_000,
    instances: { 'api:0': { cpu: [0.1], memory: [10] }, 'old:0': { cpu: [0], memory: [1] } },
  });
  for (let i = 0; i < 5; i++) s.addPoint({ at: i, instances: { 'api:0': { cpu: i, memory: i } } });
  assert.deepEqual(s.stats.get('api:0'), { cpu: [2, 3, 4], memory: [2, 3, 4] });
  assert.equal(s.stats.has('old:0'), false);
});

test('reload progress counts replaced and failed workers of the app being reloaded', () => {
  const s = new Store();
  s.snapshot({ processes: [proc({ id: 0 }), proc({ id: 1, instance: 1 })] });
  s.reloads.set('api', { total: 2, replaced: 0, failed: 0 });
  const after = proc({ id: 0, pid: 2, restarts: 1 });
  const reload = (id: number, outcome: string, pid: number, old_pid: number, process: ProcessInfo) => ({
    id,
    name: 'api',
    outcome,
    pid,
    old_pid,
    reason: outcome === 'failed' ? 'not ready' : null,
    process,
  });
  s.event('process.reload', reload(0, 'replaced', 2, 1, after), 1);
  s.event('process.reload', reload(0, 'retired', 2, 1, after), 2);
  const kept = proc({ id: 1, instance: 1, pid: 4, last_error: 'reload failed: not ready' });
  s.event('process.reload', reload(1, 'failed', 3, 4, kept), 3);
  assert.deepEqual(s.reloads.get('api'), { total: 2, replaced: 1, failed: 1 });
  assert.deepEqual(s.processes.get(0), after, "the replacement is the instance's process now");
  assert.equal(s.processes.get(1)?.last_error, 'reload failed: not ready', 'the failure shows');
  assert.deepEqual(
    s.timeline.map((e) => e.kind),
    ['reload', 'reload', 'reload'],
  );
});

test('deleted instances leave the table; readiness changes update it', () => {
  const s = new Store();
  s.snapshot({ processes: [proc({ id: 0 }), proc({ id: 1, instance: 1 })] });
  s.event(
    'process.ready',
    { id: 1, name: 'api', ready: false, health: 'unhealthy', at: 1, source: 'readiness' },
    1,
  );
  assert.equal(s.processes.get(1)?.health, 'unhealthy');
  s.event('process.deleted', { id: 0, name: 'api' }, 2);
  assert.deepEqual(
    [
      ...s
        .apps()
        .get('api')!
        .map((p) => p.id),
    ],
    [1],
  );
  assert.deepEqual(
    s.timeline.map((e) => e.kind),
    ['unready', 'deleted'],
  );
});
