// Crash recovery: the daemon is killed with SIGKILL while five apps (fork and cluster, one stopped) run. The
// next CLI command starts a new daemon that ends every old process (whole groups, cluster primaries too),
// restores the list with the same ids, names and wanted state, and the servers listen again on their ports.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect } from '../../src/client/client.js';
import { get } from '../helpers/http.js';
import { waitGone } from '../helpers/wait-gone.js';
import {
  freePort,
  type Home,
  identify,
  makeHome,
  pgidOf,
  pidsRunning,
  stillRunning,
  waitForState,
  writeJson,
} from './recovery-support.js';

/** Five apps: two fork servers/idlers, two cluster apps, one stopped. Servers send 'ready' once listening. */
async function startFive(h: Home): Promise<{ forkPort: number; clusterPort: number }> {
  const forkPort = await freePort();
  const clusterPort = await freePort();
  const server = h.app('cl-server.cjs', 'server.cjs');
  const idle = h.app('idle.cjs');
  writeJson(join(h.apps, 'ecosystem.json'), {
    apps: [
      { name: 'alpha', script: idle },
      { name: 'beta', script: server, wait_ready: true, env: { PORT: String(forkPort), CL_READY: '1' } },
      {
        name: 'gamma',
        script: server,
        exec_mode: 'cluster',
        instances: 2,
        wait_ready: true,
        env: { PORT: String(clusterPort), CL_READY: '1' },
      },
      { name: 'delta', script: idle, env: { SECRET: 'kept' } },
      // A cluster worker that never listens, in PM2's old mode: online at the deadline (on_ready_timeout).
      {
        name: 'eps',
        script: idle,
        exec_mode: 'cluster',
        instances: 2,
        on_ready_timeout: 'assume_ready',
        listen_timeout: '300ms',
      },
    ],
  });
  const started = await h.cli('start', 'ecosystem.json');
  assert.equal(started.code, 0, started.stderr);
  const stopped = await h.cli('stop', 'delta');
  assert.equal(stopped.code, 0, stopped.stderr);
  return { forkPort, clusterPort };
}

describe('crash recovery after kill -9 of the daemon', () => {
  let h: Home;
  const strays: number[] = [];
  before(() => {
    h = makeHome();
  });
  after(() => h.cleanup(strays));

  test('same ids, names and status; new pids; no old process left; no duplicate; ports served again', async () => {
    const { forkPort, clusterPort } = await startFive(h);
    const before = (await h.jlist()).processes;
    assert.equal(before.length, 7);
    const online = before.filter((p) => p.status === 'online');
    assert.equal(online.length, 6, JSON.stringify(before.map((p) => [p.name, p.status])));
    // Every old process: the instances, and the cluster primaries (their process groups).
    const workerPids = online.map((p) => p.pid as number);
    const primaries = before
      .filter((p) => p.mode === 'cluster' && p.pid !== null)
      .map((p) => pgidOf(p.pid as number) as number);
    const old = identify([...workerPids, ...primaries, ...pidsRunning(h.apps)]);
    strays.push(...old.keys());
    assert.ok(old.size >= 8, `expected instances and primaries, got ${[...old.keys()]}`);
    const oldServedBy = JSON.parse((await get(forkPort)).body).pid;
    assert.equal(oldServedBy, before.find((p) => p.name === 'beta')?.pid);

    await waitForState(
      h.home,
      (s) => s.apps.flatMap((a) => a.units).filter((u) => typeof u.pid === 'number').length === 6,
    );
    const daemonPid = h.daemonPid();
    process.kill(daemonPid, 'SIGKILL');

    // The next command starts a daemon that recovers before it answers.
    const t0 = Date.now();
    const { processes: after, stderr } = await h.jlist();
    console.log(`crash recovery: the first command after kill -9 took ${Date.now() - t0} ms (7 instances)`);
    assert.match(stderr, /died without stopping its apps: restored 7 process\(es\) of 5 app\(s\)/);
    assert.notEqual(h.daemonPid(), daemonPid);
    const shape = (ps: typeof before) => ps.map((p) => [p.id, p.name, p.mode, p.instance, p.status]);
    assert.deepEqual(shape(after), shape(before));
    for (const p of after.filter((p) => p.status === 'online')) {
      assert.ok(p.pid !== null && !old.has(p.pid), `${p.name} has a new pid`);
    }
    assert.equal(after.find((p) => p.name === 'delta')?.pid, null);

    assert.deepEqual(stillRunning(old), [], 'no old process survives the recovery');
    // One process per online instance runs the app scripts: nothing twice.
    assert.equal(pidsRunning(h.apps).length, 6);
    // The ports were freed by the old processes and are served by the new ones.
    assert.equal(JSON.parse((await get(forkPort)).body).pid, after.find((p) => p.name === 'beta')?.pid);
    const gammaPids = after.filter((p) => p.name === 'gamma').map((p) => p.pid);
    assert.ok(gammaPids.includes(JSON.parse((await get(clusterPort)).body).pid));

    // Options and env came back too: delta (stopped) starts with its env.
    const c = await connect({ home: h.home, spawn: false });
    const [detail] = (await c.call('process.describe', { target: ['delta'] })).details;
    await c.close();
    assert.equal((detail?.config.env as Record<string, string> | undefined)?.SECRET, 'kept');
    // The id counter continues after the highest id.
    const more = await h.cli('start', h.app('idle.cjs', 'more.cjs'), '--name', 'more');
    assert.equal(more.code, 0, more.stderr);
    const ids = (await h.jlist()).processes.map((p) => p.id);
    assert.equal(Math.max(...ids), 7);
    // The notice is shown once, by the first command; ping keeps it.
    assert.doesNotMatch((await h.cli('ls')).stderr, /died without/);
    assert.match((await h.cli('ping')).stdout, /notice: the previous daemon .* died without stopping/);
  });

  test('after a clean tend kill, the next daemon starts empty', async () => {
    const daemonPid = h.daemonPid();
    const r = await h.cli('kill');
    assert.equal(r.code, 0, r.stderr);
    // The CLI returns with the reply; the daemon writes its clean mark on its way out.
    await waitGone(daemonPid, { what: 'the daemon' });
    const state = JSON.parse(readFileSync(join(h.home, 'state.json'), 'utf8'));
    assert.equal(state.clean, true);
    assert.equal(state.format, 2);
    assert.deepEqual((await h.jlist()).processes, []);
  });
});

describe('a daemon killed before its first change reached state.json', () => {
  let h: Home;
  before(() => {
    h = makeHome();
  });
  after(() => h.cleanup());

  test('state.json names the daemon (unclean, no apps) before it serves; its processes are ended by the next one', async () => {
    const c = await connect({ home: h.home });
    const pid = (await c.daemon()).pid;
    // Written before the first request was served: a kill at any moment after it leaves this file at least.
    const first = readFileSync(join(h.home, 'state.json'), 'utf8');
    const state = JSON.parse(first) as { clean: boolean; daemon_pid: number; apps: unknown[] };
    assert.deepEqual([state.clean, state.daemon_pid, state.apps.length], [false, pid, 0]);
    // An app started, its state not yet on disk when the daemon dies: the first file is all there is (the
    // CI run that found this: two instances spawned 0.2 s before a kill -9, never written).
    const script = h.app('idle.cjs', 'unwritten.cjs');
    await c.call('app.start', {
      apps: [{ name: 'unwritten', script, instances: 2, exec_mode: 'fork' }],
      base_dir: h.apps,
      env: { PATH: process.env.PATH ?? '' },
    });
    await c.close();
    // The daemon's own write of both instances with their pids (online: exec'd), replaced below.
    await waitForState(
      h.home,
      (s) => s.apps[0]?.units.length === 2 && s.apps[0].units.every((u) => typeof u.pid === 'number'),
    );
    assert.equal(pidsRunning(script).length, 2);
    process.kill(pid, 'SIGKILL');
    await waitGone(pid, { what: 'the killed daemon' });
    writeFileSync(join(h.home, 'state.json'), first);
    const { processes } = await h.jlist();
    assert.deepEqual(processes, [], 'nothing to restore: the file listed no app');
    assert.deepEqual(pidsRunning(script), [], 'the unrecorded instances were found by their tag and ended');
  });
});

describe('what the next daemon does with a state.json it cannot trust', () => {
  let h: Home;
  const strays: number[] = [];
  before(() => {
    h = makeHome();
  });
  after(() => h.cleanup(strays));

  /** tend kill, and wait for the daemon to be gone (it writes its last state.json after replying). */
  async function kill(): Promise<void> {
    const pid = h.daemonPid();
    assert.equal((await h.cli('kill')).code, 0);
    await waitGone(pid, { what: 'the daemon' });
  }

  async function crashWithOneApp(name: string): Promise<Map<number, number>> {
    const r = await h.cli('start', h.app('idle.cjs', `${name}.cjs`), '--name', name);
    assert.equal(r.code, 0, r.stderr);
    const old = identify(pidsRunning(h.apps));
    strays.push(...old.keys());
    await waitForState(h.home, (s) =>
      s.apps.some((a) => a.spec.name === name && a.units.every((u) => typeof u.pid === 'number')),
    );
    process.kill(h.daemonPid(), 'SIGKILL');
    return old;
  }

  test('a torn state.json is reported, state.json.bak is used, and no old process survives', async () => {
    // Two apps: state.json.bak (one write behind) knows the first; the second's process is found by its tag.
    const first = await h.cli('start', h.app('idle.cjs', 'torn.cjs'), '--name', 'torn');
    assert.equal(first.code, 0, first.stderr);
    const old = await crashWithOneApp('later');
    const file = join(h.home, 'state.json');
    const text = readFileSync(file, 'utf8');
    assert.ok(existsSync(`${file}.bak`), 'the previous state is kept as state.json.bak');
    // The .bak is one write behind: it knows 'torn' (and maybe 'later', if a write came in between).
    const inBak = JSON.parse(readFileSync(`${file}.bak`, 'utf8')).apps.map(
      (a: { spec: { name: string } }) => a.spec.name,
    );
    assert.ok(inBak.includes('torn'), 'the .bak knows the first app');
    writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    const { processes, stderr } = await h.jlist();
    assert.match(stderr, /state\.json: not valid JSON .*using the previous copy .*state\.json\.bak/);
    assert.deepEqual(
      processes.map((p) => p.name),
      inBak,
    );
    assert.equal(processes[0]?.id, 0);
    // Every old process was ended (the .bak's by record, the others by their tag); the restored ones run.
    assert.deepEqual(stillRunning(old), []);
    assert.equal(pidsRunning(h.apps).length, inBak.length);
    assert.ok(processes.every((p) => p.status === 'online'));
    assert.ok(
      readdirSync(h.home).some((f) => f.startsWith('state.json.corrupt-')),
      'the damaged file is kept',
    );
    const log = readFileSync(join(h.home, 'daemon.log'), 'utf8');
    assert.match(log, /using the previous copy/);
  });

  test('both copies damaged: reported, never silently an empty list', async () => {
    await kill();
    await crashWithOneApp('lost');
    writeFileSync(join(h.home, 'state.json'), '{"format":2,"apps":[{"spec":');
    writeFileSync(join(h.home, 'state.json.bak'), 'garbage');
    const old = identify(pidsRunning(h.apps));
    const { processes, stderr } = await h.jlist();
    assert.deepEqual(processes, []);
    assert.match(stderr, /the process list of the previous daemon is unreadable/);
    // Its processes carry the home in their environment: ended all the same.
    assert.deepEqual(stillRunning(old), []);
    assert.match((await h.cli('ping')).stdout, /notice: .*unreadable/);
  });

  test('a daemon killed during an update hand-over: its leftovers are ended, its list restored', async () => {
    await kill();
    const old = await crashWithOneApp('handed');
    const file = join(h.home, 'state.json');
    // What `tend update` writes before it stops the apps: a kill -9 right then leaves them running.
    writeFileSync(
      file,
      JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), clean: true, restore: true }),
    );
    const { processes, stderr } = await h.jlist();
    assert.deepEqual(
      processes.map((p) => [p.name, p.status]),
      [['handed', 'online']],
    );
    assert.doesNotMatch(stderr, /died/, 'a hand-over is not reported as a crash');
    assert.deepEqual(stillRunning(old), []);
    assert.equal(pidsRunning(h.apps).length, 1);
  });

  test('another boot (different boot id): the list is not restored and no process is touched', async () => {
    await kill();
    const old = await crashWithOneApp('rebooted');
    const file = join(h.home, 'state.json');
    const state = JSON.parse(readFileSync(file, 'utf8'));
    state.boot_id = '00000000-0000-0000-0000-000000000000';
    writeFileSync(file, JSON.stringify(state));
    assert.deepEqual((await h.jlist()).processes, []);
    // Pids of another boot mean nothing: tend must not signal them (here they are still ours to clean up).
    assert.equal(stillRunning(old).length, old.size);
  });
});
