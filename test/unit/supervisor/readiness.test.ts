// An instance's readiness, with a fake clock, scripted children and scripted probes: which signal makes it
// online, the first-ready deadline and what missing it means, probes (startup, readiness, liveness), the
// watchdog, and that health is per incarnation.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AppSpec, ProbeSpec } from '../../../src/config/spec.js';
import type { EventData, TendEvent } from '../../../src/protocol/events.js';
import { App } from '../../../src/supervisor/app.js';
import { EventBus } from '../../../src/supervisor/event-bus.js';
import type { OpenProbes, ProbeEvents } from '../../../src/supervisor/ports.js';
import { ProcessUnit } from '../../../src/supervisor/unit.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { FakeSpawner, type FakeWorker, nullSink } from '../../helpers/fake-spawner.js';
import { makeSpec } from '../../helpers/spec.js';

const probe: ProbeSpec = {
  handler: { tcp_socket: { host: '127.0.0.1', port: 3000 } },
  initial_delay_ms: 0,
  period_ms: 1000,
  timeout_ms: 1000,
  success_threshold: 1,
  failure_threshold: 3,
};

/** Scripted probes: the test plays their verdicts through `events`. */
class FakeProbes {
  events: ProbeEvents | null = null;
  health: 'unknown' | 'healthy' | 'unhealthy' = 'unknown';
  opened = 0;
  stopped = 0;
  readonly open: OpenProbes = (_specs, _target, events) => {
    this.opened += 1;
    this.events = events;
    this.health = 'unknown';
    const self = this;
    return {
      start() {},
      stop() {
        self.stopped += 1;
      },
      get health() {
        return self.health;
      },
      lastProbe: null,
    };
  };
}

function setup(over: Partial<AppSpec> = {}) {
  const clock = new FakeClock();
  const spawner = new FakeSpawner();
  const bus = new EventBus();
  const events: TendEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const probes = new FakeProbes();
  const unit = new ProcessUnit(
    1,
    0,
    new App(makeSpec({ restart_delay: 100, ...over })),
    '/dev/null',
    '/dev/null',
    {
      clock,
      spawner,
      bus,
      sink: nullSink,
      home: '/h',
      log: () => {},
      openProbes: probes.open,
    },
  );
  const ready = () =>
    events.filter((e) => e.event === 'process.ready').map((e) => e.data as EventData<'process.ready'>);
  return { clock, spawner, unit, events, probes, ready };
}

describe('readiness sources', () => {
  test('with no source a fork process is ready when spawned; health unknown, no reason', () => {
    const { unit, spawner } = setup();
    unit.dispatch({ type: 'start' });
    assert.equal(unit.status, 'online');
    assert.deepEqual([unit.info().ready, unit.info().health, unit.info().reason], [true, 'unknown', null]);
    assert.equal(spawner.last.req.notify, false, 'no notify pipe unless wait_ready or watchdog_sec');
    assert.equal(spawner.last.req.env.TEND_NOTIFY_FD, undefined);
  });

  test('wait_ready: READY=1 on the notify pipe (fd 3) makes it online; STATUS= is kept', async () => {
    const { unit, spawner, ready } = setup({ wait_ready: true });
    unit.dispatch({ type: 'start' });
    const child = spawner.last;
    assert.equal(child.req.notify, true);
    assert.equal(child.req.env.TEND_NOTIFY_FD, '3');
    assert.equal(child.req.env.NOTIFY_FD, '3');
    assert.equal(unit.status, 'launching');
    assert.equal(unit.info().ready, false);
    const online = new Promise<void>((resolve) => {
      const check = () => (unit.status === 'online' ? resolve() : setImmediate(check));
      check();
    });
    child.notify?.write('STATUS=warming up\nREA');
    child.notify?.write('DY=1\n');
    await online;
    assert.equal(unit.info().ready, true);
    assert.equal(unit.health.statusText, 'warming up');
    assert.deepEqual(
      ready().map((r) => [r.ready, r.source]),
      [[true, 'notify']],
    );
  });

  test("wait_ready: process.send('ready') works too; a message before wait_ready's source is not needed", () => {
    const { unit, spawner } = setup({ wait_ready: true });
    unit.dispatch({ type: 'start' });
    spawner.last.message('ready');
    assert.equal(unit.status, 'online');
  });

  test('ready_log_line: a matching stdout or stderr line (substring or /regex/) makes it online', async () => {
    for (const [pattern, line] of [
      ['listening on', 'server listening on 3000'],
      ['/ready in \\d+ms/i', 'READY IN 12MS'],
    ] as const) {
      const { unit, spawner } = setup({ ready_log_line: pattern });
      unit.dispatch({ type: 'start' });
      assert.equal(unit.status, 'launching');
      spawner.last.stdout.write('booting\n');
      await new Promise((r) => setImmediate(r));
      assert.equal(unit.status, 'launching', 'a line that does not match changes nothing');
      spawner.last.stderr.write(`${line}\n`);
      await new Promise((r) => setImmediate(r));
      assert.equal(unit.status, 'online', pattern);
    }
  });

  test('no ready within listen_timeout: a failed start whatever the exit code; reason ready_timeout', () => {
    const { unit, spawner, clock } = setup({ wait_ready: true, listen_timeout: 500, max_restarts: 1 });
    unit.dispatch({ type: 'start' });
    clock.advance(499);
    assert.equal(unit.status, 'launching');
    clock.advance(1);
    assert.equal(unit.status, 'stopping');
    assert.match(unit.info().last_error ?? '', /^ready_timeout: did not send 'ready'/);
    spawner.last.exit(0); // it exits cleanly on the stop signal: still a failed start
    assert.equal(unit.status, 'waiting-restart');
    assert.equal(unit.info().reason, 'ready_timeout');
    assert.equal(unit.info().unstable_restarts, 1);
    clock.advance(100);
    clock.advance(500);
    spawner.last.exit(0);
    assert.equal(unit.status, 'errored');
    assert.equal(unit.info().reason, 'ready_timeout');
  });

  test("on_ready_timeout: 'assume_ready' keeps PM2's old behaviour: online and ready at the deadline", () => {
    const { unit, clock, ready } = setup({ wait_ready: true, on_ready_timeout: 'assume_ready' });
    unit.dispatch({ type: 'start' });
    clock.advance(3000);
    assert.equal(unit.status, 'online');
    assert.equal(unit.info().ready, true);
    assert.deepEqual(ready().at(-1)?.source, 'ready_timeout');
    // A cluster worker that never listens too (a queue consumer run with -i in PM2's old mode).
    const cluster = setup({ exec_mode: 'cluster', on_ready_timeout: 'assume_ready', listen_timeout: 300 });
    cluster.unit.dispatch({ type: 'start' });
    cluster.clock.advance(300);
    assert.equal(cluster.unit.status, 'online');
  });
});

describe('probes', () => {
  test('a readiness probe alone: launching without a deadline ("waiting for readiness") until it passes', () => {
    const { unit, probes, clock } = setup({ readiness_probe: probe });
    unit.dispatch({ type: 'start' });
    assert.equal(unit.status, 'launching');
    assert.equal(unit.info().reason, 'waiting for readiness');
    clock.advance(60_000);
    assert.equal(unit.status, 'launching', 'no deadline unless listen_timeout is written');
    probes.events?.startupPassed();
    probes.health = 'healthy';
    probes.events?.readiness(true, null);
    assert.equal(unit.status, 'online');
    assert.deepEqual([unit.info().ready, unit.info().health], [true, 'healthy']);
  });

  test('a cluster worker is ready only once it listens too: a probe that passes earlier is not enough', () => {
    const { unit, probes, spawner } = setup({ exec_mode: 'cluster', readiness_probe: probe });
    unit.dispatch({ type: 'start' });
    probes.events?.readiness(true, null);
    assert.equal(unit.status, 'launching', 'an exec probe cannot tell the workers of a shared port apart');
    (spawner.last as FakeWorker).listening(3000);
    assert.equal(unit.status, 'online');
  });

  test('with listen_timeout written, a readiness probe that never passes fails the start', () => {
    const { unit, clock } = setup({ readiness_probe: probe, listen_timeout: 2000, listen_timeout_set: true });
    unit.dispatch({ type: 'start' });
    clock.advance(2000);
    assert.equal(unit.status, 'stopping');
    assert.match(unit.info().last_error ?? '', /did not pass its readiness probe within listen_timeout/);
  });

  test('a failing readiness probe turns ready off and on, never kills; status stays online', () => {
    const { unit, probes, spawner, ready } = setup({ readiness_probe: probe });
    unit.dispatch({ type: 'start' });
    probes.events?.readiness(true, null);
    probes.health = 'unhealthy';
    probes.events?.readiness(false, 'readiness probe failed 3 times: HTTP 503');
    assert.equal(unit.status, 'online');
    assert.deepEqual([unit.info().ready, unit.info().health], [false, 'unhealthy']);
    assert.deepEqual(spawner.last.signals, []);
    probes.health = 'healthy';
    probes.events?.readiness(true, null);
    assert.equal(unit.info().ready, true);
    assert.deepEqual(
      ready().map((r) => r.ready),
      [true, false, true],
    );
  });

  test('a startup probe holds the first ready; its failure is a failed start (reason startup_probe)', () => {
    const { unit, probes, spawner, clock } = setup({ startup_probe: probe, wait_ready: true });
    unit.dispatch({ type: 'start' });
    spawner.last.message('ready');
    assert.equal(unit.status, 'launching', 'ready, but the startup probe has not passed');
    probes.events?.startupFailed('startup probe failed 3 times: connect ECONNREFUSED');
    assert.equal(unit.status, 'stopping');
    spawner.last.exit(0);
    assert.equal(unit.status, 'waiting-restart');
    assert.equal(unit.info().reason, 'startup_probe');
    assert.equal(unit.info().unstable_restarts, 1);
    clock.advance(100);
    spawner.last.message('ready');
    probes.events?.startupPassed();
    assert.equal(unit.status, 'online');
    assert.equal(unit.info().reason, null, 'a new incarnation starts clean');
  });

  test('a failing liveness probe restarts the instance gracefully, judged like a crash (reason liveness)', () => {
    const { unit, probes, spawner, clock } = setup({ liveness_probe: probe, min_uptime: 1000 });
    unit.dispatch({ type: 'start' });
    assert.equal(unit.status, 'online', 'liveness does not gate readiness');
    clock.advance(5000);
    probes.events?.livenessFailed('liveness probe failed 3 times: HTTP 500');
    assert.equal(unit.status, 'stopping');
    assert.deepEqual(spawner.last.signals, ['SIGINT']);
    spawner.last.exit(0);
    assert.equal(unit.status, 'waiting-restart');
    assert.equal(unit.info().reason, 'liveness');
    assert.match(unit.restartHistory().at(-1)?.reason ?? '', /^liveness \(liveness probe failed 3 times/);
    assert.equal(probes.stopped >= 1, true, 'the probes of the old incarnation stop');
    clock.advance(100);
    assert.equal(probes.opened, 2, 'new probes for the new incarnation');
    assert.equal(unit.info().health, 'unknown');
  });
});

describe('watchdog', () => {
  test('WATCHDOG=1 within watchdog_sec keeps it; silence restarts it (reason watchdog)', async () => {
    const { unit, spawner, clock } = setup({ watchdog_ms: 1000 });
    unit.dispatch({ type: 'start' });
    const child = spawner.last;
    assert.equal(child.req.notify, true, 'watchdog_sec passes the notify pipe');
    assert.equal(child.req.env.WATCHDOG_USEC, '1000000');
    for (let i = 0; i < 3; i++) {
      clock.advance(900);
      child.notify?.write('WATCHDOG=1\n');
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(unit.status, 'online');
    child.message('watchdog'); // IPC works too (cluster workers)
    clock.advance(999);
    assert.equal(unit.status, 'online');
    clock.advance(1);
    assert.equal(unit.status, 'stopping');
    child.exit(null, 'SIGINT');
    assert.equal(unit.info().reason, 'watchdog');
  });
});
