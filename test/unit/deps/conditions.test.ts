// Conditions read from the dependency's instances, the waiting and timeout reasons, and the stop plan
// (cascade, bound dependents, dependents left running).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DependencySpec } from '../../../src/config/spec.js';
import { type InstanceView, judge, timeoutReason, waitingReason } from '../../../src/deps/conditions.js';
import { DependencyGraph } from '../../../src/deps/graph.js';
import { planStop } from '../../../src/deps/stop-plan.js';

const dep = (over: Partial<DependencySpec> = {}): DependencySpec => ({
  name: 'db',
  condition: 'process_started',
  timeout_ms: 0,
  restart: false,
  bind: false,
  required: true,
  ...over,
});
const inst = (over: Partial<InstanceView> = {}): InstanceView => ({
  status: 'online',
  wanted: 'up',
  ready: true,
  completed: false,
  last_exit: null,
  ...over,
});
const kind = (d: DependencySpec, i: InstanceView[] | null) => judge(d, i).kind;

describe('conditions', () => {
  test('started: every instance launching or online', () => {
    const d = dep();
    assert.equal(kind(d, [inst({ status: 'launching', ready: false }), inst()]), 'met');
    assert.equal(kind(d, [inst({ status: 'waiting-restart' }), inst()]), 'pending');
    assert.equal(kind(d, [inst({ status: 'waiting' })]), 'pending');
    assert.equal(kind(d, []), 'met');
  });

  test('healthy and log ready: every instance online and ready', () => {
    for (const condition of ['process_healthy', 'process_log_ready'] as const) {
      const d = dep({ condition });
      assert.equal(kind(d, [inst(), inst()]), 'met');
      assert.equal(kind(d, [inst(), inst({ ready: false })]), 'pending', 'online, not ready');
      assert.equal(kind(d, [inst({ status: 'launching', ready: false })]), 'pending');
    }
  });

  test('a crash and restart is pending; errored, blocked, stopped, missing have failed', () => {
    const d = dep({ condition: 'process_healthy' });
    assert.equal(kind(d, [inst({ status: 'waiting-restart', ready: false })]), 'pending');
    assert.equal(kind(d, [inst({ status: 'stopping', ready: false })]), 'pending', 'restart in progress');
    assert.deepEqual(judge(d, [inst({ status: 'errored', ready: false })]), {
      kind: 'failed',
      reason: 'dependency db errored',
    });
    assert.deepEqual(judge(d, [inst({ status: 'blocked', ready: false })]), {
      kind: 'failed',
      reason: 'dependency db is blocked',
    });
    assert.deepEqual(judge(d, [inst({ status: 'stopped', wanted: 'down', ready: false })]), {
      kind: 'failed',
      reason: 'dependency db is stopped',
    });
    assert.deepEqual(judge(d, null), { kind: 'failed', reason: 'dependency db does not exist' });
    const completed = inst({
      status: 'stopped',
      wanted: 'down',
      ready: false,
      completed: true,
      last_exit: { code: 0, signal: null },
    });
    assert.deepEqual(judge(d, [completed]), {
      kind: 'failed',
      reason: 'dependency db exited with code 0 (it completed)',
    });
  });

  test('completed: every instance stopped by itself; successfully: with code 0', () => {
    const done = (code: number | null, signal: string | null = null) =>
      inst({
        status: 'stopped',
        wanted: 'down',
        ready: false,
        completed: true,
        last_exit: { code, signal },
      });
    const completed = dep({ name: 'migrate', condition: 'process_completed' });
    const success = dep({ name: 'migrate', condition: 'process_completed_successfully' });
    assert.equal(kind(completed, [done(3)]), 'met');
    assert.equal(kind(success, [done(0), done(0)]), 'met');
    assert.deepEqual(judge(success, [done(0), done(3)]), {
      kind: 'failed',
      reason: 'dependency migrate exited with code 3',
    });
    assert.deepEqual(judge(success, [done(null, 'SIGKILL')]), {
      kind: 'failed',
      reason: 'dependency migrate was ended by SIGKILL',
    });
    assert.equal(kind(success, [inst(), done(0)]), 'pending', 'one still runs');
    assert.equal(kind(completed, [inst({ status: 'waiting-restart' })]), 'pending');
    assert.deepEqual(judge(completed, [inst({ status: 'stopped', wanted: 'down' })]), {
      kind: 'failed',
      reason: 'dependency migrate is stopped',
    });
  });

  test('reasons: elapsed whole seconds, the timeout when there is one, several dependencies', () => {
    const db = dep({ condition: 'process_healthy', timeout_ms: 120_000 });
    assert.equal(waitingReason([db], 12_999), 'waiting for db (healthy), 12s/120s');
    assert.equal(waitingReason([dep()], 3_000), 'waiting for db (started), 3s');
    assert.equal(
      waitingReason([db, dep({ name: 'cache', condition: 'process_log_ready' })], 1_000),
      'waiting for db (healthy), 1s/120s; cache (log ready), 1s',
    );
    assert.equal(timeoutReason(db), 'timed out after 120s waiting for db (healthy)');
    assert.equal(timeoutReason(dep({ timeout_ms: 1500 })), 'timed out after 1.5s waiting for db (started)');
  });
});

describe('stop plan', () => {
  const edge = (name: string, over: Partial<DependencySpec> = {}) => dep({ name, ...over });
  // api → db (bind), worker → db, web → api, cron → worker (bind); logs stands alone.
  const graph = new DependencyGraph([
    { name: 'web', depends_on: [edge('api')] },
    { name: 'api', depends_on: [edge('db', { bind: true })] },
    { name: 'worker', depends_on: [edge('db')] },
    { name: 'cron', depends_on: [edge('worker', { bind: true })] },
    { name: 'db', depends_on: [] },
    { name: 'logs', depends_on: [] },
  ]);
  const all = () => true;

  test('stop db: bound api goes down with it; worker and web (api is down) are left running', () => {
    const plan = planStop(graph, ['db'], all, false);
    assert.deepEqual(plan.stopped, ['db']);
    assert.deepEqual(plan.bound, ['api']);
    assert.deepEqual(plan.stranded, [
      { name: 'web', needs: ['api'] },
      { name: 'worker', needs: ['db'] },
    ]);
  });

  test('--cascade: every running dependent stops first; nothing left stranded', () => {
    const plan = planStop(graph, ['db'], all, true);
    assert.deepEqual(plan.stopped, ['db', 'api', 'worker', 'web', 'cron']);
    assert.deepEqual(plan.bound, []);
    assert.deepEqual(plan.stranded, []);
  });

  test('apps not running take no part', () => {
    const plan = planStop(graph, ['db'], (n) => n !== 'web' && n !== 'api', false);
    assert.deepEqual(plan.bound, []);
    assert.deepEqual(plan.stranded, [{ name: 'worker', needs: ['db'] }]);
    const worker = planStop(graph, ['worker'], all, false);
    assert.deepEqual(worker.bound, ['cron']);
    assert.deepEqual(worker.stranded, []);
  });
});
