// Environment and signals with a real daemon and real processes: the precedence of the env layers read
// back from /proc (process.env), --update-env dropping what the shell no longer has, env file errors,
// masking, and signals reaching every instance (fork and cluster). Waits are on events or files.
import assert from 'node:assert/strict';
import { existsSync, watch as fsWatch, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AppInput } from '../../src/config/input-types.js';
import { isTendError } from '../../src/protocol/errors.js';
import { FIXTURES, startTestDaemon, type TestDaemon } from '../helpers/daemon.js';

let d: TestDaemon;
let dir: string;
before(async () => {
  d = await startTestDaemon();
  dir = join(d.home, 'app');
  mkdirSync(dir);
});
after(() => d.stop());

const PATH = process.env.PATH ?? '';
const fixture = (name: string) => join(FIXTURES, name);
const start = (apps: AppInput[], env: Record<string, string>, over = {}) =>
  d.client.call('app.start', { apps, base_dir: dir, env, ...over });
const envOf = async (target: string, show_secrets = true) =>
  (await d.client.call('process.env', { target: [target], show_secrets })).processes;
const list = async (name: string) =>
  (await d.client.call('process.list')).processes.filter((p) => p.name === name);

async function rejectsWith(p: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(isTendError(err), String(err));
    assert.equal(err.code, code);
    assert.match(err.message, message);
    return true;
  });
}

/** Resolves once every file in `names` exists in `folder` (fs.watch; the timeout is a safety net). */
function untilFiles(folder: string, names: string[], timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const all = () => names.every((n) => existsSync(join(folder, n)));
    const watcher = fsWatch(folder, () => {
      if (all()) done();
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(new Error(`timed out waiting for ${names.join(', ')}; have ${readdirSync(folder).join(', ')}`));
    }, timeoutMs);
    const done = () => {
      clearTimeout(timer);
      watcher.close();
      resolve();
    };
    if (all()) done();
  });
}

describe('environment', () => {
  test('precedence: base < env_file < env < env_<name> < --update-env shell; tend vars per instance', async () => {
    writeFileSync(
      join(dir, 'a.env'),
      'BASE_FILE=file-a\nFILE_FILE=a\nFILE_ENV=file\nFROM_FILE=v1\nNODE_APP_INSTANCE=file\n',
    );
    writeFileSync(join(dir, 'b.env'), 'FILE_FILE=b\n');
    const shell = { PATH, ONLY_BASE: 'base', BASE_FILE: 'base', SHELL_SECTION: 'base' };
    const app = {
      name: 'layers',
      script: fixture('idle.cjs'),
      instances: 2,
      exec_mode: 'fork' as const,
      env_file: ['a.env', 'b.env'],
      env: { FILE_ENV: 'env', ENV_SECTION: 'env', TEND_HOME: '/wrong', pm_id: 'wrong' },
      env_production: { ENV_SECTION: 'production', SHELL_SECTION: 'production' },
    };
    await start([app], shell, { env_name: 'production' });
    const ids = (await list('layers')).map((p) => String(p.id));

    // variable → expected value in instance 0 and 1, at the first start
    const table: [string, string | undefined, string | undefined][] = [
      ['ONLY_BASE', 'base', 'base'],
      ['BASE_FILE', 'file-a', 'file-a'],
      ['FILE_FILE', 'b', 'b'],
      ['FILE_ENV', 'env', 'env'],
      ['ENV_SECTION', 'production', 'production'],
      ['SHELL_SECTION', 'production', 'production'],
      ['NODE_APP_INSTANCE', '0', '1'],
      ['TEND_HOME', d.home, d.home],
      ['TEND_APP_NAME', 'layers', 'layers'],
      ['pm_id', ids[0], ids[1]],
    ];
    const check = async (rows: typeof table, when: string) => {
      const procs = await envOf('layers');
      assert.equal(procs.length, 2);
      const pids = (await list('layers')).map((p) => p.pid);
      assert.deepEqual(
        procs.map((p) => p.pid),
        pids,
        'read from the running processes',
      );
      for (const [name, i0, i1] of rows) {
        assert.deepEqual([procs[0]?.env[name], procs[1]?.env[name]], [i0, i1], `${when}: ${name}`);
      }
      return pids;
    };
    const firstPids = await check(table, 'first start');

    // A plain restart keeps the environment of the first start, even with the env file edited.
    writeFileSync(join(dir, 'a.env'), 'BASE_FILE=file-a\nFILE_FILE=a\nFILE_ENV=file\nFROM_FILE=v2\n');
    await d.client.call('process.restart', { target: ['layers'] });
    assert.deepEqual(
      (await envOf('layers')).map((p) => p.env.FROM_FILE),
      ['v1', 'v1'],
    );

    // --update-env: the new shell replaces the base and tops everything; the env file is read again.
    const newShell = { PATH, SHELL_SECTION: 'shell', NEW: 'new' };
    await d.client.call('process.restart', { target: ['layers'], update_env: { env: newShell } });
    const pids = await check(
      [
        ['ONLY_BASE', undefined, undefined],
        ['BASE_FILE', 'file-a', 'file-a'],
        ['FROM_FILE', 'v2', 'v2'],
        ['ENV_SECTION', 'production', 'production'],
        ['SHELL_SECTION', 'shell', 'shell'],
        ['NEW', 'new', 'new'],
        ['NODE_APP_INSTANCE', '0', '1'],
        ['pm_id', ids[0], ids[1]],
      ],
      'after --update-env',
    );
    assert.ok(
      pids.every((p) => !firstPids.includes(p)),
      'new processes',
    );

    // A later plain restart keeps the updated environment.
    await d.client.call('process.restart', { target: ['layers'] });
    assert.deepEqual(
      (await envOf('layers')).map((p) => [p.env.NEW, p.env.ONLY_BASE]),
      [
        ['new', undefined],
        ['new', undefined],
      ],
    );
    await d.client.call('process.delete', { target: ['layers'] });
  });

  test('cluster: tend env reads each worker; reload --update-env removes a variable', async () => {
    writeFileSync(join(dir, 'c.env'), 'FROM_FILE=c\n');
    await start(
      [
        {
          name: 'cl-env',
          script: fixture('ready.cjs'),
          instances: 2,
          exec_mode: 'cluster',
          wait_ready: true,
          env_file: 'c.env',
        },
      ],
      { PATH, GOES_AWAY: 'yes' },
    );
    const before = await envOf('cl-env');
    assert.deepEqual(
      before.map((p) => p.pid),
      (await list('cl-env')).map((p) => p.pid),
      'the worker pids',
    );
    assert.deepEqual(
      before.map((p) => [p.env.NODE_APP_INSTANCE, p.env.FROM_FILE, p.env.GOES_AWAY]),
      [
        ['0', 'c', 'yes'],
        ['1', 'c', 'yes'],
      ],
    );
    await d.client.call('process.reload', { target: ['cl-env'], update_env: { env: { PATH } } });
    const afterReload = await envOf('cl-env');
    assert.deepEqual(
      afterReload.map((p) => [p.env.NODE_APP_INSTANCE, p.env.FROM_FILE, p.env.GOES_AWAY]),
      [
        ['0', 'c', undefined],
        ['1', 'c', undefined],
      ],
    );
    await d.client.call('process.delete', { target: ['cl-env'] });
  });

  test('start --update-env: a stopped process starts with the new environment, a running one keeps its own', async () => {
    await start([{ name: 'st-a', script: fixture('idle.cjs') }], { PATH, OLD: 'a' });
    await start([{ name: 'st-b', script: fixture('idle.cjs') }], { PATH, OLD: 'b' });
    await d.client.call('process.stop', { target: ['st-a'] });
    const r = await d.client.call('process.start', {
      target: ['st-a', 'st-b'],
      update_env: { env: { PATH, NEW: 'yes' } },
    });
    assert.deepEqual(
      r.processes.map((p) => p.status),
      ['online', 'online'],
    );
    assert.match(r.notes?.join('\n') ?? '', /^st-b \[\d+\] is running: environment unchanged/);
    const [a] = await envOf('st-a');
    const [b] = await envOf('st-b');
    assert.deepEqual([a?.env.OLD, a?.env.NEW, b?.env.OLD, b?.env.NEW], [undefined, 'yes', 'b', undefined]);
    await d.client.call('process.delete', { target: ['st-a', 'st-b'] });
  });

  test('restart <file> --update-env keeps the env_<name> the app was started with unless --env is given', async () => {
    const apps = (value: string) => [
      {
        name: 'sect',
        script: fixture('idle.cjs'),
        env: { V: value },
        env_production: { MODE: 'production' },
      },
    ];
    await start(apps('one'), { PATH }, { env_name: 'production' });
    const file = { apps: apps('two'), source: join(dir, 'eco.config.js'), base_dir: dir, env_name: null };
    await d.client.call('process.restart', { target: ['sect'], update_env: { env: { PATH }, file } });
    const [kept] = await envOf('sect');
    assert.deepEqual([kept?.env.V, kept?.env.MODE], ['two', 'production']);
    await d.client.call('process.restart', {
      target: ['sect'],
      update_env: { env: { PATH }, file: { ...file, env_name: 'staging' } },
    });
    const [switched] = await envOf('sect');
    assert.deepEqual([switched?.env.V, switched?.env.MODE], ['two', undefined]);
    await d.client.call('process.delete', { target: ['sect'] });
  });

  test('masking: secret-looking names are masked unless show_secrets', async () => {
    const secrets = { API_KEY: 'k', DB_PASSWORD: 'p', github_token: 't', MY_SECRET: 's', PLAIN: 'visible' };
    await start([{ name: 'masked', script: fixture('idle.cjs'), env: secrets }], { PATH });
    const [masked] = await envOf('masked', false);
    assert.deepEqual(
      Object.keys(secrets).map((k) => masked?.env[k]),
      ['********', '********', '********', '********', 'visible'],
    );
    assert.deepEqual(masked?.masked.sort(), ['API_KEY', 'DB_PASSWORD', 'MY_SECRET', 'github_token']);
    const [shown] = await envOf('masked', true);
    assert.deepEqual(
      Object.keys(secrets).map((k) => shown?.env[k]),
      ['k', 'p', 't', 's', 'visible'],
    );
    await d.client.call('process.delete', { target: ['masked'] });
  });

  test('bad env files: clear error, app not started, running apps untouched', async () => {
    await start([{ name: 'bystander', script: fixture('idle.cjs') }], { PATH });
    const [bystander] = await list('bystander');
    writeFileSync(join(dir, 'bad.env'), 'OK=1\nnot valid\n');
    await rejectsWith(
      start([{ name: 'broken', script: fixture('idle.cjs'), env_file: ['bad.env', 'missing.env'] }], {
        PATH,
      }),
      'TEND_ERR_CONFIG_INVALID',
      /apps\[0\] \(broken\)\.env_file: .*bad\.env:2: expected KEY=value, got "not valid"\napps\[0\] \(broken\)\.env_file: cannot read ".*missing\.env": no such file/,
    );
    assert.deepEqual(await list('broken'), []);

    // An env file broken after the start fails --update-env before anything is restarted.
    writeFileSync(join(dir, 'ok.env'), 'A=1\n');
    await start([{ name: 'later', script: fixture('idle.cjs'), env_file: 'ok.env' }], { PATH });
    const [later] = await list('later');
    writeFileSync(join(dir, 'ok.env'), 'A="unterminated\n');
    await rejectsWith(
      d.client.call('process.restart', { target: ['later'], update_env: { env: { PATH } } }),
      'TEND_ERR_CONFIG_INVALID',
      /later\.env_file: .*ok\.env:1: A: the " quote opened here is never closed/,
    );
    assert.deepEqual(
      (await list('later')).map((p) => [p.pid, p.status]),
      [[later?.pid, 'online']],
    );
    assert.deepEqual(
      (await list('bystander')).map((p) => [p.pid, p.status]),
      [[bystander?.pid, 'online']],
    );
    await d.client.call('process.delete', { target: ['bystander', 'later'] });
  });

  test('a stopped process has no environment to show', async () => {
    await start([{ name: 'off', script: fixture('idle.cjs') }], { PATH });
    await d.client.call('process.stop', { target: ['off'] });
    await rejectsWith(envOf('off'), 'TEND_ERR_NOT_RUNNING', /off \[\d+\] is stopped/);
    await d.client.call('process.delete', { target: ['off'] });
  });
});

describe('sendSignal', () => {
  for (const mode of ['fork', 'cluster'] as const) {
    test(`${mode}: every instance gets the signal and keeps running`, async () => {
      const sigDir = join(d.home, `sig-${mode}`);
      mkdirSync(sigDir);
      const name = `sig-${mode}`;
      await start(
        [
          {
            name,
            script: fixture('signal-log.cjs'),
            args: [sigDir],
            instances: 2,
            exec_mode: mode,
            wait_ready: true,
          },
        ],
        { PATH },
      );
      const before = await list(name);
      assert.deepEqual(
        before.map((p) => p.status),
        ['online', 'online'],
      );
      const r = await d.client.call('process.signal', { target: [name], signal: 'usr2' });
      assert.equal(r.signal, 'SIGUSR2');
      assert.deepEqual(
        r.processes.map((p) => p.pid),
        before.map((p) => p.pid),
      );
      await untilFiles(
        sigDir,
        before.map((p) => `SIGUSR2-${p.pid}`),
      );
      // By number too (SIGHUP = 1).
      await d.client.call('process.signal', { target: [name], signal: '1' });
      await untilFiles(
        sigDir,
        before.map((p) => `SIGHUP-${p.pid}`),
      );
      const afterSignals = await list(name);
      assert.deepEqual(
        afterSignals.map((p) => [p.pid, p.status, p.restarts]),
        before.map((p) => [p.pid, 'online', 0]),
      );
      await d.client.call('process.delete', { target: [name] });
    });
  }

  test('an invalid signal is refused; a stopped target is not running', async () => {
    await start([{ name: 'sig-bad', script: fixture('idle.cjs') }], { PATH });
    await rejectsWith(
      d.client.call('process.signal', { target: ['sig-bad'], signal: 'SIGNOPE' }),
      'TEND_ERR_INVALID_SIGNAL',
      /invalid signal "SIGNOPE"/,
    );
    await d.client.call('process.stop', { target: ['sig-bad'] });
    await rejectsWith(
      d.client.call('process.signal', { target: ['sig-bad'], signal: 'USR1' }),
      'TEND_ERR_NOT_RUNNING',
      /SIGUSR1 not sent: .*sig-bad \[\d+\] is stopped/,
    );
    await d.client.call('process.delete', { target: ['sig-bad'] });
  });
});
