// save / resurrect with a real daemon: the round trip of every option, stopped apps, skipped duplicates, two
// resurrects at once, deleted scripts, damaged and foreign dumps.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connect } from '../../src/client/client.js';
import { STORED_FIELDS } from '../../src/config/field-names.js';
import type { AppInput } from '../../src/config/input-types.js';
import { ACTIVE_FIELDS } from '../../src/config/schema.js';
import { waitGone } from '../helpers/wait-gone.js';
import { freePort, type Home, makeHome, pidsRunning } from './recovery-support.js';

/**
 * A non-default value for every field tend knows (active and stored-for-later). A field added to either list
 * later fails the round-trip test until it gets a sample here: so every option is covered.
 */
function samples(h: Home, server: string, port: number): Record<string, unknown> {
  writeFileSync(join(h.apps, 'app.env'), 'FROM_FILE=1\n');
  return {
    // active
    name: 'every',
    script: server,
    args: ['--flag', 'value with spaces'],
    cwd: h.apps,
    interpreter: process.execPath,
    interpreter_args: ['--no-warnings'],
    namespace: 'ns1',
    instances: 2,
    exec_mode: 'cluster',
    env: { CL_READY: '1', GREETING: 'hello', PORT_BASE: '7000' },
    port,
    autorestart: false,
    max_restarts: 3,
    min_uptime: 2000,
    restart_delay: 100,
    exp_backoff_restart_delay: 50,
    exp_backoff_max_delay: 2000,
    kill_timeout: 700,
    listen_timeout: 4000,
    kill_signal: 'SIGTERM',
    stop_exit_codes: [3],
    wait_ready: true,
    shutdown_with_message: true,
    out_file: 'every-out.log',
    error_file: 'every-err.log',
    disable_logs: false, // true is covered by the second app
    log_file: 'every-combined.log',
    merge_logs: true,
    time: true,
    log_date_format: 'YYYY-MM-DD HH:mm',
    log_type: 'json',
    max_size: '10M',
    retain: 3,
    compress: true,
    rotate_interval: 'daily',
    // readiness (issue 13): probes that pass on this server, a watchdog that never fires during the test
    ready_log_line: '/listening/i',
    on_ready_timeout: 'assume_ready',
    watchdog_sec: '1d',
    startup_probe: { exec: { command: 'true' }, period_seconds: 0.5 },
    readiness_probe: { http_get: { port: '$PORT', path: '/' }, period_seconds: 30 },
    liveness_probe: { tcp_socket: { port: '$PORT' }, period_seconds: 30 },
    probe_via: 'any_worker',
    max_surge: 2,
    min_ready_seconds: 1,
    // metrics (issue 14): /metrics/apps asks the app over IPC; nothing asks during this test
    metrics: true,
    // stored for later versions
    watch: false,
    ignore_watch: ['node_modules'],
    watch_delay: 1000,
    watch_options: { followSymlinks: false },
    force: true,
    max_memory_restart: '1G',
    cron_restart: '0 3 * * *',
    cron: '0 4 * * *',
    cron_restart_tz: 'UTC',
    memory_check_interval: 2000,
    autostart: true,
    pid_file: 'every.pid',
    pid: 'every2.pid',
    instance_var: 'INSTANCE_ID',
    increment_var: 'PORT_BASE',
    append_env_to_name: false,
    env_file: 'app.env',
    filter_env: false,
    name_prefix: '',
    treekill: true,
    kill_retry_time: 100,
    uid: process.getuid?.() ?? 0,
    user: userInfo().username,
    gid: process.getgid?.() ?? 0,
    username: userInfo().username,
    windowsHide: true,
    health_check: { path: '/' },
    depends_on: [], // active (issue 13); a dependency would make 'quiet' part of the start order
    // issue 14: hooks are kept through save/resurrect (no alert fires here: every stop is asked for).
    notify: {
      webhook: {
        url: 'http://127.0.0.1:9/hook',
        events: ['crash'],
        format: 'slack',
        secret: 's',
        timeout: '2s',
      },
      exec: { command: 'true', max_per_minute: 3 },
    },
    source_map_support: true,
    disable_source_map_support: false,
    vizion: false,
    post_update: [],
    install_url: 'https://example.invalid/',
    pmx: false,
    automation: false,
    trace: false,
    disable_trace: true,
    v8: false,
    event_loop_inspector: false,
    deep_monitoring: false,
    execute_command: false,
    write: false,
    io: { conf: {} },
  };
}

async function configs(home: string): Promise<Map<number, Record<string, unknown>>> {
  const c = await connect({ home, spawn: false });
  try {
    const { details } = await c.call('process.describe', { target: ['all'] });
    return new Map(details.map((d) => [d.process.id, { ...d.config, status: d.process.status }]));
  } finally {
    await c.close();
  }
}

async function killDaemon(h: Home): Promise<void> {
  const pid = h.daemonPid();
  const r = await h.cli('kill');
  assert.equal(r.code, 0, r.stderr);
  await waitGone(pid, { what: 'the daemon' });
}

describe('save and resurrect', () => {
  let h: Home;
  before(() => {
    h = makeHome();
  });
  after(() => h.cleanup());

  test('resurrect without a dump is a clear error', async () => {
    const r = await h.cli('resurrect');
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /^error: no saved process list: .*dump\.json does not exist .*\(TEND_ERR_DUMP_NOT_FOUND\)\n$/,
    );
  });

  test('round trip of every option, ids and stopped apps', async () => {
    const server = h.app('cl-server.cjs', 'server.cjs');
    const all = samples(h, server, await freePort());
    const missing = [...ACTIVE_FIELDS, ...STORED_FIELDS].filter((f) => !(f in all));
    assert.deepEqual(missing, [], 'every field needs a sample value in this test');
    // A watched app (watch holds its paths: a list where the default is false), stopped so nothing watches.
    const quiet = {
      name: 'quiet',
      script: h.app('idle.cjs'),
      disable_logs: true,
      env: { ONLY: 'quiet' },
      watch: ['.'],
    };
    const c = await connect({ home: h.home });
    await c.call('app.start', {
      apps: [all as AppInput, quiet],
      base_dir: h.apps,
      env: { PATH: process.env.PATH ?? '' },
    });
    await c.call('process.stop', { target: ['quiet'] });
    await c.close();
    const saved = await configs(h.home);
    assert.deepEqual(
      [...saved.values()].map((s) => [s.name, s.status]),
      [
        ['every', 'online'],
        ['every', 'online'],
        ['quiet', 'stopped'],
      ],
    );

    const r = await h.cli('save');
    assert.equal(r.code, 0, r.stderr);
    assert.match(
      r.stdout,
      /Saved 2 apps to .*dump\.json:\n {2}every \(namespace ns1\): ids 0, 1\n {2}quiet: id 2, 1 stopped\n/,
    );
    assert.equal((await h.cli('dump')).code, 0, 'dump is an alias of save');
    assert.ok(existsSync(join(h.home, 'dump.json.bak')), 'the previous dump is kept');

    await killDaemon(h);
    assert.deepEqual((await h.jlist()).processes, [], 'a clean kill leaves nothing running');
    const res = await h.cli('resurrect');
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /Resurrected 3 processes from .*dump\.json\n/);
    assert.deepEqual(await configs(h.home), saved);
  });

  test('apps already running are skipped; two resurrects at once add nothing twice', async () => {
    const [a, b] = await Promise.all([h.cli('resurrect'), h.cli('resurrect')]);
    for (const r of [a, b]) {
      assert.equal(r.code, 0, r.stderr);
      assert.match(
        r.stdout,
        /Skipped every: already running\nSkipped quiet: already there, stopped as saved\n/,
      );
    }
    assert.equal((await h.jlist()).processes.length, 3);
    await killDaemon(h);
    const [c, d] = await Promise.all([h.cli('resurrect'), h.cli('resurrect')]);
    assert.equal(c.code + d.code, 0, c.stderr + d.stderr);
    const out = [c.stdout, d.stdout].sort();
    assert.match(out.join('\n'), /Resurrected 3 processes/);
    assert.match(out.join('\n'), /Skipped every: already running/);
    assert.deepEqual(
      (await h.jlist()).processes.map((p) => [p.id, p.name]),
      [
        [0, 'every'],
        [1, 'every'],
        [2, 'quiet'],
      ],
    );
    assert.equal(pidsRunning(join(h.apps, 'server.cjs')).length, 2, 'two workers, not four');
  });

  test('a taken id gets a new one, with a note', async () => {
    await killDaemon(h);
    const r = await h.cli('start', h.app('idle.cjs', 'first.cjs'), '--name', 'first');
    assert.equal(r.code, 0, r.stderr);
    const res = await h.cli('resurrect');
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, /note: every: id 0 is taken, restored as id 3/);
    const ids = (await h.jlist()).processes
      .map((p) => [p.id, p.name])
      .sort((a, b) => Number(a[0]) - Number(b[0]));
    assert.deepEqual(ids, [
      [0, 'first'],
      [1, 'every'],
      [2, 'quiet'],
      [3, 'every'],
    ]);
  });

  test('a deleted script: that app is errored with the reason, the others start', async () => {
    await killDaemon(h);
    const gone = h.app('idle.cjs', 'gone.cjs');
    const stays = h.app('idle.cjs', 'stays.cjs');
    for (const [name, script] of [
      ['gone', gone],
      ['stays', stays],
    ] as const) {
      const r = await h.cli('start', script, '--name', name);
      assert.equal(r.code, 0, r.stderr);
    }
    assert.equal((await h.cli('save')).code, 0);
    await killDaemon(h);
    rmSync(gone);
    const res = await h.cli('resurrect');
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stderr, /warning: gone \(id 0\) did not start: script .*gone\.cjs no longer exists/);
    const list = (await h.jlist()).processes;
    assert.deepEqual(
      list.map((p) => [p.name, p.status]),
      [
        ['gone', 'errored'],
        ['stays', 'online'],
      ],
    );
    assert.match(list[0]?.last_error ?? '', /no longer exists/);
    assert.match((await h.cli('describe', 'gone')).stdout, /no longer exists/);
  });

  test('a damaged dump: the .bak is used with a warning; both damaged: a clear error', async () => {
    await killDaemon(h);
    const file = join(h.home, 'dump.json');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, good.slice(0, 40));
    const res = await h.cli('resurrect');
    assert.equal(res.code, 0, res.stderr);
    assert.match(
      res.stderr,
      /warning: .*dump\.json: not valid JSON .*using the previous copy .*dump\.json\.bak/,
    );
    assert.match(res.stdout, /from .*dump\.json\.bak/);
    writeFileSync(`${file}.bak`, '');
    const bad = await h.cli('resurrect');
    assert.equal(bad.code, 1);
    assert.match(
      bad.stderr,
      /^error: cannot read the saved process list: .*dump\.json: not valid JSON.*dump\.json\.bak: the file is empty \(TEND_ERR_DUMP_CORRUPT\)\n$/,
    );
  });

  test('dumps of another format: newer is refused, PM2 is explained, format 1 is migrated', async () => {
    await killDaemon(h);
    const file = join(h.home, 'dump.json');
    rmSync(`${file}.bak`, { force: true });
    writeFileSync(file, JSON.stringify({ format: 99, apps: [] }));
    const newer = await h.cli('resurrect');
    assert.equal(newer.code, 2);
    assert.match(
      newer.stderr,
      /format 99 is newer than this tend reads \(2\): upgrade tend \(TEND_ERR_DUMP_FORMAT\)/,
    );
    writeFileSync(file, JSON.stringify([{ name: 'x', pm_exec_path: '/x.js' }]));
    const pm2 = await h.cli('resurrect');
    assert.equal(pm2.code, 1);
    assert.match(pm2.stderr, /a PM2 dump\.pm2\?/);
    // Format 1 (an older tend): units without processes, and a spec lacking fields added since.
    const script = h.app('idle.cjs', 'old.cjs');
    const spec = {
      name: 'old',
      namespace: 'default',
      script,
      args: [],
      cwd: h.apps,
      interpreter: process.execPath,
      exec_mode: 'fork',
      instances: 1,
      env: { OLD: '1' },
    };
    writeFileSync(
      file,
      JSON.stringify({
        format: 1,
        written_at: 1,
        apps: [{ spec, units: [{ id: 5, instance: 0, wanted: 'up', restarts: 0 }] }],
      }),
    );
    const old = await h.cli('resurrect');
    assert.equal(old.code, 0, old.stderr);
    const list = (await h.jlist()).processes;
    assert.deepEqual(
      list.map((p) => [p.id, p.name, p.status]),
      [[5, 'old', 'online']],
    );
    const cfg = (await configs(h.home)).get(5);
    assert.equal(cfg?.kill_timeout, 5000, 'a missing field takes its default');
  });
});

describe('save never loses a saved list by accident', () => {
  let h: Home;
  before(() => {
    h = makeHome();
  });
  after(() => h.cleanup());

  test('an empty list is not saved over a dump that holds apps, unless --force', async () => {
    assert.equal((await h.cli('start', h.app('idle.cjs'), '--name', 'kept')).code, 0);
    assert.equal((await h.cli('save')).code, 0);
    assert.equal((await h.cli('delete', 'kept')).code, 0);
    const r = await h.cli('save');
    assert.equal(r.code, 1);
    assert.match(
      r.stderr,
      /^error: no process to save: this would replace the 1 app\(s\) saved in .*dump\.json with an empty list \(use "tend save --force" to do it anyway\) \(TEND_ERR_SAVE_EMPTY\)\n$/,
    );
    assert.match(readFileSync(join(h.home, 'dump.json'), 'utf8'), /"kept"/);
    const forced = await h.cli('save', '--force');
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /Saved 0 apps/);
  });
});
