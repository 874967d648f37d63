// depends_on failures with a real daemon: a dependency that errors leaves its dependents blocked (after
// following its restarts), a dependency that is not ready within timeout_seconds blocks, an optional one
// that fails is a warning and the app starts; describe and app.graph show it all.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startTestDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { reached, watch } from '../../helpers/until.js';
import { app, byName, deleteAll, startApps } from './support.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(() => d.stop());
beforeEach(() => deleteAll(d));

describe('dependency failures', () => {
  test('a dependency that errors (after its restarts) blocks the apps waiting for it; the start says so', async () => {
    const w = await watch(d.home);
    try {
      const { processes } = await startApps(d, [
        app('db', 'crash.cjs', {}, { wait_ready: true, max_restarts: 2, min_uptime: 5000 }),
        app('api', 'idle.cjs', { db: { condition: 'process_healthy' } }),
        app('web', 'idle.cjs', { api: {} }),
      ]);
      assert.equal(byName(processes, 'db').status, 'errored');
      const api = byName(processes, 'api');
      assert.equal(api.status, 'blocked');
      assert.equal(api.reason, 'dependency db errored');
      assert.equal(api.pid, null);
      assert.equal(byName(processes, 'web').reason, 'dependency api is blocked');
      // api waited through db's restarts: it was blocked only once db was errored.
      const restarts = w.events.filter(
        (e) => e.event === 'process.restart-scheduled' && e.data.name === 'db',
      );
      assert.equal(restarts.length, 2);
      const blocked = w.events.findIndex((e) => reached('api', 'blocked')(e));
      const errored = w.events.findIndex((e) => reached('db', 'errored')(e));
      assert.ok(errored >= 0 && blocked > errored);
      assert.equal(
        w.events.some((e) => reached('api', 'launching')(e)),
        false,
      );
    } finally {
      await w.close();
    }
  });

  test('a dependency not ready within timeout_seconds blocks; describe and app.graph say why', async () => {
    const w = await watch(d.home);
    try {
      // Without wait: the start would also wait for db to settle (its listen_timeout).
      await startApps(
        d,
        [
          app('db', 'never-ready.cjs', {}, { wait_ready: true, listen_timeout: 60_000 }),
          app('api', 'idle.cjs', { db: { condition: 'process_healthy', timeout_seconds: 1 } }),
        ],
        { wait: false },
      );
      await w.until(reached('api', 'blocked'), { what: 'api blocked' });
      const { details } = await d.client.call('process.describe', { target: ['api'] });
      const detail = details[0];
      assert.equal(detail?.process.reason, 'timed out after 1s waiting for db (healthy)');
      assert.deepEqual(detail?.dependencies?.depends_on, [
        {
          name: 'db',
          condition: 'process_healthy',
          timeout_ms: 1000,
          restart: false,
          bind: false,
          required: true,
          state: 'pending',
          detail: null,
        },
      ]);
      const graph = await d.client.call('app.graph');
      assert.deepEqual(graph.order, [['db'], ['api']]);
      assert.deepEqual(byGraph(graph.apps, 'db').dependents, ['api']);
      assert.deepEqual(
        byGraph(graph.apps, 'api').instances.map((i) => [i.status, i.reason]),
        [['blocked', 'timed out after 1s waiting for db (healthy)']],
      );
    } finally {
      await w.close();
    }
  });

  test('an optional dependency that fails is a warning, and the app starts', async () => {
    const { processes, notes } = await startApps(d, [
      app('metrics', 'crash.cjs', {}, { autorestart: false }),
      app('api', 'idle.cjs', {
        metrics: { condition: 'process_completed_successfully', required: false },
      }),
    ]);
    assert.equal(byName(processes, 'api').status, 'online');
    assert.deepEqual(notes, [
      'api: dependency metrics exited with code 1; starting without it (required: false) (TEND_ERR_DEPENDENCY_DOWN)',
    ]);
  });
});

function byGraph<T extends { name: string }>(apps: readonly T[], name: string): T {
  const a = apps.find((x) => x.name === name);
  if (!a) throw new Error(`${name} not in the graph`);
  return a;
}
