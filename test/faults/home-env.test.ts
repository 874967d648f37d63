// Fault 3 of issue 16, its second half: the caller's environment goes only to the methods that start apps or
// re-environment them (app.start; update_env with --update-env). A recording daemon of ours answers every
// request with an error and keeps what each command sent.
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, runCli } from '../helpers/daemon.js';

const home = realpathSync(mkdtempSync(join(tmpdir(), 'tend-env-')));
let server: Server;
let frames: { method: string; params: Record<string, unknown> }[] = [];

before(async () => {
  server = createServer((s) => {
    let buffered = '';
    s.setEncoding('utf8');
    s.on('error', () => {});
    s.on('data', (d: string) => {
      buffered += d;
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        const frame = JSON.parse(buffered.slice(0, i)) as { id: number; method: string; params: never };
        buffered = buffered.slice(i + 1);
        frames.push({ method: frame.method, params: frame.params });
        const error = { code: 'TEND_ERR_TARGET_NOT_FOUND', message: 'recorded', data: { target: 'x' } };
        s.write(`${JSON.stringify({ id: frame.id, error })}\n`);
      }
    });
  });
  const umask = process.umask(0o177); // 0600, as the daemon makes it: the client checks
  await new Promise<void>((resolve) => server.listen(join(home, 'daemon.sock'), resolve));
  process.umask(umask);
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(home, { recursive: true, force: true });
});

/** The methods a command sent, and whether any carried a variable of the caller's environment. */
async function sent(args: string[]): Promise<{ method: string; env: boolean }[]> {
  frames = [];
  await runCli(args, { home, env: { CALLER_SECRET: 'hunter2' } });
  return frames
    .filter((f) => f.method !== 'daemon.hello')
    .map((f) => ({ method: f.method, env: JSON.stringify(f.params).includes('hunter2') }));
}

test('commands that neither start nor re-environment an app send no environment', async () => {
  for (const args of [
    ['list'],
    ['stop', 'x'],
    ['restart', 'x'],
    ['reload', 'x'],
    ['delete', 'x'],
    ['describe', 'x'],
    ['env', 'x'],
    ['logs', 'x', '--nostream'],
    ['save'],
  ]) {
    const calls = await sent(args);
    assert.ok(calls.length > 0, `${args.join(' ')} sent something`);
    for (const c of calls)
      assert.equal(c.env, false, `${args.join(' ')}: ${c.method} carries the environment`);
  }
});

test('start of a script and --update-env carry it, as they must; starting an existing app does not', async () => {
  // `start x`: an existing app first (no environment), then, as nothing matches, a command named x (a new app).
  assert.deepEqual(await sent(['start', 'x']), [
    { method: 'process.start', env: false },
    { method: 'app.start', env: true },
  ]);
  assert.deepEqual(await sent(['start', join(FIXTURES, 'idle.cjs'), '--name', 'x']), [
    { method: 'app.start', env: true },
  ]);
  const restart = await sent(['restart', 'x', '--update-env']);
  assert.deepEqual(restart[0], { method: 'process.restart', env: true });
});
