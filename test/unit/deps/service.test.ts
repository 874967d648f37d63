// The dependency service on a real Supervisor with scripted children and a fake clock: start order and
// waiting reasons, timeouts and failures (blocked), optional dependencies, --no-deps, starting missing
// dependencies, stop order (stopAll too), stop warnings and --cascade, the bind and restart cascades.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AppSpec, DependencySpec } from '../../../src/config/spec.js';
import { DependencyService } from '../../../src/deps/dependency-service.js';
import type { ProcessUnit } from '../../../src/supervisor/unit.js';
import type { FakeChild } from '../../helpers/fake-spawner.js';
import { makeSpec } from '../../helpers/spec.js';
import { setup as supervisorSetup } from '../../helpers/supervisor.js';

const tick = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

const dep = (name: string, over: Partial<DependencySpec> = {}): DependencySpec => ({
  name,
  condition: 'process_started',
  timeout_ms: 0,
  restart: false,
  bind: false,
  required: true,
  ...over,
});
const healthy = (name: string, over: Partial<DependencySpec> = {}) =>
  dep(name, { condition: 'process_healthy', ...over });

function setup() {
  const base = supervisorSetup();
  const { supervisor, spawner, clock, bus } = base;
  const service = new DependencyService({ supervisor, bus, clock, log: (l) => base.log.push(l) });
  /** Adds an app (stopped) whose script is /srv/<name>.js. */
  const add = (name: string, over: Partial<AppSpec> = {}) =>
    supervisor.add(makeSpec({ name, script: `/srv/${name}.js`, ...over }));
  const children = (name: string): FakeChild[] =>
    spawner.children.filter((c) => c.req.args.includes(`/srv/${name}.js`));
  const child = (name: string): FakeChild => {
    const c = children(name).at(-1);
    if (!c) throw new Error(`${name} was not spawned`);
    return c;
  };
  /** The apps in the order their (first) process was spawned. */
  const spawnOrder = () => [
    ...new Set(spawner.children.map((c) => /\/srv\/(\w+)\.js/.exec(c.req.args.join(' '))?.[1])),
  ];
  const status = (name: string) => supervisor.app(name)?.units()[0]?.info();
  const unitsOf = (...names: string[]): ProcessUnit[] =>
    names.flatMap((n) => supervisor.app(n)?.units() ?? []);
  return { ...base, service, add, child, children, spawnOrder, status, unitsOf };
}

const waitReady = { wait_ready: true, listen_timeout: 600_000 };

describe('dependency service: start', () => {
  test('each app starts once its dependencies meet their conditions; waiting apps say why', async () => {
    const t = setup();
    t.add('db', waitReady);
    t.add('cache');
    t.add('api', { depends_on: [healthy('db'), dep('cache')] });
    t.add('web', { depends_on: [healthy('api', { timeout_ms: 120_000 })], ...waitReady });
    t.add('metrics');
    const outcome = t.service.start(t.unitsOf('web', 'api', 'metrics', 'cache', 'db'), {
      wait: true,
      deps: 'start',
    });
    assert.deepEqual(t.spawnOrder(), ['db', 'cache', 'metrics']);
    assert.equal(t.status('api')?.status, 'waiting');
    assert.equal(t.status('api')?.reason, 'waiting for db (healthy), 0s');
    assert.equal(t.status('web')?.reason, 'waiting for api (healthy), 0s/120s');
    t.clock.advance(12_500);
    assert.equal(t.status('api')?.reason, 'waiting for db (healthy), 12s', 'kept current');
    assert.equal(t.status('web')?.reason, 'waiting for api (healthy), 12s/120s');
    // db crashes while api waits: it restarts, and api keeps waiting.
    t.child('db').exit(1);
    assert.equal(t.status('db')?.status, 'waiting-restart');
    t.clock.advance(0);
    assert.equal(t.status('api')?.status, 'waiting');
    assert.equal(t.children('db').length, 2);
    t.child('db').message('ready');
    await tick();
    assert.equal(t.status('api')?.status, 'online');
    assert.deepEqual(t.spawnOrder(), ['db', 'cache', 'metrics', 'api', 'web'], 'api is healthy: web starts');
    assert.equal(t.status('web')?.status, 'launching');
    t.child('web').message('ready');
    const { notes, units } = await outcome;
    assert.deepEqual(notes, []);
    assert.equal(units.length, 5);
    assert.equal(t.status('web')?.status, 'online');
  });

  test('tend start api starts its missing dependencies first; a completed job is not run again', async () => {
    const t = setup();
    t.add('migrate', { autorestart: false });
    t.add('db');
    t.add('api', {
      depends_on: [dep('db'), dep('migrate', { condition: 'process_completed_successfully' })],
    });
    const first = t.service.start(t.unitsOf('api'), { wait: true, deps: 'start' });
    assert.deepEqual(t.spawnOrder(), ['migrate', 'db']);
    assert.equal(t.status('api')?.reason, 'waiting for migrate (completed successfully), 0s');
    t.child('migrate').exit(0);
    await first;
    assert.deepEqual(t.spawnOrder(), ['migrate', 'db', 'api']);
    // api again: migrate completed successfully, db runs: nothing else starts.
    await t.service.stop(t.unitsOf('api'), { wait: false, cascade: false });
    t.exitSignalled();
    await tick();
    const before = t.spawner.children.length;
    await t.service.start(t.unitsOf('api'), { wait: true, deps: 'start' });
    assert.equal(t.spawner.children.length, before + 1);
    assert.equal(t.child('api').req.args.includes('/srv/api.js'), true);
  });

  test('a dependency that errors blocks its dependents; the start says so', async () => {
    const t = setup();
    t.add('db', { max_restarts: 1, min_uptime: 1000, ...waitReady });
    t.add('api', { depends_on: [healthy('db')] });
    t.add('web', { depends_on: [dep('api')] });
    const outcome = t.service.start(t.unitsOf('web', 'api', 'db'), { wait: true, deps: 'start' });
    t.child('db').exit(1);
    t.clock.advance(0);
    assert.equal(t.status('api')?.status, 'waiting', 'a restart is not a failure');
    t.child('db').exit(1);
    assert.equal(t.status('db')?.status, 'errored');
    // The service started db itself: its failure counts once that start has settled.
    await tick();
    assert.equal(t.status('api')?.status, 'blocked');
    assert.equal(t.status('api')?.reason, 'dependency db errored');
    assert.equal(t.status('web')?.status, 'blocked');
    assert.equal(t.status('web')?.reason, 'dependency api is blocked');
    await outcome;
    assert.deepEqual(t.spawnOrder(), ['db']);
  });

  test('a timeout blocks; an optional dependency that fails or times out is a note, and the app starts', async () => {
    const t = setup();
    t.add('db', waitReady);
    t.add('cache', waitReady);
    t.add('api', { depends_on: [healthy('db', { timeout_ms: 5000 })] });
    t.add('worker', { depends_on: [healthy('cache', { timeout_ms: 2000, required: false })] });
    const outcome = t.service.start(t.unitsOf('api', 'worker', 'db', 'cache'), { wait: true, deps: 'start' });
    t.clock.advance(1999);
    assert.equal(t.status('worker')?.status, 'waiting');
    t.clock.advance(1);
    await tick();
    assert.equal(t.status('worker')?.status, 'online');
    t.clock.advance(2999);
    assert.equal(t.status('api')?.status, 'waiting');
    t.clock.advance(1);
    assert.equal(t.status('api')?.status, 'blocked');
    assert.equal(t.status('api')?.reason, 'timed out after 5s waiting for db (healthy)');
    // The start also waits for the dependencies it started to settle.
    t.child('cache').message('ready');
    t.child('db').message('ready');
    const { notes } = await outcome;
    assert.deepEqual(notes, [
      'worker: dependency cache timed out after 2s; starting without it (required: false) (TEND_ERR_DEPENDENCY_DOWN)',
    ]);
    // Blocked stays blocked now that db is healthy; a new start waits again and starts.
    assert.equal(t.status('api')?.status, 'blocked');
    await t.service.start(t.unitsOf('api'), { wait: true, deps: 'start' });
    assert.equal(t.status('api')?.status, 'online');
  });

  test('--no-deps starts alone, with a note for each required dependency that is down', async () => {
    const t = setup();
    t.add('db');
    t.add('cache');
    t.add('api', { depends_on: [dep('db'), dep('cache', { required: false }), dep('ghost')] });
    const { notes } = await t.service.start(t.unitsOf('api'), { wait: true, deps: 'ignore' });
    assert.deepEqual(t.spawnOrder(), ['api']);
    assert.deepEqual(notes, [
      'api: started without its dependency db, which is not running (--no-deps) (TEND_ERR_DEPENDENCY_DOWN)',
      'api: started without its dependency ghost, which is not known to the daemon (--no-deps) (TEND_ERR_DEPENDENCY_DOWN)',
    ]);
  });

  test('order (resurrect, recovery): waits for what starts with it, starts without what does not', async () => {
    const t = setup();
    t.add('db');
    t.add('queue', waitReady);
    t.add('api', { depends_on: [dep('db'), healthy('queue')] });
    const outcome = t.service.start(t.unitsOf('api', 'queue'), { wait: true, deps: 'order' });
    assert.deepEqual(t.spawnOrder(), ['queue']);
    assert.equal(t.status('api')?.reason, 'waiting for queue (healthy), 0s');
    t.child('queue').message('ready');
    const { notes } = await outcome;
    assert.deepEqual(t.spawnOrder(), ['queue', 'api']);
    assert.deepEqual(notes, [
      'api: dependency db is not running and was not started with it; starting without it (TEND_ERR_DEPENDENCY_DOWN)',
    ]);
  });

  test('stopping a waiting app ends its wait; deleting its dependency blocks the other', async () => {
    const t = setup();
    t.add('db', waitReady);
    t.add('api', { depends_on: [healthy('db')] });
    t.add('web', { depends_on: [healthy('db')] });
    // Without wait: a start that waits holds db's queue until db settles, and the delete would queue behind.
    await t.service.start(t.unitsOf('api', 'web', 'db'), { wait: false, deps: 'start' });
    await t.service.stop(t.unitsOf('api'), { wait: true, cascade: false });
    assert.equal(t.status('api')?.status, 'stopped');
    assert.equal(t.status('api')?.reason, null);
    assert.equal(t.supervisor.app('api')?.policies.has('deps'), false);
    const deleting = t.supervisor.delete(t.unitsOf('db'));
    t.exitSignalled();
    await deleting;
    assert.equal(t.status('web')?.status, 'blocked');
    // delete stops db first: that is what the wait sees.
    assert.equal(t.status('web')?.reason, 'dependency db is stopped');
    assert.deepEqual(t.spawnOrder(), ['db']);
  });
});

describe('dependency service: stop', () => {
  /** web → api → db, worker → db; all online. */
  async function running(t: ReturnType<typeof setup>, apiDb: Partial<DependencySpec> = {}) {
    t.add('db');
    t.add('api', { depends_on: [dep('db', apiDb)] });
    t.add('worker', { depends_on: [dep('db')] });
    t.add('web', { depends_on: [dep('api')] });
    await t.service.start(t.unitsOf('db', 'api', 'worker', 'web'), { wait: true, deps: 'start' });
    for (const n of ['db', 'api', 'worker', 'web']) assert.equal(t.status(n)?.status, 'online', n);
  }
  /** The apps in the order they were sent their stop signal. */
  const signalled = (t: ReturnType<typeof setup>) => {
    const order: string[] = [];
    const seen = new Set<FakeChild>();
    return {
      order,
      exitSignalled: () => {
        for (const c of t.spawner.children)
          if (c.signals.length > 0 && !seen.has(c)) {
            seen.add(c);
            order.push(/\/srv\/(\w+)\.js/.exec(c.req.args.join(' '))?.[1] ?? '?');
            c.exit(null, 'SIGINT');
          }
      },
    };
  };

  test('stopAll: each app once every app that needs it is down; unrelated ones at once', async () => {
    const t = setup();
    await running(t);
    t.add('metrics');
    await t.service.start(t.unitsOf('metrics'), { wait: true, deps: 'start' });
    const s = signalled(t);
    const all = t.supervisor.stopAll();
    await tick();
    s.exitSignalled();
    assert.deepEqual(s.order, ['worker', 'web', 'metrics'], 'worker and web need nothing down first');
    await tick();
    s.exitSignalled();
    assert.deepEqual(s.order.slice(3), ['api']);
    await tick();
    s.exitSignalled();
    assert.deepEqual(s.order.slice(4), ['db']);
    await all;
  });

  test('stop db warns about the dependents left running; --cascade stops them first', async () => {
    const t = setup();
    await running(t);
    const s = signalled(t);
    const stopping = t.service.stop(t.unitsOf('db'), { wait: true, cascade: false });
    await tick();
    s.exitSignalled();
    assert.deepEqual(await stopping, [
      'stopping db leaves running: api (needs db), worker (needs db) (use --cascade to stop dependents first) (TEND_ERR_DEPENDENTS_RUNNING)',
    ]);
    assert.deepEqual(s.order, ['db']);
    await t.service.start(t.unitsOf('db'), { wait: true, deps: 'start' });
    const cascading = t.service.stop(t.unitsOf('db'), { wait: true, cascade: true });
    for (let i = 0; i < 4; i++) {
      s.exitSignalled();
      await tick();
    }
    assert.deepEqual(await cascading, []);
    assert.deepEqual(s.order.slice(1), ['worker', 'web', 'api', 'db']);
  });

  test('stop db while its dependent still waits for it: said to block it, not to leave it running (ninth audit)', async () => {
    const t = setup();
    t.add('db', waitReady);
    t.add('api', { depends_on: [healthy('db')] });
    const start = t.service.start(t.unitsOf('api', 'db'), { wait: false, deps: 'start' });
    await tick();
    assert.equal(t.status('api')?.status, 'waiting');
    const s = signalled(t);
    const stopping = t.service.stop(t.unitsOf('db'), { wait: true, cascade: false });
    await tick();
    s.exitSignalled();
    assert.deepEqual(await stopping, [
      'stopping db blocks what was waiting for it: api (needs db) (use --cascade to stop dependents first) (TEND_ERR_DEPENDENTS_RUNNING)',
    ]);
    await tick();
    assert.equal(t.status('api')?.status, 'blocked');
    await start;
  });
});

describe('dependency service: cascades', () => {
  test('bind: a crash of the dependency stops the app (dependency_down); it starts again once db is back', async () => {
    const t = setup();
    t.add('db', { ...waitReady, restart_delay: 1000 });
    t.add('api', { depends_on: [healthy('db', { bind: true })] });
    const start = t.service.start(t.unitsOf('api', 'db'), { wait: true, deps: 'start' });
    t.child('db').message('ready');
    await start;
    assert.equal(t.status('api')?.status, 'online');
    t.child('db').exit(1);
    await tick();
    assert.deepEqual(t.child('api').signals, ['SIGINT'], 'api is stopped');
    t.exitSignalled();
    await tick();
    assert.equal(t.status('api')?.status, 'waiting');
    assert.equal(t.status('api')?.reason, 'dependency_down: waiting for db (healthy), 0s');
    t.clock.advance(1000);
    assert.equal(t.status('db')?.status, 'launching');
    assert.equal(t.status('api')?.status, 'waiting');
    t.child('db').message('ready');
    await tick();
    assert.equal(t.status('api')?.status, 'online');
    assert.equal(t.children('api').length, 2);
  });

  test('bind: an operator stop of db takes api down with it; api comes back when db is started', async () => {
    const t = setup();
    t.add('db');
    t.add('api', { depends_on: [dep('db', { bind: true })] });
    await t.service.start(t.unitsOf('api', 'db'), { wait: true, deps: 'start' });
    const stopping = t.service.stop(t.unitsOf('db'), { wait: true, cascade: false });
    for (let i = 0; i < 3; i++) {
      t.exitSignalled();
      await tick();
    }
    assert.deepEqual(await stopping, [], 'a bound app is not left running: no warning');
    assert.equal(t.status('db')?.status, 'stopped');
    assert.equal(t.status('api')?.status, 'blocked');
    assert.equal(t.status('api')?.reason, 'dependency_down: dependency db is stopped');
    await t.service.start(t.unitsOf('db'), { wait: true, deps: 'start' });
    await tick();
    assert.equal(t.status('api')?.status, 'online');
  });

  test('restart: after an operator restart, dependents restart once, in order, after it is ready', async () => {
    const t = setup();
    // db ← api (restart) ← web (restart), db ← worker (restart) ← web (restart): web restarts once.
    t.add('db', waitReady);
    t.add('api', { depends_on: [healthy('db', { restart: true })] });
    t.add('worker', { depends_on: [dep('db', { restart: true })] });
    t.add('web', { depends_on: [dep('api', { restart: true }), dep('worker', { restart: true })] });
    t.add('cron', { depends_on: [dep('db')] });
    const start = t.service.start(t.unitsOf('web', 'cron'), { wait: true, deps: 'start' });
    t.child('db').message('ready');
    await start;
    t.clock.advance(1000);
    const restarting = t.service.restart(t.unitsOf('db'), true);
    t.exitSignalled();
    await tick();
    assert.equal(t.status('db')?.status, 'launching');
    assert.equal(t.children('api').length, 1, 'not before db is ready');
    t.child('db').message('ready');
    for (let i = 0; i < 6; i++) {
      t.exitSignalled();
      await tick();
    }
    await restarting;
    for (const n of ['api', 'worker', 'web']) assert.equal(t.children(n).length, 2, `${n} restarted once`);
    assert.equal(t.children('cron').length, 1, 'no restart: true, no restart');
    assert.equal(t.status('web')?.restarts, 1);
  });

  // Third audit: SIGHUP (tend-runtime) reloaded every app at once, whatever depended on what.
  test('reload rolls across the apps: dependencies first, a dependent once they are back; a failure holds its dependents', async () => {
    const t = setup();
    t.add('db', waitReady);
    t.add('api', { depends_on: [healthy('db')], ...waitReady });
    t.add('web', { depends_on: [healthy('api')] });
    const start = t.service.start(t.unitsOf('web', 'api', 'db'), { wait: true, deps: 'start' });
    t.child('db').message('ready');
    await tick();
    t.child('api').message('ready');
    await start;
    const reloading = t.service.reload(t.unitsOf('web', 'api', 'db'));
    await tick();
    t.exitSignalled();
    await tick();
    // Only db so far: api and web keep their processes until it is back online.
    assert.equal(t.children('db').length, 2);
    assert.equal(t.children('api').length, 1);
    assert.equal(t.children('web').length, 1);
    t.child('db').message('ready');
    await tick();
    t.exitSignalled();
    await tick();
    assert.equal(t.children('api').length, 2, 'api once db is back');
    assert.equal(t.children('web').length, 1, 'web not before api is back');
    t.child('api').message('ready');
    for (let i = 0; i < 4; i++) {
      t.exitSignalled();
      await tick();
    }
    const report = await reloading;
    assert.equal(t.children('web').length, 2);
    assert.equal(report.failed, null);
    assert.deepEqual(report.reloaded.length, 3);

    // db's new process crashes before it is ready: the reload fails there, api and web keep running.
    const again = t.service.reload(t.unitsOf('web', 'api', 'db'));
    await tick();
    t.exitSignalled();
    await tick();
    t.child('db').exit(1);
    await tick();
    const failed = await again;
    assert.equal(failed.failed?.name, 'db');
    assert.match(failed.failed?.reason ?? '', /^waiting-restart after its restart/);
    assert.equal(t.children('api').length, 2, 'api kept its process');
    assert.equal(t.children('web').length, 2, 'web kept its process');
    assert.deepEqual(failed.reloaded, []);
    assert.equal(failed.skipped.length, 2);
  });

  // Sixth audit: SIGHUP restarted api beside the migration it waits for (process_completed_successfully).
  test('reload: a dependent waits until a reloaded dependency meets its condition again (a one-shot: completed); a failure holds it back', async () => {
    const t = setup();
    t.add('migrate', { autorestart: false });
    t.add('api', { depends_on: [dep('migrate', { condition: 'process_completed_successfully' })] });
    const start = t.service.start(t.unitsOf('api', 'migrate'), { wait: true, deps: 'start' });
    await tick();
    t.child('migrate').exit(0);
    await start;
    assert.equal(t.children('api').length, 1);
    const reloading = t.service.reload(t.unitsOf('api', 'migrate'));
    await tick();
    assert.equal(t.children('migrate').length, 2, 'migrate runs again');
    assert.equal(t.children('api').length, 1, 'api not before migrate completed');
    t.child('migrate').exit(0);
    for (let i = 0; i < 4; i++) {
      t.exitSignalled();
      await tick();
    }
    const report = await reloading;
    assert.equal(report.failed, null);
    assert.equal(report.reloaded.length, 2);
    assert.equal(t.children('api').length, 2, 'api reloaded once migrate completed');

    const again = t.service.reload(t.unitsOf('api', 'migrate'));
    await tick();
    t.child('migrate').exit(1);
    const failed = await again;
    assert.equal(failed.failed?.name, 'api');
    assert.equal(failed.failed?.reason, 'dependency migrate exited with code 1');
    assert.equal(failed.failed?.kept, true);
    assert.deepEqual(
      failed.skipped,
      t.unitsOf('api').map((u) => u.id),
    );
    assert.equal(t.children('api').length, 2, 'api kept its process');
  });

  test('reload skips an instance still waiting for its dependencies: its start is yet to come', async () => {
    const t = setup();
    t.add('slow', waitReady);
    t.add('api', { depends_on: [healthy('slow')] });
    const start = t.service.start(t.unitsOf('api', 'slow'), { wait: true, deps: 'start' });
    await tick();
    assert.equal(t.status('api')?.status, 'waiting');
    const reloading = t.service.reload(t.unitsOf('api', 'slow'));
    await tick();
    t.exitSignalled();
    await tick();
    assert.equal(t.children('api').length, 0, 'not started past its wait');
    // slow's start settles, then its reload restarts it: ready again. The old slow's readiness does not
    // end api's wait (ninth audit: api started against it, and slow was restarted under it).
    t.child('slow').message('ready');
    for (let i = 0; i < 4; i++) {
      t.exitSignalled();
      await tick();
    }
    assert.equal(t.children('slow').length, 2, 'slow reloaded');
    assert.equal(t.children('api').length, 0, 'api still waits: the ready slow was the old one');
    t.child('slow').message('ready');
    for (let i = 0; i < 4; i++) {
      t.exitSignalled();
      await tick();
    }
    const report = await reloading;
    await start;
    assert.deepEqual(
      report.skipped,
      t.unitsOf('api').map((u) => u.id),
    );
    assert.equal(t.children('api').length, 1, 'api started once, after slow was ready');
  });

  test('a wait for an app a reload has yet to reach is held until that reload is done (a one-shot left out of it too)', async () => {
    const t = setup();
    t.add('slow', waitReady);
    t.add('mig', { autorestart: false, depends_on: [healthy('slow')] });
    const start = t.service.start(t.unitsOf('mig', 'slow'), { wait: true, deps: 'start' });
    await tick();
    assert.equal(t.status('mig')?.status, 'waiting');
    // tend-runtime's SIGHUP leaves one-shots out of the reload: slow alone is reloaded.
    const reloading = t.service.reload(t.unitsOf('slow'));
    await tick();
    t.child('slow').message('ready');
    for (let i = 0; i < 4; i++) {
      t.exitSignalled();
      await tick();
    }
    assert.equal(t.children('slow').length, 2, 'slow reloaded');
    assert.equal(t.children('mig').length, 0, 'the migration waits for the new slow');
    t.child('slow').message('ready');
    await reloading;
    await tick();
    assert.equal(t.children('mig').length, 1, 'then it runs, once');
    t.child('mig').exit(0);
    await start;
  });

  test('a crash-restart of the dependency never cascades without bind', async () => {
    const t = setup();
    t.add('db');
    t.add('api', { depends_on: [dep('db', { restart: true })] });
    await t.service.start(t.unitsOf('api', 'db'), { wait: true, deps: 'start' });
    t.child('db').exit(1);
    t.clock.advance(0);
    await tick();
    assert.equal(t.children('db').length, 2);
    assert.equal(t.children('api').length, 1);
    assert.deepEqual(t.child('api').signals, []);
  });
});
