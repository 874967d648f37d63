// `watch` with a real daemon, real files and real processes. Every "never" is proved by a later change that
// does restart (a sentinel): the watcher was live, and the sentinel's restart names the sentinel alone.
import assert from 'node:assert/strict';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, test } from 'node:test';
import type { TendEvent } from '../../src/protocol/events.js';
import { FIXTURES, runCli, startTestDaemon, type TestDaemon } from '../helpers/daemon.js';
import { reached, type Watcher, watch } from '../helpers/until.js';

let d: TestDaemon;
let w: Watcher;
let proj: string;
before(async () => {
  d = await startTestDaemon();
  w = await watch(d.home);
  proj = realpathSync(mkdtempSync(join(tmpdir(), 'tend-watch-')));
  copyFileSync(join(FIXTURES, 'idle.cjs'), join(proj, 'app.cjs'));
  copyFileSync(join(FIXTURES, 'cl-server.cjs'), join(proj, 'server.cjs'));
  for (const dir of ['src', 'node_modules/dep', '.git', 'build', 'logs'])
    mkdirSync(join(proj, dir), { recursive: true });
});
after(async () => {
  await w.close();
  await d.stop();
  rmSync(proj, { recursive: true, force: true });
});

// A failed test must not leave its watcher to the next one (the inotify count starts from a clean daemon).
afterEach(async () => {
  if ((await d.client.call('process.list')).processes.length > 0)
    await d.client.call('process.delete', { target: ['all'] });
});

const startApp = async (app: Record<string, unknown>) => {
  const from = w.events.length;
  const { processes } = await d.client.call('app.start', {
    apps: [{ script: 'app.cjs', cwd: proj, watch: true, watch_delay: 300, ...app }],
    base_dir: proj,
    env: { PATH: process.env.PATH ?? '' },
  });
  await watching(String(app.name), true, from);
  return processes;
};

/** Waits for the app's watcher to be ready (or closed), counting only events from index `from` on. */
const watching = (name: string, on: boolean, from: number) =>
  w.until(
    (e) =>
      e.event === 'app.watch' &&
      e.data.name === name &&
      e.data.watching === on &&
      w.events.indexOf(e) >= from,
    {
      what: `${name} watching ${on}`,
    },
  );

const triggers = (name: string) =>
  w.events.filter(
    (e): e is Extract<TendEvent, { event: 'process.triggered' }> =>
      e.event === 'process.triggered' && e.data.name === name,
  );

/** Writes the sentinel and waits for its restart: returns every trigger of the app so far. */
async function sentinel(name: string, file = 'src/sentinel.js') {
  const before = triggers(name).length;
  writeFileSync(join(proj, file), `// ${Date.now()}\n`);
  await w.until(
    (e) => e.event === 'process.triggered' && e.data.name === name && triggers(name).length > before,
    {
      what: `${name} restarted by ${file}`,
    },
  );
  return triggers(name);
}

const info = async (name: string) =>
  (await d.client.call('process.list')).processes.filter((p) => p.name === name);

test('a change restarts once, after the debounce; the log names the file; ls shows the app is watched', async () => {
  const [p] = await startApp({ name: 'once' });
  const ls = await runCli(['ls'], { home: d.home });
  assert.match(ls.stdout, /once \(watch\)/);
  writeFileSync(join(proj, 'src', 'a.js'), 'a\n');
  const t = await w.until((e) => e.event === 'process.triggered' && e.data.name === 'once', {
    what: 'once restarted',
  });
  assert.deepEqual(t.data, { id: p!.id, name: 'once', reason: 'watch', detail: 'src/a.js changed' });
  await w.until(
    (e) => reached('once', 'online')(e) && e.event === 'process.state' && e.data.process.pid !== p!.pid,
    {
      what: 'once online again',
    },
  );
  const all = await sentinel('once');
  assert.deepEqual(
    all.map((e) => e.data.detail),
    ['src/a.js changed', 'src/sentinel.js changed'],
  );
  const log = readFileSync(join(d.home, 'daemon.log'), 'utf8');
  assert.match(log, /once\[\d+\] watch: src\/a\.js changed/);
  const [after] = await info('once');
  assert.equal(after!.watching, true);
  assert.equal(after!.watch_restarts, 2);
  await d.client.call('process.delete', { target: ['once'] });
});

test('a burst of 100 changes restarts once', async () => {
  await startApp({ name: 'burst' });
  for (let i = 0; i < 100; i++) writeFileSync(join(proj, 'src', `burst-${i}.js`), `${i}\n`);
  const first = await w.until((e) => e.event === 'process.triggered' && e.data.name === 'burst', {
    what: 'burst restarted',
  });
  assert.match(
    first.event === 'process.triggered' ? first.data.detail : '',
    /^src\/burst-\d+\.js changed \(and \d+ more\)$/,
  );
  await w.until(reached('burst', 'online'), { what: 'burst online' });
  const all = await sentinel('burst');
  assert.equal(all.length, 2, all.map((e) => e.data.detail).join('; '));
  assert.equal(all[1]?.data.detail, 'src/sentinel.js changed');
  await d.client.call('process.delete', { target: ['burst'] });
});

test('ignored paths never restart: node_modules, .git, ignore_watch globs, log files under cwd', async () => {
  await startApp({ name: 'ign', ignore_watch: ['*.tmp', 'build'], out_file: 'logs/ign-out.log' });
  writeFileSync(join(proj, 'node_modules', 'dep', 'index.js'), 'x\n');
  writeFileSync(join(proj, '.git', 'HEAD'), 'ref\n');
  writeFileSync(join(proj, 'notes.tmp'), 'x\n');
  writeFileSync(join(proj, 'build', 'out.js'), 'x\n');
  writeFileSync(join(proj, 'logs', 'ign-out__2026.log'), 'x\n');
  const all = await sentinel('ign');
  assert.deepEqual(
    all.map((e) => e.data.detail),
    ['src/sentinel.js changed'],
  );
  await d.client.call('process.delete', { target: ['ign'] });
});

/** inotify watches the daemon holds (libuv shares one inotify fd; each watched directory is a `wd` line). */
function inotifyWatches(pid: number): { fds: number; watches: number } {
  let fds = 0;
  let watches = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    let target = '';
    try {
      target = readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (target !== 'anon_inode:inotify') continue;
    fds++;
    watches += readFileSync(`/proc/${pid}/fdinfo/${fd}`, 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('inotify wd:')).length;
  }
  return { fds, watches };
}

test('stop closes the watcher (no inotify watch left); start watches again', async () => {
  const base = inotifyWatches(d.daemonPid);
  const from = w.events.length;
  await startApp({ name: 'stopme' });
  const live = inotifyWatches(d.daemonPid);
  assert.ok(live.watches > base.watches, `watches: ${JSON.stringify({ base, live })}`);
  assert.ok(live.fds <= 1);
  await d.client.call('process.stop', { target: ['stopme'] });
  await watching('stopme', false, from);
  assert.deepEqual(inotifyWatches(d.daemonPid).watches, base.watches);
  assert.equal((await info('stopme'))[0]?.watching, false);
  // a change while stopped: nothing watches it; after start, only the sentinel restarts
  writeFileSync(join(proj, 'src', 'while-stopped.js'), 'x\n');
  const again = w.events.length;
  await d.client.call('process.start', { target: ['stopme'] });
  await watching('stopme', true, again);
  const all = await sentinel('stopme');
  assert.deepEqual(
    all.map((e) => e.data.detail),
    ['src/sentinel.js changed'],
  );
  await d.client.call('process.delete', { target: ['stopme'] });
  assert.deepEqual(inotifyWatches(d.daemonPid).watches, base.watches);
});

test('a cluster app is reloaded worker by worker, never stopped', async () => {
  const processes = await startApp({ name: 'cl', script: 'server.cjs', exec_mode: 'cluster', instances: 2 });
  for (const p of processes)
    await w.until((e) => e.event === 'process.listening' && e.data.id === p.id && e.data.pid === p.pid, {
      what: `cl[${p.id}] listening`,
    });
  const from = w.events.length;
  writeFileSync(join(proj, 'src', 'cl.js'), 'x\n');
  for (const p of processes)
    await w.until(
      (e) =>
        e.event === 'process.reload' &&
        e.data.id === p.id &&
        e.data.outcome === 'retired' &&
        e.data.old_pid === p.pid,
      {
        what: `cl[${p.id}] reloaded`,
      },
    );
  const states = w.events.slice(from).filter((e) => e.event === 'process.state' && e.data.name === 'cl');
  assert.deepEqual(
    states.map((e) => e.event === 'process.state' && e.data.to),
    [],
    'no state change: a reload, not a restart',
  );
  const now = await info('cl');
  assert.deepEqual(
    now.map((p) => [p.status, p.watch_restarts]),
    [
      ['online', 1],
      ['online', 1],
    ],
  );
  assert.ok(now.every((p, i) => p.pid !== processes[i]?.pid));
  await d.client.call('process.delete', { target: ['cl'] });
});
