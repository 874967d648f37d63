// End to end through both halves: an ecosystem file as PM2 users write it → loadEcosystemFile (CLI) →
// normalizeApps (daemon). An existing PM2 file must start unchanged: notes, never errors.

import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadEcosystemFile } from '../../../src/config/load-file.js';
import { normalizeApps } from '../../../src/config/normalize.js';
import type { AppSpec } from '../../../src/config/spec.js';
import { makeTmp, type TmpDir } from './helpers.js';

const PM2_FILE = `
const path = require('path');

module.exports = {
  apps: [
    {
      name: 'api',
      script: './server.js',
      cwd: __dirname,
      instances: 'max',
      exec_mode: 'cluster',
      node_args: '--max-old-space-size=256',
      args: ['--color'],
      watch: ['src'],
      ignore_watch: ['node_modules', /\\.log$/],
      watch_options: { followSymlinks: false },
      max_memory_restart: '300M',
      min_uptime: '5s',
      max_restarts: 10,
      restart_delay: 4000,
      exp_backoff_restart_delay: 100,
      kill_timeout: 3000,
      wait_ready: true,
      listen_timeout: 10000,
      shutdown_with_message: false,
      autorestart: true,
      merge_logs: true,
      log_date_format: 'YYYY-MM-DD HH:mm Z',
      time: true,
      out_file: './logs/api-out.log',
      error_file: './logs/api-err.log',
      pid_file: './pids/api.pid',
      instance_var: 'INSTANCE_ID',
      source_map_support: true,
      vizion: false,
      treekill: true,
      env: { NODE_ENV: 'development', PORT: 3000 },
      env_production: { NODE_ENV: 'production', PORT: 80 },
      post_update: ['npm install'],
    },
    {
      name: 'worker',
      script: 'jobs/worker.py',
      interpreter: 'python3',
      interpreter_args: '-u',
      cron_restart: '0 3 * * *',
      autorestart: false,
      stop_exit_codes: [0],
      kill_signal: 'SIGTERM',
      log_file: path.join(__dirname, 'logs', 'combined.log'),
      env_production: { QUEUE: 'prod' },
    },
    {
      name: 'static',
      script: 'serve',
      args: '-s build -l 5000',
      exec_mode: 'fork_mode',
      max_restart: 3,
      increment_var: 'PORT',
      filter_env: ['SECRET_'],
      append_env_to_name: false,
      force: true,
      env: { PATH: path.join(__dirname, 'bin'), PORT: 5000 },
    },
  ],
  deploy: {
    production: { user: 'node', host: 'example.com', ref: 'origin/main', 'post-deploy': 'npm ci' },
  },
};
`;

let tmp: TmpDir;
let specs: AppSpec[];
before(async () => {
  tmp = makeTmp();
  tmp.write('server.js', '');
  tmp.write('src/index.js', '');
  tmp.write('jobs/worker.py', '');
  tmp.write('bin/serve', '#!/bin/sh\n', 0o755);
  const file = tmp.write('ecosystem.config.js', PM2_FILE);
  const loaded = await loadEcosystemFile(file);
  specs = normalizeApps({
    apps: loaded.apps,
    source: loaded.source,
    baseDir: loaded.baseDir,
    callerEnv: { PATH: '/usr/bin:/bin', HOME: '/home/me', LANG: 'C.UTF-8' },
    envName: 'production',
    only: null,
    logDir: '/home/me/.tend/logs',
    execPath: process.execPath,
    cpus: 8,
  });
});
after(() => tmp.remove());

const spec = (name: string) => specs.find((s) => s.name === name)!;

describe('a PM2 ecosystem.config.js', () => {
  it('normalises every app', () => {
    assert.deepEqual(
      specs.map((s) => s.name),
      ['api', 'worker', 'static'],
    );
    for (const s of specs) assert.equal(s.source, path.join(tmp.dir, 'ecosystem.config.js'));
  });

  it('keeps what tend acts on', () => {
    const api = spec('api');
    assert.equal(api.script, path.join(tmp.dir, 'server.js'));
    assert.equal(api.interpreter, process.execPath);
    assert.deepEqual(api.interpreter_args, ['--max-old-space-size=256']);
    assert.deepEqual(api.args, ['--color']);
    assert.equal(api.instances, 8);
    assert.equal(api.exec_mode, 'cluster');
    assert.equal(api.min_uptime, 5000);
    assert.equal(api.max_restarts, 10);
    assert.equal(api.restart_delay, 4000);
    assert.equal(api.exp_backoff_restart_delay, 100);
    assert.equal(api.kill_timeout, 3000);
    assert.equal(api.wait_ready, true);
    assert.equal(api.listen_timeout, 10_000);
    assert.equal(api.out_file, path.join(tmp.dir, 'logs', 'api-out.log'));
    assert.equal(api.err_file, path.join(tmp.dir, 'logs', 'api-err.log'));
    assert.equal(api.env.NODE_ENV, 'production');
    assert.equal(api.env.PORT, '80');
    assert.equal(api.env.LANG, 'C.UTF-8');

    const worker = spec('worker');
    assert.equal(worker.script, path.join(tmp.dir, 'jobs', 'worker.py'));
    assert.equal(worker.interpreter, 'python3');
    assert.deepEqual(worker.interpreter_args, ['-u']);
    assert.equal(worker.autorestart, false);
    assert.deepEqual(worker.stop_exit_codes, [0]);
    assert.equal(worker.kill_signal, 'SIGTERM');
    assert.equal(worker.env.QUEUE, 'prod');
    assert.equal(worker.out_file, '/home/me/.tend/logs/worker-out.log');

    const serve = spec('static');
    assert.equal(serve.script, path.join(tmp.dir, 'bin', 'serve'));
    assert.equal(serve.interpreter, null);
    assert.deepEqual(serve.args, ['-s', 'build', '-l', '5000']);
    assert.equal(serve.exec_mode, 'fork');
  });

  it('stores later-version fields as plain data', () => {
    assert.deepEqual(spec('api').stored, {
      pid_file: './pids/api.pid',
      source_map_support: true,
      vizion: false,
      treekill: true,
      post_update: ['npm install'],
    });
    // Acted on since issue 17 (supervisor/launch.ts).
    assert.deepEqual([spec('api').instance_var, spec('api').increment_var], ['INSTANCE_ID', null]);
    assert.deepEqual(
      [spec('static').instance_var, spec('static').increment_var],
      ['NODE_APP_INSTANCE', 'PORT'],
    );
    assert.deepEqual(spec('worker').stored, {});
  });

  it('acts on the restart triggers (watch, ignore_watch, watch_options, max_memory_restart, cron_restart)', () => {
    const api = spec('api');
    assert.deepEqual(api.watch, [path.join(tmp.dir, 'src')]);
    // A RegExp of a .js file arrives as its source text, read as a glob.
    assert.deepEqual(api.ignore_watch, ['node_modules', '\\.log$']);
    assert.deepEqual(api.watch_options, { followSymlinks: false });
    assert.equal(api.max_memory_restart, 300 * 1024 ** 2);
    assert.equal(spec('worker').cron_restart, '0 3 * * *');
    assert.equal(spec('worker').watch, false);
  });

  it('acts on the log fields (merge_logs, time, log_date_format, log_file)', () => {
    const api = spec('api');
    assert.deepEqual([api.merge_logs, api.time, api.log_date_format], [true, true, 'YYYY-MM-DD HH:mm Z']);
    assert.equal(spec('worker').log_file, path.join(tmp.dir, 'logs', 'combined.log'));
  });

  it('explains, in notes, what is stored, ignored or different', () => {
    const stored = (field: string) =>
      `${field} is accepted and stored; it takes effect in a later tend version (TEND_ERR_CONFIG_STORED)`;
    assert.deepEqual(spec('api').notes, [
      ...['pid_file', 'source_map_support', 'vizion', 'treekill', 'post_update'].map(
        (f) => `apps[0] (api): ${stored(f)}`,
      ),
    ]);
    assert.deepEqual(spec('worker').notes, []);
    assert.deepEqual(spec('static').notes, [
      'apps[2] (static): unknown field "max_restart" ignored (did you mean "max_restarts"?) (TEND_ERR_CONFIG_IGNORED)',
      ...['filter_env', 'append_env_to_name', 'force'].map((f) => `apps[2] (static): ${stored(f)}`),
      'apps[2] (static): no env_production section; only env applies (TEND_ERR_CONFIG_IGNORED)',
    ]);
  });
});

describe('the same apps as JSON and YAML', () => {
  const apps = [
    {
      name: 'api',
      script: 'server.js',
      instances: 2,
      exec_mode: 'fork',
      env_production: { NODE_ENV: 'production' },
    },
  ];
  const yaml = `apps:
  - name: api
    script: server.js
    instances: 2
    exec_mode: fork
    env_production:
      NODE_ENV: production
`;
  for (const [file, content] of [
    ['formats/ecosystem.json', JSON.stringify({ apps })],
    ['formats/ecosystem.yaml', yaml],
    ['formats/ecosystem.yml', yaml],
    ['formats/ecosystem.config.cjs', `module.exports = ${JSON.stringify({ apps })};`],
    ['formats/ecosystem.config.mjs', `export default ${JSON.stringify({ apps })};`],
  ] as const) {
    it(`loads and normalises ${path.basename(file)}`, async () => {
      tmp.write('formats/server.js', '');
      const loaded = await loadEcosystemFile(tmp.write(file, content));
      const [api, ...rest] = normalizeApps({
        apps: loaded.apps,
        source: loaded.source,
        baseDir: loaded.baseDir,
        callerEnv: {},
        envName: 'production',
        only: ['api'],
        logDir: '/logs',
        execPath: process.execPath,
        cpus: 2,
      });
      assert.equal(rest.length, 0);
      assert.equal(api!.script, path.join(tmp.dir, 'formats', 'server.js'));
      assert.equal(api!.instances, 2);
      assert.deepEqual(api!.env, { NODE_ENV: 'production' });
      assert.deepEqual(api!.notes, []);
    });
  }
});
