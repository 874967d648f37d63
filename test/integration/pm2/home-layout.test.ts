// A daemon in a PM2 home (tend-pm2's marker, src/pm2/home): pid files appear in pids/ when a process starts and
// go when it stops, is deleted or the daemon stops; default log files get PM2's names (`my_api` → `my-api`,
// `-<pm_id>` for each instance of a several-instance app and for a cluster app of one instance). A plain home
// keeps tend's layout: no pids/, no `-<id>` on a one-instance cluster app.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AppInput } from '../../../src/config/input-types.js';
import { loadEcosystemFile } from '../../../src/config/load-file.js';
import { preparePm2Home } from '../../../src/pm2/home/index.js';
import { FIXTURES, startTestDaemon, type TestDaemon } from '../../helpers/daemon.js';
import { watch } from '../../helpers/until.js';

const apps: AppInput[] = [
  { name: 'solo', script: join(FIXTURES, 'idle.cjs') },
  { name: 'my_api', script: join(FIXTURES, 'idle.cjs'), instances: 2, exec_mode: 'fork' },
  { name: 'web', script: join(FIXTURES, 'cl-server.cjs'), instances: 1, exec_mode: 'cluster' },
];

async function startApps(d: TestDaemon) {
  const r = await d.client.call('app.start', {
    apps,
    source: null,
    base_dir: FIXTURES,
    env: { PATH: process.env.PATH ?? '' },
    env_name: null,
    only: null,
    wait: true,
  });
  assert.deepEqual(
    r.processes.map((p) => [p.id, p.name, p.status]),
    [
      [0, 'solo', 'online'],
      [1, 'my_api', 'online'],
      [2, 'my_api', 'online'],
      [3, 'web', 'online'],
    ],
  );
  return r.processes;
}

const pidFiles = (home: string) =>
  Object.fromEntries(
    readdirSync(join(home, 'pids'))
      .sort()
      .map((f) => [f, readFileSync(join(home, 'pids', f), 'utf8')]),
  );

describe('a daemon in a PM2 home', () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon({ prepare: preparePm2Home });
  });
  after(() => d.stop());

  test('pid files hold each running instance pid; logs have PM2 names', async () => {
    const procs = await startApps(d);
    assert.deepEqual(pidFiles(d.home), {
      'my-api-1.pid': String(procs[1]!.pid),
      'my-api-2.pid': String(procs[2]!.pid),
      'solo-0.pid': String(procs[0]!.pid),
      'web-3.pid': String(procs[3]!.pid),
    });
    const logs = readdirSync(join(d.home, 'logs')).sort();
    assert.deepEqual(logs, [
      'my-api-error-1.log',
      'my-api-error-2.log',
      'my-api-out-1.log',
      'my-api-out-2.log',
      'solo-error.log',
      'solo-out.log',
      'web-error-3.log',
      'web-out-3.log',
    ]);
  });

  test('a stopped instance has no pid file; a restarted one has its new pid; delete removes it', async () => {
    const w = await watch(d.home);
    try {
      await d.client.call('process.stop', { target: ['solo'], wait: true });
      assert.equal(existsSync(join(d.home, 'pids', 'solo-0.pid')), false);
      const r = await d.client.call('process.restart', { target: ['1'] });
      const pid = r.processes[0]!.pid;
      assert.ok(pid);
      // The file is written in the same turn as the state change that gave the pid (daemon side).
      await w.until((e) => e.event === 'process.state' && e.data.id === 1 && e.data.to === 'online', {
        what: 'my_api 1 online again',
      });
      assert.equal(readFileSync(join(d.home, 'pids', 'my-api-1.pid'), 'utf8'), String(pid));
      await d.client.call('process.delete', { target: ['web'] });
      assert.equal(existsSync(join(d.home, 'pids', 'web-3.pid')), false);
    } finally {
      await w.close();
    }
  });

  test('the daemon stopping leaves pids/ empty', async () => {
    const closed = d.client.closed;
    await d.client.call('daemon.kill');
    await closed;
    assert.deepEqual(readdirSync(join(d.home, 'pids')), []);
  });
});

describe('a plain home', () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon();
  });
  after(() => d.stop());

  test("keeps tend's layout: no pids/, no -<id> on a cluster app of one instance, names as written", async () => {
    await startApps(d);
    assert.equal(existsSync(join(d.home, 'pids')), false);
    assert.deepEqual(
      readdirSync(join(d.home, 'logs'))
        .filter((f) => f.includes('out'))
        .sort(),
      ['my_api-out-1.log', 'my_api-out-2.log', 'solo-out.log', 'web-out.log'],
    );
  });
});

describe('restart <file> in a PM2 home', () => {
  let d: TestDaemon;
  before(async () => {
    d = await startTestDaemon({ prepare: preparePm2Home });
  });
  after(() => d.stop());

  test("applies the file's env and line format; without --env, back to env alone", async () => {
    const dir = join(d.home, 'proj');
    mkdirSync(dir);
    const seen = join(dir, 'env.json');
    writeFileSync(
      join(dir, 'envy.cjs'),
      `require('node:fs').writeFileSync(process.argv[2], JSON.stringify(process.env));
console.log('run', process.env.FOO);
process.send('ready');
setInterval(() => {}, 1 << 30);
`,
    );
    const file = join(dir, 'eco.json');
    const write = (extra: string, foo: string) =>
      writeFileSync(
        file,
        `{ apps: [{ name: 'envy', script: 'envy.cjs', args: ['${seen}'], wait_ready: true, ${extra}
  env: { FOO: '${foo}' }, env_production: { FOO: 'prod', BAR: 'prod' } }] }`,
      );
    const envNow = () => JSON.parse(readFileSync(seen, 'utf8')) as Record<string, string>;
    write('', 'base');
    const eco = async (envName: string | null) => {
      const f = await loadEcosystemFile(file);
      return { apps: f.apps as AppInput[], source: f.source, base_dir: f.baseDir, env_name: envName };
    };
    const started = await d.client.call('app.start', {
      ...(await eco('production')),
      env: { PATH: process.env.PATH ?? '' },
      only: null,
      wait: true,
    });
    assert.equal(started.processes[0]!.status, 'online');
    assert.deepEqual([envNow().FOO, envNow().BAR], ['prod', 'prod']);

    await d.client.call('process.restart', { target: ['envy'], file: await eco(null) });
    assert.deepEqual([envNow().FOO, envNow().BAR], ['base', undefined]);

    write("time: true, log_date_format: 'YYYY',", 'base2');
    const r = await d.client.call('process.restart', { target: ['envy'], file: await eco(null) });
    assert.deepEqual(r.notes ?? [], [], 'nothing left for a delete and a new start');
    assert.equal(envNow().FOO, 'base2');
    // delete replies once every line is in the file.
    await d.client.call('process.delete', { target: ['envy'] });
    const lines = readFileSync(join(d.home, 'logs', 'envy-out.log'), 'utf8')
      .trimEnd()
      .split('\n');
    assert.deepEqual(lines.slice(0, 2), ['run prod', 'run base']);
    assert.match(lines[2]!, /^\d{4}: run base2$/);
  });
});
