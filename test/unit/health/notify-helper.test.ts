// tend/notify (notify.cjs): the lines it writes on the notify pipe, its IPC fallback (cluster workers), and
// that outside tend it does nothing. Real child processes; each test waits for the child's exit.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ROOT } from '../../helpers/daemon.js';

const HELPER = join(ROOT, 'notify.cjs');
const script = (body: string) => `const n = require(${JSON.stringify(HELPER)}); ${body}`;

describe('tend/notify', () => {
  test('writes sd_notify lines on the fd named by TEND_NOTIFY_FD; the watchdog interval comes from WATCHDOG_USEC', async () => {
    const child = spawn(
      process.execPath,
      [
        '-e',
        script(
          "const ok = [n.status('warming\\nup'), n.ready(), n.watchdog(), n.stopping()]; console.log(JSON.stringify({ ok, ms: n.watchdogMs() }));",
        ),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit', 'pipe'],
        env: { ...process.env, TEND_NOTIFY_FD: '3', WATCHDOG_USEC: '2000000' },
      },
    );
    let lines = '';
    let out = '';
    child.stdio[3]?.on('data', (c: Buffer) => {
      lines += c.toString();
    });
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    const [code] = await once(child, 'close');
    assert.equal(code, 0);
    assert.equal(lines, 'STATUS=warming up\nREADY=1\nWATCHDOG=1\nSTOPPING=1\n');
    assert.deepEqual(JSON.parse(out), { ok: [true, true, true, true], ms: 2000 });
  });

  test('without a pipe, ready and watchdog go over IPC (cluster workers)', async () => {
    const child = spawn(process.execPath, ['-e', script('n.ready(); n.watchdog(); process.disconnect();')], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { PATH: process.env.PATH ?? '' },
    });
    const messages: unknown[] = [];
    child.on('message', (m) => messages.push(m));
    await once(child, 'exit');
    assert.deepEqual(messages, ['ready', 'watchdog']);
  });

  test('outside tend every call is a no-op that returns false', async () => {
    const child = spawn(
      process.execPath,
      ['-e', script('console.log(JSON.stringify([n.ready(), n.status("x"), n.watchdogMs()]))')],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
        env: { PATH: process.env.PATH ?? '' },
      },
    );
    let out = '';
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
    });
    await once(child, 'close');
    assert.deepEqual(JSON.parse(out), [false, false, null]);
  });
});
