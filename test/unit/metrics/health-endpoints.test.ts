// /livez /readyz /startupz from a supervisor driven by scripted children: readyz follows every app that is
// wanted up (launching, waiting for a dependency, errored, ready, stopped), startupz turns 200 once no start
// is in progress and stays so, and the bodies read like the kube-apiserver's.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { DaemonContext } from '../../../src/daemon/context.js';
import { healthEndpoint } from '../../../src/metrics/health-endpoints.js';
import { setup } from '../../helpers/supervisor.js';

function daemonOf(s: ReturnType<typeof setup>) {
  let shuttingDown = false;
  const ctx = { supervisor: s.supervisor, isShuttingDown: () => shuttingDown } as unknown as DaemonContext;
  return { ctx, shutDown: () => (shuttingDown = true) };
}

describe('health endpoints', () => {
  test('livez: the daemon answers', () => {
    const { ctx } = daemonOf(setup());
    assert.deepEqual(healthEndpoint(ctx, 'livez', false), {
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: 'ok\n',
    });
    assert.equal(healthEndpoint(ctx, 'livez', true).body, '[+]daemon ok\nlivez check passed\n');
  });

  test('readyz and startupz follow the apps through launching, ready, waiting, errored and stopped', async () => {
    const s = setup();
    const { ctx, shutDown } = daemonOf(s);
    // No app: nothing is wanted up, so everything is ready.
    assert.equal(healthEndpoint(ctx, 'readyz', false).status, 200);

    const api = s.add({ name: 'api', instances: 2, wait_ready: true });
    await s.supervisor.start(api, false);
    const launching = healthEndpoint(ctx, 'readyz', false);
    assert.equal(launching.status, 503);
    assert.equal(launching.body, '[-]api not ready (0/2 ready; launching)\nreadyz check failed\n');
    assert.equal(
      healthEndpoint(ctx, 'startupz', false).body,
      '[-]api starting (launching)\nstartupz check failed\n',
    );

    // One instance says ready: still not ready as an app.
    s.spawner.children[0]?.message('ready');
    assert.match(healthEndpoint(ctx, 'readyz', true).body, /^\[-\]api not ready \(1\/2 ready; launching\)\n/);
    s.spawner.children[1]?.message('ready');
    assert.deepEqual(
      [healthEndpoint(ctx, 'readyz', false).status, healthEndpoint(ctx, 'readyz', false).body],
      [200, 'ok\n'],
    );
    assert.equal(healthEndpoint(ctx, 'readyz', true).body, '[+]api ok\nreadyz check passed\n');
    assert.equal(healthEndpoint(ctx, 'startupz', false).status, 200);

    // An app waiting for its dependency is wanted up and not ready; the reason is shown.
    const worker = s.add({ name: 'worker' });
    s.supervisor.hold(worker, 'db is not ready');
    assert.equal(
      healthEndpoint(ctx, 'readyz', true).body,
      '[+]api ok\n[-]worker not ready (waiting: db is not ready)\nreadyz check failed\n',
    );
    // startupz saw the start-up complete once: it stays 200 while later starts run.
    assert.equal(healthEndpoint(ctx, 'startupz', false).status, 200);

    // A start that cannot spawn ends errored: not ready, with its reason.
    s.spawner.failNext = true;
    await s.supervisor.start(worker, false);
    s.spawner.last.failSpawn();
    assert.equal(worker[0]?.status, 'errored');
    assert.match(
      healthEndpoint(ctx, 'readyz', false).body,
      /^\[\+\]api ok\n\[-\]worker not ready \(errored: cannot start .*\)\n/,
    );

    // Stopped on purpose: no longer wanted up, so ready again.
    await s.supervisor.stop(worker, true);
    assert.equal(
      healthEndpoint(ctx, 'readyz', true).body,
      '[+]api ok\n[+]worker ok (stopped)\nreadyz check passed\n',
    );

    // A daemon that is shutting down is not ready, whatever its apps.
    shutDown();
    assert.equal(healthEndpoint(ctx, 'readyz', false).status, 503);
    assert.match(healthEndpoint(ctx, 'readyz', false).body, /^\[-\]daemon shutting down\n/);
  });

  test('startupz is 503 while a first start is in progress', async () => {
    const s = setup();
    const { ctx } = daemonOf(s);
    const db = s.add({ name: 'db', wait_ready: true });
    await s.supervisor.start(db, false);
    assert.equal(healthEndpoint(ctx, 'startupz', true).status, 503);
    s.spawner.last.message('ready');
    assert.equal(healthEndpoint(ctx, 'startupz', true).body, '[+]startup ok\nstartupz check passed\n');
  });

  // issue 15: `tend-runtime probe --app NAME` asks about one app.
  test('?app=NAME: only that app (readyz, startupz, livez); 404 for an unknown app', async () => {
    const s = setup();
    const { ctx } = daemonOf(s);
    const api = s.add({ name: 'api', wait_ready: true });
    const worker = s.add({ name: 'worker', wait_ready: true });
    await s.supervisor.start(api, false);
    await s.supervisor.start(worker, false);
    s.spawner.children[0]?.message('ready');
    assert.equal(healthEndpoint(ctx, 'readyz', false).status, 503);
    assert.deepEqual(
      [healthEndpoint(ctx, 'readyz', false, 'api').status, healthEndpoint(ctx, 'readyz', true, 'api').body],
      [200, '[+]api ok\nreadyz check passed\n'],
    );
    assert.equal(
      healthEndpoint(ctx, 'readyz', false, 'worker').body,
      '[-]worker not ready (launching)\nreadyz check failed\n',
    );
    assert.equal(healthEndpoint(ctx, 'startupz', false, 'api').status, 200);
    assert.equal(healthEndpoint(ctx, 'startupz', false, 'worker').status, 503);
    // Asking about one app does not latch the daemon's startupz.
    assert.equal(healthEndpoint(ctx, 'startupz', false).status, 503);
    assert.equal(healthEndpoint(ctx, 'livez', true, 'worker').body, '[+]worker ok\nlivez check passed\n');
    assert.deepEqual(healthEndpoint(ctx, 'readyz', false, 'nope'), {
      status: 404,
      contentType: 'text/plain; charset=utf-8',
      body: '[-]nope no such app\nreadyz check failed\n',
    });

    // An errored app is not live.
    const job = s.add({ name: 'job' });
    s.spawner.failNext = true;
    await s.supervisor.start(job, false);
    s.spawner.last.failSpawn();
    assert.equal(job[0]?.status, 'errored');
    assert.equal(healthEndpoint(ctx, 'livez', false, 'job').status, 503);
    assert.match(healthEndpoint(ctx, 'livez', false, 'job').body, /^\[-\]job not live \(errored: /);
    assert.equal(healthEndpoint(ctx, 'livez', false, 'api').status, 200);
  });
});
