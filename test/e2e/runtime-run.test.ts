// tend-runtime running apps (issue 15), with the built bin/tend-runtime.js as a child: logs on stdout/stderr
// (raw, prefixed, JSON), start and stop in dependency order, HUP as a rolling reload, USR1/USR2 forwarded,
// the health listener (/readyz 503 during --shutdown-delay while the app still runs, ?app=), and READY=1 to
// systemd once the apps are ready.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { readEnviron } from '../../src/runtime/environ.js';
import { FIXTURES, ROOT, runCli } from '../helpers/daemon.js';
import { freePort } from '../helpers/free-port.js';
import { get } from '../helpers/http.js';
import { fileRuntimes, runRuntimeToEnd, startRuntime } from '../helpers/runtime.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const fx = (name: string) => join(FIXTURES, name);
const OFF = ['--health-listen', 'off'];
const RUNTIME_BIN = join(ROOT, 'bin', 'tend-runtime.js');
const { start, track } = fileRuntimes();

describe('tend-runtime: its own Node', () => {
  test('NODE_EXTRA_CA_CERTS and NODE_OPTIONS: not loaded by the runtime itself (its sh line moves them aside), the app gets them as set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-ca-'));
    try {
      const pem = join(dir, 'extra.pem');
      writeFileSync(pem, `${rootCertificates[0]}\n`);
      // An APM agent's --require (third audit): the app's, not the supervisor's.
      const agent = join(dir, 'agent.cjs');
      writeFileSync(
        agent,
        // biome-ignore lint/suspicious/noTemplateCurlyInString: the agent's own template literal, written to a file
        'process.stderr.write(`agent loaded in ${require("node:path").basename(process.argv[1])}\\n`);\n',
      );
      const options = `--require ${agent}`;
      const r = startRuntime([fx('runtime-app.cjs'), ...OFF, '--', 'ca'], {
        asCommand: true,
        env: { NODE_EXTRA_CA_CERTS: pem, NODE_OPTIONS: options },
      });
      track(r);
      const app = Number(/up (\d+)$/.exec(await r.line('out', /^ca up \d+$/))?.[1]);
      const appEnv = await readEnviron(app);
      // The app: as the user set it, and nothing of the runtime's own.
      assert.equal(appEnv?.NODE_EXTRA_CA_CERTS, pem, 'the app lacks NODE_EXTRA_CA_CERTS');
      assert.equal(appEnv?.TEND_NODE_EXTRA_CA_CERTS, undefined);
      // The runtime's Node (sh exec'd it: the same pid) started without it.
      assert.match(readFileSync(`/proc/${r.child.pid}/cmdline`, 'utf8'), /^node\0/);
      const own = await readEnviron(r.child.pid as number);
      assert.ok(own !== null);
      assert.equal(own.NODE_EXTRA_CA_CERTS, undefined, 'the runtime started with NODE_EXTRA_CA_CERTS');
      assert.equal(appEnv?.NODE_OPTIONS, options, 'the app lacks NODE_OPTIONS');
      assert.equal(appEnv?.TEND_NODE_OPTIONS, undefined);
      assert.equal(own.NODE_OPTIONS, undefined, 'the runtime started with NODE_OPTIONS');
      await r.line('err', /^agent loaded in runtime-app\.cjs$/);
      r.signal('SIGTERM');
      assert.equal(await r.exit, 0);
      assert.ok(!r.err.some((l) => /agent loaded in tend-runtime/.test(l)), r.err.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a stop signal while the config loads, before any app started: exit 0 at once, saying so', async () => {
  const r = start([fx('runtime-pending.config.cjs'), ...OFF]);
  await r.line('err', /^config loading$/);
  r.signal('SIGTERM');
  assert.equal(await r.exit, 0, r.err.join('\n'));
  assert.ok(r.err.includes('tend-runtime: SIGTERM before any app was started: exit 0'), r.err.join('\n'));
});

test('HUP, USR1, USR2 while the config loads: said and ignored (no death by 129/140, no inspector); TERM then exits 0', async () => {
  const r = start([fx('runtime-pending.config.cjs'), ...OFF]);
  await r.line('err', /^config loading$/);
  for (const sig of ['SIGHUP', 'SIGUSR1', 'SIGUSR2'] as const) {
    r.signal(sig);
    await r.line(
      'err',
      new RegExp(`^tend-runtime: ${sig} before any app was started: nothing to do, ignored$`),
    );
  }
  assert.ok(!r.err.some((l) => /Debugger listening/.test(l)), r.err.join('\n'));
  r.signal('SIGTERM');
  assert.equal(await r.exit, 0, r.err.join('\n'));
});

test('a config file that calls process.exit(0) while it is read: exit 2, with the reason (not a silent success)', async () => {
  const r = start([fx('runtime-exit0.config.cjs'), ...OFF]);
  assert.equal(await r.exit, 2, r.err.join('\n'));
  assert.ok(
    r.err.some((l) => /the config file ended the process .*\(TEND_ERR_CONFIG_INVALID\)$/.test(l)),
    r.err.join('\n'),
  );
});

test('--no-auto-exit with no health listener: the app fails, the runtime stays up until a signal', async () => {
  const r = start([fx('exit-code.cjs'), ...OFF, '--no-auto-exit', '--', '5']);
  await r.line('err', /exited \(code 5/);
  r.signal('SIGTERM');
  assert.equal(await r.exit, 0, r.err.join('\n'));
  // It was still there to take the signal.
  assert.ok(
    r.err.some((l) => /SIGTERM: shutting down/.test(l)),
    r.err.join('\n'),
  );
});

test("the runtime's stdout gone (EPIPE: the log collector went away): the apps' pipes keep flowing, their lines dropped; the app's exit still ends the runtime with its code", async () => {
  const r = start([fx('runtime-bigwrite.cjs'), ...OFF]);
  // The reader goes away after the first bytes: the runtime's next writes fail with EPIPE.
  await new Promise<void>((resolve) => r.child.stdout?.once('data', () => resolve()));
  r.child.stdout?.destroy();
  // A safety net: a runtime that left the app's pipe paused never ends (the app waits on its write).
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    r.exit,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the runtime did not end within 30 s:\n${r.err.join('\n')}`)),
        30_000,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  assert.equal(code, 5, r.err.join('\n'));
  assert.ok(
    r.err.some((l) => /runtime-bigwrite\[0\] exited \(code 5/.test(l)),
    r.err.join('\n'),
  );
});

test("the lines lost to a stdout that is gone are counted: tend_app_log_dropped_lines_total (Node 20: EPIPE leaves the stream 'alive')", async () => {
  const port = await freePort();
  const r = start([fx('log-ticker.cjs'), '--health-listen', `127.0.0.1:${port}`, '--no-control']);
  await new Promise<void>((resolve) => r.child.stdout?.once('data', () => resolve()));
  r.child.stdout?.destroy();
  // The ticker writes every 20 ms: the count rises once the runtime's writes fail. Asked until it shows,
  // each answer awaited (a safety net of 15 s).
  const deadline = Date.now() + 15_000;
  let dropped = 0;
  let body = '';
  while (dropped === 0 && Date.now() < deadline) {
    body = (await get(port, '/metrics')).body;
    dropped = Number(
      /^tend_app_log_dropped_lines_total\{[^}]*app="log-ticker"[^}]*\} (\d+)/m.exec(body)?.[1] ?? 0,
    );
    if (dropped === 0) await new Promise<void>((resolve) => r.child.stderr?.once('data', () => resolve()));
  }
  assert.ok(dropped > 0, body);
  r.signal('SIGTERM');
  assert.equal(await r.exit, 0, r.err.join('\n'));
});

test('an app that fails on its own during --shutdown-delay: its code is the exit code, and the rest of the delay is skipped', async () => {
  const r = start([fx('runtime-crash-usr2.cjs'), ...OFF, '--shutdown-delay', '60s']);
  await r.line('out', /^crashy up$/);
  r.signal('SIGTERM');
  await r.line('err', /stopping in 60000 ms \(--shutdown-delay\)/);
  // Forwarded to the app, which exits 3: no answer to a stop signal (it has none yet).
  r.signal('SIGUSR2');
  assert.equal(await r.exit, 3, r.err.join('\n'));
  assert.ok(
    r.err.some((l) => /runtime-crash-usr2 \[0\] exited with code 3 during the shutdown delay$/.test(l)),
    r.err.join('\n'),
  );
});

test('--grace-period 0 with an app that exits at once: exit 0 unless a process died of the SIGKILL', async () => {
  const r = start([fx('runtime-app.cjs'), ...OFF, '--grace-period', '0s', '--', 'zero']);
  await r.line('out', /^zero up \d+$/);
  r.signal('SIGTERM');
  const code = await r.exit;
  const exit = r.err.find((l) => /runtime-app\[0\] exited/.test(l)) ?? '';
  // Which comes first, the app's own exit 0 or the SIGKILL, is a race: the code must follow what happened.
  assert.equal(code, /signal SIGKILL/.test(exit) ? 1 : 0, r.err.join('\n'));
});

// timeout(1) signals the runtime and its process group: the same SIGTERM twice at once (fourth audit: taken
// for a second signal, every app SIGKILLed and exit 1). What is measured here is timeout's own delay.
test('one SIGTERM delivered twice at once (timeout(1)): one shutdown, nothing SIGKILLed', {
  skip: spawnSync('timeout', ['--version']).error ? 'timeout(1) is not installed' : false,
}, () => {
  const r = spawnSync(
    'timeout',
    ['--signal=TERM', '3', process.execPath, RUNTIME_BIN, fx('runtime-app.cjs'), ...OFF, '--', 'twice'],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  assert.equal(r.status, 124, r.stderr);
  assert.match(r.stderr, /SIGTERM: shutting down/);
  assert.doesNotMatch(r.stderr, /again|SIGKILL/);
  assert.match(r.stdout, /^twice got SIGTERM$/m);
});

// A uid with no passwd entry and no HOME (third audit: os.homedir() threw, TEND_ERR_INTERNAL, exit 70).
const asNobody =
  process.getuid?.() !== 0
    ? 'needs root (setpriv to a uid with no passwd entry)'
    : spawnSync('setpriv', ['--version']).error
      ? 'setpriv is not installed'
      : false;
test('a uid with no passwd entry and no HOME: the runtime runs its app (home: /, as Docker says)', {
  skip: asNobody,
}, () => {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.HOME;
  delete env.TEND_HOME;
  // The checkout may be private (a `mktemp -d` clone is 0700): that uid gets a readable copy of what it runs.
  const world = mkdtempSync(join(tmpdir(), 'tend-nobody-'));
  chmodSync(world, 0o755);
  for (const f of [
    'bin/tend-runtime.js',
    'bin/tend-init.sh',
    'dist/runtime.cjs',
    'dist/runtime-config.cjs',
    'test/fixtures/exit-code.cjs',
  ])
    cpSync(join(ROOT, f), join(world, f));
  const r = spawnSync(
    'setpriv',
    [
      '--reuid',
      '54321',
      '--regid',
      '54321',
      '--clear-groups',
      process.execPath,
      join(world, 'bin', 'tend-runtime.js'),
      join(world, 'test', 'fixtures', 'exit-code.cjs'),
      '--no-control',
      ...OFF,
      '--',
      '7',
    ],
    { env, cwd: world, encoding: 'utf8', timeout: 30_000 },
  );
  rmSync(world, { recursive: true, force: true });
  assert.equal(r.status, 7, r.stderr);
  assert.doesNotMatch(r.stderr, /TEND_ERR_INTERNAL/);
});

describe('tend-runtime: logs', () => {
  test('one app: its lines as written, stdout to stdout and stderr to stderr', async () => {
    const r = start([fx('runtime-app.cjs'), ...OFF, '--', 'solo']);
    const up = await r.line('out', /up \d+$/);
    assert.match(up, /^solo up \d+$/);
    assert.match(await r.line('err', /warns/), /^solo warns \d+$/);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0);
  });

  test('several apps: prefixed "name | " (name-N with several instances), never spliced', async () => {
    const r = start([fx('runtime-pair.config.cjs'), ...OFF]);
    for (const label of ['web-0', 'web-1', 'job']) {
      const app = label.replace(/-\d$/, '');
      assert.match(
        await r.line('out', new RegExp(`^${label} \\| `)),
        new RegExp(`^${label} \\| ${app} up \\d+$`),
      );
      assert.match(
        await r.line('err', new RegExp(`^${label} \\| `)),
        new RegExp(`^${label} \\| ${app} warns \\d+$`),
      );
    }
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0);
    // Every stdout line is a whole line of one app.
    for (const l of r.out) assert.match(l, /^(web-[01]|job) \| (web|job) (up \d+|got SIGTERM)$/);
  });

  test('--log-format json (and --json): one object per line with time, app, instance_id, stream, message', async () => {
    for (const flag of [['--log-format', 'json'], ['--json']]) {
      const r = start([fx('runtime-pair.config.cjs'), ...OFF, ...flag]);
      const line = await r.line('out', /"app":"web".*"instance_id":1/);
      const o = JSON.parse(line);
      assert.deepEqual(Object.keys(o), ['time', 'app', 'instance_id', 'stream', 'message']);
      assert.equal(o.stream, 'out');
      assert.match(o.message, /^web up \d+$/);
      // ISO 8601 in UTC with milliseconds, as toISOString writes it (runtime/utc-time.ts isoTime), and now.
      assert.match(o.time, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.ok(Math.abs(Date.parse(o.time) - Date.now()) < 60_000, o.time);
      const err = JSON.parse(await r.line('err', /"app":"job"/));
      assert.equal(err.stream, 'err');
      assert.match(err.message, /^job warns \d+$/);
      r.signal('SIGTERM');
      assert.equal(await r.exit, 0);
      for (const l of r.out) JSON.parse(l);
      // stderr too, the runtime's own lines included (app null): a JSON log shipper reads both streams.
      const own = r.err.map((l) => JSON.parse(l)).filter((o) => o.app === null);
      assert.ok(
        own.some((o) => /^tend-runtime: running /.test(o.message) && o.stream === 'err'),
        r.err.join('\n'),
      );
      for (const o of own)
        assert.deepEqual(Object.keys(o), ['time', 'app', 'instance_id', 'stream', 'message']);
    }
  });

  test("--json: the ecosystem file's console output, Node's process warnings and a usage error are JSON lines too (sixth audit)", async () => {
    const parse = (l: string) => {
      try {
        return JSON.parse(l) as { app: string | null; stream: string; message: string };
      } catch {
        assert.fail(`not a JSON line: ${l}`);
      }
    };
    for (const flag of [['--json'], ['--log-format', 'json']]) {
      const r = await runRuntimeToEnd([fx('runtime-noisy.config.cjs'), ...OFF, ...flag]);
      assert.equal(r.code, 0, r.err.join('\n'));
      const out = r.out.map(parse);
      const err = r.err.map(parse);
      assert.ok(
        out.some((o) => o.app === null && o.stream === 'out' && o.message === 'config: loading'),
        r.out.join('\n'),
      );
      assert.ok(
        err.some((o) => o.app === null && o.stream === 'err' && o.message === 'config: a warning of its own'),
        r.err.join('\n'),
      );
      assert.ok(
        err.some(
          (o) =>
            o.message ===
            'tend-runtime: warning: DeprecationWarning: the old way of doing it (DEP_TEND_TEST)',
        ),
        r.err.join('\n'),
      );
    }
    for (const argv of [
      ['--grace-period', '5x', '--json'],
      ['--log-format=json', '--bogus'],
    ]) {
      const bad = await runRuntimeToEnd([fx('idle.cjs'), ...OFF, ...argv]);
      assert.equal(bad.code, 2, bad.err.join('\n'));
      assert.ok(bad.err.length > 0);
      for (const o of bad.err.map(parse))
        assert.match(o.message, /^tend-runtime: error: .*\(TEND_ERR_USAGE\)$/);
    }
  });

  test("--secrets-from-env: a secret-looking variable takes the environment's value over the file's; others do not", async () => {
    const orchestrator = {
      API_TOKEN: 'from-the-secret',
      DATABASE_URL: 'postgres://u:secretpw@prod/x',
      PLAIN: 'from-the-environment',
    };
    const r = start([fx('runtime-secret.config.cjs'), ...OFF, '--secrets-from-env'], orchestrator);
    const pid = Number((await r.line('out', /^api up \d+$/)).split(' ').pop());
    const env = await readEnviron(pid);
    // By its name (API_TOKEN) and by the file's value (a URL with a password); PLAIN keeps the file's value.
    assert.deepEqual(
      [env?.API_TOKEN, env?.DATABASE_URL, env?.PLAIN],
      ['from-the-secret', 'postgres://u:secretpw@prod/x', 'from-the-file'],
    );
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
    // Without the flag the file wins, as with tend start.
    const plain = start([fx('runtime-secret.config.cjs'), ...OFF], orchestrator);
    assert.equal(await plain.line('out', /^api env /), 'api env API_TOKEN=from-the-file');
    plain.signal('SIGTERM');
    assert.equal(await plain.exit, 0);
  });

  test('--no-cron: a one-shot with cron_restart runs once and the runtime ends with 0 (a CronJob schedules it)', async () => {
    const r = await runRuntimeToEnd([fx('runtime-cron.config.cjs'), ...OFF, '--no-cron']);
    assert.equal(r.code, 0, r.err.join('\n'));
    assert.match(
      r.err.join('\n'),
      /nightly: cron_restart "0 3 \* \* \*" not scheduled here \(--no-cron\): the orchestrator's \(TEND_ERR_NOTICE\)/,
    );
    assert.match(r.err.join('\n'), /every app has ended: stopping, exit code 0/);
  });

  test('--single-instance: one instance in fork mode whatever the file says; -i with a file sets every app', async () => {
    const one = start([fx('runtime-pair.config.cjs'), ...OFF, '--single-instance', '--format']);
    await one.line('out', /^web \| web up \d+$/);
    await one.line('out', /^job \| job up \d+$/);
    assert.ok(
      one.err.some((l) =>
        /web: one instance in fork mode here \(--single-instance\), not instances: 2/.test(l),
      ),
    );
    assert.ok(!one.err.some((l) => /cluster primary/.test(l)), one.err.join('\n'));
    one.signal('SIGTERM');
    assert.equal(await one.exit, 0, one.err.join('\n'));
    // As `tend start eco.config.js -i 3`: every app of the file gets the flag's value.
    const three = start([fx('runtime-pair.config.cjs'), ...OFF, '-i', '3']);
    await three.line('out', /^job-2 \| job up \d+$/);
    await three.line('out', /^web-2 \| web up \d+$/);
    three.signal('SIGTERM');
    assert.equal(await three.exit, 0, three.err.join('\n'));
  });

  test("pm2-runtime's app flags for a script: -n names it, -i runs that many instances", async () => {
    const r = start(['start', fx('runtime-app.cjs'), ...OFF, '-n', 'web', '-i', '2', '--', 'w']);
    await r.line('out', /^web-0 \| w up \d+$/);
    await r.line('out', /^web-1 \| w up \d+$/);
    assert.ok(
      r.err.some((l) => /running web x2 \(--restart policy/.test(l)),
      r.err.join('\n'),
    );
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
  });

  test('--raw: no prefix even with several apps', async () => {
    const r = start([fx('runtime-pair.config.cjs'), ...OFF, '--raw']);
    await r.line('out', /^job up \d+$/);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0);
    assert.ok(
      r.out.every((l) => !l.includes(' | ')),
      r.out.join('\n'),
    );
  });
});

describe('tend-runtime: order and signals', () => {
  test('depends_on: db starts (and is ready) before api; on SIGTERM api stops before db', async () => {
    const r = start([fx('runtime-deps.config.cjs'), ...OFF, '--format']);
    await r.line('out', /^api \| api up/);
    const ups = r.out.filter((l) => / up \d+$/.test(l)).map((l) => l.split(' | ')[0]);
    assert.deepEqual(ups, ['db', 'api'], [...r.out, ...r.err].join('\n'));
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
    const stops = r.out.filter((l) => /got SIGTERM$/.test(l)).map((l) => l.split(' | ')[0]);
    assert.deepEqual(stops, ['api', 'db']);
  });

  test('--only api --no-deps: api alone, its depends_on taken as met (one app per unit, pod or service)', async () => {
    const r = start([fx('runtime-deps.config.cjs'), ...OFF, '--only', 'api', '--no-deps']);
    await r.line('out', /^api up \d+$/);
    assert.match(
      await r.line('err', /not started here/),
      /api: depends on db, not started here \(--no-deps\): the orchestrator's to start first \(TEND_ERR_NOTICE\)/,
    );
    // One app, one instance: orchestrator mode, as a unit or a pod runs it.
    assert.ok(
      r.err.some((l) => /running api \(--restart orchestrator/.test(l)),
      r.err.join('\n'),
    );
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
    assert.ok(!r.out.some((l) => /^db /.test(l)), r.out.join('\n'));
    // Without --no-deps, --only brings db along.
    const both = start([fx('runtime-deps.config.cjs'), ...OFF, '--only', 'api', '--format']);
    await both.line('out', /^api \| api up/);
    assert.ok(both.out.some((l) => /^db \| db up/.test(l)));
    both.signal('SIGTERM');
    assert.equal(await both.exit, 0);
  });

  test('--no-env-file: the env_file is not read, its variables come from the environment', async () => {
    const missing = await runRuntimeToEnd([fx('runtime-envfile.config.cjs'), ...OFF]);
    assert.equal(missing.code, 2);
    assert.match(
      missing.err.join('\n'),
      /\(api\)\.env_file: cannot read ".*runtime-not-here\.env": no such file \(TEND_ERR_CONFIG_INVALID\)/,
    );
    const r = start([fx('runtime-envfile.config.cjs'), ...OFF, '--no-env-file'], {
      FROM_FILE: 'set by the orchestrator',
    });
    assert.equal(await r.line('out', /^api env /), 'api env FROM_FILE=set by the orchestrator');
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
  });

  test('SIGHUP: a rolling reload; the app is replaced by a new process once it is ready', async () => {
    const r = start([fx('runtime-app.cjs'), ...OFF, '--', 'solo']);
    const first = await r.line('out', /^solo up \d+$/);
    r.signal('SIGHUP');
    await r.line('err', /reload done \(1 instance/);
    const pid = first.split(' ')[2];
    assert.match(await r.line('out', new RegExp(`^solo up (?!${pid}$)\\d+$`)), /^solo up \d+$/);
    assert.ok(r.out.includes('solo got SIGTERM'), 'the old process was stopped');
    // A reload is no exit of the app: the runtime is still running, in orchestrator mode too.
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
  });

  test('SIGHUP with dependencies: db is reloaded and ready again before api is touched (third audit: all at once)', async () => {
    const r = start([fx('runtime-deps.config.cjs'), ...OFF]);
    await r.line('err', /every app is ready/);
    const mark = r.out.length;
    r.signal('SIGHUP');
    await r.line('err', /reload done \(2 instance/);
    // The apps' own lines in the order they came: db stopped and up again, then api stopped and up again.
    const seen = r.out
      .slice(mark)
      .map((l) => /^(db|api) \| \1 (got SIGTERM|up)/.exec(l)?.slice(1, 3).join(' '))
      .filter(Boolean);
    assert.deepEqual(seen, ['db got SIGTERM', 'db up', 'api got SIGTERM', 'api up'], r.out.join('\n'));
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
  });

  test('SIGHUP does not run a completed one-shot again (sixth audit: the migration ran again beside api)', async () => {
    const r = start([fx('runtime-migrate.config.cjs'), ...OFF]);
    await r.line('err', /every app is ready/);
    r.signal('SIGHUP');
    await r.line(
      'err',
      /SIGHUP: reloading every app \(rolling, gated on readiness\); one-shots left alone: migrate$/,
    );
    await r.line('err', /reload done \(1 instance\(s\)\)$/);
    await r.line('out', /^api \| api got SIGTERM$/);
    assert.equal(r.err.filter((l) => /migrate\[\d+\] started pid/.test(l)).length, 1, r.err.join('\n'));
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
  });

  test('SIGHUP leaves a running one-shot to finish its run (eighth audit: SIGTERMed mid-way and run again)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-rt-hup-oneshot-'));
    try {
      const gate = join(dir, 'go');
      // The one-shot runs until the test creates its file (its own wait, a poll of its own).
      writeFileSync(
        join(dir, 'mig.cjs'),
        `const fs = require('node:fs');\nconsole.log('mig start');\nprocess.on('SIGTERM', () => { console.log('mig got SIGTERM'); process.exit(1); });\nconst t = setInterval(() => { if (fs.existsSync(${JSON.stringify(gate)})) { clearInterval(t); console.log('mig done'); } }, 20);\n`,
      );
      writeFileSync(
        join(dir, 'eco.config.cjs'),
        `module.exports = { apps: [
  { name: 'mig', script: ${JSON.stringify(join(dir, 'mig.cjs'))}, autorestart: false },
  { name: 'api', script: ${JSON.stringify(fx('runtime-app.cjs'))}, args: ['api'], wait_ready: true,
    depends_on: { mig: { condition: 'process_completed_successfully' } } },
] };\n`,
      );
      const r = start([join(dir, 'eco.config.cjs'), ...OFF]);
      await r.line('out', /^mig \| mig start$/);
      r.signal('SIGHUP');
      await r.line(
        'err',
        /SIGHUP: reloading every app \(rolling, gated on readiness\); one-shots left alone: mig$/,
      );
      await r.line(
        'err',
        /reload done \(0 instance\(s\); 1 waiting for their dependencies start with the new code\)$/,
      );
      writeFileSync(gate, '');
      await r.line('out', /^mig \| mig done$/);
      await r.line('err', /every app is ready/);
      assert.ok(!r.out.some((l) => /mig got SIGTERM/.test(l)), r.out.join('\n'));
      assert.equal(r.err.filter((l) => /mig\[\d+\] started pid/.test(l)).length, 1, r.err.join('\n'));
      r.signal('SIGTERM');
      assert.equal(await r.exit, 0, r.err.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('SIGHUP gated by a readiness probe alone that never passes: a second SIGHUP ends the wait and reloads again (eighth audit: wedged)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tend-rt-hup-probe-'));
    try {
      const port = await freePort();
      const readyFile = join(dir, 'ready');
      writeFileSync(readyFile, 'ok');
      writeFileSync(
        join(dir, 'eco.config.cjs'),
        `module.exports = { apps: [ { name: 'web', script: ${JSON.stringify(fx('health-http.cjs'))},
  env: { PORT: '${port}', READY_FILE: ${JSON.stringify(readyFile)} },
  readiness_probe: { http_get: { port: '$PORT', path: '/readyz' }, period_seconds: '100ms', failure_threshold: 2 } } ] };\n`,
      );
      const r = start([join(dir, 'eco.config.cjs'), ...OFF]);
      await r.line('err', /every app is ready/);
      /** The next `web[0] started pid N` line, N none of `pids`: a new process. */
      const pids: string[] = [];
      const startedAnew = async () => {
        const not = pids.map((p) => `${p}:`).join('|');
        const l = await r.line(
          'err',
          new RegExp(`web\\[0\\] started pid ${not ? `(?!(?:${not}))` : ''}(\\d+):`),
        );
        pids.push(/started pid (\d+):/.exec(l)?.[1] ?? '');
      };
      await startedAnew();
      writeFileSync(readyFile, 'fail');
      r.signal('SIGHUP');
      await startedAnew();
      // The new process is never ready: a second SIGHUP ends that wait, and a new reload follows.
      r.signal('SIGHUP');
      await r.line(
        'err',
        /SIGHUP: the reload under way waits for an instance with no ready deadline: it stops waiting, and a new reload follows$/,
      );
      await r.line(
        'err',
        /reload failed at web \[0\]: not ready after its restart \(waiting for readiness\) when another command on the app came; the reload stops there \(listen_timeout would give the instance a deadline\); 0 instance\(s\) reloaded, 1 not$/,
      );
      await startedAnew();
      writeFileSync(readyFile, 'ok');
      await r.line('err', /reload done \(1 instance\(s\)\)$/);
      r.signal('SIGTERM');
      assert.equal(await r.exit, 0, r.err.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a reload cut short by a shutdown counts every instance it did not reload (fifth audit: "0 not" of 2)', async () => {
    const r = start([fx('runtime-deps.config.cjs'), ...OFF]);
    await r.line('err', /every app is ready/);
    r.signal('SIGHUP');
    await r.line('out', /^db \| db got SIGTERM$/);
    r.signal('SIGTERM');
    const line = await r.line('err', /reload cut short by the shutdown/);
    const [, done, not] = /\((\d+) instance\(s\) reloaded, (\d+) not\)/.exec(line) ?? [];
    assert.equal(Number(done) + Number(not), 2, line);
    assert.equal(await r.exit, 0, r.err.join('\n'));
  });

  test('SIGUSR1 and SIGUSR2 are forwarded to the apps', async () => {
    const r = start([fx('runtime-app.cjs'), ...OFF, '--', 'solo']);
    await r.line('out', /^solo up \d+$/);
    r.signal('SIGUSR1');
    await r.line('out', /^solo got SIGUSR1$/);
    r.signal('SIGUSR2');
    await r.line('out', /^solo got SIGUSR2$/);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0);
  });
});

describe('tend-runtime: health listener', () => {
  test('/readyz 200 once ready; during --shutdown-delay 503 while the app still runs; then it stops', async () => {
    const port = await freePort();
    const r = start([
      fx('runtime-app.cjs'),
      '--health-listen',
      `127.0.0.1:${port}`,
      '--shutdown-delay',
      '60s',
      '--',
      'solo',
    ]);
    await r.line('out', /^solo up \d+$/);
    assert.equal((await get(port, '/readyz')).status, 200);
    assert.equal((await get(port, '/livez')).status, 200);
    // The runtime names itself in its checks (the daemon's listener says daemon).
    assert.equal((await get(port, '/livez?verbose')).body, '[+]runtime ok\nlivez check passed\n');
    assert.equal((await get(port, '/startupz')).status, 200);
    assert.equal((await get(port, '/readyz?app=runtime-app')).status, 200);
    assert.equal((await get(port, '/readyz?app=nope')).status, 404);
    // One app a request: two are refused, not answered for the first alone (third audit).
    assert.equal((await get(port, '/readyz?app=runtime-app&app=nope')).status, 400);
    const metrics = await get(port, '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /tend_/);
    r.signal('SIGTERM');
    await r.line('err', /\/readyz answers 503; stopping in 60000 ms/);
    const draining = await get(port, '/readyz?verbose');
    assert.equal(draining.status, 503);
    assert.match(draining.body, /\[-\]runtime shutting down/);
    // The app is still serving: not "stopped" yet (seventh audit).
    assert.match(draining.body, /\[\+\]runtime-app ok \(stopping\)/);
    // Still serving: the app has not been asked to stop.
    assert.ok(!r.out.some((l) => /got SIG/.test(l)), r.out.join('\n'));
    // A second signal skips what is left of the delay, and says so (not "SIGKILL now": nothing is killed).
    r.signal('SIGTERM');
    await r.line('err', /SIGTERM again: the rest of the shutdown delay skipped, stopping now$/);
    assert.equal(await r.exit, 0, r.err.join('\n'));
    assert.ok(r.out.includes('solo got SIGTERM'));
    assert.ok(!r.err.some((l) => /SIGKILL/.test(l)), r.err.join('\n'));
  });

  test('--health-listen off loads no HTTP layer (dist/runtime-http.cjs, node:http, prom-client)', async () => {
    const r = start([fx('runtime-app.cjs'), ...OFF, '--', 'solo'], { NODE_DEBUG: 'module' });
    await r.line('err', /every app is ready/);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0);
    assert.deepEqual(
      r.err.filter((l) => /-http\.cjs|prom-client|REQUEST node:(http|crypto) /.test(l)),
      [],
    );
    // The config is read by its own bundle (released once the specs are made: scripts/build.mjs).
    assert.ok(
      r.err.some((l) => /runtime-config\.cjs/.test(l)),
      r.err.join('\n'),
    );
  });

  test('health on: no HTTP layer until the first connection, which is answered; the health listener alone; prom-client at the first /metrics', async () => {
    const port = await freePort();
    const r = start([fx('runtime-app.cjs'), '--health-listen', `127.0.0.1:${port}`, '--', 'solo'], {
      NODE_DEBUG: 'module',
    });
    await r.line('err', /every app is ready/);
    const http = () => r.err.filter((l) => /-http\.cjs|prom-client|REQUEST node:(http|crypto) /.test(l));
    // Nobody probed yet: the runtime has not loaded node:http (a container nobody probes never does).
    assert.deepEqual(http(), []);
    // The first connection waits, paused, while the layer loads, and is answered.
    assert.equal((await get(port, '/readyz')).status, 200);
    const on = http();
    assert.ok(
      on.some((l) => l.includes('runtime-http.cjs')),
      on.join('\n'),
    );
    assert.ok(
      on.some((l) => /REQUEST node:http /.test(l)),
      on.join('\n'),
    );
    // The health listener's bundle, not the daemon's whole HTTP layer: no API routes, tokens or sessions.
    assert.ok(!on.some((l) => /daemon-http\.cjs|REQUEST node:crypto /.test(l)), on.join('\n'));
    assert.ok(!on.some((l) => /prom-client/.test(l)), 'prom-client loaded before any scrape');
    const metrics = await get(port, '/metrics');
    assert.equal(metrics.status, 200);
    assert.match(metrics.body, /^tend_app_ready_instances\{[^}]*app="runtime-app"[^}]*\} 1$/m);
    assert.match(metrics.body, /^process_resident_memory_bytes \d+/m);
    await r.line('err', /prom-client/);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0);
  });

  test('several connections at once before the layer is loaded: each is answered', async () => {
    const port = await freePort();
    const r = start([fx('runtime-app.cjs'), '--health-listen', `127.0.0.1:${port}`, '--', 'solo']);
    await r.line('err', /every app is ready/);
    const answers = await Promise.all(['/livez', '/readyz', '/startupz', '/livez'].map((p) => get(port, p)));
    assert.deepEqual(
      answers.map((a) => a.status),
      [200, 200, 200, 200],
    );
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0);
  });

  test('an address in use: given, TEND_ERR_HTTP_LISTEN naming --health-listen, exit 1; the default, a warning', async () => {
    const port = await freePort();
    const holder = start([fx('runtime-app.cjs'), '--health-listen', `127.0.0.1:${port}`, '--', 'one']);
    await holder.line('out', /^one up/);
    const envs: Record<string, string>[] = [{}, { TEND_HEALTH_LISTEN: `127.0.0.1:${port}` }];
    for (const env of envs) {
      const args = 'TEND_HEALTH_LISTEN' in env ? [] : ['--health-listen', `127.0.0.1:${port}`];
      const r = start([fx('runtime-app.cjs'), ...args, '--', 'two'], env);
      assert.equal(await r.exit, 1);
      assert.match(
        r.err.join('\n'),
        /error: cannot listen on 127\.0\.0\.1:\d+ .*--health-listen.*\(TEND_ERR_HTTP_LISTEN\)/,
      );
      assert.ok(!r.out.some((l) => / up /.test(l)), 'no app started');
    }
    holder.signal('SIGTERM');
    assert.equal(await holder.exit, 0);
  });

  test('the default address in use (several runtimes on one host): a warning, the app runs', async () => {
    const first = start([fx('runtime-app.cjs'), '--', 'one']);
    await first.line('err', /every app is ready/);
    const second = start([fx('runtime-app.cjs'), '--', 'two']);
    await second.line('err', /every app is ready/);
    // One of them has the default address (or neither, when something else holds it): never both.
    const warned = [first, second].filter((r) =>
      r.err.some((l) =>
        /warning: no health listener: cannot listen on 127\.0\.0\.1:9616 .*\(TEND_ERR_HTTP_LISTEN\)/.test(l),
      ),
    );
    assert.ok(warned.length >= 1, [...first.err, ...second.err].join('\n'));
    for (const r of [first, second]) {
      r.signal('SIGTERM');
      assert.equal(await r.exit, 0);
    }
  });

  test('NOTIFY_SOCKET: READY=1 through systemd-notify once the app is ready; the app does not see the socket', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'tend-rt-notify-'));
    try {
      const record = join(bin, 'record');
      writeFileSync(
        join(bin, 'systemd-notify'),
        `#!/bin/sh\necho "$NOTIFY_SOCKET $*" > ${record}.tmp && mv ${record}.tmp ${record}\n`,
      );
      chmodSync(join(bin, 'systemd-notify'), 0o755);
      const r = start([fx('runtime-app.cjs'), ...OFF, '--', 'solo'], {
        NOTIFY_SOCKET: '/run/fake-notify',
        PATH: `${bin}:${process.env.PATH}`,
      });
      await r.line('out', /^solo up/);
      await r.line('err', /READY=1 sent/);
      assert.match(
        readFileSync(record, 'utf8'),
        /^\/run\/fake-notify --ready --pid=\d+ --status=tend-runtime: every app is ready$/m,
      );
      assert.ok(!r.out.some((l) => l.includes('NOTIFY_SOCKET')), r.out.join('\n'));
      r.signal('SIGTERM');
      await r.exit;
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });

  test("NOTIFY_SOCKET with a PATH that lacks systemd-notify (an app's own, in an exported unit): the one systemd installs is used (tenth audit)", {
    skip: existsSync('/usr/bin/systemd-notify') ? false : 'systemd-notify is not installed in /usr/bin',
  }, async () => {
    // Only node on PATH, as `env: { PATH: '/opt/x/bin' }` leaves a unit's runtime.
    const bin = mkdtempSync(join(tmpdir(), 'tend-rt-path-'));
    try {
      symlinkSync(process.execPath, join(bin, 'node'));
      const r = start([fx('runtime-app.cjs'), ...OFF, '--', 'solo'], {
        NOTIFY_SOCKET: join(bin, 'no-such-socket'),
        PATH: bin,
      });
      await r.line('out', /^solo up/);
      // No socket listens: systemd-notify ran and failed to send, where it was "spawn systemd-notify ENOENT".
      const said = await r.line('err', /systemd: /);
      assert.match(said, /READY=1 sent \(systemd-notify exit \d+\)/);
      r.signal('SIGTERM');
      assert.equal(await r.exit, 0);
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});

describe('tend-runtime: control socket', () => {
  test('TEND_HOME set: tend ls and tend jlist show the apps; save is refused with a reason; tend kill stops it (0)', async () => {
    const r = start([fx('runtime-pair.config.cjs'), ...OFF]);
    await r.line('err', /control socket on /);
    await r.line('err', /every app is ready/);
    const ls = await runCli(['jlist'], { home: r.home });
    assert.equal(ls.code, 0, ls.stderr);
    const list = JSON.parse(ls.stdout) as { name: string; status: string; ready: boolean }[];
    assert.deepEqual(
      list.map((p) => [p.name, p.status, p.ready]),
      [
        ['web', 'online', true],
        ['web', 'online', true],
        ['job', 'online', true],
      ],
    );
    const save = await runCli(['save'], { home: r.home });
    assert.equal(save.code, 2);
    assert.match(save.stderr, /tend save is not available in tend-runtime .*\(TEND_ERR_USAGE\)/);
    // An error of the runtime's own core (its bundle), answered through the control socket's (another bundle).
    const none = await runCli(['stop', 'nosuch'], { home: r.home });
    assert.notEqual(none.code, 0);
    assert.match(none.stderr, /nosuch.*\(TEND_ERR_TARGET_NOT_FOUND\)/);
    // A signal to the app through the socket, as `tend sendSignal` does.
    const sig = await runCli(['sendSignal', 'SIGUSR2', 'job'], { home: r.home });
    assert.equal(sig.code, 0, sig.stderr);
    await r.line('out', /^job \| job got SIGUSR2$/);
    const kill = await runCli(['kill'], { home: r.home });
    assert.equal(kill.code, 0, kill.stderr);
    assert.equal(await r.exit, 0, r.err.join('\n'));
  });

  test('an app started over the control socket gets the container defaults too: stopped with SIGTERM (fourth audit)', async () => {
    const r = start([fx('runtime-app.cjs'), ...OFF, '--', 'first']);
    await r.line('err', /control socket on /);
    const started = await runCli(['start', fx('runtime-app.cjs'), '--name', 'other', '--', 'other'], {
      home: r.home,
    });
    assert.equal(started.code, 0, started.stderr);
    await r.line('out', /^other \| other up \d+$|^other up \d+$/);
    const stop = await runCli(['stop', 'other'], { home: r.home });
    assert.equal(stop.code, 0, stop.stderr);
    await r.line('out', /other got SIGTERM$/);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
  });

  test('--no-auto-exit: an app that ended and is not restarted fails /readyz and /livez?app= (not "ok (stopped)") until it starts again', async () => {
    const port = await freePort();
    const r = start([
      fx('runtime-app.cjs'),
      '--health-listen',
      `127.0.0.1:${port}`,
      '--no-auto-exit',
      '--',
      'held',
    ]);
    await r.line('err', /control socket on /);
    await r.line('err', /every app is ready/);
    const first = (await r.line('out', /^held up \d+$/)).split(' ')[2];
    assert.equal((await get(port, '/readyz')).status, 200);
    // The service dies; --restart orchestrator (one app, one instance) leaves the restart to the orchestrator.
    const kill = await runCli(['sendSignal', 'SIGKILL', 'runtime-app'], { home: r.home });
    assert.equal(kill.code, 0, kill.stderr);
    await r.line(
      'err',
      /runtime-app \[0\] was killed by SIGKILL: --no-auto-exit, staying up; \/readyz fails for runtime-app until it starts again$/,
    );
    const ready = await get(port, '/readyz');
    assert.equal(ready.status, 503, ready.body);
    assert.equal(
      ready.body,
      '[-]runtime-app not ready (ended, not restarted: runtime-app [0] was killed by SIGKILL)\nreadyz check failed\n',
    );
    assert.equal((await get(port, '/livez?app=runtime-app')).status, 503);
    // The runtime itself is alive: it stays up, as asked.
    assert.equal((await get(port, '/livez')).status, 200);
    // Started again over the control socket: ready again.
    const restart = await runCli(['restart', 'runtime-app'], { home: r.home });
    assert.equal(restart.code, 0, restart.stderr);
    await r.line('out', new RegExp(`^held up (?!${first}$)\\d+$`));
    assert.equal((await get(port, '/readyz')).status, 200);
    assert.equal((await get(port, '/livez?app=runtime-app')).status, 200);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
  });

  test('an app started over the control socket follows --restart orchestrator: not restarted in place (fifth audit); its end leaves the runtime and its apps alone (eighth audit)', async () => {
    const r = start([fx('runtime-app.cjs'), ...OFF, '--', 'first']);
    await r.line('err', /control socket on /);
    await r.line('err', /every app is ready/);
    const started = await runCli(['start', fx('exit-code.cjs'), '--name', 'extra', '--', '3'], {
      home: r.home,
    });
    assert.equal(started.code, 0, started.stderr);
    await r.line('err', /extra\[\d+\] exited \(code 3, signal null\)/);
    // The file's app runs on, and so does the runtime (its end would have stopped the app: eighth audit).
    const ls = await runCli(['jlist'], { home: r.home });
    const statuses = Object.fromEntries(
      (JSON.parse(ls.stdout) as { name: string; status: string }[]).map((p) => [p.name, p.status]),
    );
    assert.deepEqual(statuses, { 'runtime-app': 'online', extra: 'stopped' });
    assert.ok(!r.err.some((l) => /extra.*restarting in/.test(l)), r.err.join('\n'));
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
  });

  test('policy mode: a short command started over the control socket, errored by its quick restarts, ends nothing and leaves /readyz alone', async () => {
    const port = await freePort();
    const r = start([fx('runtime-deps.config.cjs'), '--health-listen', `127.0.0.1:${port}`]);
    await r.line('err', /control socket on /);
    await r.line('err', /every app is ready/);
    const started = await runCli(['start', 'true', '--name', 'quick'], { home: r.home });
    assert.equal(started.code, 0, started.stderr);
    await r.line('err', /quick\[\d+\] errored: /);
    const ls = await runCli(['jlist'], { home: r.home });
    assert.deepEqual(
      (JSON.parse(ls.stdout) as { name: string; status: string }[])
        .map((p) => `${p.name} ${p.status}`)
        .sort(),
      ['api online', 'db online', 'quick errored'],
    );
    // The pod is ready: only the file's apps count (verification of the eighth audit: 503 for good); the
    // debugging command answers when asked by name.
    assert.equal((await get(port, '/readyz')).status, 200);
    assert.equal((await get(port, '/readyz?app=quick')).status, 503);
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0, r.err.join('\n'));
  });

  test("tend kill is the runtime's SIGTERM: its --grace-period, then SIGKILL, and exit 1 for it", async () => {
    const r = start([fx('runtime-stubborn.config.cjs'), ...OFF, '--grace-period', '1s']);
    await r.line('err', /control socket on /);
    await r.line('err', /every app is ready/);
    const kill = await runCli(['kill'], { home: r.home });
    assert.equal(kill.code, 0, kill.stderr);
    // Not the app's kill_timeout (120 s, beyond the test's wait): the grace period, then SIGKILL.
    assert.equal(await r.exit, 1, r.err.join('\n'));
    assert.ok(
      r.err.some((l) => /tend kill: shutting down/.test(l)),
      r.err.join('\n'),
    );
    assert.ok(
      r.err.some((l) => /stopped \(some processes had to be SIGKILLed\)/.test(l)),
      r.err.join('\n'),
    );
  });

  test('tend stop of the last app: the runtime ends with it (orchestrator), and tend stop says so, exit 0', async () => {
    const r = start([fx('runtime-app.cjs'), ...OFF, '--', 'solo']);
    await r.line('err', /control socket on /);
    const stop = await runCli(['stop', 'runtime-app'], { home: r.home });
    assert.equal(stop.code, 0, stop.stderr);
    assert.match(
      stop.stderr,
      /the connection closed after the stop \(a tend-runtime ends with its last app\)/,
    );
    assert.match(stop.stdout, /runtime-app .*stopped/);
    assert.equal(await r.exit, 0, r.err.join('\n'));
  });

  test('tend logs --nostream against a runtime: it keeps no files, and says so rather than printing nothing (ninth audit)', async () => {
    const r = start([fx('runtime-app.cjs'), ...OFF, '--', 'solo']);
    await r.line('err', /control socket on /);
    const logs = await runCli(['logs', 'runtime-app', '--nostream'], { home: r.home });
    assert.equal(logs.code, 0, logs.stderr);
    assert.equal(logs.stdout, '');
    assert.match(
      logs.stderr,
      /^warning: no log file for runtime-app: no earlier lines to show \(a tend-runtime keeps none, its apps' lines go to its stdout and stderr: kubectl logs, docker logs; .*\) \(TEND_ERR_NOTICE\)\n$/,
    );
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0);
  });

  test('tend stop of a one-shot before it completed: the runtime ends with its code, not 0 (a Job cut short is no success; ninth audit)', async () => {
    // idle.cjs has no signal handler: the stop signal kills it.
    const r = start([fx('idle.cjs'), ...OFF, '--no-autorestart']);
    await r.line('err', /control socket on /);
    await r.line('err', /idle\[0\] started pid/);
    const stop = await runCli(['stop', 'idle'], { home: r.home });
    assert.equal(stop.code, 0, stop.stderr);
    const code = await r.exit;
    assert.ok(code === 130 || code === 143, `exit ${code}: ${r.err.join('\n')}`);
    assert.ok(
      r.err.some((l) => /idle \[0\] had not completed \(killed by SIG(INT|TERM) on "tend stop"\)/.test(l)),
      r.err.join('\n'),
    );
  });

  test("the apps carry TEND_HOME only when the runtime holds the home (control socket on): a daemon's crash recovery never takes them for its own", async () => {
    for (const [args, tagged] of [
      [[], true],
      [['--no-control'], false],
    ] as const) {
      const r = start([fx('runtime-app.cjs'), ...OFF, ...args, '--', 'solo']);
      const pid = Number((await r.line('out', /^solo up \d+$/)).split(' ').pop());
      const env = await readEnviron(pid);
      assert.equal(env?.TEND_ID, '0');
      assert.equal(env?.TEND_HOME, tagged ? r.home : undefined, `with ${args.join(' ') || 'the socket'}`);
      r.signal('SIGTERM');
      assert.equal(await r.exit, 0);
    }
  });

  test('--no-control: no socket, even with TEND_HOME; a home a daemon holds: a warning, the apps still run', async () => {
    const r = start([fx('runtime-app.cjs'), ...OFF, '--no-control', '--', 'solo']);
    await r.line('out', /^solo up/);
    assert.ok(!r.err.some((l) => /control socket/.test(l)));
    // A second runtime in the same home: the start lock is taken, no socket for it.
    const tmp = makeTmpHome();
    try {
      const first = startRuntime([fx('runtime-app.cjs'), ...OFF, '--', 'one'], { home: tmp.home });
      track(first);
      await first.line('err', /control socket on /);
      const second = startRuntime([fx('runtime-app.cjs'), ...OFF, '--', 'two'], { home: tmp.home });
      track(second);
      await second.line(
        'err',
        /warning: no control socket: a tend daemon \(or another tend-runtime\) already serves/,
      );
      const twoPid = Number((await second.line('out', /^two up \d+$/)).split(' ').pop());
      // It does not hold the home: its app is not tagged with it (the holder's crash recovery would end it).
      const twoEnv = await readEnviron(twoPid);
      assert.equal(twoEnv?.TEND_ID, '0');
      assert.equal(twoEnv?.TEND_HOME, undefined);
      for (const x of [first, second]) {
        x.signal('SIGTERM');
        assert.equal(await x.exit, 0);
      }
    } finally {
      tmp.remove();
    }
    r.signal('SIGTERM');
    assert.equal(await r.exit, 0);
  });
});
