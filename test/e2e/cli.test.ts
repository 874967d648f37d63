// The built CLI as a user runs it: commands, flags, output, exit codes and error messages.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FIXTURES, runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';
import { reached, watch } from '../helpers/until.js';

const tmp = makeTmpHome();
const home = tmp.home;
const cli = (args: string[], cwd?: string) => runCli(args, { home, cwd });
const jlist = async () => JSON.parse((await cli(['jlist'])).stdout) as Record<string, unknown>[];

before(async () => {
  const r = await cli(['ping']);
  assert.equal(r.code, 0, r.stderr);
});
after(async () => {
  await cli(['kill']);
  tmp.remove();
});

describe('tend CLI', () => {
  test('start a script with flags; list, jlist and describe show it', async () => {
    const r = await cli([
      'start',
      join(FIXTURES, 'idle.cjs'),
      '--name',
      'api',
      '--namespace',
      'web',
      '--max-restarts',
      '5',
      '--kill-timeout',
      '2s',
      '--',
      'one',
      '--two',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\d+ +api +web +fork +\d+ +online +yes +0 +\S+ +\d+% +[\d.]+[kmg]?b$/m);

    const ls = await cli(['ls']);
    assert.match(
      ls.stdout,
      /^ID +NAME +NAMESPACE +MODE +PID +STATUS +READY +RESTARTS +UPTIME +CPU +MEMORY$/m,
    );
    assert.match((await cli(['status'])).stdout, /api/);

    const [p] = (await jlist()).filter((x) => x.name === 'api');
    for (const k of [
      'id',
      'name',
      'namespace',
      'mode',
      'instance',
      'pid',
      'status',
      'restarts',
      'unstable_restarts',
      'started_at',
      'uptime_ms',
      'cpu',
      'memory',
      'last_exit',
      'next_start_at',
      'script',
      'args',
      'cwd',
      'interpreter',
      'autorestart',
      'out_log',
      'err_log',
    ])
      assert.ok(p && k in p, `jlist lacks ${k}`);
    assert.deepEqual(p?.args, ['one', '--two']);
    assert.equal(p?.namespace, 'web');
    assert.equal(typeof p?.pid, 'number');

    const desc = await cli(['describe', 'api']);
    assert.equal(desc.code, 0);
    assert.match(desc.stdout, /max_restarts +5/);
    assert.match(desc.stdout, /kill_timeout +2000/);
    assert.match(desc.stdout, /out log +.*api-out\.log/);
  });

  test('starting a running app again is an error; starting it by name when stopped works', async () => {
    const again = await cli(['start', join(FIXTURES, 'idle.cjs'), '--name', 'api']);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /^error: api is already running .*\(TEND_ERR_ALREADY_RUNNING\)$/m);
    assert.equal((await cli(['stop', 'api'])).code, 0);
    assert.equal((await jlist()).find((x) => x.name === 'api')?.status, 'stopped');
    const byName = await cli(['start', 'api']);
    assert.equal(byName.code, 0, byName.stderr);
    assert.equal((await jlist()).find((x) => x.name === 'api')?.status, 'online');
  });

  test('restart counts, stop and delete print the table and act on several targets', async () => {
    const r = await cli(['restart', 'api']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((await jlist()).find((x) => x.name === 'api')?.restarts, 1);
    const d = await cli(['delete', 'api']);
    assert.equal(d.code, 0, d.stderr);
    assert.equal(
      (await jlist()).find((x) => x.name === 'api'),
      undefined,
    );
  });

  test('ecosystem files: .config.js with --only and --env, then stop/restart/delete by file', async () => {
    const dir = join(home, 'eco');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{"type":"commonjs"}');
    writeFileSync(
      join(dir, 'ecosystem.config.js'),
      `module.exports = { apps: [
        { name: 'e-web', script: ${JSON.stringify(join(FIXTURES, 'env-dump.cjs'))}, args: [${JSON.stringify(join(dir, 'web.json'))}],
          wait_ready: true, env: { MODE: 'dev' }, env_production: { MODE: 'prod' }, watch: false, merge_logs: true },
        { name: 'e-worker', script: ${JSON.stringify(join(FIXTURES, 'idle.cjs'))} },
      ] };`,
    );
    const r = await cli(['start', 'ecosystem.config.js', '--only', 'e-web', '--env', 'production'], dir);
    assert.equal(r.code, 0, r.stderr);
    const names = (await jlist()).map((x) => x.name);
    assert.ok(names.includes('e-web') && !names.includes('e-worker'));
    const { readFileSync } = await import('node:fs');
    assert.equal(JSON.parse(readFileSync(join(dir, 'web.json'), 'utf8')).env.MODE, 'prod');

    const rs = await cli(['restart', join(dir, 'ecosystem.config.js')]);
    assert.equal(rs.code, 0, rs.stderr);
    const after = await jlist();
    assert.equal(after.find((x) => x.name === 'e-web')?.restarts, 1);
    assert.equal(after.find((x) => x.name === 'e-worker')?.status, 'online');

    assert.equal((await cli(['stop', join(dir, 'ecosystem.config.js')])).code, 0);
    assert.ok(
      (await jlist()).filter((x) => String(x.name).startsWith('e-')).every((x) => x.status === 'stopped'),
    );
    assert.equal((await cli(['delete', join(dir, 'ecosystem.config.js')])).code, 0);
    assert.equal((await jlist()).filter((x) => String(x.name).startsWith('e-')).length, 0);
  });

  test('ecosystem files in JSON and YAML', async () => {
    const dir = join(home, 'eco2');
    mkdirSync(dir, { recursive: true });
    const script = join(FIXTURES, 'idle.cjs');
    writeFileSync(join(dir, 'apps.json'), JSON.stringify({ apps: [{ name: 'j1', script }] }));
    writeFileSync(
      join(dir, 'apps.yaml'),
      `apps:\n  - name: y1\n    script: ${script}\n    instances: 2\n    exec_mode: fork\n`,
    );
    for (const file of ['apps.json', 'apps.yaml']) {
      const r = await cli(['start', file], dir);
      assert.equal(r.code, 0, r.stderr);
    }
    const l = await jlist();
    assert.equal(l.filter((x) => x.name === 'j1').length, 1);
    assert.equal(l.filter((x) => x.name === 'y1').length, 2);
    await cli(['delete', 'j1', 'y1']);
  });

  test('errors: one clear line on stderr with a code and a non-zero exit, never a stack trace', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['start', 'no-such-script.js'],
        /error: script not found: no-such-script\.js.*\(TEND_ERR_SCRIPT_NOT_FOUND\)/,
      ],
      [['stop', 'ghost'], /error: no process matches "ghost" \(TEND_ERR_TARGET_NOT_FOUND\)/],
      [
        ['start', join(FIXTURES, 'idle.cjs'), '--bogus'],
        /error: unknown option '--bogus'.*\(TEND_ERR_USAGE\)/,
      ],
      [
        ['start', join(FIXTURES, 'idle.cjs'), '--max-restarts', '-1'],
        /--max-restarts.*expected a non-negative integer/,
      ],
      [['frobnicate'], /error: unknown command 'frobnicate'/],
      // One line: commander's suggestion joined to its message.
      [['lisst'], /^error: unknown command 'lisst' \(did you mean list\?\) \(TEND_ERR_USAGE\)\n$/],
      // A control character typed in a value is shown escaped, never sent to the terminal.
      [
        ['start', join(FIXTURES, 'idle.cjs'), '--instances', '2\u001b[31m'],
        /^error: option '-i, --instances <n>' argument '2\\u001b\[31m' is invalid\..*\(TEND_ERR_USAGE\)\n$/,
      ],
    ];
    for (const [args, re] of cases) {
      const r = await cli(args);
      assert.notEqual(r.code, 0, args.join(' '));
      assert.match(r.stderr, re, args.join(' '));
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.ok(!r.stderr.includes('\u001b'), `${args.join(' ')}: no raw escape character`);
    }
  });

  test('invalid ecosystem files name the file, the field path and the expectation', async () => {
    const dir = join(home, 'bad');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'syntax.config.js'), 'module.exports = { apps: [ { name: "x", script: "a.js" ]');
    writeFileSync(
      join(dir, 'types.json'),
      JSON.stringify({
        apps: [
          { name: 'ok', script: join(FIXTURES, 'idle.cjs') },
          { name: 'b', script: join(FIXTURES, 'idle.cjs'), max_restarts: -1 },
        ],
      }),
    );
    const syntax = await cli(['start', 'syntax.config.js'], dir);
    assert.notEqual(syntax.code, 0);
    assert.match(syntax.stderr, /syntax\.config\.js.*\(TEND_ERR_CONFIG_INVALID\)/s);
    const types = await cli(['start', 'types.json'], dir);
    assert.notEqual(types.code, 0);
    assert.match(
      types.stderr,
      /types\.json: apps\[1\] \(b\)\.max_restarts: expected a non-negative integer, got -1/,
    );
    // The app with a problem is left out; the file's other apps start (each app stands alone).
    assert.equal(
      (await jlist()).find((x) => x.name === 'b'),
      undefined,
    );
    assert.equal((await jlist()).find((x) => x.name === 'ok')?.status, 'online');
    await cli(['delete', 'ok']);
    const only = await cli(['start', 'types.json', '--only', 'nope'], dir);
    assert.match(only.stderr, /only: no app named "nope"/);
  });

  test('a script that crashes at once ends errored; describe shows its last stderr lines', async () => {
    const w = await watch(home);
    const r = await cli(['start', join(FIXTURES, 'crash.cjs'), '--name', 'boom', '--max-restarts', '0']);
    assert.equal(r.code === 0 || r.code === 1, true, r.stderr);
    await w.until(reached('boom', 'errored'), { what: 'boom errored' });
    await w.close();
    const d = await cli(['describe', 'boom']);
    assert.match(d.stdout, /status +errored/);
    assert.match(d.stdout, /recent stderr[\s\S]*boom: cannot connect to database/);
    await cli(['delete', 'boom']);
  });

  test('--help works on every command', async () => {
    const top = await cli(['--help']);
    assert.equal(top.code, 0);
    for (const c of [
      'start',
      'stop',
      'restart',
      'delete',
      'list',
      'jlist',
      'describe',
      'kill',
      'ping',
      'prettylist',
    ]) {
      assert.match(top.stdout, new RegExp(`\\b${c}\\b`));
      const h = await cli([c, '--help']);
      assert.equal(h.code, 0, c);
      assert.match(h.stdout, new RegExp(`Usage: tend ${c}`));
    }
  });

  test('output is plain when piped (no colour codes)', async () => {
    const r = await runCli(['ls'], { home, env: { NO_COLOR: '' } });
    assert.ok(!r.stdout.includes('\u001b['), 'no ANSI escapes');
  });

  test('kill stops everything and the daemon', async () => {
    await cli(['start', join(FIXTURES, 'idle.cjs'), '--name', 'last']);
    const k = await cli(['kill']);
    assert.equal(k.code, 0, k.stderr);
    assert.match(k.stdout, /Stopped \d+ process/);
    const again = await cli(['kill']);
    assert.match(again.stdout, /not running/);
  });
});
