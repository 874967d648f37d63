// depends_on with a real daemon: a DAG of 6 apps starts in dependency order (read from the daemon's events),
// and stops in reverse order (`stop all`, and `tend kill`); `start api` starts its missing dependencies first;
// --no-deps; `stop db` warns; --cascade; resurrect starts the saved apps in order.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { TendEvent } from '../../../src/protocol/events.js';
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
/**
 * db, cache, queue ← api (db healthy, cache started), worker (queue healthy, db started) ← web (api healthy,
 * worker started). Listed dependents first, so the file's order is not what orders the start.
 */
const DAG = () => [
  app('web', 'idle.cjs', { api: { condition: 'process_healthy' }, worker: {} }),
  app('api', 'ready.cjs', { db: { condition: 'process_healthy' }, cache: {} }, ready),
  app('worker', 'idle.cjs', { queue: { condition: 'service_healthy' }, db: {} }),
  app('db', 'ready.cjs', {}, ready),
  app('cache', 'idle.cjs'),
  app('queue', 'ready.cjs', {}, ready),
];
/** [dependent, dependency, the dependency's state the dependent waits for]. */
const EDGES: [string, string, 'online' | 'launching'][] = [
  ['web', 'api', 'online'],
  ['web', 'worker', 'launching'],
  ['api', 'db', 'online'],
  ['api', 'cache', 'launching'],
  ['worker', 'queue', 'online'],
  ['worker', 'db', 'launching'],
];

function assertStartOrder(events: readonly TendEvent[], from = 0): void {
  for (const [a, b, state] of EDGES) {
    const dep = when(events, b, state, from);
    const launched = when(events, a, 'launching', from);
    assert.ok(dep >= 0 && launched > dep, `${a} launched (${launched}) after ${b} was ${state} (${dep})`);
  }
}

function assertStopOrder(events: readonly TendEvent[], from = 0): void {
  for (const [a, b] of EDGES) {
    const stopped = when(events, a, 'stopped', from);
    const stopping = when(events, b, 'stopping', from);
    assert.ok(
      stopped >= 0 && stopping > stopped,
      `${b} stopping (${stopping}) after ${a} stopped (${stopped})`,
    );
  }
}

describe('dependency order', () => {
  test('a DAG of 6 apps starts in order, waiting apps say why, and stop all stops in reverse', async () => {
    const w = await watch(d.home);
    try {
      const { processes } = await startApps(d, DAG());
      for (const p of processes) assert.equal(p.status, 'online', p.name);
      assertStartOrder(w.events);
      // The apps with dependencies waited, with a reason, before they launched.
      for (const name of ['web', 'api', 'worker']) {
        const waiting = w.events.find(
          (e) => e.event === 'process.state' && e.data.name === name && e.data.to === 'waiting',
        );
        assert.match(
          waiting?.event === 'process.state' ? (waiting.data.process.reason ?? '') : '',
          /^waiting for \w+ \((healthy|started)\), 0s/,
          name,
        );
      }
      const mark = w.events.length;
      await d.client.call('process.stop', { target: ['all'] });
      assertStopOrder(w.events, mark);
    } finally {
      await w.close();
    }
  });

  test('start api starts its missing dependencies first; --no-deps starts it alone, with a warning', async () => {
    await startApps(d, [
      app('db', 'ready.cjs', {}, ready),
      app('api', 'idle.cjs', { db: { condition: 'process_healthy' } }),
    ]);
    await d.client.call('process.stop', { target: ['all'] });
    const w = await watch(d.home);
    try {
      const { processes } = await d.client.call('process.start', { target: ['api'] });
      assert.deepEqual(processes.map((p) => [p.name, p.status]).sort(), [
        ['api', 'online'],
        ['db', 'online'],
      ]);
      assert.ok(when(w.events, 'api', 'launching') > when(w.events, 'db', 'online'));
      await d.client.call('process.stop', { target: ['all'] });
      const mark = w.events.length;
      const alone = await d.client.call('process.start', { target: ['api'], no_deps: true });
      assert.deepEqual(
        alone.processes.map((p) => [p.name, p.status]),
        [['api', 'online']],
      );
      assert.deepEqual(alone.notes, [
        'api: started without its dependency db, which is not running (--no-deps) (TEND_ERR_DEPENDENCY_DOWN)',
      ]);
      assert.deepEqual(orderOf(w.events, 'launching', mark), ['api']);
    } finally {
      await w.close();
    }
  });

  test('stop db warns about its running dependents; --cascade stops them first', async () => {
    await startApps(d, [
      app('db', 'idle.cjs'),
      app('api', 'idle.cjs', { db: {} }),
      app('worker', 'idle.cjs', { db: {} }),
    ]);
    const stopped = await d.client.call('process.stop', { target: ['db'] });
    assert.deepEqual(stopped.notes, [
      'stopping db leaves running: api (needs db), worker (needs db) (use --cascade to stop dependents first) (TEND_ERR_DEPENDENTS_RUNNING)',
    ]);
    assert.equal(byName((await d.client.call('process.list')).processes, 'api').status, 'online');
    await d.client.call('process.start', { target: ['db'] });
    const w = await watch(d.home);
    try {
      const cascade = await d.client.call('process.stop', { target: ['db'], cascade: true });
      assert.equal(cascade.notes, undefined);
      const { processes } = await d.client.call('process.list');
      for (const p of processes) assert.equal(p.status, 'stopped', p.name);
      for (const dependent of ['api', 'worker'])
        assert.ok(when(w.events, dependent, 'stopped') < when(w.events, 'db', 'stopping'), dependent);
    } finally {
      await w.close();
    }
  });

  test('resurrect starts the saved apps in dependency order', async () => {
    await startApps(d, DAG());
    await d.client.call('daemon.save', {});
    await d.client.call('process.delete', { target: ['all'] });
    const w = await watch(d.home);
    try {
      const r = await d.client.call('daemon.resurrect');
      assert.equal(r.processes.length, 6);
      for (const p of r.processes) assert.equal(p.status, 'online', p.name);
      assertStartOrder(w.events);
    } finally {
      await w.close();
    }
  });
});

describe('tend kill', () => {
  test('stops every app in reverse dependency order', async () => {
    const k = await startTestDaemon();
    try {
      await startApps(k, DAG());
      const w = await watch(k.home);
      await k.client.call('daemon.kill');
      // The daemon publishes every stop before it closes connections.
      await w.until(reached('db', 'stopped'), { what: 'db stopped' });
      assertStopOrder(w.events);
      await w.close().catch(() => {});
    } finally {
      await k.stop();
    }
  });
});
