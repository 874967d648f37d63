// Readiness as a user meets it with the built CLI: `tend start web -i 2 && curl` is never refused, a shell
// app says READY=1 on the notify pipe with no library, an app that never becomes ready fails the start with
// its reason and a non-zero exit, and --no-wait returns at once.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ProcessInfo } from '../../src/protocol/process-info.js';
import { FIXTURES, runCli } from '../helpers/daemon.js';
import { freePort } from '../helpers/free-port.js';
import { get } from '../helpers/http.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const tmp = makeTmpHome();
const home = tmp.home;
const cli = (args: string[], env?: Record<string, string>) => runCli(args, { home, env });
const jlist = async () => JSON.parse((await cli(['jlist'])).stdout) as ProcessInfo[];
const app = async (name: string) => (await jlist()).filter((p) => p.name === name);

let daemonPid = 0;
before(async () => {
  assert.equal((await cli(['ping'])).code, 0);
  daemonPid = Number(readFileSync(join(home, 'daemon.pid'), 'utf8'));
});
after(async () => {
  if ((await cli(['kill'])).code !== 0) {
    try {
      process.kill(daemonPid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
  tmp.remove();
});

describe('tend CLI: readiness', () => {
  test('start -i 2 returns once the workers listen: a request right after it is never refused', async () => {
    const port = await freePort();
    const env = { PORT: String(port) };
    const started = await cli(['start', join(FIXTURES, 'cl-server.cjs'), '-i', '2', '--name', 'web'], env);
    assert.equal(started.code, 0, started.stderr);
    // No wait, no retry: the first request after the command returned.
    assert.equal((await get(port)).status, 200);
    assert.deepEqual(
      (await app('web')).map((p) => [p.status, p.ready]),
      [
        ['online', true],
        ['online', true],
      ],
    );
    for (let round = 0; round < 2; round++) {
      const restarted = await cli(['restart', 'web'], env);
      assert.equal(restarted.code, 0, restarted.stderr);
      assert.equal((await get(port)).status, 200, `after restart ${round + 1}`);
    }
    assert.equal((await cli(['delete', 'web'])).code, 0);
  });

  test('a shell app says READY=1 on the notify pipe (fd 3) with no library; its STATUS= shows in describe', async () => {
    const started = await cli([
      'start',
      join(FIXTURES, 'notify-shell.sh'),
      '--name',
      'sh',
      '--wait-ready',
      '--kill-signal',
      'SIGTERM',
    ]);
    assert.equal(started.code, 0, started.stderr);
    const [p] = await app('sh');
    assert.deepEqual([p?.status, p?.ready, p?.health, p?.reason], ['online', true, 'unknown', null]);
    const described = await cli(['describe', 'sh']);
    assert.match(described.stdout, /ready when +ipc, notify/);
    assert.match(described.stdout, /app status +serving/);
    assert.equal((await cli(['delete', 'sh'])).code, 0);
  });

  test("a Node app using require('tend/notify') is online once it says ready", async () => {
    const started = await cli(['start', join(FIXTURES, 'notify-node.cjs'), '--name', 'nn', '--wait-ready']);
    assert.equal(started.code, 0, started.stderr);
    const [p] = await app('nn');
    assert.deepEqual([p?.status, p?.ready], ['online', true]);
    assert.match((await cli(['describe', 'nn'])).stdout, /app status +serving/);
    assert.equal((await cli(['delete', 'nn'])).code, 0);
  });

  test('an app that never becomes ready: start fails with ready_timeout and TEND_ERR_NOT_READY', async () => {
    const r = await cli([
      'start',
      join(FIXTURES, 'never-ready.cjs'),
      '--name',
      'late',
      '--wait-ready',
      '--listen-timeout',
      '500ms',
      '--restart-delay',
      '1h',
    ]);
    assert.equal(r.code, 1, r.stdout);
    assert.match(
      r.stderr,
      /^error: late \[\d+\] did not become ready: ready_timeout: did not send 'ready' .* within listen_timeout \(500 ms\).* \(TEND_ERR_NOT_READY\)$/m,
    );
    const [p] = await app('late');
    assert.equal(p?.status, 'waiting-restart');
    assert.equal(p?.reason, 'ready_timeout');
    assert.match(r.stdout, /waiting-restart/);
    assert.equal((await cli(['delete', 'late'])).code, 0);
  });

  test('--no-wait returns while the instance is still launching', async () => {
    const r = await cli([
      'start',
      join(FIXTURES, 'never-ready.cjs'),
      '--name',
      'nowait',
      '--wait-ready',
      '--listen-timeout',
      '1h',
      '--no-wait',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const [p] = await app('nowait');
    assert.deepEqual([p?.status, p?.ready], ['launching', false]);
    assert.match(r.stdout, /launching +no/);
    assert.equal((await cli(['delete', 'nowait'])).code, 0);
  });
});
