import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AppSpec } from '../../../src/config/spec.js';
import type { TendEvent } from '../../../src/protocol/events.js';
import { App } from '../../../src/supervisor/app.js';
import { EventBus } from '../../../src/supervisor/event-bus.js';
import { ProcessUnit } from '../../../src/supervisor/unit.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeSpawner, nullSink } from '../../helpers/fake-spawner.js';
import { makeSpec } from '../../helpers/spec.js';

function setup(over: Partial<AppSpec> = {}) {
  const clock = new FakeClock();
  const spawner = new FakeSpawner();
  const bus = new EventBus();
  const events: TendEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const log: string[] = [];
  const unit = new ProcessUnit(7, 0, new App(makeSpec(over)), '/dev/null', '/dev/null', {
    clock,
    spawner,
    bus,
    sink: nullSink,
    home: '/home/u/.tend',
    log: (l) => log.push(l),
  });
  return { clock, spawner, unit, events, log };
}

describe('ProcessUnit', () => {
  test('start spawns the interpreter with the script, args and tend env; online at once without wait_ready', () => {
    const { unit, spawner } = setup({ args: ['a', 'b'], interpreter_args: ['--x'], env: { FOO: '1' } });
    unit.dispatch({ type: 'start' });
    assert.equal(unit.status, 'online');
    const req = spawner.last.req;
    assert.deepEqual([req.command, ...req.args], ['/usr/bin/node', '--x', '/srv/app.js', 'a', 'b']);
    assert.equal(req.env.FOO, '1');
    assert.equal(req.env.NODE_APP_INSTANCE, '0');
    assert.equal(req.env.TEND_APP_NAME, 'app');
    assert.equal(req.env.TEND_ID, '7');
    assert.equal(req.env.TEND_HOME, '/home/u/.tend');
    // No IPC channel unless tend needs one (wait_ready, shutdown_with_message): it costs the app memory.
    assert.equal(req.ipc, false);
  });

  test('a crash loop ends in errored after max_restarts, with the reason shown', () => {
    const { unit, spawner, clock } = setup({ max_restarts: 2, restart_delay: 100 });
    unit.dispatch({ type: 'start' });
    for (let i = 0; i < 3; i++) {
      clock.advance(10);
      spawner.last.exit(1);
      if (i < 2) {
        assert.equal(unit.status, 'waiting-restart');
        assert.equal(unit.info().next_start_at, clock.now() + 100);
        clock.advance(100);
        assert.equal(unit.status, 'online');
      }
    }
    assert.equal(unit.status, 'errored');
    assert.equal(spawner.children.length, 3);
    const info = unit.info();
    assert.equal(info.restarts, 2);
    assert.match(info.last_error ?? '', /3 unstable exits in a row \(max_restarts 2/);
    assert.equal(info.last_exit?.code, 1);
  });

  test('exponential backoff schedule is visible in next_start_at', () => {
    const { unit, spawner, clock } = setup({ exp_backoff_restart_delay: 100, exp_backoff_max_delay: 300 });
    unit.dispatch({ type: 'start' });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      spawner.last.exit(1);
      delays.push((unit.info().next_start_at ?? 0) - clock.now());
      clock.advance(clock.nextIn() ?? 0);
    }
    assert.deepEqual(delays, [100, 150, 225, 300]);
  });

  test('stop sends the kill signal, then SIGKILL after kill_timeout', () => {
    const { unit, spawner, clock } = setup({ kill_timeout: 2000, kill_signal: 'SIGTERM' });
    unit.dispatch({ type: 'start' });
    unit.dispatch({ type: 'stop' });
    assert.equal(unit.status, 'stopping');
    assert.deepEqual(spawner.last.signals, ['SIGTERM']);
    assert.equal(unit.info().kill_deadline_at, clock.now() + 2000);
    clock.advance(1999);
    assert.deepEqual(spawner.last.signals, ['SIGTERM']);
    clock.advance(1);
    assert.deepEqual(spawner.last.signals, ['SIGTERM', 'SIGKILL']);
    spawner.last.exit(null, 'SIGKILL');
    assert.equal(unit.status, 'stopped');
    assert.equal(clock.nextIn(), null);
  });

  test('an exit after stop never restarts', () => {
    const { unit, spawner, clock } = setup();
    unit.dispatch({ type: 'start' });
    unit.dispatch({ type: 'stop' });
    spawner.last.exit(0);
    clock.advance(60_000);
    assert.equal(unit.status, 'stopped');
    assert.equal(spawner.children.length, 1);
  });

  test('shutdown_with_message sends "shutdown" before the signal', () => {
    const { unit, spawner } = setup({ shutdown_with_message: true });
    unit.dispatch({ type: 'start' });
    assert.equal(spawner.last.req.ipc, true);
    unit.dispatch({ type: 'stop' });
    assert.deepEqual(spawner.last.sent, ['shutdown']);
    assert.deepEqual(spawner.last.signals, ['SIGINT']);
  });

  test('wait_ready: online on ready; a listen_timeout is a failed start, not online', () => {
    const ok = setup({ wait_ready: true, listen_timeout: 500 });
    ok.unit.dispatch({ type: 'start' });
    assert.equal(ok.unit.status, 'launching');
    ok.spawner.last.message('ready');
    assert.equal(ok.unit.status, 'online');
    ok.clock.advance(1000);
    assert.equal(ok.unit.status, 'online');

    const late = setup({ wait_ready: true, listen_timeout: 500, restart_delay: 50 });
    late.unit.dispatch({ type: 'start' });
    late.clock.advance(500);
    assert.equal(late.unit.status, 'stopping');
    assert.match(
      late.unit.info().last_error ?? '',
      /did not send 'ready' .* within listen_timeout \(500 ms\)/,
    );
    late.spawner.last.exit(null, 'SIGINT');
    assert.equal(late.unit.status, 'waiting-restart');
    assert.equal(late.unit.info().unstable_restarts, 1);
  });

  test('a spawn error ends in errored with the reason', () => {
    const { unit, spawner } = setup();
    spawner.failNext = true;
    unit.dispatch({ type: 'start' });
    spawner.last.failSpawn('ENOENT');
    assert.equal(unit.status, 'errored');
    assert.match(unit.info().last_error ?? '', /ENOENT/);
  });

  test('restart counts, resets the unstable counter, and ignores the old child', () => {
    const { unit, spawner } = setup();
    unit.dispatch({ type: 'start' });
    const first = spawner.last;
    unit.dispatch({ type: 'restart' });
    first.exit(null, 'SIGINT');
    assert.equal(unit.status, 'online');
    assert.equal(unit.info().restarts, 1);
    assert.notEqual(spawner.last, first);
    first.exit(1); // a late duplicate from the old child changes nothing
    assert.equal(unit.status, 'online');
  });

  test('publishes state changes, exits and scheduled restarts', () => {
    const { unit, spawner, events } = setup({ restart_delay: 10 });
    unit.dispatch({ type: 'start' });
    spawner.last.exit(2);
    assert.deepEqual(
      events.map((e) => (e.event === 'process.state' ? `${e.data.from}>${e.data.to}` : e.event)),
      [
        'stopped>launching',
        'launching>online',
        'process.exit',
        'process.restart-scheduled',
        'online>waiting-restart',
      ],
    );
  });
});
