// The real probe runners against real fixtures on 127.0.0.1: HTTP statuses, refusals and timeouts, TCP, and
// exec probes (exit codes, output cap, the kill at the timeout leaving nothing behind, the global limit).
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ProbeHandler } from '../../../src/config/spec.js';
import { ExecSlots } from '../../../src/health/exec-slots.js';
import { createProbeRunner } from '../../../src/health/probe-runner.js';
import type { ProbeTarget } from '../../../src/health/probe-types.js';
import { waitGone } from '../../helpers/wait-gone.js';
import { Cleanup, fixture, freePort, Gate, nodeFixture } from './health-support.js';

const cleanup = new Cleanup();
const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tend-probe-')));
after(() => {
  cleanup.run();
  rmSync(dir, { recursive: true, force: true });
});

const run = createProbeRunner({ execSlots: new ExecSlots(8) });
const target = (env: Record<string, string> = {}, instance = 0): ProbeTarget => ({
  instance,
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
  cwd: dir,
});
const httpGet = (
  port: number | string,
  path: string,
  headers: Record<string, string> = {},
): ProbeHandler => ({
  http_get: { host: '127.0.0.1', port, path, scheme: 'http', headers },
});
const exec = (
  command: string | string[],
  env: Record<string, string> = {},
  working_dir: string | null = null,
) => ({ exec: { command, working_dir, env } }) as ProbeHandler;

/** Members of a process group, read from /proc (the test's own check; the runner reads nothing there). */
function groupMembers(pgid: number): number[] {
  const members: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(name));
    } catch {
      // exited while we looked
    }
  }
  return members;
}

describe('http_get', () => {
  let port = 0;
  const healthFile = join(dir, 'health');
  before(async () => {
    port = await freePort();
    const { child } = await nodeFixture(
      'health-http.cjs',
      { PORT: String(port), HEALTH_FILE: healthFile },
      /listening on/,
    );
    cleanup.group(child.pid);
  });

  test("2xx is a success; the port comes from the app's env ('$PORT+instance')", async () => {
    const r = await run(httpGet('$PORT+instance', '/'), target({ PORT: String(port - 2) }, 2), 2000);
    assert.deepEqual(
      { ok: r.ok, output: r.output, error: r.error, exit_code: r.exit_code },
      {
        ok: true,
        output: 'HTTP 200',
        error: null,
        exit_code: null,
      },
    );
    assert.ok(r.duration_ms >= 0 && r.at <= Date.now());
  });

  test('3xx is a success and is not followed; 5xx and 4xx are failures', async () => {
    const redirect = await run(httpGet(port, '/status/302'), target(), 2000);
    assert.deepEqual([redirect.ok, redirect.output], [true, 'HTTP 302']);
    const unavailable = await run(httpGet(port, '/status/503'), target(), 2000);
    assert.deepEqual([unavailable.ok, unavailable.output, unavailable.error], [false, 'HTTP 503', null]);
    const missing = await run(httpGet(port, '/nowhere'), target(), 2000);
    assert.deepEqual([missing.ok, missing.output], [false, 'HTTP 404']);
  });

  test('/healthz follows its file; headers are sent', async () => {
    writeFileSync(healthFile, 'fail');
    assert.equal((await run(httpGet(port, '/healthz'), target(), 2000)).output, 'HTTP 503');
    writeFileSync(healthFile, 'ok');
    assert.equal((await run(httpGet(port, '/healthz'), target(), 2000)).output, 'HTTP 200');
    assert.equal((await run(httpGet(port, '/auth'), target(), 2000)).output, 'HTTP 401');
    const auth = await run(httpGet(port, '/auth', { Authorization: 'Bearer probe' }), target(), 2000);
    assert.equal(auth.output, 'HTTP 200');
  });

  test('a server that does not answer in time fails with the timeout', async () => {
    const r = await run(httpGet(port, '/hang'), target(), 300);
    assert.deepEqual([r.ok, r.error], [false, 'timeout after 300 ms']);
    assert.ok(r.duration_ms >= 290, `duration ${r.duration_ms}`);
  });

  test('nobody listening: refused, with the error', async () => {
    const closed = await freePort();
    const r = await run(httpGet(closed, '/'), target(), 2000);
    assert.equal(r.ok, false);
    assert.equal(r.error, `connect ECONNREFUSED 127.0.0.1:${closed}`);
  });

  test('$PORT missing from the env: a failure saying so, nothing thrown', async () => {
    const r = await run(httpGet('$PORT', '/'), target(), 2000);
    assert.equal(r.ok, false);
    assert.match(r.error ?? '', /no PORT/);
  });

  test('an abort ends the run at once', async () => {
    const controller = new AbortController();
    const pending = run(httpGet(port, '/hang'), target(), 10_000, controller.signal);
    controller.abort();
    const r = await pending;
    assert.deepEqual([r.ok, r.error], [false, 'aborted']);
  });
});

describe('tcp_socket', () => {
  test('connected while the server listens; refused once it is gone', async () => {
    const port = await freePort();
    const { child } = await nodeFixture('tcp-server.cjs', { PORT: String(port) }, /listening on/);
    cleanup.group(child.pid);
    const handler: ProbeHandler = { tcp_socket: { host: '127.0.0.1', port: '$PORT' } };
    const up = await run(handler, target({ PORT: String(port) }), 2000);
    assert.deepEqual([up.ok, up.output, up.error], [true, 'connected', null]);
    const exited = once(child, 'exit');
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    const down = await run(handler, target({ PORT: String(port) }), 2000);
    assert.deepEqual([down.ok, down.error], [false, `connect ECONNREFUSED 127.0.0.1:${port}`]);
  });
});

describe('exec', () => {
  test('a string runs in sh with the app env + probe env, in the app cwd; exit 0 is a success', async () => {
    const r = await run(
      exec('pwd; echo "$APP_VAR $PROBE_VAR" >&2'),
      target({ APP_VAR: 'a' }),
      5000,
      undefined,
    );
    assert.equal(r.ok, true);
    assert.equal(r.exit_code, 0);
    assert.equal(r.output, `${dir}\na \n`);
    const withEnv = await run(exec('echo "$PROBE_VAR"', { PROBE_VAR: 'p' }, '/'), target(), 5000);
    assert.equal(withEnv.output, 'p\n');
  });

  test('a list runs without a shell; its working_dir wins', async () => {
    const r = await run(exec(['/bin/sh', '-c', 'pwd; echo "$0"', '$HOME'], {}, '/'), target(), 5000);
    assert.deepEqual([r.ok, r.output], [true, '/\n$HOME\n']);
  });

  test('a non-zero exit is a failure with its code and output; a missing command is a failure with the error', async () => {
    const r = await run(exec('echo nope; exit 3'), target(), 5000);
    assert.deepEqual([r.ok, r.exit_code, r.output, r.error], [false, 3, 'nope\n', null]);
    const missing = await run(exec(['/nonexistent/probe']), target(), 5000);
    assert.equal(missing.ok, false);
    assert.match(missing.error ?? '', /ENOENT/);
    const noDir = await run(exec('true', {}, '/nonexistent-dir'), target(), 5000);
    assert.equal(noDir.error, 'spawn /bin/sh ENOENT (in /nonexistent-dir)');
  });

  test('output is capped at 4 KiB, and a command writing far more is not blocked by it', async () => {
    const r = await run(exec("head -c 200000 /dev/zero | tr '\\0' a; echo done >&2"), target(), 10_000);
    assert.equal(r.ok, true);
    assert.equal(r.output, 'a'.repeat(4096));
  });

  test('killed at the timeout with its whole group; what it printed is kept', async () => {
    const r = await run(exec('sleep 30 & echo "pids $$ $!"; wait'), target(), 1500);
    assert.deepEqual([r.ok, r.exit_code, r.error], [false, null, 'timeout after 1500 ms']);
    const m = /^pids (\d+) (\d+)$/m.exec(r.output);
    assert.ok(m, `output: ${JSON.stringify(r.output)}`);
    const [leader, sleeper] = [Number(m[1]), Number(m[2])];
    await waitGone(sleeper, { what: 'the probe’s background sleep' });
    assert.deepEqual(groupMembers(leader), [], 'nothing of the probe’s group is left');
  });

  test('a command that exits leaves nothing behind in its group', async () => {
    const r = await run(exec('sleep 30 & echo "pid $!"'), target(), 5000);
    assert.equal(r.ok, true);
    const sleeper = Number(/^pid (\d+)$/m.exec(r.output)?.[1]);
    await waitGone(sleeper, { what: 'the background sleep of a probe that exited' });
  });

  test('abort kills the command', async () => {
    const gate = new Gate();
    const port = await gate.listen();
    try {
      const controller = new AbortController();
      const pending = run(
        exec([process.execPath, fixture('probe-gate.cjs')], { GATE_PORT: String(port) }),
        target(),
        10_000,
        controller.signal,
      );
      await gate.arrived(1);
      const closed = once(gate.held[0]!.socket, 'close');
      controller.abort();
      assert.deepEqual([(await pending).ok, (await pending).error], [false, 'aborted']);
      await closed; // the probe's end of the connection closed: it was killed
      await waitGone(gate.held[0]!.pid);
    } finally {
      gate.close();
    }
  });
});

describe('exec probe limit', () => {
  test('at most `limit` run at once; the others start as slots free up, first come first served', async () => {
    const gate = new Gate();
    const port = await gate.listen();
    const slots = new ExecSlots(2);
    const limited = createProbeRunner({ execSlots: slots });
    try {
      const handler = exec([process.execPath, fixture('probe-gate.cjs')], { GATE_PORT: String(port) });
      const runs = Array.from({ length: 5 }, () => limited(handler, target(), 30_000));
      await gate.arrived(2);
      assert.deepEqual([slots.running, slots.waiting], [2, 3]);
      for (let n = 3; n <= 5; n++) {
        gate.release(0);
        await gate.arrived(n);
      }
      while (gate.held.length > 0) gate.release(0);
      const results = await Promise.all(runs);
      assert.deepEqual(
        results.map((r) => r.ok),
        [true, true, true, true, true],
      );
      assert.equal(gate.maxHeld, 2, 'never more than 2 probes at once');
      assert.deepEqual([slots.running, slots.waiting], [0, 0]);
    } finally {
      gate.close();
    }
  });

  test('a probe that cannot get a slot within its timeout fails without running', async () => {
    const gate = new Gate();
    const port = await gate.listen();
    const slots = new ExecSlots(1);
    const limited = createProbeRunner({ execSlots: slots });
    try {
      const holder = limited(
        exec([process.execPath, fixture('probe-gate.cjs')], { GATE_PORT: String(port) }),
        target(),
        30_000,
      );
      await gate.arrived(1);
      const starved = await limited(exec('exit 0'), target(), 200);
      assert.deepEqual(
        [starved.ok, starved.error],
        [false, 'timeout after 200 ms waiting for an exec probe slot (1 in use)'],
      );
      assert.equal(slots.waiting, 0, 'it left the queue');
      gate.release(7);
      assert.deepEqual([(await holder).ok, (await holder).exit_code], [false, 7]);
    } finally {
      gate.close();
    }
  });
});
