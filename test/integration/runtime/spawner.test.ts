import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createSpawner } from '../../../src/runtime/spawner.js';
import type { SpawnRequest } from '../../../src/supervisor/ports.js';
import { Cleanup, firstLine, fixture, HookRecorder } from './rt-support.js';

const spawner = createSpawner();
const cleanup = new Cleanup();
const tmp = mkdtempSync(join(tmpdir(), 'tend-rt-spawner-'));
after(() => {
  cleanup.run();
  rmSync(tmp, { recursive: true, force: true });
});

function request(overrides: Partial<SpawnRequest>): SpawnRequest {
  return { command: process.execPath, args: [], cwd: tmp, env: {}, ipc: false, ...overrides };
}

/** Runs a real process to completion: any event still due from an earlier failed spawn fires before. */
async function barrier(): Promise<void> {
  const hooks = new HookRecorder();
  const handle = spawner.spawn(request({ args: ['-e', ''] }), hooks);
  cleanup.group(handle.pid);
  handle.stdout?.resume();
  handle.stderr?.resume();
  await hooks.exited();
}

describe('spawner', () => {
  it('runs the command shell-free with args, cwd and env, and reports the exit code', async () => {
    const hooks = new HookRecorder();
    const args = ['a b', '$HOME', '; echo injected', '"quoted"'];
    const handle = spawner.spawn(
      request({ args: [fixture('rt-echo.cjs'), ...args], env: { RT_VALUE: 'v1', RT_EXIT_CODE: '3' } }),
      hooks,
    );
    cleanup.group(handle.pid);
    assert.equal(typeof handle.pid, 'number');
    handle.stderr?.resume();
    const printed = JSON.parse(await firstLine(handle.stdout));
    assert.deepEqual(printed, { pid: handle.pid, cwd: tmp, args, value: 'v1' });
    assert.deepEqual(await hooks.exited(), { code: 3, signal: null });
    assert.equal(hooks.count('spawnError'), 0);
  });

  it('leads its own process group', async () => {
    const hooks = new HookRecorder();
    const handle = spawner.spawn(request({ args: [fixture('rt-ipc.cjs')], ipc: true }), hooks);
    cleanup.group(handle.pid);
    await hooks.until((calls) => calls.find((c) => c.hook === 'message'), 'ready message');
    const { readProcessTable } = await import('../../../src/runtime/process-tree.js');
    assert.equal(readProcessTable().get(handle.pid!)?.pgid, handle.pid);
    handle.send('exit');
    await hooks.exited();
  });

  it('reports ENOENT through onSpawnError exactly once, and never onExit', async () => {
    const hooks = new HookRecorder();
    const handle = spawner.spawn(request({ command: join(tmp, 'no-such-program') }), hooks);
    const call = await hooks.until((calls) => calls.find((c) => c.hook === 'spawnError'), 'spawn error');
    assert.equal(call.hook === 'spawnError' && call.err.code, 'ENOENT');
    assert.equal(handle.pid, undefined);
    assert.equal(handle.send('x'), false);
    handle.signalTree('SIGTERM'); // a no-op, and must not throw
    await barrier();
    assert.deepEqual(
      hooks.calls.map((c) => c.hook),
      ['spawnError'],
    );
  });

  it('reports a missing cwd and a non-executable file as spawn errors', async () => {
    const script = join(tmp, 'not-executable.sh');
    writeFileSync(script, '#!/bin/sh\nexit 0\n');
    chmodSync(script, 0o644);
    const noCwd = new HookRecorder();
    const noExec = new HookRecorder();
    spawner.spawn(request({ cwd: join(tmp, 'missing-dir') }), noCwd);
    spawner.spawn(request({ command: script }), noExec);
    const [a, b] = await Promise.all(
      [noCwd, noExec].map((h) =>
        h.until((calls) => calls.find((c) => c.hook === 'spawnError'), 'spawn error'),
      ),
    );
    assert.equal(a?.hook === 'spawnError' && a.err.code, 'ENOENT');
    assert.equal(b?.hook === 'spawnError' && b.err.code, 'EACCES');
    await barrier();
    assert.equal(noCwd.calls.length + noExec.calls.length, 2);
  });

  it('turns a synchronous validation error into onSpawnError, after spawn() returned', async () => {
    const hooks = new HookRecorder();
    const handle = spawner.spawn(request({ args: ['bad\0arg'] }), hooks);
    assert.equal(hooks.calls.length, 0, 'reported asynchronously, like an OS refusal');
    assert.equal(handle.pid, undefined);
    assert.equal(handle.stdout, null);
    const call = await hooks.until((calls) => calls.find((c) => c.hook === 'spawnError'), 'spawn error');
    assert.equal(call.hook === 'spawnError' && call.err.code, 'ERR_INVALID_ARG_VALUE');
  });

  it('delivers IPC messages both ways; send() is false without a channel and after exit', async () => {
    const hooks = new HookRecorder();
    const handle = spawner.spawn(request({ args: [fixture('rt-ipc.cjs')], ipc: true }), hooks);
    cleanup.group(handle.pid);
    const ready = await hooks.until((calls) => calls.find((c) => c.hook === 'message'), 'ready message');
    assert.deepEqual(ready, { hook: 'message', message: { ready: handle.pid } });
    assert.equal(handle.send({ ping: 1 }), true);
    const echo = await hooks.until((calls) => calls.filter((c) => c.hook === 'message')[1], 'echoed message');
    assert.deepEqual(echo, { hook: 'message', message: { echo: { ping: 1 } } });
    assert.equal(handle.send('exit'), true);
    assert.deepEqual(await hooks.exited(), { code: 7, signal: null });
    assert.equal(handle.send('too late'), false);
    handle.signalTree('SIGKILL'); // after exit: a no-op (the pid may be recycled), must not throw

    const noIpc = new HookRecorder();
    const plain = spawner.spawn(request({ args: [fixture('rt-echo.cjs')] }), noIpc);
    cleanup.group(plain.pid);
    plain.stdout?.resume();
    plain.stderr?.resume();
    assert.equal(plain.send('hello'), false);
    await noIpc.exited();
  });

  it('reports the signal that ended the process', async () => {
    const hooks = new HookRecorder();
    const handle = spawner.spawn(request({ args: [fixture('rt-ipc.cjs')], ipc: true }), hooks);
    cleanup.group(handle.pid);
    await hooks.until((calls) => calls.find((c) => c.hook === 'message'), 'ready message');
    handle.signalTree('SIGTERM');
    assert.deepEqual(await hooks.exited(), { code: null, signal: 'SIGTERM' });
  });
});
