// Issue 13's configuration through the built CLI: a file with a dependency cycle prints the cycle's path with
// its code, exits non-zero and starts nothing (a running app is not touched); `--only` starts what the app
// depends on, with a note; `describe` shows the readiness settings and the dependencies in one line each.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const tmp = makeTmpHome();
const home = tmp.home;
const dir = join(home, 'app');
const cli = (args: string[]) => runCli(args, { home, cwd: dir });
const jlist = async () =>
  (JSON.parse((await cli(['jlist'])).stdout) as { name: string; pid: number | null; status: string }[]).map(
    ({ name, pid, status }) => ({ name, pid, status }),
  );
const idle = join(FIXTURES, 'idle.cjs');
const writeConfig = (name: string, apps: unknown[]) =>
  writeFileSync(join(dir, name), `module.exports = { apps: ${JSON.stringify(apps)} };\n`);

before(async () => {
  mkdirSync(dir, { recursive: true });
  assert.equal((await cli(['ping'])).code, 0);
});
after(async () => {
  await cli(['kill']);
  tmp.remove();
});

test('a dependency cycle: its path and the code, a non-zero exit, nothing started, a running app untouched', async () => {
  assert.equal((await cli(['start', idle, '--name', 'bystander'])).code, 0);
  const [before] = await jlist();
  assert.equal(typeof before?.pid, 'number');

  writeConfig('bad.config.js', [
    { name: 'web', script: idle, depends_on: ['api'] },
    { name: 'api', script: idle, depends_on: ['worker'] },
    { name: 'worker', script: idle, depends_on: { cache: { condition: 'process_started' } } },
    { name: 'cache', script: idle, depends_on: ['api'] },
  ]);
  const r = await cli(['start', 'bad.config.js']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /^error: .*bad\.config\.js: apps: dependency cycle: api → worker → cache → api \(TEND_ERR_CONFIG_INVALID\)$/m,
  );
  assert.deepEqual(await jlist(), [before], 'only the app that ran before, with the same process');
});

test('the other load errors of depends_on and probes, each with its path, in one run', async () => {
  writeConfig('bad2.config.js', [
    { name: 'db', script: idle },
    { name: 'api', script: idle, depends_on: { db: { condition: 'process_healthy' }, dbx: null } },
    { name: 'web', script: idle, readiness_probe: { http_get: { port: 3000 }, exec: { command: 'true' } } },
  ]);
  const r = await cli(['start', 'bad2.config.js']);
  assert.equal(r.code, 2, r.stderr);
  assert.match(
    r.stderr,
    /apps\[1\] \(api\)\.depends_on\.dbx: no app named "dbx" in this file or running in tend/,
  );
  assert.match(
    r.stderr,
    /apps\[1\] \(api\)\.depends_on\.db\.condition: "process_healthy" waits until db is ready/,
  );
  assert.match(r.stderr, /apps\[2\] \(web\)\.readiness_probe: expected exactly one handler/);
  assert.match(r.stderr, /\(TEND_ERR_CONFIG_INVALID\)/);
  // The app with no problem of its own started: db.
  assert.deepEqual((await jlist()).map((p) => p.name).sort(), ['bystander', 'db']);
  assert.equal((await cli(['delete', 'db'])).code, 0);
});

test('--only starts what the app depends on, with a note; describe shows readiness and dependencies', async () => {
  writeConfig('good.config.js', [
    { name: 'front', script: idle, depends_on: { back: { condition: 'process_started', bind: true } } },
    {
      name: 'back',
      script: idle,
      readiness_probe: { exec: { command: 'true' }, period_seconds: 2 },
      watchdog_sec: 0,
    },
    { name: 'unrelated', script: idle },
  ]);
  const r = await cli(['start', 'good.config.js', '--only', 'front']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: apps\[1\] \(back\): started too: front depends on it \(TEND_ERR_NOTICE\)/);
  assert.deepEqual((await jlist()).map((p) => p.name).sort(), ['back', 'bystander', 'front']);
  const back = await cli(['describe', 'back']);
  assert.equal(back.code, 0, back.stderr);
  assert.match(back.stdout, /readiness and health/);
  assert.match(back.stdout, /readiness_probe\s+exec "true" every 2s, timeout 1s, 1\/3/);
  assert.match(back.stdout, /watchdog_sec\s+off/);
  const front = await cli(['describe', 'front']);
  assert.match(front.stdout, /dependencies\n\s+back\s+process_started, bind/);
  assert.equal((await cli(['delete', 'all'])).code, 0);
});

test('the readiness flags set the fields as a file would (seconds, durations), and describe shows them', async () => {
  const flags = [
    '--ready-log-line',
    'out from',
    '--watchdog-sec',
    '1d',
    '--on-ready-timeout',
    'assume_ready',
  ];
  const more = ['--max-surge', '2', '--min-ready-seconds', '1.5'];
  const r = await cli(['start', join(FIXTURES, 'ready.cjs'), '--name', 'flagged', ...flags, ...more]);
  assert.equal(r.code, 0, r.stderr);
  const d = await cli(['describe', 'flagged']);
  for (const line of [
    /ready_log_line\s+out from\n/,
    /on_ready_timeout\s+assume_ready\n/,
    /watchdog_sec\s+86400s\n/,
    /max_surge\s+2\n/,
    /min_ready_seconds\s+1\.5s\n/,
  ])
    assert.match(d.stdout, line);
  const bad = await cli(['start', join(FIXTURES, 'ready.cjs'), '--name', 'bad', '--watchdog-sec', 'often']);
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /apps\[0\] \(bad\)\.watchdog_sec: expected seconds .*, got "often" \(TEND_ERR_CONFIG_INVALID\)/,
  );
  assert.equal((await cli(['delete', 'flagged'])).code, 0);
});
