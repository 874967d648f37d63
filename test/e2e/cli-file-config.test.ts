// restart / reload of an ecosystem file apply the file as it is now (PM2 ignores such edits until the app is
// deleted: Unitech/pm2#3742); the environment changes only with --update-env; instances and log settings
// are notes that name the command that applies them.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, ROOT, runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';
import { reached, watch } from '../helpers/until.js';

const tmp = makeTmpHome();
const home = tmp.home;
const dir = join(home, 'app');
const cli = (args: string[]) => runCli(args, { home, cwd: dir });
const jlist = async () => JSON.parse((await cli(['jlist'])).stdout) as Record<string, unknown>[];

before(async () => {
  mkdirSync(join(dir, 'src'), { recursive: true });
  assert.equal((await cli(['ping'])).code, 0);
});
after(async () => {
  await cli(['kill']);
  tmp.remove();
});

const writeEco = (app: Record<string, unknown>) =>
  writeFileSync(
    join(dir, 'eco.config.js'),
    `module.exports = { apps: [${JSON.stringify({
      name: 'api',
      script: join(FIXTURES, 'env-dump.cjs'),
      wait_ready: true,
      ...app,
    })}] };\n`,
  );
const dumped = () =>
  JSON.parse(readFileSync(join(dir, 'dump.json'), 'utf8')) as { argv: string[]; env: Record<string, string> };

test('restart of a file applies its current configuration, not its env; instance changes are a note', async () => {
  writeEco({ args: ['dump.json', 'first'], watch: ['src'], kill_timeout: 3000, env: { MODE: 'one' } });
  assert.equal((await cli(['start', 'eco.config.js'])).code, 0);
  let [p] = await jlist();
  assert.deepEqual([p?.watching, dumped().argv, dumped().env.MODE], [true, ['first'], 'one']);

  // The file changes: new args, no watch, another kill_timeout and env, two instances.
  writeEco({
    args: ['dump.json', 'second'],
    kill_timeout: 1500,
    env: { MODE: 'two' },
    instances: 2,
    exec_mode: 'fork',
  });
  const w = await watch(home);
  const r = await cli(['restart', 'eco.config.js']);
  assert.equal(r.code, 0, r.stderr);
  await w.until(reached('api', 'online'));
  await w.close();
  assert.match(r.stderr, /api: the file asks for 2 instances \(running: 1\): run "tend scale api 2"/);
  [p] = await jlist();
  assert.equal(p?.watching, false, 'watch: false in the file stops watching');
  assert.deepEqual(p?.args, ['dump.json', 'second']);
  assert.equal(dumped().env.MODE, 'one', 'the environment changes only with --update-env');
  const described = JSON.parse((await cli(['describe', 'api', '--json'])).stdout) as {
    config: Record<string, unknown>;
  }[];
  assert.equal(described[0]?.config.kill_timeout, 1500);
  assert.equal((await jlist()).length, 1);

  // With --update-env the file's env applies too; a mistake in the file changes nothing.
  assert.equal((await cli(['restart', 'eco.config.js', '--update-env'])).code, 0);
  assert.equal(dumped().env.MODE, 'two');
  writeEco({ args: ['dump.json', 'third'], kill_timeout: -1 });
  const bad = await cli(['restart', 'eco.config.js']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /apps\[0\] \(api\)\.kill_timeout: .*got -1 \(TEND_ERR_CONFIG_INVALID\)/);
  [p] = await jlist();
  assert.deepEqual(p?.args, ['dump.json', 'second']);
  await cli(['delete', 'api']);
});

test('a file that never finishes loading, or exports a rejected promise: a coded error, exit 2, no hang', async () => {
  // The daemon runs (before()): the CLI loads the file before it connects, so an open socket does not keep
  // a never-settling top-level await waiting.
  const hang = await cli(['start', join(FIXTURES, 'runtime-hang.config.mjs')]);
  assert.equal(hang.code, 2, hang.stderr);
  assert.match(
    hang.stderr,
    /runtime-hang\.config\.mjs: the file never finished loading.*\(TEND_ERR_CONFIG_INVALID\)/,
  );
  const rejected = await cli(['start', join(FIXTURES, 'runtime-rejects.config.cjs')]);
  assert.equal(rejected.code, 2, rejected.stderr);
  assert.match(
    rejected.stderr,
    /exported promise was rejected: the vault said no \(TEND_ERR_CONFIG_INVALID\)/,
  );
  const busy = await runCli(['start', join(FIXTURES, 'runtime-busy-hang.config.mjs')], {
    home,
    cwd: dir,
    env: { TEND_CONFIG_LOAD_TIMEOUT_MS: '300' },
  });
  assert.equal(busy.code, 2, busy.stderr);
  assert.match(busy.stderr, /did not finish loading within 0\.3 s/);
  const pm2 = await new Promise<{ code: number; stderr: string }>((resolve) =>
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'tend-pm2.js'), 'start', join(FIXTURES, 'runtime-hang.config.mjs')],
      { env: { ...process.env, PM2_HOME: join(home, 'pm2'), NO_COLOR: '1' }, timeout: 60_000 },
      (err, _out, stderr) => resolve({ code: err ? Number(err.code) : 0, stderr }),
    ),
  );
  assert.notEqual(pm2.code, 0, pm2.stderr);
  assert.match(pm2.stderr, /the file never finished loading/);
});
