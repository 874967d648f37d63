// The issue-13 fixtures that no runner test exercises speak as documented: the plain-sh app on the notify
// pipe (fd 3, no library) and the Python app's ready line. The lead's end-to-end tests rely on them.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { after, test } from 'node:test';
import { Cleanup, fixture, SAFETY_TIMEOUT_MS, startFixture } from './health-support.js';

const cleanup = new Cleanup();
after(() => cleanup.run());

/** Collects lines from a stream; until() resolves once `n` lines have arrived. */
function lineLog(stream: Readable) {
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: stream }).on('line', (line) => {
    lines.push(line);
    for (const w of [...waiters]) w();
  });
  const until = (pred: (lines: string[]) => boolean, what: string) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${what}; got ${JSON.stringify(lines)}`)),
        SAFETY_TIMEOUT_MS,
      );
      const check = (): void => {
        if (!pred(lines)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve();
      };
      waiters.add(check);
      check();
    });
  return { lines, until };
}

test('notify-shell.sh: READY=1 and STATUS on $TEND_NOTIFY_FD, WATCHDOG=1 when asked, STOPPING=1 and exit 0 on SIGTERM', async () => {
  const child = spawn(fixture('notify-shell.sh'), [], {
    env: { PATH: process.env.PATH, TEND_NOTIFY_FD: '3', WATCHDOG_EVERY: '0.05' },
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit', 'pipe'],
  });
  cleanup.group(child.pid);
  const out = lineLog(child.stdout!);
  const notify = lineLog(child.stdio[3] as Readable);
  await out.until((l) => l.some((x) => x.startsWith('notify-shell up')), 'the up line');
  await notify.until((l) => l.filter((x) => x === 'WATCHDOG=1').length >= 2, 'two WATCHDOG=1');
  assert.deepEqual(notify.lines.slice(0, 3), ['STATUS=starting', 'READY=1', 'STATUS=serving']);
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  assert.deepEqual(await exited, [0, null]);
  await notify.until((l) => l.at(-1) === 'STOPPING=1', 'STOPPING=1');
});

test('ready-line.py: `booting`, then `server ready on <PORT>`; exits 0 on SIGTERM', async () => {
  const { child } = await startFixture(
    'python3',
    [fixture('ready-line.py')],
    { PORT: '4321', READY_DELAY_MS: '50' },
    /^server ready on 4321$/,
  );
  cleanup.group(child.pid);
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  assert.deepEqual(await exited, [0, null]);
});
