// Cluster mode with a real daemon, real primaries and real HTTP servers on 127.0.0.1: round-robin, a crash
// of one worker, ES modules and TypeScript, a per-app Node binary, a graceful stop. Every wait is on an event
// (process.listening, process.state) or a response; timeouts are safety nets.
import assert from 'node:assert/strict';
import { copyFileSync, linkSync, mkdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AppInput } from '../../src/config/input-types.js';
import type { ProcessInfo } from '../../src/protocol/process-info.js';
import { isGone, readProcStat } from '../../src/runtime/proc-stat.js';
import { FIXTURES, startTestDaemon, type TestDaemon } from '../helpers/daemon.js';
import { get, inFlight, who } from '../helpers/http.js';
import { type Watcher, watch } from '../helpers/until.js';

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
const startApp = async (app: AppInput) =>
  (
    await d.client.call('app.start', {
      apps: [app],
      base_dir: FIXTURES,
      env: { PATH: process.env.PATH ?? '' },
    })
  ).processes;

/** The port every instance listens on, once each has said so (its process.listening event). */
async function portOf(processes: readonly ProcessInfo[]): Promise<number> {
  const ports = new Set<number | null>();
  for (const p of processes) {
    const e = await w.until(
      (e) => e.event === 'process.listening' && e.data.id === p.id && e.data.pid === p.pid,
      { what: `${p.name}[${p.id}] pid ${p.pid} listening` },
    );
    if (e.event === 'process.listening') ports.add(e.data.port);
  }
  assert.equal(ports.size, 1, 'the workers share one port');
  const [port] = ports;
  assert.ok(typeof port === 'number' && port > 0);
  return port;
}

const list = async (name: string) =>
  (await d.client.call('process.list')).processes.filter((p) => p.name === name);

describe('cluster mode', () => {
  test('round-robin: 1,000 sequential requests without keep-alive are shared equally by 2 workers', async () => {
    const processes = await startApp({ name: 'rr', script: fixture('cl-server.cjs'), instances: 2 });
    assert.deepEqual(
      processes.map((p) => [p.mode, p.instance, p.status]),
      [
        ['cluster', 0, 'online'],
        ['cluster', 1, 'online'],
      ],
    );
    const port = await portOf(processes);
    // Both are workers of one primary, which is not the daemon.
    const parents = new Set(processes.map((p) => readProcStat(p.pid!)?.ppid));
    assert.equal(parents.size, 1);
    assert.ok(!parents.has(d.daemonPid));

    const served = new Map<number, { n: number; instance: string }>();
    for (let i = 0; i < 1000; i++) {
      const r = await who(port);
      assert.equal(r.worker, true);
      served.set(r.pid, { n: (served.get(r.pid)?.n ?? 0) + 1, instance: r.instance });
    }
    assert.deepEqual([...served.keys()].sort(), processes.map((p) => p.pid).sort());
    for (const [pid, { n }] of served) assert.ok(n >= 450 && n <= 550, `pid ${pid} served ${n} of 1000`);
    assert.deepEqual([...served.values()].map((s) => s.instance).sort(), ['0', '1']);

    // Worker output reaches each instance's own log files, as in fork mode.
    await d.client.call('process.stop', { target: ['rr'] });
    for (const p of processes) {
      assert.match(readFileSync(p.out_log, 'utf8'), new RegExp(`worker ${p.pid} up, instance ${p.instance}`));
      assert.match(readFileSync(p.err_log, 'utf8'), new RegExp(`worker ${p.pid} stderr`));
    }
    await d.client.call('process.delete', { target: ['rr'] });
  });

  test('a crashing worker is restarted alone while the other keeps serving', async () => {
    const processes = await startApp({
      name: 'crashy',
      script: fixture('cl-server.cjs'),
      instances: 2,
      restart_delay: 500,
    });
    const port = await portOf(processes);
    const crashed = await who(port, '/crash'); // answered, then the worker exits with code 3
    const victim = processes.find((p) => p.pid === crashed.pid)!;
    const other = processes.find((p) => p.pid !== crashed.pid)!;
    const scheduled = await w.until(
      (e) => e.event === 'process.restart-scheduled' && e.data.id === victim.id,
      { what: 'the restart of the crashed worker' },
    );
    assert.match(JSON.stringify(scheduled.data), /exited with code 3/);
    // While it waits to restart, every request is served.
    for (let i = 0; i < 20; i++) {
      const r = await who(port);
      assert.ok(r.pid !== victim.pid, 'the crashed worker serves no more');
    }
    const back = await w.until(
      (e) =>
        e.event === 'process.listening' &&
        e.data.id === victim.id &&
        e.data.pid !== victim.pid &&
        e.data.pid !== null,
      { what: 'the restarted worker listening' },
    );
    const now = await list('crashy');
    const v = now.find((p) => p.id === victim.id)!;
    const o = now.find((p) => p.id === other.id)!;
    assert.equal(v.restarts, 1);
    assert.equal(v.last_exit?.code, 3);
    assert.equal(v.instance, victim.instance);
    assert.equal(back.event === 'process.listening' && back.data.pid, v.pid);
    assert.equal(o.restarts, 0, 'the other worker was not touched');
    assert.equal(o.pid, other.pid);
    const pids = new Set<number>();
    for (let i = 0; i < 10; i++) pids.add((await who(port)).pid);
    assert.deepEqual([...pids].sort(), [v.pid, o.pid].sort());
    await d.client.call('process.delete', { target: ['crashy'] });
  });

  test('ES modules (.mjs, "type": "module", top-level await) and TypeScript (--import tsx) run clustered', async () => {
    const apps = [
      { name: 'mjs', script: fixture('cl-esm.mjs'), instances: 2, kind: 'esm' },
      { name: 'typemod', script: fixture('cl-esm-pkg/server.js'), instances: 2, kind: 'type-module' },
      {
        name: 'ts',
        script: fixture('cl-ts.ts'),
        instances: 2,
        node_args: '--import tsx',
        kind: 'typescript',
      },
    ];
    // tsx compiles at start: on a loaded machine a worker may take more than the default 3 s to listen.
    const started = await Promise.all(
      apps.map(({ kind, ...app }) => startApp({ ...app, listen_timeout: 30_000 })),
    );
    for (const [i, processes] of started.entries()) {
      assert.deepEqual(
        processes.map((p) => [p.mode, p.status]),
        [
          ['cluster', 'online'],
          ['cluster', 'online'],
        ],
        apps[i]!.name,
      );
      const port = await portOf(processes);
      const seen = new Map<number, string>();
      for (let n = 0; n < 4; n++) {
        const r = await who(port);
        assert.equal(r.kind, apps[i]!.kind);
        assert.equal(r.worker, true);
        seen.set(r.pid, r.instance);
      }
      assert.deepEqual([...seen.values()].sort(), ['0', '1'], apps[i]!.name);
    }
    await d.client.call('process.delete', { target: apps.map((a) => a.name) });
  });

  test('a primary that dies takes its workers with it; their policy brings them back with a new primary', async () => {
    const processes = await startApp({ name: 'orphaned', script: fixture('cl-server.cjs'), instances: 2 });
    await portOf(processes);
    const primary = readProcStat(processes[0]!.pid!)!.ppid;
    process.kill(primary, 'SIGKILL');
    const back = [];
    for (const p of processes)
      back.push(
        await w.until(
          (e) =>
            e.event === 'process.listening' &&
            e.data.id === p.id &&
            e.data.pid !== p.pid &&
            e.data.pid !== null,
          { what: `${p.name}[${p.id}] back and listening` },
        ),
      );
    const now = await list('orphaned');
    assert.deepEqual(
      now.map((p) => [p.status, p.restarts, p.last_exit?.signal]),
      [
        ['online', 1, 'SIGKILL'],
        ['online', 1, 'SIGKILL'],
      ],
    );
    for (const p of processes) assert.ok(isGone(readProcStat(p.pid!)), `old worker ${p.pid} is gone`);
    const newPrimary = readProcStat(now[0]!.pid!)!.ppid;
    assert.notEqual(newPrimary, primary);
    assert.equal(readProcStat(now[1]!.pid!)!.ppid, newPrimary, 'one new primary for both');
    const port = back[0]?.event === 'process.listening' ? back[0].data.port : null;
    assert.ok(port !== null);
    assert.ok((await who(port)).worker);
    await d.client.call('process.delete', { target: ['orphaned'] });
  });

  test("each app's own Node binary and node_args run its primary and workers", async () => {
    // A second Node binary: a hard link (or copy) of this one under another path.
    const dir = join(d.home, 'other-node');
    mkdirSync(dir);
    const altNode = join(dir, 'node');
    try {
      linkSync(process.execPath, altNode);
    } catch {
      copyFileSync(process.execPath, altNode);
    }
    const processes = await startApp({
      name: 'alt',
      script: fixture('cl-server.cjs'),
      instances: 2,
      interpreter: altNode,
      node_args: ['--max-old-space-size=200', '--no-warnings'],
    });
    const port = await portOf(processes);
    const r = await who(port);
    assert.equal(r.execPath, altNode);
    // tend's preload first (it drains keep-alive connections when a worker is stopped), then the app's.
    assert.deepEqual(r.execArgv.slice(-2), ['--max-old-space-size=200', '--no-warnings']);
    assert.match(r.execArgv[1] ?? '', /cluster-worker\.cjs$/);
    const primary = readProcStat(processes[0]!.pid!)!.ppid;
    assert.equal(readlinkSync(`/proc/${primary}/exe`), altNode);
    await d.client.call('process.delete', { target: ['alt'] });
  });

  test('a graceful stop lets a request in flight finish before the worker goes', async () => {
    const processes = await startApp({ name: 'graceful', script: fixture('cl-server.cjs'), instances: 1 });
    const port = await portOf(processes);
    const p = processes[0]!;
    // The first part of the answer arrives at once: from then on the request is in flight in the worker.
    const slow = inFlight(port, '/slow?ms=400');
    await slow.started;
    const stopped = await d.client.call('process.stop', { target: [String(p.id)] });
    assert.equal(stopped.processes[0]?.status, 'stopped');
    const r = await slow.done;
    assert.equal(r.status, 200);
    assert.match(r.body, new RegExp(`^started\\n\\{"pid":${p.pid}`), 'the whole answer arrived');
    // The worker exited on its own once idle, or by the stop signal sent after it stopped serving.
    assert.notEqual(stopped.processes[0]?.last_exit?.signal, 'SIGKILL');
    await assert.rejects(get(port, '/', 2000), 'nothing listens any more');
    await d.client.call('process.delete', { target: ['graceful'] });
  });
});
