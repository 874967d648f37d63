// tend-pm2 as a PM2 shell script drives it: bin/tend-pm2.js run directly (sh, then node), its own PM2_HOME,
// stdout and exit codes read as a script would (`prettylist | grep -c 'restart_time: 1'`). Clean-room: the
// expectations come from PM2 7's observed behaviour (docs/pm2.md), not from PM2's tests.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FIXTURES, ROOT, runCli } from '../helpers/daemon.js';
import { shapeProblems } from '../helpers/pm2-shape.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const BIN = join(ROOT, 'bin', 'tend-pm2.js');
const tmp = makeTmpHome();
const pm2Home = tmp.home;
/** The apps' folder: scripts a.js, b.js, c.js … (copies of the idle fixture), ecosystem files. */
const dir = makeTmpHome();
const apps = dir.home;

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<Result> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      {
        cwd: apps,
        // TEND_HOME set elsewhere must not matter: PM2_HOME is tend-pm2's home.
        env: { ...process.env, PM2_HOME: pm2Home, TEND_HOME: '/nonexistent', NO_COLOR: '1', ...env },
        timeout: 60_000,
      },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
      },
    );
  });
}

const pm2 = (args: string[], env?: Record<string, string>) => run(BIN, args, env);
/** A shell pipeline, as a deploy script writes it (`$PM2` is tend-pm2). */
const sh = (script: string) => run('/bin/sh', ['-c', script], { PM2: BIN });

interface Entry {
  pid: number;
  name: string;
  pm_id: number;
  pm2_env: Record<string, unknown> & { status: string; restart_time: number; exec_mode: string };
}
async function jlist(): Promise<Entry[]> {
  const r = await pm2(['jlist']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Entry[];
}
const states = async () =>
  (await jlist()).map((e) => [e.name, e.pm2_env.status, e.pm2_env.restart_time] as const);
const byName = async (name: string) => (await jlist()).filter((e) => e.name === name);

async function ok(args: string[], env?: Record<string, string>): Promise<Result> {
  const r = await pm2(args, env);
  assert.equal(r.code, 0, `tend-pm2 ${args.join(' ')}: ${r.stderr}`);
  return r;
}

before(async () => {
  for (const s of ['a', 'b', 'c', 'd', 'e', 'f', 'x', 'y'])
    copyFileSync(join(FIXTURES, 'idle.cjs'), join(apps, `${s}.js`));
  copyFileSync(join(FIXTURES, 'env-dump.cjs'), join(apps, 'env-dump.js'));
  writeFileSync(
    join(apps, 'eco.config.js'),
    "module.exports = { apps: [{ name: 'ea', script: './x.js' }, { name: 'eb', script: './y.js' }] };\n",
  );
});
after(async () => {
  await pm2(['kill']);
  tmp.remove();
  dir.remove();
});

describe('tend-pm2', () => {
  test('start a.js b.js c.js starts three apps; jlist has PM2 shape; the home is PM2_HOME', async () => {
    const r = await ok(['start', 'a.js', 'b.js', 'c.js']);
    assert.match(r.stdout, /│ id +│ name +│ namespace +│ version +│ mode +│ pid +│ uptime +│ ↺ +│ status +│/);
    assert.deepEqual(await states(), [
      ['a', 'online', 0],
      ['b', 'online', 0],
      ['c', 'online', 0],
    ]);
    const entries = await jlist();
    assert.deepEqual(shapeProblems(entries), []);
    assert.equal(entries[0]!.pm2_env.pm_exec_path, join(apps, 'a.js'));
    assert.equal(entries[0]!.pm2_env.exec_mode, 'fork_mode');
    // The same daemon for plain tend with TEND_HOME=$PM2_HOME.
    const plain = await runCli(['jlist'], { home: pm2Home });
    assert.deepEqual(
      (JSON.parse(plain.stdout) as { name: string }[]).map((p) => p.name),
      ['a', 'b', 'c'],
    );
  });

  test("a restart counts: prettylist | grep -c 'restart_time: 1' is 1", async () => {
    await ok(['restart', 'b']);
    const r = await sh(`"$PM2" prettylist | grep -c 'restart_time: 1'`);
    assert.equal(r.stdout.trim(), '1', r.stderr);
    assert.equal((await sh(`"$PM2" prettylist | grep -c 'restart_time: 0'`)).stdout.trim(), '2');
  });

  test('restart of a stopped app starts it without counting; start <name> of a running one counts', async () => {
    await ok(['stop', 'a']);
    assert.deepEqual(
      (await byName('a')).map((e) => e.pm2_env.status),
      ['stopped'],
    );
    await ok(['restart', 'a']);
    assert.deepEqual(
      (await byName('a')).map((e) => [e.pm2_env.status, e.pm2_env.restart_time]),
      [['online', 0]],
    );
    // Smart start: by name (running: restarted, counted), by id (stopped: started, not counted).
    await ok(['start', 'a']);
    assert.deepEqual(
      (await byName('a')).map((e) => e.pm2_env.restart_time),
      [1],
    );
    const cId = String((await byName('c'))[0]!.pm_id);
    await ok(['stop', cId]);
    await ok(['start', cId]);
    assert.deepEqual(
      (await byName('c')).map((e) => [e.pm2_env.status, e.pm2_env.restart_time]),
      [['online', 0]],
    );
  });

  test('start <script> of a running app restarts it (smart start), with a note; -f too, with the one-name note', async () => {
    const before = (await byName('c'))[0]!.pm2_env.restart_time;
    const again = await ok(['start', 'c.js']);
    assert.match(again.stderr, /c\.js already runs as c: restarting it \(PM2 7 would refuse without -f\)/);
    assert.deepEqual(
      (await byName('c')).map((e) => [e.pm2_env.status, e.pm2_env.restart_time]),
      [['online', before + 1]],
    );
    const forced = await ok(['start', 'c.js', '-f']);
    assert.match(forced.stderr, /tend keeps one app per name, so -f restarts it/);
    assert.deepEqual(
      (await byName('c')).map((e) => [e.pm2_env.status, e.pm2_env.restart_time]),
      [['online', before + 2]],
    );
    // Another script under a running app's name: no second app of that name.
    const other = await pm2(['start', 'd.js', '--name', 'c', '-f']);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /tend keeps one app per name, so -f cannot start a second app called c/);
    assert.deepEqual((await jlist()).filter((e) => e.name === 'c').length, 1);
  });

  test('targets: a script path, /regex/, several at once, an unknown one fails', async () => {
    const r0 = await states();
    await ok(['stop', './b.js']);
    assert.deepEqual(
      (await byName('b')).map((e) => e.pm2_env.status),
      ['stopped'],
    );
    await ok(['restart', '/^[ab]$/']);
    const after1 = await states();
    assert.deepEqual(
      after1.filter(([n]) => n === 'a' || n === 'b').map(([n, s, t]) => [n, s, t]),
      [
        ['a', 'online', r0.find(([n]) => n === 'a')![2] + 1],
        // b was stopped: started, not counted
        ['b', 'online', r0.find(([n]) => n === 'b')![2]],
      ],
    );
    await ok(['stop', 'a', String((await byName('c'))[0]!.pm_id), join(apps, 'b.js')]);
    assert.deepEqual(
      (await jlist()).map((e) => e.pm2_env.status),
      ['stopped', 'stopped', 'stopped'],
    );
    const missing = await pm2(['stop', 'a', 'nope']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no process matches "nope" \(TEND_ERR_TARGET_NOT_FOUND\)/);
    await ok(['delete', '/^[abc]$/']);
    assert.deepEqual(await jlist(), []);
  });

  test('an ecosystem file: started, then running apps restart and stopped ones start; stop and delete take it', async () => {
    await ok(['start', 'eco.config.js']);
    assert.deepEqual(await states(), [
      ['ea', 'online', 0],
      ['eb', 'online', 0],
    ]);
    await ok(['stop', 'eb']);
    await ok(['start', 'eco.config.js']);
    assert.deepEqual(await states(), [
      ['ea', 'online', 1],
      ['eb', 'online', 0],
    ]);
    // The deploy verbs count the same way: ea stopped is started (1), eb restarted (1); then both reloaded.
    await ok(['stop', 'ea']);
    await ok(['startOrRestart', 'eco.config.js']);
    assert.deepEqual(await states(), [
      ['ea', 'online', 1],
      ['eb', 'online', 1],
    ]);
    await ok(['startOrReload', 'eco.config.js']);
    assert.deepEqual(await states(), [
      ['ea', 'online', 2],
      ['eb', 'online', 2],
    ]);
    assert.equal((await pm2(['startOrRestart', 'x.js'])).code, 2);
    await ok(['stop', 'eco.config.js']);
    assert.deepEqual(
      (await jlist()).map((e) => e.pm2_env.status),
      ['stopped', 'stopped'],
    );
    await ok(['delete', 'eco.config.js']);
    assert.deepEqual(await jlist(), []);
  });

  test('-x runs -i instances in fork mode', async () => {
    await ok(['start', 'e.js', '-i', '2', '-x']);
    assert.deepEqual(
      (await byName('e')).map((e) => e.pm2_env.exec_mode),
      ['fork_mode', 'fork_mode'],
    );
    await ok(['delete', 'e']);
  });

  test('restart --node-args changes them; restart --watch toggles watching', async () => {
    await ok(['start', 'f.js']);
    await ok(['restart', 'f', '--node-args=--max-old-space-size=100']);
    let [f] = await byName('f');
    assert.deepEqual(f!.pm2_env.node_args, ['--max-old-space-size=100']);
    assert.equal(f!.pm2_env.watch, false);
    await ok(['restart', 'f', '--watch']);
    [f] = await byName('f');
    assert.deepEqual([f!.pm2_env.watch, f!.pm2_env.restart_time], [true, 2]);
    await ok(['restart', 'f', '--watch']);
    [f] = await byName('f');
    assert.equal(f!.pm2_env.watch, false);
    const renamed = await ok(['restart', 'f', '--name', 'g']);
    assert.match(renamed.stderr, /tend does not rename a running app/);
    await ok(['delete', 'f']);
  });

  test('-s and PM2_SILENT print nothing on stdout; errors still do on stderr', async () => {
    const quiet = await ok(['start', 'd.js', '-s']);
    assert.equal(quiet.stdout, '');
    const silentEnv = await ok(['stop', 'd'], { PM2_SILENT: 'true' });
    assert.equal(silentEnv.stdout, '');
    const loud = await ok(['restart', 'd']);
    assert.match(loud.stdout, /restarted: d/);
    const failing = await pm2(['stop', 'nope'], { PM2_SILENT: 'true' });
    assert.equal(failing.code, 2);
    assert.match(failing.stderr, /TEND_ERR_TARGET_NOT_FOUND/);
    await ok(['delete', 'd']);
  });

  test('apps see pm_id and NODE_APP_INSTANCE', async () => {
    const out = join(apps, 'env.json');
    await ok(['start', 'env-dump.js', '--name', 'envy', '--wait-ready', '--', out]);
    const { env } = JSON.parse(readFileSync(out, 'utf8')) as { env: Record<string, string> };
    const [e] = await byName('envy');
    assert.deepEqual([env.pm_id, env.NODE_APP_INSTANCE], [String(e!.pm_id), '0']);
    await ok(['delete', 'envy']);
  });

  test('PM2_KILL_USE_MESSAGE: the shutdown message replaces the stop signal; PM2_WORKER_INTERVAL: memory checks', async () => {
    const seen = join(apps, 'seen.txt');
    writeFileSync(
      join(apps, 'listener.js'),
      `const { appendFileSync } = require('node:fs');
process.on('message', (m) => appendFileSync(${JSON.stringify(seen)}, m + '\\n'));
for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => appendFileSync(${JSON.stringify(seen)}, s + '\\n'));
process.send('ready');
setInterval(() => {}, 1 << 30);
`,
    );
    await ok(['start', 'listener.js', '--wait-ready', '--kill-timeout', '500'], {
      PM2_KILL_USE_MESSAGE: 'true',
      PM2_WORKER_INTERVAL: '2000',
    });
    // stop waits for the exit: the SIGKILL after kill_timeout, every signal delivered before it.
    await ok(['stop', 'listener']);
    assert.equal(readFileSync(seen, 'utf8'), 'shutdown\n');
    const d = JSON.parse((await runCli(['describe', 'listener', '--json'], { home: pm2Home })).stdout) as {
      config: { memory_check_interval: number; shutdown_with_message: boolean };
    }[];
    assert.deepEqual([d[0]!.config.shutdown_with_message, d[0]!.config.memory_check_interval], [true, 2000]);
    await ok(['delete', 'listener']);
  });

  test('save writes $PM2_HOME/dump.pm2; resurrect brings the apps back after kill, a stopped one stopped (as PM2 7)', async () => {
    await ok(['start', 'a.js', 'b.js', '-s']);
    await ok(['stop', 'b', '-s']);
    const saved = await pm2(['save']);
    assert.equal(saved.code, 0, saved.stderr);
    assert.equal((await sh('ls "$PM2_HOME/dump.pm2"')).code, 0);
    await ok(['kill']);
    await ok(['resurrect']);
    assert.deepEqual(
      (await states()).map(([n, s]) => [n, s]),
      [
        ['a', 'online'],
        ['b', 'stopped'],
      ],
    );
    // Stopped means never run: no pid, no pid file.
    const [, b] = await jlist();
    assert.equal(b!.pid, 0);
    assert.equal(existsSync(b!.pm2_env.pm_pid_path as string), false);
    await ok(['delete', 'all']);
  });

  test("save / resurrect gives back each app's whole spec, field by field (tend's own fields too)", async () => {
    copyFileSync(join(FIXTURES, 'ready.cjs'), join(apps, 'ready.js'));
    mkdirSync(join(apps, 'watched'), { recursive: true });
    writeFileSync(
      join(apps, 'rich.config.js'),
      `module.exports = { apps: [
  { name: 'base', script: './ready.js', wait_ready: true, listen_timeout: 8000 },
  {
    name: 'rich', script: './ready.js', args: ['--x', 'y z'], node_args: ['--no-warnings'], instances: 2, exec_mode: 'fork',
    env: { PORT: '4100', X: 'y' }, increment_var: 'PORT', instance_var: 'INST',
    watch: ['./watched'], ignore_watch: ['*.tmp'], watch_delay: 500,
    kill_signal: 'SIGINT', kill_timeout: 3000, listen_timeout: 4000, wait_ready: true,
    shutdown_with_message: true, stop_exit_codes: [3], exp_backoff_restart_delay: 100, min_uptime: 2000,
    max_restarts: 7, max_memory_restart: '200M', cron_restart: '0 3 * * *',
    time: true, log_date_format: 'YYYY', log_type: 'json', max_size: '10M', retain: 3, compress: true,
    readiness_probe: { exec: { command: 'true' }, period_seconds: 5, failure_threshold: 2 },
    liveness_probe: { exec: { command: ['true'] }, failure_threshold: 6 },
    max_surge: 2, min_ready_seconds: 1, watchdog_sec: 0,
    depends_on: { base: { condition: 'process_healthy', timeout_seconds: 60, restart: true } },
    notify: { webhook: { url: 'http://127.0.0.1:9/hook', secret: 'sekrit', events: ['crash'] } },
  },
  { name: 'idle', script: './a.js', kill_signal: 'SIGUSR2', autorestart: false },
] };
`,
    );
    await ok(['start', 'rich.config.js', '-s']);
    await ok(['stop', 'idle', '-s']);
    type Described = {
      process: { name: string; id: number; status: string };
      config: Record<string, unknown>;
    };
    const describe = async () =>
      JSON.parse((await runCli(['describe', 'all', '--json'], { home: pm2Home })).stdout) as Described[];
    const before = await describe();
    assert.deepEqual(
      before.map((d) => [d.process.name, d.process.status]),
      [
        ['base', 'online'],
        ['rich', 'online'],
        ['rich', 'online'],
        ['idle', 'stopped'],
      ],
    );
    await ok(['save']);
    // Each entry: PM2's keys, and tend's part (an object: PM2 keeps it and never puts it in the app's env).
    const dump = JSON.parse(readFileSync(join(pm2Home, 'dump.pm2'), 'utf8')) as Record<string, unknown>[];
    assert.deepEqual(
      dump.map((e) => [e.name, e.status, typeof e.tend]),
      [
        ['base', 'online', 'object'],
        ['rich', 'online', 'object'],
        ['rich', 'online', 'object'],
        ['idle', 'stopped', 'object'],
      ],
    );
    await ok(['kill']);
    await ok(['resurrect']);
    const after = await describe();
    assert.deepEqual(
      after.map((d) => [d.process.name, d.process.id, d.process.status]),
      before.map((d) => [d.process.name, d.process.id, d.process.status]),
    );
    for (const [i, b] of before.entries()) {
      const a = after[i]!;
      assert.deepEqual(Object.keys(a.config).sort(), Object.keys(b.config).sort(), b.process.name);
      for (const key of Object.keys(b.config))
        assert.deepEqual(a.config[key], b.config[key], `${b.process.name}.${key}`);
    }
    // describe hides notify's secret: the dump kept it (the file is the user's alone, as dump.json).
    assert.match(readFileSync(join(pm2Home, 'dump.pm2'), 'utf8'), /"secret": "sekrit"/);
    await ok(['delete', 'all']);
  });

  test("pm_pid_path is the instance's pid file in $PM2_HOME/pids, holding its pid while it runs", async () => {
    await ok(['start', 'a.js', '-s']);
    const [a] = await jlist();
    assert.equal(a!.pm2_env.pm_pid_path, join(pm2Home, 'pids', `a-${a!.pm_id}.pid`));
    assert.equal(readFileSync(a!.pm2_env.pm_pid_path as string, 'utf8'), String(a!.pid));
    assert.ok(a!.pid > 0);
    assert.match((await ok(['describe', 'a'])).stdout, new RegExp(`│ pid path +│ ${a!.pm2_env.pm_pid_path}`));
    await ok(['stop', 'a', '-s']);
    assert.equal(existsSync(a!.pm2_env.pm_pid_path as string), false, 'removed when the process stops');
    await ok(['delete', 'all']);
  });

  test('with no daemon, the read-only verbs answer as an empty daemon would and start none', async () => {
    await ok(['kill']);
    const unknownTargetFails = async () => {
      for (const args of [
        ['describe', 'a'],
        ['pid', 'a'],
        ['id', 'a'],
      ]) {
        const r = await pm2(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, /no process matches "a" \(TEND_ERR_TARGET_NOT_FOUND\)/);
      }
    };
    const gone = () => {
      assert.equal(existsSync(join(pm2Home, 'daemon.pid')), false, 'no daemon was started');
      assert.equal(existsSync(join(pm2Home, 'daemon.sock')), false, 'no daemon was started');
    };
    gone();
    assert.equal((await ok(['jlist'])).stdout, '[]\n');
    assert.equal((await ok(['prettylist'])).stdout, '[]\n');
    assert.match((await ok(['ls'])).stdout, /│ id +│ name +│/);
    assert.equal((await ok(['pid'])).stdout, '');
    gone();
    await unknownTargetFails();
    gone();
    // The same answers from a running daemon without apps.
    await ok(['ping']);
    assert.equal((await ok(['jlist'])).stdout, '[]\n');
    assert.equal((await ok(['prettylist'])).stdout, '[]\n');
    assert.equal((await ok(['pid'])).stdout, '');
    await unknownTargetFails();
  });

  test('start --no-daemon follows the logs; Ctrl-C stops the apps and the daemon', async () => {
    writeFileSync(
      join(apps, 'talk.js'),
      "console.log('hello from talk');\nsetInterval(() => {}, 1 << 30);\n",
    );
    const child = spawn(BIN, ['start', 'talk.js', '--no-daemon'], {
      cwd: apps,
      env: { ...process.env, PM2_HOME: pm2Home, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no log line within 30 s: ${out}`)), 30_000);
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('hello from talk')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGINT');
    assert.equal(await exited, 0);
    // The daemon is gone: its pid file removed, and a plain tend finds no daemon to talk to.
    assert.equal(existsSync(join(pm2Home, 'daemon.pid')), false);
  });

  test('link and unlink are no-ops with a note; --version says what it is', async () => {
    for (const verb of ['link', 'unlink']) {
      const r = await ok([verb, 'secret', 'public']);
      assert.match(r.stderr, /does nothing: tend has no cloud monitoring/);
    }
    const v = await ok(['--version']);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
    assert.match(v.stderr, /tend-pm2 .*not PM2/);
  });

  test('describe prints PM2 row names; ping answers', async () => {
    await ok(['start', 'a.js']);
    const d = await ok(['describe', 'a']);
    for (const row of ['status', 'restarts', 'script path', 'out log path', 'error log path', 'exec mode'])
      assert.match(d.stdout, new RegExp(`│ ${row} +│`), row);
    assert.match(d.stdout, new RegExp(`│ script path +│ ${join(apps, 'a.js')}`));
    assert.match((await ok(['ping'])).stdout, /pong/);
    await ok(['delete', 'all']);
  });

  test('the listings take the fast path: the entry bundle holds no argument parser', () => {
    // jlist / prettylist / ls run from dist/pm2-cli.cjs alone; commander lives in dist/pm2-program.cjs.
    const entry = readFileSync(join(ROOT, 'dist', 'pm2-cli.cjs'), 'utf8');
    assert.doesNotMatch(entry, /CommanderError/);
    assert.match(readFileSync(join(ROOT, 'dist', 'pm2-program.cjs'), 'utf8'), /CommanderError/);
  });

  test('every command has --help', async () => {
    const top = await ok(['--help']);
    const verbs = [...top.stdout.matchAll(/^ {2}([a-zA-Z:]+)(?:\|\S+)? /gm)]
      .map((m) => m[1]!)
      .filter((v) => v !== 'help');
    for (const v of ['start', 'restart', 'reload', 'jlist', 'prettylist', 'ls', 'describe', 'logs', 'save'])
      assert.ok(verbs.includes(v), `${v} in ${verbs.join(' ')}`);
    // Four at a time: each is a Node start-up.
    for (let i = 0; i < verbs.length; i += 4) {
      await Promise.all(
        verbs.slice(i, i + 4).map(async (verb) => {
          const r = await pm2([verb, '--help']);
          assert.equal(r.code, 0, `${verb} --help: ${r.stderr}`);
          assert.match(r.stdout, new RegExp(`^Usage: tend-pm2 ${verb}`), verb);
        }),
      );
    }
  });
});
