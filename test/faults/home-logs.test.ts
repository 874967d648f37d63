// Fault 9 of issue 16: `rm -rf $TEND_HOME/logs` while an app runs. tend recreates its own directory (on
// reloadLogs, before a spawn, and within a second of the next write), output resumes in the new files, and a command that leaves an app errored
// exits non-zero.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { TendClient } from '../../src/client/client.js';
import { connect } from '../../src/client/client.js';
import type { TendEvent } from '../../src/protocol/events.js';
import { FIXTURES, runCli, startTestDaemon, type TestDaemon } from '../helpers/daemon.js';

let d: TestDaemon;
let follower: TendClient;
const lines: Extract<TendEvent, { event: 'log.lines' }>['data'][] = [];
let wake: (() => void) | null = null;
const scratch = realpathSync(mkdtempSync(join(tmpdir(), 'tend-f9-')));

before(async () => {
  d = await startTestDaemon();
  const started = await runCli(['start', join(FIXTURES, 'log-ticker.cjs'), '--name', 't'], { home: d.home });
  assert.equal(started.code, 0, started.stderr);
  follower = await connect({ home: d.home, spawn: false });
  follower.listen((e) => {
    if (e.event !== 'log.lines') return;
    lines.push(e.data);
    wake?.();
  });
  await follower.call('logs.subscribe', { target: ['t'], streams: ['out'] });
});

after(async () => {
  await follower?.close();
  await d?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** reloadLogs said nothing of recreating: only reopened files, each in the (recreated) logs directory. */
function existsAfterWriter(stdout: string): boolean {
  return /^(reopened .+\n)+$/.test(stdout);
}

/**
 * Waits (woken by log.lines events, bounded as a safety net) until the file now at `path` holds a tick line.
 * The file itself is read, after logs.files (which replies once the write in flight is in the file): an
 * event's inode is no proof, since a recreated file may get the deleted one's inode number.
 */
async function lineInCurrentFile(path: string, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await d.client.call('logs.files', { target: ['t'], streams: ['out'] });
    let text = '';
    try {
      text = readFileSync(path, 'utf8');
    } catch {
      // not there yet
    }
    if (/^tick \d+$/m.test(text)) return;
    if (Date.now() > deadline)
      throw new Error(`no line reached ${path} (${what}); saw ${lines.length} batches`);
    const woken = new Promise<void>((resolve) => {
      wake = resolve;
    });
    const timer = setTimeout(() => wake?.(), deadline - Date.now());
    await woken;
    clearTimeout(timer);
    wake = null;
  }
}

test('reloadLogs after rm -rf logs/: recreates it, says so, and output resumes in the new file', async () => {
  const logs = join(d.home, 'logs');
  const out = join(logs, 't-out.log');
  await lineInCurrentFile(out, 'before');
  rmSync(logs, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  const r = await runCli(['reloadLogs'], { home: d.home });
  assert.equal(r.code, 0, r.stderr);
  // The ticker's writer may have noticed first (it checks its path once a second after a write, and
  // recreates the directory itself): then reloadLogs found it there and says only what it reopened.
  const recreated = r.stdout.startsWith(`recreated ${logs}\n`);
  assert.ok(recreated || existsAfterWriter(r.stdout), r.stdout);
  assert.match(r.stdout, new RegExp(`reopened ${out}\\n`));
  assert.equal(statSync(logs).mode & 0o777, 0o700);
  await lineInCurrentFile(out, 'after reloadLogs');
});

test('rm -rf logs/ with no command after it: tend notices within a second and output resumes', async () => {
  const logs = join(d.home, 'logs');
  const out = join(logs, 't-out.log');
  await lineInCurrentFile(out, 'before');
  rmSync(logs, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  await lineInCurrentFile(out, 'with nobody asking');
  assert.equal(statSync(logs).mode & 0o777, 0o700);
});

test('restart after rm -rf logs/: the app stays online and writes to a new file', async () => {
  const logs = join(d.home, 'logs');
  const out = join(logs, 't-out.log');
  rmSync(logs, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
  const r = await runCli(['restart', 't'], { home: d.home });
  assert.equal(r.code, 0, r.stderr);
  const { processes } = await d.client.call('process.list');
  assert.equal(processes.find((p) => p.name === 't')?.status, 'online');
  await lineInCurrentFile(out, 'after restart');
});

test('a restart that leaves an app errored exits non-zero and says why', async () => {
  // A directory the user named (not tend's own): tend does not create it, the start fails with the reason.
  const own = join(scratch, 'mine');
  mkdirSync(own);
  const started = await runCli(
    ['start', join(FIXTURES, 'idle.cjs'), '--name', 'u', '-o', join(own, 'u.log')],
    { home: d.home },
  );
  assert.equal(started.code, 0, started.stderr);
  rmSync(own, { recursive: true, force: true });
  const r = await runCli(['restart', 'u'], { home: d.home });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /u \[\d+\] is errored: cannot open log file .*u\.log: its directory does not exist/);
  const reload = await runCli(['reloadLogs'], { home: d.home });
  assert.equal(reload.code, 1, 'a file that cannot be reopened is not a success');
  assert.match(reload.stderr, /error: cannot reopen .*u\.log: ENOENT/);
});
