// Readiness and probes end to end, in a real daemon with real probes on 127.0.0.1: an HTTP app whose
// /readyz and /healthz are flipped by files, a TCP app, a Python app printing its ready line, an exec startup
// probe that fails, and a cluster reload under continuous load gated on an exec readiness probe (0 failed
// requests; a replacement that fails its probe leaves the old workers serving). Probe timing and thresholds
// are tested with an injected clock in test/unit/; here the periods are short and every wait is on an event.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AppInput } from '../../../src/config/input-types.js';
import type { ProcessInfo } from '../../../src/protocol/process-info.js';
import { FIXTURES, startTestDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { freePort } from '../../helpers/free-port.js';
import { get, load } from '../../helpers/http.js';
import { type Watcher, watch } from '../../helpers/until.js';

let d: TestDaemon;
let w: Watcher;
before(async () => {
  d = await startTestDaemon();
  w = await watch(d.home);
});
after(async () => {
  await w.close();
  await d.stop();
});

const fixture = (name: string) => join(FIXTURES, name);
const start = async (app: AppInput, wait = true) =>
  (
    await d.client.call('app.start', {
      apps: [app],
      base_dir: FIXTURES,
      env: { PATH: process.env.PATH ?? '' },
      wait,
    })
  ).processes;
const list = async (name: string): Promise<ProcessInfo[]> =>
  (await d.client.call('process.list')).processes.filter((p) => p.name === name);
const readyEvent = (name: string, ready: boolean) => (e: { event: string; data: unknown }) =>
  e.event === 'process.ready' &&
  (e.data as { name: string; ready: boolean }).name === name &&
  (e.data as { ready: boolean }).ready === ready;
const fast = { period_seconds: '100ms', timeout_seconds: '1s', failure_threshold: 2 };

describe('readiness in a daemon', () => {
  test('an HTTP readiness probe: launching until /readyz answers 200; a failing probe turns ready off, never kills', async () => {
    const port = await freePort();
    const readyFile = join(d.home, 'ready-a');
    writeFileSync(readyFile, 'fail');
    const [p] = await start(
      {
        name: 'web',
        script: fixture('health-http.cjs'),
        env: { PORT: String(port), READY_FILE: readyFile },
        readiness_probe: { http_get: { port: '$PORT', path: '/readyz' }, ...fast },
      } as AppInput,
      false,
    );
    assert.equal(p?.status, 'launching');
    const [waiting] = await list('web');
    assert.equal(waiting?.reason, 'waiting for readiness');
    // The failing verdict before the first ready is published (a start waiting for it settles on it).
    await w.until(readyEvent('web', false), { what: 'web failing before its first ready' });
    writeFileSync(readyFile, 'ok');
    const readyAt = await w.until(readyEvent('web', true), { what: 'web ready' });
    const [online] = await list('web');
    assert.deepEqual([online?.status, online?.ready, online?.health], ['online', true, 'healthy']);
    const pid = online?.pid;

    writeFileSync(readyFile, 'fail');
    // After the ready event: the failing verdict before it was one too (CI matched it, Node 24, 2026-12-05).
    await w.until(readyEvent('web', false), { what: 'web not ready', after: readyAt });
    const [failing] = await list('web');
    assert.deepEqual(
      [failing?.status, failing?.ready, failing?.health, failing?.pid],
      ['online', false, 'unhealthy', pid],
    );
    const [described] = (await d.client.call('process.describe', { target: ['web'] })).details;
    assert.equal(described?.readiness.last_probe?.kind, 'readiness');
    assert.equal(described?.readiness.last_probe?.output, 'HTTP 503');
    await d.client.call('process.delete', { target: ['web'] });
  });

  test('a readiness probe alone that never passes: start and restart settle on its failing verdict, a reload until the next command; nothing waits for ever', async () => {
    // Eighth audit: with no ready deadline (listen_timeout not written) a command waited for ever, and every
    // later command on the app (stop, delete, reload) queued behind it for ever.
    const port = await freePort();
    const readyFile = join(d.home, 'ready-never');
    writeFileSync(readyFile, 'fail');
    const app = {
      name: 'never',
      script: fixture('health-http.cjs'),
      env: { PORT: String(port), READY_FILE: readyFile },
      readiness_probe: { http_get: { port: '$PORT', path: '/readyz' }, ...fast },
    } as AppInput;
    const [p] = await start(app);
    assert.deepEqual([p?.status, p?.reason, p?.ready], ['launching', 'waiting for readiness', false]);
    const restarted = await d.client.call('process.restart', { target: ['never'] });
    assert.deepEqual([restarted.processes[0]?.status, restarted.processes[0]?.ready], ['launching', false]);
    assert.notEqual(restarted.processes[0]?.pid, p?.pid);
    // A reload's gate waits for readiness: until another command on the app comes.
    const launch = (e: { event: string; data: unknown }) =>
      e.event === 'process.state' &&
      (e.data as { name: string; to: string }).name === 'never' &&
      (e.data as { to: string }).to === 'launching';
    const before = w.events.filter(launch).length;
    const reloading = d.client.call('process.reload', { target: ['never'] });
    await w.until((e) => launch(e) && w.events.filter(launch).length > before, {
      what: 'never launching for the reload',
    });
    const stopping = d.client.call('process.stop', { target: ['never'] });
    await assert.rejects(reloading, (err: Error) => {
      assert.match(
        err.message,
        /never \[\d+\]: not ready after its restart \(waiting for readiness\) when another command on the app came; the reload stops there/,
      );
      return true;
    });
    const stopped = await stopping;
    assert.equal(stopped.processes[0]?.status, 'stopped');
    await d.client.call('process.delete', { target: ['never'] });
  });

  test('a dependent of an app whose readiness probe keeps failing: the start returns with it waiting, and it starts once that app is ready', async () => {
    // Verification of the eighth audit: with timeout_seconds 0 the dependent waits as long as its dependency
    // tries, and `tend start` waited with it, in silence, for ever.
    const port = await freePort();
    const readyFile = join(d.home, 'ready-late');
    writeFileSync(readyFile, 'fail');
    const processes = (
      await d.client.call('app.start', {
        apps: [
          {
            name: 'late',
            script: fixture('health-http.cjs'),
            env: { PORT: String(port), READY_FILE: readyFile },
            readiness_probe: { http_get: { port: '$PORT', path: '/readyz' }, ...fast },
          },
          {
            name: 'after-late',
            script: fixture('idle.cjs'),
            depends_on: { late: { condition: 'process_healthy' } },
          },
        ] as AppInput[],
        base_dir: FIXTURES,
        env: { PATH: process.env.PATH ?? '' },
        wait: true,
      })
    ).processes;
    const byName = Object.fromEntries(processes.map((p) => [p.name, p]));
    assert.deepEqual([byName.late?.status, byName['after-late']?.status], ['launching', 'waiting']);
    assert.match(byName['after-late']?.reason ?? '', /^waiting for late \(healthy\), \d+s$/);
    writeFileSync(readyFile, 'ok');
    await w.until(
      (e) =>
        e.event === 'process.state' &&
        (e.data as { name: string }).name === 'after-late' &&
        (e.data as { to: string }).to === 'online',
      { what: 'after-late online' },
    );
    await d.client.call('process.delete', { target: ['after-late', 'late'] });
  });

  test('a failing liveness probe restarts the app gracefully, reason liveness; health starts again unknown', async () => {
    const port = await freePort();
    const healthFile = join(d.home, 'health-b');
    writeFileSync(healthFile, 'ok');
    const [p] = await start({
      name: 'live',
      script: fixture('health-http.cjs'),
      env: { PORT: String(port), HEALTH_FILE: healthFile },
      restart_delay: 0,
      liveness_probe: { http_get: { port: '$PORT', path: '/healthz' }, ...fast },
    } as AppInput);
    assert.equal(p?.status, 'online');
    const firstPid = p?.pid;
    writeFileSync(healthFile, 'fail');
    await w.until(
      (e) =>
        e.event === 'process.restart-scheduled' &&
        e.data.name === 'live' &&
        e.data.reason.startsWith('liveness'),
      { what: 'a liveness restart' },
    );
    writeFileSync(healthFile, 'ok');
    await w.until(
      (e) =>
        e.event === 'process.state' &&
        e.data.name === 'live' &&
        e.data.to === 'online' &&
        e.data.process.pid !== firstPid,
      { what: 'live online again' },
    );
    const [again] = await list('live');
    assert.equal(again?.restarts, 1);
    await d.client.call('process.delete', { target: ['live'] });
  });

  test('a TCP readiness probe, and a Python app ready by its log line', async () => {
    const port = await freePort();
    const [tcp] = await start({
      name: 'tcp',
      script: fixture('tcp-server.cjs'),
      env: { PORT: String(port) },
      readiness_probe: { tcp_socket: { port: '$PORT' }, ...fast },
    } as AppInput);
    assert.deepEqual([tcp?.status, tcp?.ready], ['online', true]);
    await d.client.call('process.delete', { target: ['tcp'] });

    if (spawnSync('python3', ['--version']).status !== 0) {
      test.skip?.('python3 is not installed');
      return;
    }
    const [py] = await start({
      name: 'py',
      script: fixture('ready-line.py'),
      env: { READY_DELAY_MS: '300', PORT: '8123' },
      ready_log_line: '/server ready on \\d+/',
      kill_signal: 'SIGTERM',
    } as AppInput);
    assert.deepEqual([py?.status, py?.ready], ['online', true]);
    await d.client.call('process.delete', { target: ['py'] });
  });

  test('watchdog_sec: an app that stops saying WATCHDOG=1 (tend/notify) is restarted, reason watchdog', async () => {
    const freeze = join(d.home, 'freeze');
    const [p] = await start({
      name: 'dog',
      script: fixture('notify-node.cjs'),
      wait_ready: true,
      // Pings every watchdog_sec / 2: 2 s leaves a loaded machine a second of lateness before a false restart
      // (600 ms failed the start under load 8).
      watchdog_sec: '2s',
      restart_delay: 3_600_000,
      env: { FREEZE_FILE: freeze, READY_DELAY_MS: '0' },
    } as AppInput);
    assert.deepEqual([p?.status, p?.ready], ['online', true]);
    writeFileSync(freeze, 'stop pinging');
    const scheduled = await w.until((e) => e.event === 'process.restart-scheduled' && e.data.name === 'dog', {
      what: 'a watchdog restart',
    });
    assert.match(
      (scheduled.data as { reason: string }).reason,
      /^watchdog \(no WATCHDOG=1 within watchdog_sec \(2000 ms\)\)/,
    );
    const [after] = await list('dog');
    assert.equal(after?.reason, 'watchdog');
    await d.client.call('process.delete', { target: ['dog'] });
  });

  test("a ready_log_line that backtracks without end on a line of the app's does not block the daemon (tenth audit)", async () => {
    // /(a+)+$/ against 40 a's and a b: 2^40 steps of backtracking, hours of the daemon's one thread (28 a's
    // took 20 s). V8's linear engine finishes it (DAEMON_NODE_FLAGS); the next line makes the app ready.
    const script = join(d.home, 'greedy.cjs');
    writeFileSync(
      script,
      "console.log('a'.repeat(40) + 'b');\nconsole.log('up');\nsetInterval(() => {}, 1 << 30);\n",
    );
    const [p] = await start({
      name: 'greedy',
      script,
      ready_log_line: '/^up$|(a+)+$/',
      listen_timeout: 60_000,
    });
    assert.equal(p?.status, 'online');
    assert.equal(p?.ready, true);
    assert.equal((await list('greedy'))[0]?.status, 'online');
  });

  test('an exec startup probe that keeps failing is a failed start (reason startup_probe)', async () => {
    const [p] = await start({
      name: 'nostart',
      script: fixture('idle.cjs'),
      restart_delay: 3_600_000,
      startup_probe: { exec: { command: 'exit 1' }, period_seconds: '100ms', failure_threshold: 2 },
    } as AppInput);
    assert.equal(p?.status, 'waiting-restart');
    assert.equal(p?.reason, 'startup_probe');
    assert.match(p?.last_error ?? '', /^startup_probe: startup probe failed 2 times/);
    await d.client.call('process.delete', { target: ['nostart'] });
  });
});

describe('reload gated on readiness', () => {
  test('a cluster reload under continuous load fails no request; a replacement that fails its probe leaves the old workers serving', async () => {
    const port = await freePort();
    const release = join(d.home, 'release');
    writeFileSync(release, 'ok');
    const processes = await start({
      name: 'api',
      script: fixture('cl-server.cjs'),
      instances: 2,
      env: { PORT: String(port), RELEASE: release },
      listen_timeout: '10s',
      // The exec probe runs for the replacement alone (an HTTP probe on the shared port could reach the old one).
      readiness_probe: { exec: { command: 'grep -qx ok "$RELEASE"' }, period_seconds: '100ms' },
    } as AppInput);
    assert.deepEqual(
      processes.map((p) => [p.status, p.ready]),
      [
        ['online', true],
        ['online', true],
      ],
    );
    const traffic = load(port, 4);
    await traffic.reached(50);
    await d.client.call('process.reload', { target: ['api'] });
    const served = traffic.stats.ok;

    writeFileSync(release, 'broken');
    const before = (await list('api')).map((p) => p.pid);
    await assert.rejects(d.client.call('process.reload', { target: ['api'] }), (err: Error) => {
      assert.match(err.message, /did not pass its exec probes within listen_timeout/);
      return true;
    });
    assert.deepEqual(
      (await list('api')).map((p) => p.pid),
      before,
      'the old workers keep serving',
    );
    await traffic.reached(served + 50);
    const stats = await traffic.stop();
    assert.equal(stats.failed, 0, JSON.stringify([...stats.errors]));
    assert.equal((await get(port)).status, 200);
    await d.client.call('process.delete', { target: ['api'] });
  });
});
