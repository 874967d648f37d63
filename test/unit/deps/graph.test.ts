// The dependency graph (pure): start and stop levels, transitive dependencies and dependents, the cycle
// finder (deterministic path), edges to apps outside the set, and the ordered runner.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DependencySpec } from '../../../src/config/spec.js';
import { DependencyCycleError, DependencyGraph, findCycle, type GraphApp } from '../../../src/deps/graph.js';
import { runInOrder } from '../../../src/deps/in-order.js';

const dep = (name: string, over: Partial<DependencySpec> = {}): DependencySpec => ({
  name,
  condition: 'process_started',
  timeout_ms: 0,
  restart: false,
  bind: false,
  required: true,
  ...over,
});
const app = (name: string, ...deps: string[]): GraphApp => ({ name, depends_on: deps.map((d) => dep(d)) });

// web → api → db, web → worker → {db, cache}, api → cache; metrics stands alone.
const DAG = [
  app('web', 'api', 'worker'),
  app('api', 'db', 'cache'),
  app('worker', 'db', 'cache'),
  app('db'),
  app('cache'),
  app('metrics'),
];

describe('dependency graph', () => {
  test('start levels: dependencies first, independent apps side by side in the given order', () => {
    const g = new DependencyGraph(DAG);
    assert.deepEqual(g.order(), [['db', 'cache', 'metrics'], ['api', 'worker'], ['web']]);
  });

  test('stop levels: what nothing depends on first, what everything rests on last', () => {
    const g = new DependencyGraph(DAG);
    assert.deepEqual(g.stopOrder(), [
      ['web', 'metrics'],
      ['api', 'worker'],
      ['db', 'cache'],
    ]);
  });

  test('a longer branch puts its app on a later level than its shortest path says', () => {
    const g = new DependencyGraph([app('a', 'b', 'd'), app('b', 'c'), app('c', 'd'), app('d')]);
    assert.deepEqual(g.order(), [['d'], ['c'], ['b'], ['a']]);
    assert.deepEqual(g.stopOrder(), [['a'], ['b'], ['c'], ['d']]);
  });

  test('transitive dependencies and dependents, in start order', () => {
    const g = new DependencyGraph(DAG);
    assert.deepEqual(g.dependenciesOf('web'), ['db', 'cache', 'api', 'worker']);
    assert.deepEqual(g.dependenciesOf('api'), ['db', 'cache']);
    assert.deepEqual(g.dependenciesOf('db'), []);
    assert.deepEqual(g.dependentsOf('db'), ['api', 'worker', 'web']);
    assert.deepEqual(g.dependentsOf('web'), []);
    assert.deepEqual(g.directDependents('cache'), ['api', 'worker']);
    assert.deepEqual(g.sorted(['web', 'db', 'metrics']), ['db', 'metrics', 'web']);
  });

  test('edges: the written entry, and names outside the set take no part in the order', () => {
    const g = new DependencyGraph([
      { name: 'api', depends_on: [dep('db', { condition: 'process_healthy', bind: true }), dep('ghost')] },
      app('db'),
    ]);
    assert.equal(g.edge('api', 'db')?.condition, 'process_healthy');
    assert.equal(g.edge('api', 'db')?.bind, true);
    assert.equal(g.edge('db', 'api'), undefined);
    assert.deepEqual(g.missing('api'), ['ghost']);
    assert.deepEqual(g.order(), [['db'], ['api']]);
    assert.deepEqual(g.dependenciesOf('api'), ['db']);
    assert.equal(g.has('ghost'), false);
  });

  test('findCycle: the path, the same one for the same input; null without a cycle', () => {
    const apps = [app('api', 'worker'), app('worker', 'cache'), app('cache', 'api'), app('db')];
    assert.deepEqual(findCycle(apps), ['api', 'worker', 'cache', 'api']);
    assert.deepEqual(findCycle(apps), ['api', 'worker', 'cache', 'api']);
    // Entered from elsewhere, the cycle is named from where the walk met it.
    assert.deepEqual(findCycle([app('db'), app('x', 'cache'), ...apps.slice(0, 3)]), [
      'cache',
      'api',
      'worker',
      'cache',
    ]);
    assert.deepEqual(findCycle([app('self', 'self')]), ['self', 'self']);
    assert.equal(findCycle(DAG), null);
  });

  test('a graph given a cycle throws a clear error', () => {
    assert.throws(
      () => new DependencyGraph([app('a', 'b'), app('b', 'a')]),
      (err: unknown) =>
        err instanceof DependencyCycleError &&
        err.message === 'dependency cycle: a → b → a' &&
        err.path.join() === 'a,b,a',
    );
  });

  test('duplicate edges count once', () => {
    const g = new DependencyGraph([app('api', 'db', 'db'), app('db')]);
    assert.deepEqual(g.directDependents('db'), ['api']);
  });
});

describe('runInOrder', () => {
  /** Operations that finish when the test says so, and the order they started in. */
  function gated() {
    const started: string[] = [];
    const finish = new Map<string, () => void>();
    const run = (name: string) =>
      new Promise<void>((resolve) => {
        started.push(name);
        finish.set(name, resolve);
      });
    const done = async (name: string) => {
      finish.get(name)?.();
      // Let the promise chain of whatever waited on `name` run.
      for (let i = 0; i < 5; i++) await Promise.resolve();
    };
    return { started, run, done };
  }

  test('stop order: each app once its dependents are done; unrelated ones at once', async () => {
    const g = new DependencyGraph(DAG);
    const { started, run, done } = gated();
    const all = runInOrder(g.apps(), (n) => g.dependentsOf(n), run);
    await done('none');
    assert.deepEqual(started, ['web', 'metrics']);
    await done('web');
    assert.deepEqual(started, ['web', 'metrics', 'api', 'worker']);
    await done('api');
    assert.deepEqual(started.length, 4, 'db and cache wait for worker too');
    await done('worker');
    assert.deepEqual(started.slice(4), ['db', 'cache']);
    await done('db');
    await done('cache');
    await done('metrics');
    await all;
  });

  test('only the given names take part; a failure does not hold the others back and is rethrown', async () => {
    const g = new DependencyGraph(DAG);
    const order: string[] = [];
    await assert.rejects(
      runInOrder(
        ['db', 'web'],
        (n) => g.dependentsOf(n),
        async (n) => {
          order.push(n);
          if (n === 'web') throw new Error('web failed');
        },
      ),
      /web failed/,
    );
    // db waited for web (through api and worker, which are not part of this run).
    assert.deepEqual(order, ['web', 'db']);
  });
});
