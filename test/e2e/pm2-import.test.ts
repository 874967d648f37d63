// `tend import pm2` through the built CLI. By default on the dump a real PM2 7 wrote (test/fixtures/pm2,
// its root directory put back here); with TEND_TEST_PM2=1 also end to end against PM2 itself: installed
// from the npm registry into a scratch folder, 3 apps started, `pm2 save`, `pm2 kill`, then imported and
// started under tend (about a minute: npm install dominates; skipped with the reason when npm is unreachable).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { FIXTURES, runCli } from '../helpers/daemon.js';
import { shapeProblems } from '../helpers/pm2-shape.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const run = promisify(execFile);
const tmp = makeTmpHome();
const home = tmp.home;
type Row = {
  name: string;
  status: string;
  mode: string;
  args: string[];
  interpreter_args: string[];
  namespace: string;
};

/** The apps the fixture dump names, at @ROOT@/apps; the cluster worker listens (tend waits for that). */
function plantFixture(root: string): string {
  mkdirSync(join(root, 'apps'), { recursive: true });
  mkdirSync(join(root, 'home'), { recursive: true });
  mkdirSync(join(root, 'custom'), { recursive: true });
  copyFileSync(join(FIXTURES, 'idle.cjs'), join(root, 'apps', 'api.js'));
  copyFileSync(join(FIXTURES, 'cl-server.cjs'), join(root, 'apps', 'worker.js'));
  writeFileSync(join(root, 'apps', 'tick.sh'), '#!/bin/sh\nwhile :; do sleep 1000; done\n');
  chmodSync(join(root, 'apps', 'tick.sh'), 0o755);
  const dump = join(root, 'home', 'dump.pm2');
  writeFileSync(
    dump,
    readFileSync(join(FIXTURES, 'pm2', 'dump.pm2'), 'utf8')
      .split('@ROOT@')
      .join(root),
  );
  return dump;
}

const root = join(home, 'pm2root');
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { home, env: { PM2_HOME: join(root, 'home'), ...env } });

before(async () => {
  plantFixture(root);
  assert.equal((await cli(['ping'])).code, 0);
});
after(async () => {
  await cli(['kill']);
  tmp.remove();
});

describe('tend import pm2', () => {
  test('prints the ecosystem file of $PM2_HOME/dump.pm2; lists what tend ignores on stderr', async () => {
    const r = await cli(['import', 'pm2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\/\/ Imported from PM2's .*\/home\/dump\.pm2/);
    assert.match(r.stdout, /module\.exports = \{/);
    assert.match(r.stderr, /warning: api: treekill = false .*: not imported \(TEND_ERR_CONFIG_IGNORED\)/);
  });

  test('--write FILE, never over a file without --force; the file starts under tend', async () => {
    const file = join(home, 'from-pm2.config.js');
    const w = await cli(['import', 'pm2', join(root, 'home', 'dump.pm2'), '--write', file]);
    assert.equal(w.code, 0, w.stderr);
    assert.match(w.stderr, /from-pm2\.config\.js written: 3 app\(s\)/);
    const again = await cli(['import', 'pm2', '--write', file]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /TEND_ERR_FILE_EXISTS/);
    const s = await cli(['start', file, '--only', 'ticker']);
    assert.equal(s.code, 0, s.stderr);
    const rows = JSON.parse((await cli(['jlist'])).stdout) as Row[];
    assert.deepEqual(
      rows.map((p) => [p.name, p.namespace, p.status]),
      [['ticker', 'jobs', 'online']],
    );
    await cli(['delete', 'ticker']);
  });

  test('--start runs the apps PM2 ran (not the stopped one), with their args, node args, env and instances', async () => {
    const r = await cli(['import', 'pm2', '--start']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /stopped in PM2, not started: ticker/);
    const rows = JSON.parse((await cli(['jlist'])).stdout) as Row[];
    assert.deepEqual(
      rows.map((p) => [p.name, p.mode, p.status]),
      [
        ['api', 'fork', 'online'],
        ['worker', 'cluster', 'online'],
        ['worker', 'cluster', 'online'],
      ],
    );
    assert.deepEqual(rows[0]!.args, ['--port', '3000']);
    assert.deepEqual(rows[0]!.interpreter_args, ['--max-old-space-size=128']);
    const env = await cli(['env', 'api', '--show-secrets']);
    assert.match(env.stdout, /NODE_ENV=production/);
    assert.match(env.stdout, /API_TOKEN=dev/);
    await cli(['delete', 'all']);
  });

  test('a corrupt dump is an error with its code, the file and the way out', async () => {
    const bad = join(home, 'bad.pm2');
    writeFileSync(bad, '[{"name": "api", "pm_exec_path": "/x.js"');
    const r = await cli(['import', 'pm2', bad]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^error: cannot import PM2's process list .*bad\.pm2: not JSON .*dump\.pm2\.bak.*\(TEND_ERR_PM2_DUMP\)$/m,
    );
    const none = await cli(['import', 'pm2'], { PM2_HOME: join(home, 'no-pm2') });
    assert.equal(none.code, 2);
    assert.match(none.stderr, /no-pm2\/dump\.pm2: no such file .*TEND_ERR_PM2_DUMP/);
  });
});

describe('tend import pm2, against a real PM2 (TEND_TEST_PM2=1)', {
  skip:
    process.env.TEND_TEST_PM2 === '1'
      ? false
      : 'set TEND_TEST_PM2=1: installs pm2 from the npm registry (about a minute)',
}, () => {
  test('PM2 7 starts 3 apps and saves; tend imports the dump and runs them; PM2 jlist has the described shape', async (t) => {
    const scratch = join(home, 'pm2-scratch');
    mkdirSync(scratch, { recursive: true });
    try {
      await run('npm', ['install', 'pm2@7', '--prefix', scratch, '--no-audit', '--no-fund'], {
        timeout: 180_000,
      });
    } catch (err) {
      t.skip(
        `npm install pm2 failed (registry unreachable?): ${String((err as Error).message).split('\n')[0]}`,
      );
      return;
    }
    const pm2Home = join(scratch, 'home');
    const pm2 = (args: string[]) =>
      run(join(scratch, 'node_modules', '.bin', 'pm2'), args, {
        env: { ...process.env, PM2_HOME: pm2Home },
        timeout: 60_000,
      });
    const apps = join(scratch, 'apps');
    mkdirSync(apps);
    copyFileSync(join(FIXTURES, 'idle.cjs'), join(apps, 'one.js'));
    copyFileSync(join(FIXTURES, 'idle.cjs'), join(apps, 'two.js'));
    copyFileSync(join(FIXTURES, 'cl-server.cjs'), join(apps, 'three.js'));
    try {
      await pm2(['start', join(apps, 'one.js'), '--name', 'one', '--', '--flag']);
      await pm2(['start', join(apps, 'two.js'), '--name', 'two', '--max-memory-restart', '100M']);
      await pm2(['start', join(apps, 'three.js'), '--name', 'three', '-i', '2']);
      assert.deepEqual(shapeProblems(JSON.parse((await pm2(['jlist'])).stdout)), []);
      await pm2(['save']);
    } finally {
      await pm2(['kill']).catch(() => {});
    }
    const r = await cli(['import', 'pm2', '--start'], { PM2_HOME: pm2Home });
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse((await cli(['jlist'])).stdout) as Row[];
    assert.deepEqual(
      rows.map((p) => [p.name, p.mode, p.status]),
      [
        ['one', 'fork', 'online'],
        ['two', 'fork', 'online'],
        ['three', 'cluster', 'online'],
        ['three', 'cluster', 'online'],
      ],
    );
    assert.deepEqual(rows[0]!.args, ['--flag']);
    await cli(['delete', 'all']);
  });
});
