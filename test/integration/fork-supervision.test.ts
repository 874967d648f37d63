import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AppInput } from '../../src/config/input-types.js';
import { FIXTURES, startTestDaemon, type TestDaemon } from '../helpers/daemon.js';
import { reached, watch } from '../helpers/until.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(() => d.stop());

const fixture = (name: string) => join(FIXTURES, name);
const startApp = (app: AppInput, wait = true) =>
  d.client.call('app.start', {
    apps: [app],
    base_dir: FIXTURES,
    env: { PATH: process.env.PATH ?? '' },
    wait,
  });

/** Not running: no such process, or a zombie (dead, waiting for a parent that may never reap it). */
function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '');
  } catch {
    return true;
  }
}

describe('fork mode supervision', () => {
  test('start waits for online; the app sees its env, args and cwd; stop waits for stopped', async () => {
    const out = join(d.home, 'env.json');
    const { processes } = await startApp({
      name: 'envy',
      script: fixture('env-dump.cjs'),
      args: [out, 'a b', '--flag'],
      wait_ready: true,
      env: { GREETING: 'hi' },
    });
    assert.equal(processes.length, 1);
    const p = processes[0]!;
    assert.equal(p.status, 'online');
    assert.equal(p.mode, 'fork');
    const seen = JSON.parse(readFileSync(out, 'utf8'));
    assert.deepEqual(seen.argv, ['a b', '--flag']);
    assert.equal(seen.cwd, FIXTURES);
    assert.equal(seen.env.GREETING, 'hi');
    assert.equal(seen.env.NODE_APP_INSTANCE, '0');
    assert.equal(seen.env.TEND_INSTANCE, '0');
    assert.equal(seen.env.TEND_APP_NAME, 'envy');
    assert.equal(seen.env.TEND_HOME, d.home);
    assert.equal(seen.env.TEND_ID, String(p.id));
    const stopped = await d.client.call('process.stop', { target: ['envy'] });
    assert.equal(stopped.processes[0]?.status, 'stopped');
    assert.ok(gone(p.pid!));
    await d.client.call('process.delete', { target: ['envy'] });
  });

  test('stdout and stderr go to the log files', async () => {
    const w = await watch(d.home);
    const { processes } = await startApp({ name: 'logger', script: fixture('ready.cjs'), wait_ready: true });
    const p = processes[0]!;
    assert.match(p.out_log, /logger-out\.log$/);
    assert.match(p.err_log, /logger-error\.log$/);
    await d.client.call('process.stop', { target: ['logger'] });
    // Stopped means the process is gone and its pipes drained into the files.
    assert.match(readFileSync(p.out_log, 'utf8'), new RegExp(`out from ${p.pid}`));
    assert.match(readFileSync(p.err_log, 'utf8'), new RegExp(`err from ${p.pid}`));
    await w.close();
    await d.client.call('process.delete', { target: ['logger'] });
  });

  test('instances get their own ids, NODE_APP_INSTANCE and log files', async () => {
    const { processes } = await startApp({
      name: 'multi',
      script: fixture('idle.cjs'),
      instances: 3,
      exec_mode: 'fork',
    });
    assert.deepEqual(
      processes.map((p) => p.instance),
      [0, 1, 2],
    );
    assert.equal(new Set(processes.map((p) => p.id)).size, 3);
    assert.equal(new Set(processes.map((p) => p.out_log)).size, 3);
    assert.ok(processes.every((p) => p.status === 'online'));
    const del = await d.client.call('process.delete', { target: ['multi'] });
    assert.equal(del.processes.length, 3);
    for (const p of del.processes) assert.ok(gone(p.pid ?? processes.find((q) => q.id === p.id)!.pid!));
  });

  test('interpreters and executables: python3, bash, and an executable run directly', async () => {
    const { processes: py } = await startApp({ name: 'py', script: fixture('hello.py') });
    assert.equal(py[0]?.interpreter, 'python3');
    const { processes: sh } = await startApp({
      name: 'sh',
      script: fixture('hello.sh'),
      interpreter: 'none',
    });
    assert.equal(sh[0]?.interpreter, null);
    const { processes: bash } = await startApp({ name: 'bash', script: fixture('hello.sh') });
    assert.equal(bash[0]?.interpreter, 'bash');
    for (const p of [...py, ...sh, ...bash]) assert.equal(p.status, 'online');
    await d.client.call('process.delete', { target: ['py', 'sh', 'bash'] });
  });

  test('stop, restart and delete kill the whole tree, including grandchildren that ignore signals or left the group', async () => {
    for (const action of ['stop', 'restart', 'delete'] as const) {
      const pidsFile = join(d.home, `tree-${action}.json`);
      const name = `tree-${action}`;
      await startApp({
        name,
        script: fixture('tree.cjs'),
        args: [pidsFile],
        wait_ready: true,
        kill_timeout: 500,
      });
      const { stubborn, escaped } = JSON.parse(readFileSync(pidsFile, 'utf8')) as {
        stubborn: number;
        escaped: number;
      };
      assert.ok(!gone(stubborn) && !gone(escaped));
      await d.client.call(`process.${action}`, { target: [name] });
      assert.ok(gone(stubborn), `${action}: grandchild ignoring SIGINT survived`);
      assert.ok(gone(escaped), `${action}: grandchild that left the group survived`);
      if (action !== 'delete') await d.client.call('process.delete', { target: [name] });
    }
  });

  test('a process that ignores the stop signal is killed after kill_timeout', async () => {
    await startApp({
      name: 'stubborn',
      script: fixture('ignore-signals.cjs'),
      wait_ready: true,
      kill_timeout: 300,
    });
    const w = await watch(d.home);
    const stop = d.client.call('process.stop', { target: ['stubborn'] });
    const stopping = await w.until(reached('stubborn', 'stopping'));
    assert.ok(stopping.event === 'process.state' && stopping.data.process.kill_deadline_at !== null);
    const { processes } = await stop;
    assert.equal(processes[0]?.status, 'stopped');
    assert.equal(processes[0]?.last_exit?.signal, 'SIGKILL');
    await w.close();
    await d.client.call('process.delete', { target: ['stubborn'] });
  });

  test('shutdown_with_message sends "shutdown" over IPC first', async () => {
    const marker = join(d.home, 'shutdown.txt');
    await startApp({
      name: 'polite',
      script: fixture('shutdown-message.cjs'),
      args: [marker],
      wait_ready: true,
      shutdown_with_message: true,
    });
    const { processes } = await d.client.call('process.stop', { target: ['polite'] });
    assert.equal(processes[0]?.last_exit?.code, 0);
    assert.equal(readFileSync(marker, 'utf8'), 'got shutdown');
    await d.client.call('process.delete', { target: ['polite'] });
  });

  test('a crash loop ends in errored after max_restarts, with the reason and the last stderr lines', async () => {
    const w = await watch(d.home);
    await startApp({ name: 'crashy', script: fixture('crash.cjs'), max_restarts: 3 }, false);
    await w.until(reached('crashy', 'errored'), { what: 'crashy errored' });
    const exits = w.events.filter((e) => e.event === 'process.exit' && e.data.name === 'crashy');
    assert.equal(exits.length, 4);
    const { details } = await d.client.call('process.describe', { target: ['crashy'] });
    const info = details[0]!;
    assert.equal(info.process.status, 'errored');
    assert.equal(info.process.restarts, 3);
    assert.match(info.process.last_error ?? '', /4 unstable exits in a row \(max_restarts 3/);
    assert.ok(info.recent_stderr.some((l) => l.includes('boom: cannot connect to database')));
    assert.equal(info.restart_history.length, 4);
    // Each entry carries the exit that led to it; the last exits are kept too (newest last, at most 5).
    assert.deepEqual(
      info.restart_history.map((h) => h.exit?.code),
      [1, 1, 1, 1],
    );
    assert.equal(info.last_exits.length, 4);
    assert.deepEqual(info.last_exits.at(-1), info.process.last_exit);
    await w.close();
    await d.client.call('process.delete', { target: ['crashy'] });
  });

  test('exponential backoff: each scheduled delay is 1.5× the previous, published before it happens', async () => {
    const w = await watch(d.home);
    await startApp(
      {
        name: 'backoff',
        script: fixture('crash.cjs'),
        exp_backoff_restart_delay: 20,
        max_restarts: 4,
      },
      false,
    );
    await w.until(reached('backoff', 'errored'), { what: 'backoff errored' });
    const delays = w.events.flatMap((e) =>
      e.event === 'process.restart-scheduled' && e.data.name === 'backoff' ? [e.data.delay_ms] : [],
    );
    assert.deepEqual(delays, [20, 30, 45, 68]);
    await w.close();
    await d.client.call('process.delete', { target: ['backoff'] });
  });

  test('stop_exit_codes and autorestart:false end in stopped, not restarted', async () => {
    const w = await watch(d.home);
    await startApp(
      { name: 'done0', script: fixture('exit-code.cjs'), args: ['3'], stop_exit_codes: [3] },
      false,
    );
    await startApp(
      { name: 'noauto', script: fixture('exit-code.cjs'), args: ['1'], autorestart: false },
      false,
    );
    await w.until(reached('done0', 'stopped'));
    await w.until(reached('noauto', 'stopped'));
    assert.equal(w.events.filter((e) => e.event === 'process.restart-scheduled').length, 0);
    await w.close();
    await d.client.call('process.delete', { target: ['done0', 'noauto'] });
  });

  test('wait_ready: a process that never says ready is a failed start (restarted, then errored), never online', async () => {
    const w = await watch(d.home);
    const { processes } = await startApp({
      name: 'silent',
      script: fixture('never-ready.cjs'),
      wait_ready: true,
      listen_timeout: 200,
      kill_timeout: 200,
      max_restarts: 1,
    });
    assert.notEqual(processes[0]?.status, 'online');
    await w.until(reached('silent', 'errored'), { what: 'silent errored' });
    assert.ok(
      !w.events.some(
        (e) => e.event === 'process.state' && e.data.name === 'silent' && e.data.to === 'online',
      ),
    );
    const { details } = await d.client.call('process.describe', { target: ['silent'] });
    assert.ok(
      details[0]?.restart_history.some(
        (h) => h.reason.includes("did not send 'ready'") || h.reason.includes('unstable'),
      ),
    );
    assert.match(details[0]?.process.last_error ?? '', /unstable exits in a row/);
    await w.close();
    await d.client.call('process.delete', { target: ['silent'] });
  });

  test('restart while waiting-restart launches at once; stop while waiting-restart cancels it', async () => {
    const w = await watch(d.home);
    await startApp({ name: 'slowback', script: fixture('crash.cjs'), restart_delay: 60_000 }, false);
    const waiting = await w.until(reached('slowback', 'waiting-restart'));
    assert.ok(
      waiting.event === 'process.state' && (waiting.data.process.next_start_at ?? 0) > Date.now() + 50_000,
    );
    const { processes } = await d.client.call('process.stop', { target: ['slowback'] });
    assert.equal(processes[0]?.status, 'stopped');
    assert.equal(processes[0]?.next_start_at, null);
    await w.close();
    await d.client.call('process.delete', { target: ['slowback'] });
  });

  test('targets: names, ids, namespaces, all, several at once; unknown is an error naming it', async () => {
    await startApp({ name: 'ta', script: fixture('idle.cjs'), namespace: 'blue' });
    await startApp({ name: 'tb', script: fixture('idle.cjs'), namespace: 'blue' });
    const { processes } = await startApp({ name: 'tc', script: fixture('idle.cjs') });
    const byNs = await d.client.call('process.stop', { target: ['blue'] });
    assert.deepEqual(byNs.processes.map((p) => p.name).sort(), ['ta', 'tb']);
    const byId = await d.client.call('process.restart', { target: [String(processes[0]!.id)] });
    assert.equal(byId.processes[0]?.name, 'tc');
    await assert.rejects(
      d.client.call('process.stop', { target: ['tc', 'nope'] }),
      /no process matches "nope"/,
    );
    const all = await d.client.call('process.delete', { target: ['all'] });
    assert.ok(all.processes.length >= 3);
  });
});
