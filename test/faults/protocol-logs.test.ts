// Fault 11 (issue 16): `tend logs` following when the daemon goes away must say so and exit non-zero, not
// end silently with status 0 as if the user had stopped it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLI, FIXTURES, ROOT, startTestDaemon, type TestDaemon } from '../helpers/daemon.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(() => d.stop());

test('tend logs (follow) exits non-zero with TEND_ERR_CONNECTION_CLOSED when the daemon is killed', {
  timeout: 60_000,
}, async () => {
  const { processes } = await d.client.call('app.start', {
    apps: [{ name: 'talker', script: join(FIXTURES, 'say.cjs'), args: ['talker'] }],
    base_dir: FIXTURES,
  });
  const appPid = processes[0]?.pid;
  assert.ok(appPid);
  const child = spawn(process.execPath, [CLI, 'logs', 'talker', '--lines', '0'], {
    cwd: ROOT,
    env: { ...process.env, TEND_HOME: d.home, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  // Following for sure: a line written after the subscription came through the live stream.
  await new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
      if (/talker says \d+/.test(stdout)) resolve();
    });
    child.once('close', () => reject(new Error(`tend logs ended early: ${stderr}`)));
  });
  const closed = d.client.closed;
  await d.client.call('daemon.kill');
  await closed;
  const code = await exited;
  assert.notEqual(code, 0, 'tend logs exited 0');
  assert.match(
    stderr,
    /^error: the daemon closed the connection while following logs \(TEND_ERR_CONNECTION_CLOSED\)$/m,
    stderr,
  );
  assert.doesNotMatch(stderr, /\n\s+at /);
});
