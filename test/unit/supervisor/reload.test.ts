// Zero-downtime reload of one instance: the table rows, and the unit running a replacement beside the current
// process, with a fake clock and scripted workers (no real process, no real time).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AppSpec } from '../../../src/config/spec.js';
import type { EventData, TendEvent } from '../../../src/protocol/events.js';
import { App } from '../../../src/supervisor/app.js';
import { EventBus } from '../../../src/supervisor/event-bus.js';
import { ALL_STATUSES, type Effect, transition } from '../../../src/supervisor/transitions.js';
import { ProcessUnit } from '../../../src/supervisor/unit.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeSpawner, type FakeWorker, nullSink } from '../../helpers/fake-spawner.js';
import { makeSpec } from '../../helpers/spec.js';
import { setup as supervisorSetup } from '../../helpers/supervisor.js';

const types = (effects: readonly Effect[]) => effects.map((e) => e.type);

describe('reload rows of the transition table', () => {
  test('reload of an online process starts a replacement and stays online', () => {
    const t = transition({ status: 'online', want: 'up' }, { type: 'reload' });
    assert.deepEqual(t.next, { status: 'online', want: 'up' });
    assert.deepEqual(types(t.effects), ['spawn-successor']);
  });

  test('reload of anything not online is a restart', () => {
    for (const status of ALL_STATUSES.filter((s) => s !== 'online'))
      for (const want of ['up', 'down', 'restart'] as const)
        assert.deepEqual(
          transition({ status, want }, { type: 'reload' }),
          transition({ status, want }, { type: 'restart' }),
          `${status}/${want}`,
        );
  });

  test('a ready replacement is promoted and counted as a restart; a failed one is dropped, status unchanged', () => {
    const ready = transition({ status: 'online', want: 'up' }, { type: 'successor-ready' });
    assert.deepEqual(ready.next, { status: 'online', want: 'up' });
    assert.deepEqual(types(ready.effects), ['promote-successor', 'count-restart']);
    for (const status of ALL_STATUSES) {
      const failed = transition({ status, want: 'up' }, { type: 'successor-failed', reason: 'x' });
      assert.deepEqual(failed.next, { status, want: 'up' });
      assert.deepEqual(failed.effects, [{ type: 'drop-successor', reason: 'x' }]);
    }
  });

  test('leaving online (stop, restart, exit) abandons a pending replacement first', () => {
    const exit = { type: 'exited', verdict: { kind: 'restart', delayMs: 0, reason: 'crash' } } as const;
    for (const e of [{ type: 'stop' }, { type: 'restart' }, exit] as const) {
      const t = transition({ status: 'online', want: 'up' }, e);
      assert.equal(types(t.effects)[0], 'drop-successor', e.type);
      assert.notEqual(t.next.status, 'online');
    }
  });

  test('a replacement ready after the instance left online is ignored', () => {
    for (const status of ALL_STATUSES.filter((s) => s !== 'online'))
      assert.deepEqual(types(transition({ status, want: 'up' }, { type: 'successor-ready' }).effects), []);
  });
});

function setup(over: Partial<AppSpec> = {}) {
  const clock = new FakeClock();
  const spawner = new FakeSpawner();
  const bus = new EventBus();
  const events: TendEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const unit = new ProcessUnit(
    3,
    1,
    new App(makeSpec({ exec_mode: 'cluster', ...over })),
    '/dev/null',
    '/dev/null',
    {
      clock,
      spawner,
      bus,
      sink: nullSink,
      home: '/h',
      log: () => {},
    },
  );
  unit.dispatch({ type: 'start' });
  const worker = (i: number) => spawner.children[i] as FakeWorker;
  // A cluster worker is online once it listens (or says ready, with wait_ready).
  const first = worker(0);
  if (over.wait_ready) first.message('ready');
  else first.listening(3000);
  const reloads = () =>
    events.filter((e) => e.event === 'process.reload').map((e) => e.data as EventData<'process.reload'>);
  return { clock, spawner, unit, events, worker, reloads };
}

describe('ProcessUnit reload', () => {
  test('cluster launch: the request names the primary settings; the worker is online once it listens', () => {
    const clock = new FakeClock();
    const spawner = new FakeSpawner();
    const bus = new EventBus();
    const spec = makeSpec({ exec_mode: 'cluster', listen_timeout: 800 });
    const deps = { clock, spawner, bus, sink: nullSink, home: '/h', log: () => {} };
    const lone = new ProcessUnit(9, 0, new App(spec), '/dev/null', '/dev/null', deps);
    lone.dispatch({ type: 'start' });
    assert.equal(lone.status, 'launching', 'not online before it listens');
    assert.equal(lone.info().ready, false);
    (spawner.last as FakeWorker).listening(3000);
    assert.equal(lone.status, 'online');
    assert.equal(lone.info().ready, true);
    // One that never listens is a failed start at listen_timeout, never "online".
    lone.dispatch({ type: 'restart' });
    spawner.children[0]?.exit(0);
    assert.equal(lone.status, 'launching');
    clock.advance(800);
    assert.equal(lone.status, 'stopping');
    assert.match(
      lone.info().last_error ?? '',
      /ready_timeout: did not listen on any port within listen_timeout/,
    );

    const { unit } = setup({ interpreter_args: ['--import', 'tsx'], args: ['a'] });
    assert.equal(unit.status, 'online');
    assert.deepEqual(setup({ interpreter_args: ['--import', 'tsx'], args: ['a'] }).spawner.last.req.cluster, {
      app: 'app',
      interpreter: '/usr/bin/node',
      execArgv: ['--import', 'tsx'],
      script: '/srv/app.js',
      args: ['a'],
    });
    assert.equal(unit.info().reason, null);
  });

  test('the replacement serves before the old worker is disconnected, then signalled; retired once gone', () => {
    const { unit, worker, reloads, spawner, events } = setup({ kill_signal: 'SIGTERM' });
    const old = worker(0);
    unit.dispatch({ type: 'reload' });
    assert.equal(spawner.children.length, 2);
    const next = worker(1);
    assert.equal(next.req.env.NODE_APP_INSTANCE, '1', 'same instance number');
    assert.equal(unit.pid, old.pid, 'the old worker is the instance until the replacement is ready');
    assert.equal(old.disconnects, 0);

    next.listening(3000);
    assert.ok(events.some((e) => e.event === 'process.listening' && e.data.pid === next.pid));
    assert.equal(unit.pid, next.pid);
    assert.equal(unit.status, 'online');
    assert.equal(unit.restarts, 1);
    assert.deepEqual(
      reloads().map((r) => [r.outcome, r.pid, r.old_pid]),
      [['replaced', next.pid, old.pid]],
    );
    // Stop routing first; the stop signal only once the old worker stopped serving.
    assert.equal(old.disconnects, 1);
    assert.deepEqual(old.signals, []);
    old.disconnected();
    assert.deepEqual(old.signals, ['SIGTERM']);
    old.exit(0);
    assert.deepEqual(reloads().at(-1)?.outcome, 'retired');
    assert.equal(unit.status, 'online', "the old worker's exit is not the instance's");
    assert.equal(unit.info().last_exit, null);
  });

  test('an old worker that does not stop within kill_timeout is killed; the instance stays online', () => {
    const { unit, worker, clock, reloads } = setup({ kill_timeout: 1000 });
    unit.dispatch({ type: 'reload' });
    worker(1).listening();
    clock.advance(999);
    assert.deepEqual(worker(0).signals, []);
    clock.advance(1);
    assert.deepEqual(worker(0).signals, ['SIGKILL']);
    worker(0).exit(null, 'SIGKILL');
    assert.equal(reloads().at(-1)?.outcome, 'retired');
    assert.equal(unit.status, 'online');
  });

  test('a replacement not ready within listen_timeout is stopped; the old one keeps serving; failed once it is gone', () => {
    const { unit, worker, clock, reloads } = setup({ listen_timeout: 2000 });
    unit.dispatch({ type: 'reload' });
    clock.advance(2000);
    assert.equal(unit.pid, worker(0).pid);
    assert.equal(worker(1).disconnects, 1, 'stopped gracefully: it may have taken connections');
    assert.deepEqual(reloads(), [], 'not reported while the replacement still runs');
    worker(1).disconnected();
    worker(1).exit(null, 'SIGINT');
    const [failed] = reloads();
    assert.equal(failed?.outcome, 'failed');
    assert.match(failed?.reason ?? '', /did not listen on any port within listen_timeout \(2000 ms\)/);
    assert.equal(unit.status, 'online');
    assert.equal(unit.restarts, 0);
    assert.match(unit.info().last_error ?? '', /^reload failed: /);
    assert.equal(worker(0).disconnects, 0);
  });

  test('with wait_ready, listening is not enough: the replacement must send ready', () => {
    const { unit, worker, clock, reloads, spawner } = setup({ wait_ready: true, listen_timeout: 500 });
    worker(0).message('ready');
    assert.equal(unit.status, 'online');
    unit.dispatch({ type: 'reload' });
    worker(1).listening();
    assert.equal(unit.pid, worker(0).pid);
    worker(1).message('ready');
    assert.equal(unit.pid, worker(1).pid);
    // Once more, with a replacement that never says ready.
    unit.dispatch({ type: 'reload' });
    assert.equal(spawner.children.length, 3);
    worker(2).listening();
    clock.advance(500);
    worker(2).exit(0);
    assert.match(reloads().at(-1)?.reason ?? '', /did not send 'ready' within listen_timeout/);
    assert.equal(unit.pid, worker(1).pid);
  });

  test('a replacement that exits before it is ready fails the reload at once', () => {
    const { unit, worker, reloads } = setup();
    unit.dispatch({ type: 'reload' });
    worker(1).exit(1);
    assert.equal(reloads()[0]?.outcome, 'failed');
    assert.match(reloads()[0]?.reason ?? '', /exited with code 1 .*before it was ready/);
    assert.equal(unit.pid, worker(0).pid);
  });

  test('stop during a reload drops the replacement and stops the current worker', () => {
    const { unit, worker, reloads } = setup();
    unit.dispatch({ type: 'reload' });
    unit.dispatch({ type: 'stop' });
    assert.equal(unit.status, 'stopping');
    assert.equal(worker(1).disconnects, 1);
    assert.equal(worker(0).disconnects, 1);
    worker(1).exit(0);
    assert.match(reloads()[0]?.reason ?? '', /stopped during the reload/);
    worker(0).exit(0);
    assert.equal(unit.status, 'stopped');
  });

  test('a crash of the current worker during a reload is judged by the policy as usual', () => {
    const { unit, worker, reloads, clock } = setup({ restart_delay: 100 });
    unit.dispatch({ type: 'reload' });
    worker(0).exit(1);
    assert.equal(unit.status, 'waiting-restart');
    worker(1).exit(0);
    assert.match(reloads()[0]?.reason ?? '', /running process exited during the reload/);
    clock.advance(100);
    assert.equal(unit.status, 'launching');
    worker(2).listening(3000);
    assert.equal(unit.status, 'online');
  });

  test('a second reload while one is pending joins it', () => {
    const { unit, spawner } = setup();
    unit.dispatch({ type: 'reload' });
    unit.dispatch({ type: 'reload' });
    assert.equal(spawner.children.length, 2);
  });

  test('a plain stop of a cluster worker disconnects it before the stop signal', () => {
    const { unit, worker } = setup({ shutdown_with_message: true });
    unit.dispatch({ type: 'stop' });
    assert.deepEqual(worker(0).sent, ['shutdown'], 'the message goes before the IPC channel closes');
    assert.equal(worker(0).disconnects, 1);
    assert.deepEqual(worker(0).signals, []);
    worker(0).disconnected();
    assert.deepEqual(worker(0).signals, ['SIGINT']);
  });
});

describe('reload gates: log line, min_ready_seconds, max_surge', () => {
  test('with ready_log_line, the replacement is promoted on its own line (listening is not enough)', async () => {
    const { unit, worker } = setup({ ready_log_line: 'warmed up', listen_timeout: 5000 });
    worker(0).stdout.write('warmed up\n');
    await new Promise((r) => setImmediate(r));
    assert.equal(unit.status, 'online');
    unit.dispatch({ type: 'reload' });
    worker(1).listening();
    assert.equal(unit.pid, worker(0).pid, 'listening alone does not promote it');
    worker(0).stdout.write('warmed up\n'); // the OLD worker's line is not the replacement's
    await new Promise((r) => setImmediate(r));
    assert.equal(unit.pid, worker(0).pid);
    worker(1).stdout.write('cache warmed up\n');
    await new Promise((r) => setImmediate(r));
    assert.equal(unit.pid, worker(1).pid);
  });

  test('min_ready_seconds: the replacement is held ready that long before the old worker stops', () => {
    const { unit, worker, clock, reloads } = setup({ min_ready_ms: 2000, listen_timeout: 1000 });
    unit.dispatch({ type: 'reload' });
    worker(1).listening();
    clock.advance(1999);
    assert.equal(unit.pid, worker(0).pid, 'held; the listen_timeout no longer applies once ready');
    assert.equal(worker(0).disconnects, 0);
    clock.advance(1);
    assert.equal(unit.pid, worker(1).pid);
    assert.equal(reloads()[0]?.outcome, 'replaced');
  });

  test('min_ready_seconds: a replacement that exits while held fails the reload; the old one serves on', () => {
    const { unit, worker, clock, reloads } = setup({ min_ready_ms: 2000 });
    unit.dispatch({ type: 'reload' });
    worker(1).listening();
    clock.advance(500);
    worker(1).exit(1);
    assert.equal(reloads()[0]?.outcome, 'failed');
    assert.equal(unit.pid, worker(0).pid);
    clock.advance(2000);
    assert.equal(unit.pid, worker(0).pid, 'the hold of a dropped replacement promotes nothing');
  });
});

describe('rolling reload of an app: max_surge', () => {
  test('max_surge 2 replaces two workers at a time; the next two start once those are in', async () => {
    const t = supervisorSetup();
    const units = t.add({ exec_mode: 'cluster', instances: 4, max_surge: 2 });
    await t.supervisor.start(units, false);
    for (const c of t.spawner.children) (c as FakeWorker).listening(3000);
    assert.deepEqual(
      units.map((u) => u.status),
      ['online', 'online', 'online', 'online'],
    );
    const reloading = t.supervisor.reload(units);
    assert.equal(t.spawner.children.length, 6, 'two replacements at once');
    const settle = async (from: number, to: number) => {
      for (let i = from; i < to; i++) (t.spawner.children[i] as FakeWorker).listening(3000);
      // The old workers stop serving, are signalled and exit.
      for (const c of t.spawner.children) (c as FakeWorker).disconnected();
      t.exitSignalled();
      for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    };
    await settle(4, 6);
    assert.equal(t.spawner.children.length, 8, 'the second pair starts after the first is in');
    await settle(6, 8);
    const report = await reloading;
    assert.deepEqual(report, { failed: null, reloaded: units.map((u) => u.id), skipped: [] });
    assert.deepEqual(
      units.map((u) => u.pid),
      t.spawner.children.slice(4).map((c) => c.pid),
    );
  });

  test('close() during a rolling reload: the reload goes no further, nothing starts again', async () => {
    const t = supervisorSetup();
    const units = t.add({ exec_mode: 'cluster', instances: 2, max_surge: 1 });
    await t.supervisor.start(units, false);
    for (const c of t.spawner.children) (c as FakeWorker).listening(3000);
    const reloading = t.supervisor.reload(units);
    assert.equal(t.spawner.children.length, 3, 'the first replacement');
    // The shutdown (tend-runtime's SIGTERM) comes while the first replacement boots.
    const closing = t.supervisor.close();
    for (let i = 0; i < 20 && !units.every((u) => u.status === 'stopped'); i++) {
      for (const c of t.spawner.children) (c as FakeWorker).disconnected();
      t.exitSignalled();
      await new Promise((r) => setImmediate(r));
    }
    await closing;
    const report = await reloading;
    assert.deepEqual(
      units.map((u) => u.status),
      ['stopped', 'stopped'],
    );
    assert.equal(t.spawner.children.length, 3, 'no second replacement, no restart');
    assert.deepEqual(report.skipped, [units[1]?.id]);
    // And nothing can start them again once closed.
    await t.supervisor.start(units, false);
    await t.supervisor.restart(units, false);
    assert.equal(t.spawner.children.length, 3);
  });
});

describe('rolling reload of an app: a stop preempts it (verification of the ninth audit)', () => {
  test('tend stop during a cluster replacement with a long listen_timeout: the reload stops there, the stop runs at once', async () => {
    const t = supervisorSetup();
    const t0 = t.clock.now();
    const units = t.add({ exec_mode: 'cluster', instances: 2, max_surge: 1, listen_timeout: 600_000 });
    await t.supervisor.start(units, false);
    for (const c of t.spawner.children) (c as FakeWorker).listening(3000);
    const reloading = t.supervisor.reload(units);
    assert.equal(t.spawner.children.length, 3, 'the first replacement boots (and never listens)');
    const stopping = t.supervisor.stop(units, true);
    for (let i = 0; i < 20 && !units.every((u) => u.status === 'stopped'); i++) {
      for (const c of t.spawner.children) (c as FakeWorker).disconnected();
      t.exitSignalled();
      await new Promise((r) => setImmediate(r));
    }
    const report = await reloading;
    await stopping;
    assert.match(
      report.failed?.reason ?? '',
      /a stop of the instance came during the reload; the reload stops there/,
    );
    assert.equal(report.failed?.kept, false, 'the old process does not serve on: the stop stops it');
    assert.deepEqual(
      units.map((u) => u.status),
      ['stopped', 'stopped'],
    );
    assert.equal(t.spawner.children.length, 3, 'no second replacement');
    assert.equal(t.clock.now(), t0, 'nothing waited for listen_timeout');
  });
});

describe('rolling reload: a stop already queued for a later instance (verification of the ninth audit)', () => {
  test('that instance is not replaced, the reload says so, and later stops work', async () => {
    const t = supervisorSetup();
    const units = t.add({ exec_mode: 'cluster', instances: 2, max_surge: 1, listen_timeout: 600_000 });
    const [first, second] = units;
    if (!first || !second) throw new Error('no units');
    await t.supervisor.start(units, false);
    for (const c of t.spawner.children) (c as FakeWorker).listening(3000);
    const reloading = t.supervisor.reload(units);
    assert.equal(t.spawner.children.length, 3, "the first instance's replacement boots");
    // The stop of the second instance comes while the first is replaced: queued behind the reload.
    const stopping = t.supervisor.stop([second], true);
    (t.spawner.children[2] as FakeWorker).listening(3000);
    for (let i = 0; i < 20 && second.status !== 'stopped'; i++) {
      for (const c of t.spawner.children) (c as FakeWorker).disconnected();
      t.exitSignalled();
      await new Promise((r) => setImmediate(r));
    }
    const report = await reloading;
    await stopping;
    assert.deepEqual(report.reloaded, [first.id]);
    assert.match(report.failed?.reason ?? '', /a stop of the instance came during the reload/);
    assert.equal(t.spawner.children.length, 3, 'no replacement for the stopped instance');
    assert.deepEqual([first.status, second.status], ['online', 'stopped']);
    // Nothing stale is left registered: a stop racing a later command still works.
    const restarting = t.supervisor.restart([first], true);
    const stopped = t.supervisor.stop([first], true);
    for (let i = 0; i < 20 && first.status !== 'stopped'; i++) {
      for (const c of t.spawner.children) (c as FakeWorker).disconnected();
      t.exitSignalled();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all([restarting, stopped]);
    assert.equal(first.status, 'stopped');
  });
});
