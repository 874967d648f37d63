// tend-pm2's dump.pm2 (src/pm2/home): `pm2 save` writes PM2's format from the PM2-shaped list, keeping the
// previous dump as dump.pm2.bak; `pm2 resurrect` reads it back as apps, and a damaged or missing dump.pm2
// falls back to the .bak, says so, and puts dump.pm2 right again. Real files in a temporary home.
import assert from 'node:assert/strict';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadPm2Dump, pm2PidPath, savePm2Dump } from '../../../src/pm2/home/index.js';
import { type Pm2Detail, type Pm2Entry, pm2Entries } from '../../../src/pm2/jlist-entry.js';
import { isTendError } from '../../../src/protocol/errors.js';
import type { ProcessInfo } from '../../../src/protocol/process-info.js';

const homes: string[] = [];
after(() => {
  for (const h of homes) rmSync(h, { recursive: true, force: true });
});
function home(): string {
  const h = realpathSync(mkdtempSync(join(tmpdir(), 'tend-pm2home-')));
  homes.push(h);
  return h;
}

function detail(id: number, name: string, over: Partial<ProcessInfo> = {}, env = {}): Pm2Detail {
  return {
    process: {
      id,
      name,
      namespace: 'default',
      mode: 'fork',
      instance: 0,
      pid: 1000 + id,
      status: 'online',
      restarts: 2,
      unstable_restarts: 0,
      started_at: 1_700_000_000_000,
      created_at: 1_699_999_999_000,
      uptime_ms: 5000,
      cpu: 1,
      memory: 50_000_000,
      last_exit: null,
      script: `/srv/${name}.js`,
      args: ['--port', '3000'],
      cwd: '/srv',
      interpreter: '/usr/bin/node',
      interpreter_args: ['--max-old-space-size=256'],
      autorestart: true,
      ...over,
    } as ProcessInfo,
    config: {
      env: { NODE_ENV: 'production', ...env },
      is_node: true,
      max_restarts: 16,
      min_uptime: 1000,
      restart_delay: 0,
      kill_timeout: 1600,
    },
    logs: { out: `/h/logs/${name}-out.log`, err: `/h/logs/${name}-error.log`, combined: null },
    policies: {
      watch: false,
      ignore_watch: [],
      watch_delay: 0,
      max_memory_restart: 104857600,
      memory_check_interval: 30000,
      cron_restart: null,
      cron_restart_tz: null,
      active: true,
    },
  };
}

const entries = (): Pm2Entry[] =>
  pm2Entries(
    [
      detail(0, 'api', {}, { API_TOKEN: 'x' }),
      detail(1, 'web', { mode: 'cluster', instance: 0 }),
      detail(2, 'web', { mode: 'cluster', instance: 1 }),
      detail(3, 'job', { status: 'stopped', pid: null }),
    ],
    { version: () => '1.0.0', pidPath: () => '' },
  );

describe('savePm2Dump', () => {
  test("writes PM2's format: an array of pm2_env, without pm_id and instances, pid paths filled, 0600", async () => {
    const h = home();
    const file = await savePm2Dump(h, entries());
    assert.equal(file, join(h, 'dump.pm2'));
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^\[\n {2}\{\n {4}"/, 'two-space indented, as PM2 writes it');
    const dump = JSON.parse(text) as Record<string, unknown>[];
    assert.deepEqual(
      dump.map((e) => [e.name, e.status, e.exec_mode, e.pm_exec_path, e.pm_pid_path]),
      [
        ['api', 'online', 'fork_mode', '/srv/api.js', pm2PidPath(h, 'api', 0)],
        ['web', 'online', 'cluster_mode', '/srv/web.js', pm2PidPath(h, 'web', 1)],
        ['web', 'online', 'cluster_mode', '/srv/web.js', pm2PidPath(h, 'web', 2)],
        ['job', 'stopped', 'fork_mode', '/srv/job.js', pm2PidPath(h, 'job', 3)],
      ],
    );
    for (const e of dump) {
      assert.equal('pm_id' in e, false);
      assert.equal('instances' in e, false);
    }
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(existsSync(`${file}.bak`), false, 'no previous dump, no backup');
  });

  test('the previous dump becomes dump.pm2.bak; a damaged one never replaces a good backup', async () => {
    const h = home();
    const file = join(h, 'dump.pm2');
    await savePm2Dump(h, entries().slice(0, 1));
    const first = readFileSync(file, 'utf8');
    await savePm2Dump(h, entries());
    assert.equal(readFileSync(`${file}.bak`, 'utf8'), first);
    writeFileSync(file, '[{"name": "api"');
    await savePm2Dump(h, entries().slice(0, 1));
    assert.equal(readFileSync(`${file}.bak`, 'utf8'), first, 'the good backup was kept');
    assert.equal(JSON.parse(readFileSync(file, 'utf8')).length, 1);
  });
});

describe('loadPm2Dump', () => {
  test('what save wrote comes back as the same apps, stopped ones named, nothing lost unsaid', async () => {
    const h = home();
    await savePm2Dump(h, entries());
    const r = loadPm2Dump(h, {});
    assert.equal(r.file, join(h, 'dump.pm2'));
    assert.deepEqual(r.notices, []);
    assert.deepEqual(r.stopped, ['job']);
    assert.deepEqual(
      r.apps.map((a) => [a.name, a.script, a.instances, a.exec_mode]),
      [
        ['api', '/srv/api.js', undefined, undefined],
        ['web', '/srv/web.js', 2, 'cluster'],
        ['job', '/srv/job.js', undefined, undefined],
      ],
    );
    const api = r.apps[0]!;
    assert.deepEqual(api.args, ['--port', '3000']);
    assert.deepEqual(api.node_args, ['--max-old-space-size=256']);
    assert.deepEqual(api.env, { NODE_ENV: 'production', API_TOKEN: 'x' });
    assert.equal(api.cwd, '/srv');
    assert.equal(api.max_memory_restart, 104857600);
    assert.equal(api.max_restarts, 16);
  });

  test('a damaged dump.pm2: the .bak is used, said, the damaged file moved aside and dump.pm2 fixed', async () => {
    const h = home();
    const file = join(h, 'dump.pm2');
    await savePm2Dump(h, entries().slice(0, 1));
    await savePm2Dump(h, entries());
    const good = readFileSync(`${file}.bak`, 'utf8');
    writeFileSync(file, '[{"name": "api", "pm_exec_path": "/x.js"');
    const r = loadPm2Dump(h, {});
    assert.equal(r.file, `${file}.bak`);
    assert.deepEqual(
      r.apps.map((a) => a.name),
      ['api'],
    );
    assert.equal(r.notices.length, 1);
    assert.match(
      r.notices[0]!,
      /dump\.pm2 is damaged \(not JSON \(.+\)\): the list was read from dump\.pm2\.bak; the damaged file was moved to .*dump\.pm2\.corrupt and dump\.pm2 is the backup again$/,
    );
    assert.equal(readFileSync(`${file}.corrupt`, 'utf8'), '[{"name": "api", "pm_exec_path": "/x.js"');
    assert.equal(readFileSync(file, 'utf8'), good);
    // The next resurrect reads dump.pm2 without a word.
    assert.deepEqual(loadPm2Dump(h, {}).notices, []);
  });

  test('an empty or wrongly shaped dump.pm2, and a missing one, fall back to the .bak too', async () => {
    for (const bad of ['', '{"apps": []}', '[{"name": "x"}]', null]) {
      const h = home();
      const file = join(h, 'dump.pm2');
      await savePm2Dump(h, entries().slice(0, 1));
      await savePm2Dump(h, entries());
      if (bad === null) rmSync(file);
      else writeFileSync(file, bad);
      const r = loadPm2Dump(h, {});
      assert.deepEqual(
        r.apps.map((a) => a.name),
        ['api'],
        String(bad),
      );
      assert.match(r.notices[0]!, bad === null ? /is missing/ : /is damaged/);
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).length, 1);
    }
  });

  test('a link in place of dump.pm2 is not followed', async () => {
    const h = home();
    await savePm2Dump(h, entries());
    await savePm2Dump(h, entries().slice(0, 1));
    const elsewhere = join(home(), 'other.pm2');
    writeFileSync(elsewhere, '[]');
    rmSync(join(h, 'dump.pm2'));
    symlinkSync(elsewhere, join(h, 'dump.pm2'));
    const r = loadPm2Dump(h, {});
    assert.match(r.notices[0]!, /is damaged \(cannot read it \(a symbolic link\)\)/);
    assert.equal(r.apps.length, 3, 'read from the .bak');
    assert.equal(readFileSync(elsewhere, 'utf8'), '[]', 'the link target is untouched');
  });

  test('neither dump.pm2 nor the .bak: TEND_ERR_PM2_DUMP, with both problems', () => {
    const h = home();
    assert.throws(
      () => loadPm2Dump(h, {}),
      (err: unknown) =>
        isTendError(err) &&
        err.code === 'TEND_ERR_PM2_DUMP' &&
        /dump\.pm2: no such file, and no dump\.pm2\.bak either/.test(err.message),
    );
    writeFileSync(join(h, 'dump.pm2'), 'nope');
    writeFileSync(join(h, 'dump.pm2.bak'), '');
    assert.throws(
      () => loadPm2Dump(h, {}),
      (err: unknown) =>
        isTendError(err) &&
        err.code === 'TEND_ERR_PM2_DUMP' &&
        /not JSON \(.*\); dump\.pm2\.bak: the file is empty$/.test(err.message),
    );
  });

  test("entries with tend's part come back whole, as saved; one whose PM2 settings changed since is read from them, and said", async () => {
    const h = home();
    // The spec stands for the app's AppSpec (any object: the daemon checks it, as dump.json's).
    const spec = (name: string) => ({
      name,
      script: `/srv/${name}.js`,
      kill_signal: 'SIGINT',
      probe: { x: 1 },
    });
    const parts = new Map([
      [0, { spec: spec('api'), unit: { id: 0, instance: 0, wanted: 'up' as const } }],
      [1, { spec: spec('web'), unit: { id: 1, instance: 0, wanted: 'up' as const } }],
      [2, { spec: spec('web'), unit: { id: 2, instance: 1, wanted: 'up' as const } }],
      [3, { spec: spec('job'), unit: { id: 3, instance: 0, wanted: 'down' as const } }],
    ]) as unknown as Parameters<typeof savePm2Dump>[2];
    await savePm2Dump(h, entries(), parts);
    const r = loadPm2Dump(h, {});
    assert.deepEqual(r.notices, []);
    assert.deepEqual(r.apps, [], 'nothing is read from PM2 keys');
    assert.deepEqual(
      r.saved.map((a) => [a.spec.name, a.spec.kill_signal, a.units]),
      [
        ['api', 'SIGINT', [{ id: 0, instance: 0, wanted: 'up', restarts: 0 }]],
        [
          'web',
          'SIGINT',
          [
            { id: 1, instance: 0, wanted: 'up', restarts: 0 },
            { id: 2, instance: 1, wanted: 'up', restarts: 0 },
          ],
        ],
        ['job', 'SIGINT', [{ id: 3, instance: 0, wanted: 'down', restarts: 0 }]],
      ],
    );
    // PM2 saved it again after `pm2 restart web --update-env` (or a hand edit): its env is not what tend saved.
    const file = join(h, 'dump.pm2');
    const dump = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown>>[];
    dump[1]!.env = { ...dump[1]!.env, NEW: '1' };
    // An order PM2 may write its keys in changes nothing.
    dump[0] = Object.fromEntries(Object.entries(dump[0]!).reverse()) as (typeof dump)[0];
    writeFileSync(file, JSON.stringify(dump));
    const again = loadPm2Dump(h, {});
    assert.deepEqual(
      again.saved.map((a) => a.spec.name),
      ['api', 'job'],
    );
    assert.deepEqual(
      again.apps.map((a) => [a.name, a.instances]),
      [['web', 2]],
    );
    assert.deepEqual(again.notices, [
      "web: its PM2 settings changed since tend-pm2 saved it: restored from its PM2 settings; tend's own (probes, depends_on, notify, rotation, …) are not",
    ]);
  });
});
