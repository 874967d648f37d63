// depends_on cascades with a real daemon: bind (a crash of the dependency stops the app, reason
// dependency_down, and it starts again once the dependency is back) and restart (an operator restart of the
// dependency restarts its dependents once each, in order, after it is ready again).
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startTestDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { reached, watch } from '../../helpers/until.js';
import { app, byName, deleteAll, orderOf, startApps, when } from './support.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(() => d.stop());
beforeEach(() => deleteAll(d));

const ready = { wait_ready: true };

describe('cascades', () => {
  test('bind: db crashes, api is stopped (dependency_down), then started again once db is ready', async () => {
    await startApps(d, [
      app('db', 'ready.cjs', {}, { ...ready, restart_delay: 300 }),
      app('api', 'idle.cjs', { db: { condition: 'process_healthy', bind: true } }),
      app('web', 'idle.cjs', { api: { bind: true } }),
    ]);
    const w = await watch(d.home);
    try {
      const before = await d.client.call('process.list');
      const apiPid = byName(before.processes, 'api').pid;
      // A crash: db's own process ends on a signal; its restart policy brings it back.
      await d.client.call('process.signal', { target: ['db'], signal: 'SIGKILL' });
      const waiting = await w.until(reached('api', 'waiting'), { what: 'api waiting' });
      assert.match(
        waiting.event === 'process.state' ? (waiting.data.process.reason ?? '') : '',
        /^dependency_down: waiting for db \(healthy\), \d+s$/,
      );
      await w.until(reached('web', 'online'), { what: 'web back online' });
      // In order: web (bound to api) stopped first, api stopped; db back and ready; api, then web started.
      const ev = w.events;
      assert.ok(when(ev, 'web', 'stopped') < when(ev, 'api', 'stopping'), 'web down before api');
      assert.ok(when(ev, 'db', 'online') < when(ev, 'api', 'launching'), 'api after db is ready');
      assert.ok(when(ev, 'api', 'online') < when(ev, 'web', 'launching'), 'web after api');
      const { processes } = await d.client.call('process.list');
      assert.notEqual(byName(processes, 'api').pid, apiPid);
      for (const p of processes) assert.equal(p.status, 'online', p.name);
      assert.equal(byName(processes, 'api').reason, null, 'the reason goes with the wait');
    } finally {
      await w.close();
    }
  });

  test('restart: an operator restart of db restarts each dependent once, in order, after db is ready', async () => {
    // db ← api (restart) ← web (restart); db ← worker (restart) ← web; cron depends on db without restart.
    await startApps(d, [
      app('db', 'ready.cjs', {}, ready),
      app('api', 'ready.cjs', { db: { condition: 'process_healthy', restart: true } }, ready),
      app('worker', 'idle.cjs', { db: { restart: true } }),
      app('web', 'idle.cjs', { api: { restart: true }, worker: { restart: true } }),
      app('cron', 'idle.cjs', { db: {} }),
    ]);
    const w = await watch(d.home);
    try {
      await d.client.call('process.restart', { target: ['db'] });
      const { processes } = await d.client.call('process.list');
      const restarts = Object.fromEntries(processes.map((p) => [p.name, p.restarts]));
      assert.deepEqual(restarts, { db: 1, api: 1, worker: 1, web: 1, cron: 0 });
      const ev = w.events;
      assert.deepEqual(orderOf(ev, 'launching').slice(0, 1), ['db']);
      assert.ok(when(ev, 'db', 'online') < when(ev, 'api', 'stopping'), 'api after db is ready');
      assert.ok(when(ev, 'db', 'online') < when(ev, 'worker', 'stopping'), 'worker after db is ready');
      assert.ok(when(ev, 'api', 'online') < when(ev, 'web', 'stopping'), 'web after api is ready');
      assert.ok(when(ev, 'worker', 'online') < when(ev, 'web', 'stopping'), 'web after worker');
    } finally {
      await w.close();
    }
  });
});
