// max_memory_restart and cron_restart with a real daemon and real processes, and bad trigger values through
// the CLI as a user types them.
import assert from 'node:assert/strict';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { AppInput } from '../../src/config/input-types.js';
import { FIXTURES, runCli, startTestDaemon, type TestDaemon } from '../helpers/daemon.js';
import { reached, type Watcher, watch } from '../helpers/until.js';

let d: TestDaemon;
let w: Watcher;
let dir: string;
before(async () => {
  d = await startTestDaemon();
  w = await watch(d.home);
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'tend-trig-')));
});
after(async () => {
  await w.close();
  await d.stop();
  rmSync(dir, { recursive: true, force: true });
});

const startApp = (app: AppInput) =>
  d.client.call('app.start', { apps: [app], base_dir: FIXTURES, env: { PATH: process.env.PATH ?? '' } });
const info = async (name: string) =>
  (await d.client.call('process.list')).processes.find((p) => p.name === name);
const triggered = (name: string, reason: string) => (e: Parameters<Parameters<Watcher['until']>[0]>[0]) =>
  e.event === 'process.triggered' && e.data.name === name && e.data.reason === reason;

test('a process tree above max_memory_restart is restarted gracefully and counted apart', async () => {
  // The hog is a child of the process tend started: only the tree's RSS is above the limit.
  const once = join(dir, 'hogged');
  const { processes } = await startApp({
    name: 'hog',
    script: 'memory-hog.cjs',
    max_memory_restart: '150M',
    memory_check_interval: 200,
    env: { HOG_MB: '200', HOG_ONCE: once },
  });
  const first = processes[0]!;
  const t = await w.until(triggered('hog', 'memory'), { what: 'hog restarted for its memory' });
  assert.match(
    t.event === 'process.triggered' ? t.data.detail : '',
    /^memory \d+\.\d MiB above max_memory_restart 150\.0 MiB$/,
  );
  await w.until(
    (e) => reached('hog', 'online')(e) && e.event === 'process.state' && e.data.process.pid !== first.pid,
    {
      what: 'hog online again',
    },
  );
  const p = await info('hog');
  assert.equal(p?.memory_restarts, 1);
  assert.equal(p?.watch_restarts, 0);
  assert.equal(p?.restarts, 1);
  const [detail] = (await d.client.call('process.describe', { target: ['hog'] })).details;
  assert.match(detail?.restart_history.at(-1)?.reason ?? '', /^memory: memory .* above max_memory_restart/);
  // The restart was a graceful stop (SIGINT), not a crash.
  assert.equal(p?.last_exit?.signal, 'SIGINT');
  await d.client.call('process.delete', { target: ['hog'] });
});

test('cron_restart every second restarts an online app, and starts it again when stopped', async () => {
  const { processes } = await startApp({ name: 'tick', script: 'idle.cjs', cron_restart: '* * * * * *' });
  const p0 = processes[0]!;
  assert.ok(p0.next_cron_at !== null && p0.next_cron_at > Date.now() - 1000);
  await w.until(triggered('tick', 'cron'), { what: 'first cron restart' });
  await w.until(
    (e) => reached('tick', 'online')(e) && e.event === 'process.state' && e.data.process.pid !== p0.pid,
    {
      what: 'tick online again',
    },
  );
  const p1 = await info('tick');
  assert.ok((p1?.cron_restarts ?? 0) >= 1);
  assert.ok((p1?.next_cron_at ?? 0) > (p0.next_cron_at ?? 0));

  await d.client.call('process.stop', { target: ['tick'] });
  const from = w.events.length;
  await w.until((e) => reached('tick', 'online')(e) && w.events.indexOf(e) >= from, {
    what: 'tick started by cron',
  });
  const started = w.events.slice(from).find(triggered('tick', 'cron'));
  assert.match(
    started?.event === 'process.triggered' ? started.data.detail : '',
    /^cron_restart "\* \* \* \* \* \*": starting$/,
  );
  await d.client.call('process.delete', { target: ['tick'] });
});

test('bad trigger values: one clear error each, the app not started, other apps unaffected', async () => {
  await startApp({ name: 'bystander', script: 'idle.cjs' });
  const before = await info('bystander');
  writeFileSync(join(dir, 'app.js'), 'setInterval(() => {}, 1 << 30);\n');
  const r = await runCli(
    ['start', 'app.js', '--watch', 'src,nope', '--cron', '* * *', '--cron-restart-tz', 'Mars/Base'],
    { home: d.home, cwd: dir },
  );
  assert.equal(r.code, 2);
  assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/, 'no stack trace');
  assert.deepEqual(r.stderr.trim().split('\n'), [
    'error: command line: apps[0] (app).cron_restart: expected a cron expression: 5 fields, or 6 with seconds first ("0 */6 * * *"), got "* * *"',
    'apps[0] (app).cron_restart_tz: expected an IANA time zone such as "Europe/Paris" or "UTC", got "Mars/Base"',
    `apps[0] (app).watch: expected existing files or directories (relative to ${dir}), got "${join(dir, 'src')}"`,
    `apps[0] (app).watch: expected existing files or directories (relative to ${dir}), got "${join(dir, 'nope')}" (TEND_ERR_CONFIG_INVALID)`,
  ]);
  // A size flag is read with the files' size grammar by the CLI itself.
  const size = await runCli(['start', 'app.js', '--max-memory-restart', '200Q'], { home: d.home, cwd: dir });
  assert.equal(size.code, 2);
  assert.match(
    size.stderr,
    /expected bytes or a size such as 512K, 10M or 1G, got "200Q" \(TEND_ERR_USAGE\)/,
  );

  // An ecosystem file with a good app and a bad one: the bad one is named and left out, the good one starts.
  writeFileSync(
    join(dir, 'ecosystem.config.js'),
    `module.exports = { apps: [
      { name: 'fine', script: 'app.js', max_memory_restart: '1G' },
      { name: 'broken', script: 'app.js', cron_restart: '61 * * * *' },
    ] };\n`,
  );
  const eco = await runCli(['start', 'ecosystem.config.js'], { home: d.home, cwd: dir });
  assert.equal(eco.code, 2);
  assert.match(
    eco.stderr,
    /apps\[1\] \(broken\)\.cron_restart: .*, got "61 \* \* \* \*" \(TEND_ERR_CONFIG_INVALID\)\n$/,
  );
  assert.match(eco.stdout, /fine/);
  const names = (await d.client.call('process.list')).processes.map((p) => [p.name, p.status]);
  assert.deepEqual(names, [
    ['bystander', 'online'],
    ['fine', 'online'],
  ]);
  const after = await info('bystander');
  assert.deepEqual([after?.pid, after?.status, after?.restarts], [before?.pid, 'online', 0]);
  await d.client.call('process.delete', { target: ['bystander', 'fine'] });
});
