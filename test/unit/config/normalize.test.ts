import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { normalizeApps } from '../../../src/config/normalize.js';
import { TendError } from '../../../src/protocol/errors.js';
import { configIssues, inputFor, makeTmp, type TmpDir } from './helpers.js';

let tmp: TmpDir;
before(() => {
  tmp = makeTmp();
  tmp.write('app.js', 'setInterval(() => {}, 1000);\n');
  tmp.write('sub/worker.mjs', '');
  tmp.write('src/index.js', '');
  tmp.write('123.js', '');
});
after(() => tmp.remove());

const one = (app: Record<string, unknown>, over = {}) => {
  const specs = normalizeApps(inputFor(tmp.dir, [app], over));
  assert.equal(specs.length, 1);
  return specs[0]!;
};

describe('normalizeApps: defaults', () => {
  it('fills every default for a bare script', () => {
    const spec = one({ script: 'app.js' });
    assert.deepEqual(
      { ...spec, env: undefined },
      {
        name: 'app',
        namespace: 'default',
        script: path.join(tmp.dir, 'app.js'),
        args: [],
        cwd: tmp.dir,
        interpreter: process.execPath,
        interpreter_args: [],
        is_node: true,
        exec_mode: 'fork',
        instances: 1,
        env: undefined,
        instance_var: 'NODE_APP_INSTANCE',
        increment_var: null,
        autorestart: true,
        max_restarts: 16,
        min_uptime: 1000,
        restart_delay: 0,
        exp_backoff_restart_delay: 0,
        exp_backoff_max_delay: 15000,
        kill_timeout: 5000,
        kill_signal: 'SIGINT',
        stop_exit_codes: [],
        wait_ready: false,
        listen_timeout: 3000,
        shutdown_with_message: false,
        metrics: false,
        ready_log_line: null,
        on_ready_timeout: 'fail',
        listen_timeout_set: false,
        watchdog_ms: 0,
        startup_probe: null,
        readiness_probe: null,
        liveness_probe: null,
        probe_via: null,
        max_surge: 1,
        min_ready_ms: 0,
        depends_on: [],
        out_file: '/var/log/tend/app-out.log',
        err_file: '/var/log/tend/app-error.log',
        log_file: null,
        merge_logs: false,
        time: false,
        log_date_format: 'YYYY-MM-DDTHH:mm:ss.SSSZ',
        log_type: 'raw',
        max_size: 0,
        retain: 5,
        compress: false,
        rotate_interval: null,
        watch: false,
        ignore_watch: [],
        watch_delay: 1000,
        watch_options: {},
        max_memory_restart: 0,
        memory_check_interval: 5000,
        cron_restart: null,
        cron_restart_tz: null,
        stored: {},
        notes: [],
        source: null,
        env_file: [],
        app_env: {},
        env_name: null,
        notify: null,
      },
    );
  });

  it('returns deep-frozen specs', () => {
    const spec = one({ script: 'app.js', args: ['a'], env: { A: '1' }, watch: ['src'] });
    assert.ok(Object.isFrozen(spec));
    assert.ok(Object.isFrozen(spec.args));
    assert.ok(Object.isFrozen(spec.env));
    assert.ok(Object.isFrozen(spec.stored));
    assert.ok(Object.isFrozen(spec.watch));
    assert.ok(Object.isFrozen(spec.notes));
  });

  it("leaves the caller's objects unfrozen", () => {
    const app = { script: 'app.js', args: ['a'], env: { A: '1' }, watch: ['src'], stop_exit_codes: [1] };
    one(app);
    for (const value of [app, app.args, app.env, app.watch, app.stop_exit_codes])
      assert.ok(!Object.isFrozen(value));
  });

  it('keeps the source on every spec', () => {
    const spec = one({ script: 'app.js' }, { source: '/x/ecosystem.config.js' });
    assert.equal(spec.source, '/x/ecosystem.config.js');
  });

  it('rejects an empty list', () => {
    assert.deepEqual(
      configIssues(() => normalizeApps(inputFor(tmp.dir, []))),
      ['apps: expected at least one app, got []'],
    );
  });
});

describe('normalizeApps: values', () => {
  it('converts PM2 value forms', () => {
    const spec = one({
      script: 'app.js',
      args: '--port 3000 --title "my app"',
      node_args: ['--max-old-space-size=512', 8],
      min_uptime: '10s',
      restart_delay: '500ms',
      kill_timeout: '1m',
      listen_timeout: 2500,
      exp_backoff_restart_delay: 100,
      exp_backoff_max_delay: '30s',
      max_restarts: '3',
      autorestart: 'false',
      kill_signal: 'sigterm',
      stop_exit_codes: 0,
      wait_ready: true,
      shutdown_with_message: true,
      namespace: 'web',
    });
    assert.deepEqual(spec.args, ['--port', '3000', '--title', 'my app']);
    assert.deepEqual(spec.interpreter_args, ['--max-old-space-size=512', '8']);
    assert.equal(spec.min_uptime, 10_000);
    assert.equal(spec.restart_delay, 500);
    assert.equal(spec.kill_timeout, 60_000);
    assert.equal(spec.listen_timeout, 2500);
    assert.equal(spec.exp_backoff_restart_delay, 100);
    assert.equal(spec.exp_backoff_max_delay, 30_000);
    assert.equal(spec.max_restarts, 3);
    assert.equal(spec.autorestart, false);
    assert.equal(spec.kill_signal, 'SIGTERM');
    assert.deepEqual(spec.stop_exit_codes, [0]);
    assert.equal(spec.wait_ready, true);
    assert.equal(spec.shutdown_with_message, true);
    assert.equal(spec.namespace, 'web');
  });

  it('takes interpreter_args, and node_args when it is alone', () => {
    assert.deepEqual(one({ script: 'app.js', interpreter_args: '--inspect' }).interpreter_args, [
      '--inspect',
    ]);
    const both = one({ script: 'app.js', interpreter_args: '-a', node_args: '-b' });
    assert.deepEqual(both.interpreter_args, ['-a']);
    assert.deepEqual(both.notes, [
      'apps[0] (app): "node_args" ignored: "interpreter_args" is given too (TEND_ERR_CONFIG_IGNORED)',
    ]);
  });

  for (const [written, expected] of [
    [1, 1],
    [3, 3],
    ['2', 2],
    ['max', 4],
    [0, 4],
    [-1, 3],
    [-3, 1],
  ] as const) {
    it(`resolves instances ${JSON.stringify(written)} to ${expected} on 4 CPUs`, () => {
      assert.equal(one({ script: 'app.js', instances: written, exec_mode: 'fork' }).instances, expected);
    });
  }

  for (const mode of ['fork', 'fork_mode'] as const) {
    it(`reads exec_mode ${mode} as fork, without a note`, () => {
      const spec = one({ script: 'app.js', exec_mode: mode, instances: 2 });
      assert.equal(spec.exec_mode, 'fork');
      assert.deepEqual(spec.notes, []);
    });
  }

  for (const mode of ['cluster', 'cluster_mode'] as const) {
    it(`reads exec_mode ${mode} as cluster, without a note`, () => {
      const spec = one({ script: 'app.js', exec_mode: mode });
      assert.equal(spec.exec_mode, 'cluster');
      assert.deepEqual(spec.notes, []);
    });
  }

  it('runs Node instances without exec_mode in cluster mode, as PM2 does (more in instances.test.ts)', () => {
    const spec = one({ script: 'app.js', instances: 'max' });
    assert.equal(spec.exec_mode, 'cluster');
    assert.deepEqual(spec.notes, []);
  });
});

describe('normalizeApps: paths', () => {
  it('resolves cwd against baseDir and the script against cwd', () => {
    const spec = one({ script: 'worker.mjs', cwd: 'sub' });
    assert.equal(spec.cwd, path.join(tmp.dir, 'sub'));
    assert.equal(spec.script, path.join(tmp.dir, 'sub', 'worker.mjs'));
  });

  it('expands ~ in cwd and log paths with the caller HOME', () => {
    const spec = one({ script: 'worker.mjs', cwd: '~/sub', out_file: '~/out.log' });
    assert.equal(spec.cwd, path.join(tmp.dir, 'sub'));
    assert.equal(spec.out_file, path.join(tmp.dir, 'out.log'));
  });

  it('reports a cwd that does not exist', () => {
    assert.deepEqual(
      configIssues(() => one({ script: 'app.js', cwd: 'nowhere' })),
      [
        `apps[0] (app).cwd: expected an existing directory, got ${JSON.stringify(path.join(tmp.dir, 'nowhere'))}`,
      ],
    );
  });

  it('resolves log files against the app cwd, keeps /dev/null, and reads PM2 aliases', () => {
    const spec = one({ script: 'worker.mjs', cwd: 'sub', output: 'logs/o.log', error: '/dev/null' });
    assert.equal(spec.out_file, path.join(tmp.dir, 'sub', 'logs', 'o.log'));
    assert.equal(spec.err_file, '/dev/null');
    const canonical = one({ script: 'app.js', out_file: '/tmp/a.log', error_file: 'e.log' });
    assert.equal(canonical.out_file, '/tmp/a.log');
    assert.equal(canonical.err_file, path.join(tmp.dir, 'e.log'));
  });

  it('sends both streams to /dev/null with disable_logs', () => {
    const spec = one({ script: 'app.js', disable_logs: true });
    assert.equal(spec.out_file, '/dev/null');
    assert.equal(spec.err_file, '/dev/null');
  });

  it('throws TEND_ERR_SCRIPT_NOT_FOUND for a missing script', () => {
    assert.throws(
      () => one({ script: 'missing.js' }),
      (e: unknown) =>
        e instanceof TendError &&
        e.code === 'TEND_ERR_SCRIPT_NOT_FOUND' &&
        e.data.script === 'missing.js' &&
        e.data.cwd === tmp.dir,
    );
  });
});

describe('normalizeApps: notes', () => {
  it('stores later-version fields with a note, and ignores unknown fields with a hint', () => {
    const spec = one({
      script: 'app.js',
      pid_file: './app.pid',
      treekill: true,
      max_restart: 3,
      colour: 'blue',
      hook: () => 1,
    });
    assert.deepEqual(spec.stored, { pid_file: './app.pid', treekill: true });
    assert.deepEqual(spec.notes, [
      'apps[0] (app): pid_file is accepted and stored; it takes effect in a later tend version (TEND_ERR_CONFIG_STORED)',
      'apps[0] (app): treekill is accepted and stored; it takes effect in a later tend version (TEND_ERR_CONFIG_STORED)',
      'apps[0] (app): unknown field "max_restart" ignored (did you mean "max_restarts"?) (TEND_ERR_CONFIG_IGNORED)',
      'apps[0] (app): unknown field "colour" ignored (TEND_ERR_CONFIG_IGNORED)',
      'apps[0] (app): unknown field "hook" ignored (TEND_ERR_CONFIG_IGNORED)',
    ]);
    assert.equal(spec.max_restarts, 16);
  });

  it('suggests snake_case for camelCase fields', () => {
    assert.deepEqual(one({ script: 'app.js', killTimeout: 1 }).notes, [
      'apps[0] (app): unknown field "killTimeout" ignored (did you mean "kill_timeout"?) (TEND_ERR_CONFIG_IGNORED)',
    ]);
  });

  it('treats null as not set', () => {
    const spec = one({ script: 'app.js', cwd: null, max_restarts: null, watch: null });
    assert.equal(spec.cwd, tmp.dir);
    assert.equal(spec.max_restarts, 16);
    assert.deepEqual(spec.notes, []);
  });
});
