// Zero-downtime reload and scaling, with a real daemon and real HTTP servers on 127.0.0.1, under a bounded
// client load (a few sequential loops, no keep-alive) that counts every failure, resets included.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AppInput } from '../../src/config/input-types.js';
import { isTendError } from '../../src/protocol/errors.js';
import type { ProcessInfo } from '../../src/protocol/process-info.js';
import { isGone, readProcStat } from '../../src/runtime/proc-stat.js';
import { FIXTURES, startTestDaemon, type TestDaemon } from '../helpers/daemon.js';
import { type LoadStats, load, who } from '../helpers/http.js';
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

const startApp = async (app: AppInput) =>
  (
    await d.client.call('app.start', {
      apps: [app],
      base_dir: FIXTURES,
      env: { PATH: process.env.PATH ?? '' },
    })
  ).processes;

const list = async (name: string) =>
  (await d.client.call('process.list')).processes.filter((p) => p.name === name);

/** Resolves with the port once every given process has announced it listens (process.listening). */
async function portOf(processes: readonly Pick<ProcessInfo, 'id' | 'pid' | 'name'>[]): Promise<number> {
  let port = 0;
  for (const p of processes) {
    const e = await w.until(
      (e) => e.event === 'process.listening' && e.data.id === p.id && e.data.pid === p.pid,
      { what: `${p.name}[${p.id}] pid ${p.pid} listening` },
    );
    if (e.event === 'process.listening') port = e.data.port ?? 0;
  }
  return port;
}

const noFailures = (stats: LoadStats) =>
  assert.deepEqual(
    { failed: stats.failed, resets: stats.resets, errors: [...stats.errors] },
    { failed: 0, resets: 0, errors: [] },
  );

/** A file the cl-server fixture reads at each start to decide whether to behave (a "release"). */
function release(name: string, behaviour: string): string {
  const file = join(d.home, `${name}.behaviour`);
  writeFileSync(file, behaviour);
  return file;
}

describe('reload', () => {
  test('under continuous load, every worker is replaced and no request fails', async () => {
    const processes = await startApp({
      name: 'api',
      script: join(FIXTURES, 'cl-server.cjs'),
      instances: 2,
    });
    const port = await portOf(processes);
    const traffic = load(port, 4);
    await traffic.reached(50);
    const before = traffic.stats.ok;
    const { processes: reloaded } = await d.client.call('process.reload', { target: ['api'] });
    const during = traffic.stats.ok - before;
    await traffic.reached(traffic.stats.ok + 50);
    const stats = await traffic.stop();

    noFailures(stats);
    assert.ok(during > 0, 'requests were served during the reload');
    assert.deepEqual(
      reloaded.map((p) => [p.id, p.instance, p.status, p.restarts]),
      processes.map((p) => [p.id, p.instance, 'online', 1]),
      'same ids and instances, online, one restart each',
    );
    for (const p of reloaded) assert.ok(!processes.some((old) => old.pid === p.pid), 'new pids');
    for (const old of processes) assert.ok(isGone(readProcStat(old.pid!)), `old pid ${old.pid} is gone`);
    // The new workers serve, the old ones did before: both sets of pids answered.
    for (const p of [...processes, ...reloaded])
      assert.ok((stats.byPid.get(p.pid!) ?? 0) > 0, `pid ${p.pid} served`);
    const outcomes = w.events
      .filter((e) => e.event === 'process.reload')
      .map((e) => (e.event === 'process.reload' ? [e.data.id, e.data.outcome] : []));
    assert.deepEqual(outcomes, [
      [processes[0]!.id, 'replaced'],
      [processes[0]!.id, 'retired'],
      [processes[1]!.id, 'replaced'],
      [processes[1]!.id, 'retired'],
    ]);
    await d.client.call('process.delete', { target: ['api'] });
  });

  test('keep-alive clients lose nothing either: a stopping worker closes its connections after a response', async () => {
    const processes = await startApp({ name: 'kept', script: join(FIXTURES, 'cl-server.cjs'), instances: 2 });
    const port = await portOf(processes);
    const traffic = load(port, 4, { keepAlive: true });
    await traffic.reached(50);
    await d.client.call('process.reload', { target: ['kept'] });
    await traffic.reached(traffic.stats.ok + 50);
    await d.client.call('process.reload', { target: ['kept'] });
    await traffic.reached(traffic.stats.ok + 50);
    const stats = await traffic.stop();
    noFailures(stats);
    const now = await list('kept');
    assert.deepEqual(
      now.map((p) => p.restarts),
      [2, 2],
    );
    // Served by the first, second and third generation of workers, over reused connections.
    assert.ok(stats.byPid.size >= 5, `served by ${[...stats.byPid.keys()].join(', ')}`);
    await d.client.call('process.delete', { target: ['kept'] });
  });

  test('a replacement that never listens fails the reload; the old workers keep serving', async () => {
    const behaviour = release('broken', 'ok');
    const processes = await startApp({
      name: 'broken',
      script: join(FIXTURES, 'cl-server.cjs'),
      instances: 2,
      // The first start must listen within it too (readiness): room for a loaded machine.
      listen_timeout: 4000,
      env: { CL_BEHAVIOUR: behaviour },
    });
    const port = await portOf(processes);
    release('broken', 'never-listen');
    const traffic = load(port, 2);
    await traffic.reached(10);
    const error = await d.client.call('process.reload', { target: ['broken'] }).then(
      () => assert.fail('reload succeeded'),
      (err: unknown) => err,
    );
    await traffic.reached(traffic.stats.ok + 20);
    const stats = await traffic.stop();

    assert.ok(isTendError(error) && error.code === 'TEND_ERR_RELOAD_FAILED', String(error));
    assert.match(
      error.message,
      new RegExp(
        `^reload failed: broken \\[${processes[0]!.id}\\]: the replacement did not listen on any port ` +
          `within listen_timeout \\(4000 ms\\); its old process keeps serving; not reloaded: ${processes[1]!.id}$`,
      ),
    );
    noFailures(stats);
    const now = await list('broken');
    assert.deepEqual(
      now.map((p) => [p.pid, p.status, p.restarts]),
      processes.map((p) => [p.pid, 'online', 0]),
    );
    assert.match(now[0]!.last_error ?? '', /^reload failed: /);
    const failed = w.events.find((e) => e.event === 'process.reload' && e.data.outcome === 'failed');
    const replacement = failed?.event === 'process.reload' ? failed.data.pid : null;
    assert.ok(replacement !== null && isGone(readProcStat(replacement)), 'the replacement is gone');
    assert.deepEqual(new Set(stats.byPid.keys()), new Set(processes.map((p) => p.pid)));
    await d.client.call('process.delete', { target: ['broken'] });
  });

  test("with wait_ready, a replacement that listens but never sends 'ready' fails; nothing is dropped", async () => {
    const behaviour = release('unready', 'ok');
    const processes = await startApp({
      name: 'unready',
      script: join(FIXTURES, 'cl-server.cjs'),
      instances: 2,
      wait_ready: true,
      listen_timeout: 4000,
      env: { CL_BEHAVIOUR: behaviour, CL_READY: '1' },
    });
    assert.deepEqual(
      processes.map((p) => p.status),
      ['online', 'online'],
    );
    const port = await portOf(processes);
    release('unready', 'no-ready');
    const traffic = load(port, 2);
    await traffic.reached(10);
    const error = await d.client.call('process.reload', { target: ['unready'] }).then(
      () => assert.fail('reload succeeded'),
      (err: unknown) => err,
    );
    await traffic.reached(traffic.stats.ok + 20);
    const stats = await traffic.stop();
    assert.ok(isTendError(error) && error.code === 'TEND_ERR_RELOAD_FAILED');
    assert.match(error.message, /did not send 'ready' within listen_timeout \(4000 ms\)/);
    // The replacement listened, so it may have been handed connections: it was stopped gracefully.
    noFailures(stats);
    assert.deepEqual(
      (await list('unready')).map((p) => p.pid),
      processes.map((p) => p.pid),
    );
    await d.client.call('process.delete', { target: ['unready'] });
  });

  test('reload of a fork-mode app restarts it', async () => {
    const [p] = await startApp({ name: 'forked', script: join(FIXTURES, 'idle.cjs') });
    assert.equal(p?.mode, 'fork');
    const { processes } = await d.client.call('process.reload', { target: ['forked'] });
    assert.equal(processes[0]?.status, 'online');
    assert.equal(processes[0]?.restarts, 1);
    assert.notEqual(processes[0]?.pid, p?.pid);
    await d.client.call('process.delete', { target: ['forked'] });
  });
});

describe('scale', () => {
  test('up starts new workers on the same port; down stops the highest instances gracefully', async () => {
    const processes = await startApp({
      name: 'elastic',
      script: join(FIXTURES, 'cl-server.cjs'),
      instances: 2,
    });
    const port = await portOf(processes);
    const traffic = load(port, 2);
    await traffic.reached(10);

    const up = (await d.client.call('app.scale', { name: 'elastic', instances: 4 })).processes;
    assert.deepEqual(
      up.map((p) => [p.instance, p.mode, p.status]),
      [0, 1, 2, 3].map((i) => [i, 'cluster', 'online']),
    );
    assert.deepEqual(
      up.slice(0, 2).map((p) => p.pid),
      processes.map((p) => p.pid),
      'the running workers are untouched',
    );
    assert.equal(await portOf(up), port);
    // Round-robin shares the connections of this loop with the background load: ask until all four answered.
    const seen = new Set<number>();
    for (let i = 0; i < 200 && seen.size < 4; i++) seen.add((await who(port)).pid);
    assert.deepEqual([...seen].sort(), up.map((p) => p.pid).sort(), 'all four serve');

    const down = (await d.client.call('app.scale', { name: 'elastic', instances: 1 })).processes;
    assert.deepEqual(
      down.map((p) => [p.id, p.instance, p.pid]),
      [[up[0]!.id, 0, up[0]!.pid]],
    );
    for (const gone of up.slice(1)) assert.ok(isGone(readProcStat(gone.pid!)), `pid ${gone.pid} stopped`);
    await traffic.reached(traffic.stats.ok + 20);
    const stats = await traffic.stop();
    noFailures(stats);
    await assert.rejects(
      d.client.call('app.scale', { name: 'nope', instances: 2 }),
      /no process matches "nope"/,
    );
    await d.client.call('process.delete', { target: ['elastic'] });
  });
});
