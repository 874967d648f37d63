// The supervisor with a fake clock and scripted children (no daemon, no real process): apps as objects, the
// per-app operation queue, finished-by-itself vs stopped, the forced kill's record and event.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { App } from '../../../src/supervisor/app.js';
import { makeSpec } from '../../helpers/spec.js';
import { setup } from '../../helpers/supervisor.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('apps', () => {
  test('an app owns one spec; a respec through any instance is every instance’s', () => {
    const t = setup();
    const units = t.add({ name: 'multi', instances: 3 });
    t.supervisor.respec([units[1] as (typeof units)[number]], (s) => ({ ...s, env: { FOO: '1' } }));
    assert.deepEqual(
      units.map((u) => u.spec.env),
      [{ FOO: '1' }, { FOO: '1' }, { FOO: '1' }],
    );
    assert.equal(t.supervisor.apps().length, 1);
    assert.equal(t.supervisor.app('multi')?.units().length, 3);
  });

  test('targets: name, id, namespace, all; a missing token is named', () => {
    const t = setup();
    t.add({ name: 'a', namespace: 'web' });
    t.add({ name: 'b', instances: 2 });
    const ids = (target: string[]) => t.supervisor.resolve(target).map((u) => u.id);
    assert.deepEqual(ids(['a']), [0]);
    assert.deepEqual(ids(['web']), [0]);
    assert.deepEqual(ids(['b']), [1, 2]);
    assert.deepEqual(ids(['all']), [0, 1, 2]);
    assert.deepEqual(ids(['2', 'a']), [0, 2]);
    assert.throws(() => t.supervisor.resolve(['nope', 'a']), /nope/);
  });

  test('delete forgets the app with its last instance; an app of that name can be added again', async () => {
    const t = setup();
    const units = t.add({ name: 'x', instances: 2 });
    await t.supervisor.start(units, false);
    const deleting = t.supervisor.delete(units);
    t.exitSignalled();
    await deleting;
    assert.equal(t.supervisor.app('x'), undefined);
    assert.equal(t.supervisor.add(makeSpec({ name: 'x' })).length, 1);
  });
});

describe('the per-app operation queue', () => {
  test('operations run one at a time in arrival order; other apps are not held up', async () => {
    const t = setup();
    const [a] = t.add({ name: 'a' });
    const [b] = t.add({ name: 'b' });
    if (!a || !b) throw new Error('no units');
    await t.supervisor.start([a, b], false);
    const order: string[] = [];
    const stop = t.supervisor.stop([a], true).then(() => order.push('stop'));
    const restart = t.supervisor.restart([a], true).then(() => order.push('restart'));
    // The restart waits for the stop to finish: nothing was signalled twice, a is stopping only.
    assert.equal(a.status, 'stopping');
    assert.equal(a.app.pending, 2);
    const stopB = t.supervisor.stop([b], true).then(() => order.push('stop-b'));
    assert.equal(b.status, 'stopping', 'b is not queued behind a');
    t.exitSignalled();
    await stop;
    await tick();
    assert.equal(a.status, 'online', 'the restart ran once the stop was done');
    await restart;
    await stopB;
    assert.deepEqual(order, ['stop', 'stop-b', 'restart']);
    assert.equal(a.status, 'online');
    assert.equal(b.status, 'stopped');
    assert.equal(a.app.pending, 0);
  });

  test('an operation queued behind a delete finds nothing: target not found', async () => {
    const t = setup();
    const units = t.add({ name: 'a' });
    await t.supervisor.start(units, false);
    const deleting = t.supervisor.delete(units);
    const stopping = t.supervisor.stop(units, true);
    t.exitSignalled();
    await deleting;
    await assert.rejects(stopping, /TEND_ERR_TARGET_NOT_FOUND|no process matches/);
  });

  test('a failing operation does not block the next one', async () => {
    const app = new App(makeSpec());
    const first = app.enqueue(async () => {
      throw new Error('boom');
    });
    const second = app.enqueue(() => 'ran');
    await assert.rejects(first, /boom/);
    assert.equal(await second, 'ran');
  });

  test('a stop or a delete ends a start that waits for readiness with a deadline; a restart does not (ninth audit)', async () => {
    for (const stopping of ['stop', 'delete'] as const) {
      const t = setup();
      const t0 = t.clock.now();
      // A 10-minute listen_timeout: the stop waited it out behind the start.
      const units = t.add({ name: 'a', wait_ready: true, listen_timeout: 600_000 });
      let started = false;
      const starting = t.supervisor.start(units, true).then(() => {
        started = true;
      });
      assert.equal(units[0]?.status, 'launching');
      const stop = stopping === 'stop' ? t.supervisor.stop(units, true) : t.supervisor.delete(units);
      await new Promise<void>((resolve) => setImmediate(resolve));
      assert.ok(started, `${stopping}: the start returned`);
      t.exitSignalled();
      await stop;
      await starting;
      assert.equal(units[0]?.status, 'stopped', stopping);
      assert.equal(t.clock.now(), t0, 'no time passed: nothing waited for the deadline');
    }
    const t = setup();
    const units = t.add({ name: 'a', wait_ready: true, listen_timeout: 600_000 });
    let started = false;
    const starting = t.supervisor.start(units, true).then(() => {
      started = true;
    });
    const restart = t.supervisor.restart(units, false);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.ok(!started, 'a restart waits behind a start with a deadline');
    t.spawner.children.at(-1)?.message('ready');
    await starting;
    await restart;
  });

  test("a stop of one instance ends the start's wait for that one only: the start still waits for the other, and reports it (verification of the ninth audit)", async () => {
    const t = setup();
    const units = t.add({ name: 'm', instances: 2, wait_ready: true, listen_timeout: 600_000 });
    const [first, second] = units;
    if (!first || !second) throw new Error('no units');
    let started = false;
    const starting = t.supervisor.start(units, true).then(() => {
      started = true;
    });
    const stopping = t.supervisor.stop([second], true);
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.ok(!started, 'the start waits for the instance not stopped');
    // That one misses its deadline: the start settles on the failed start, then the stop runs.
    t.clock.advance(600_000);
    t.exitSignalled();
    await starting;
    assert.notEqual(first.status, 'online');
    for (let i = 0; i < 4; i++) {
      t.exitSignalled();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await stopping;
    assert.equal(second.status, 'stopped');
  });

  test('start, restart, then stop: the stop still preempts the waits with a deadline (verification of the ninth audit)', async () => {
    const t = setup();
    const t0 = t.clock.now();
    const units = t.add({ name: 'n', wait_ready: true, listen_timeout: 600_000 });
    const starting = t.supervisor.start(units, true);
    const restarting = t.supervisor.restart(units, true);
    const stopping = t.supervisor.stop(units, true);
    for (let i = 0; i < 6 && units[0]?.status !== 'stopped'; i++) {
      t.exitSignalled();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await Promise.all([starting, restarting, stopping]);
    assert.equal(units[0]?.status, 'stopped');
    assert.equal(t.clock.now(), t0, 'nothing waited for listen_timeout');
  });

  test('a stop or delete of a whole app takes the instances a scale queued before it adds (verification of the ninth audit)', async () => {
    for (const stopping of ['stop', 'delete'] as const) {
      const t = setup();
      const t0 = t.clock.now();
      const units = t.add({ name: 'w', wait_ready: true, listen_timeout: 600_000 });
      const starting = t.supervisor.start(units, true);
      // Queued behind the start: two more instances, then the stop of the app as it was when asked.
      const scaling = t.supervisor.scale('w', 3, true);
      // By name (`tend stop w`): the handler passes the app as named whole (supervisor.wholeApps).
      const whole = t.supervisor.wholeApps(['w']);
      const stop =
        stopping === 'stop' ? t.supervisor.stop(units, true, whole) : t.supervisor.delete(units, whole);
      for (let i = 0; i < 10 && t.supervisor.instances().some((u) => u.status !== 'stopped'); i++) {
        t.exitSignalled();
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      await Promise.all([starting, scaling, stop]);
      const left = t.supervisor.instances().map((u) => `${u.instance}:${u.status}`);
      assert.deepEqual(left, stopping === 'stop' ? ['0:stopped', '1:stopped', '2:stopped'] : [], stopping);
      assert.equal(t.clock.now(), t0, `${stopping}: nothing waited for the scale's listen_timeout`);
    }
  });

  test('a stop of an instance by id behind a scale stops that instance only (verification of the tenth audit)', async () => {
    const t = setup();
    const units = t.add({ name: 'v', wait_ready: true, listen_timeout: 600_000 });
    const starting = t.supervisor.start(units, true);
    const scaling = t.supervisor.scale('v', 3, true);
    // `tend stop 0`: ids name no app whole.
    assert.deepEqual([...t.supervisor.wholeApps(['0'])], []);
    assert.deepEqual([...t.supervisor.wholeApps(['v', 'all', 'default'])], ['v']);
    const stop = t.supervisor.stop(units, true, t.supervisor.wholeApps(['0']));
    // The scale's instances become ready (the stop waits for the scale's start, which waits for them).
    for (let i = 0; i < 10 && units[0]?.status !== 'stopped'; i++) {
      t.exitSignalled();
      for (const c of t.spawner.children.slice(1)) c.message('ready');
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await Promise.all([starting, scaling, stop]);
    const state = t.supervisor.instances().map((u) => `${u.instance}:${u.status}`);
    assert.deepEqual(state, ['0:stopped', '1:online', '2:online']);
  });

  test('stopAll is not queued: it stops instances while an operation waits', async () => {
    const t = setup();
    const units = t.add({ name: 'a', wait_ready: true });
    const starting = t.supervisor.start(units, true); // waits for 'ready' that never comes
    assert.equal(units[0]?.status, 'launching');
    const all = t.supervisor.stopAll();
    t.exitSignalled();
    await all;
    await starting;
    assert.equal(units[0]?.status, 'stopped');
  });
});

describe('a shutdown: nothing restarts once it began', () => {
  test('stopAll: an app waiting for its turn (its dependents still stopping) that ends meanwhile stays down', async () => {
    const t = setup();
    const [db] = t.add({ name: 'db', restart_delay: 0 });
    const [api] = t.add({ name: 'api' });
    if (!db || !api) throw new Error('no units');
    await t.supervisor.start([db, api], false);
    // api first, then db: as the dependency service orders it (api depends on db).
    let apiStopped: () => void = () => {};
    t.supervisor.orderStops(async (apps, stop) => {
      const byName = (n: string) => apps.find((a) => a.name === n) as App;
      await stop(byName('api'));
      apiStopped();
      await stop(byName('db'));
    });
    const stopped = new Promise<void>((resolve) => (apiStopped = resolve));
    const all = t.supervisor.stopAll();
    assert.equal(api.status, 'stopping');
    assert.equal(db.status, 'online');
    assert.equal(db.wanted, 'down');
    // db crashes (or is SIGKILLed at a grace period's end) before its turn: not restarted, its exit kept.
    const dbChild = t.spawner.children[0];
    dbChild?.exit(3);
    assert.equal(db.status, 'stopped');
    assert.equal(db.info().completed, true);
    assert.equal(db.info().last_exit?.code, 3);
    t.clock.advance(1000);
    t.exitSignalled();
    await stopped;
    await all;
    assert.equal(t.spawner.children.length, 2, 'nothing was spawned again');
    assert.equal(db.status, 'stopped');
    assert.equal(api.status, 'stopped');
  });

  test('beginShutdown: an exit during the delay stays down; a pending restart is cancelled; start is a no-op', async () => {
    const t = setup();
    const [a] = t.add({ name: 'a', restart_delay: 500 });
    const [b] = t.add({ name: 'b' });
    if (!a || !b) throw new Error('no units');
    await t.supervisor.start([a, b], false);
    t.spawner.children[0]?.exit(1);
    assert.equal(a.status, 'waiting-restart');
    t.supervisor.beginShutdown();
    assert.equal(a.status, 'stopped');
    t.clock.advance(1000);
    t.spawner.children[1]?.exit(0);
    assert.equal(b.status, 'stopped');
    await t.supervisor.start([a, b], true);
    assert.equal(t.spawner.children.length, 2, 'nothing was spawned again');
  });
});

describe('max_memory_restart (a trigger reload with the memory cause)', () => {
  const cause = { trigger: 'memory' as const, detail: 'memory 210.1 MiB above max_memory_restart 100.0 MiB' };

  test('autorestart off: the instance ends (reason memory, completed), never re-run in place', async () => {
    const t = setup();
    const [job] = t.add({ name: 'job', autorestart: false });
    if (!job) throw new Error('no unit');
    await t.supervisor.start([job], false);
    const reload = t.supervisor.reload([job], cause);
    assert.equal(job.status, 'stopping');
    // It answers the stop signal with 0: no success of its own, tend ended it.
    t.spawner.children[0]?.exit(0);
    await reload;
    assert.equal(job.status, 'stopped');
    assert.equal(t.spawner.children.length, 1, 'not spawned again');
    const p = job.info();
    assert.equal(p.completed, true);
    assert.equal(p.reason, 'memory');
    assert.match(
      p.last_error ?? '',
      /^memory: memory 210\.1 MiB above .*\(not restarted: autorestart off\)$/,
    );
  });

  test('autorestart on: restarted in place (PM2), counted as a memory restart', async () => {
    const t = setup();
    const [svc] = t.add({ name: 'svc' });
    if (!svc) throw new Error('no unit');
    await t.supervisor.start([svc], false);
    const reload = t.supervisor.reload([svc], cause);
    t.exitSignalled();
    await reload;
    assert.equal(svc.status, 'online');
    assert.equal(t.spawner.children.length, 2);
    assert.equal(svc.info().memory_restarts, 1);
  });
});

describe('finished by itself vs stopped by the user', () => {
  test('autorestart false: completed; a user stop: not completed; a new run clears it', async () => {
    const t = setup();
    const [done] = t.add({ name: 'job', autorestart: false });
    const [svc] = t.add({ name: 'svc' });
    if (!done || !svc) throw new Error('no units');
    await t.supervisor.start([done, svc], false);
    t.spawner.children[0]?.exit(0);
    assert.equal(done.status, 'stopped');
    assert.equal(done.info().completed, true);
    assert.equal(done.info().last_exit?.code, 0);
    const stopping = t.supervisor.stop([svc], true);
    t.exitSignalled();
    await stopping;
    assert.equal(svc.info().completed, false);
    await t.supervisor.start([done], false);
    assert.equal(done.info().completed, false);
  });

  test('a stop_exit_codes exit is completed too', async () => {
    const t = setup();
    const [u] = t.add({ stop_exit_codes: [3] });
    if (!u) throw new Error('no unit');
    await t.supervisor.start([u], false);
    t.spawner.last.exit(3);
    assert.equal(u.info().completed, true);
    assert.match(u.restartHistory().at(-1)?.reason ?? '', /stop exit code/);
  });
});

test('a forced kill after kill_timeout: in the restart history and a process.killed event', async () => {
  const t = setup();
  const [u] = t.add({ kill_timeout: 2000, kill_signal: 'SIGTERM' });
  if (!u) throw new Error('no unit');
  await t.supervisor.start([u], false);
  const pid = u.pid;
  const stopping = t.supervisor.stop([u], true);
  t.clock.advance(2000);
  assert.deepEqual(t.spawner.last.signals, ['SIGTERM', 'SIGKILL']);
  const killed = t.events.find((e) => e.event === 'process.killed');
  assert.deepEqual(killed?.data, { id: u.id, name: 'app', pid, signal: 'SIGTERM', timeout_ms: 2000 });
  assert.match(
    u.restartHistory().at(-1)?.reason ?? '',
    new RegExp(`pid ${pid} did not stop within 2000 ms of SIGTERM: SIGKILL`),
  );
  t.spawner.last.exit(null, 'SIGKILL');
  await stopping;
});
