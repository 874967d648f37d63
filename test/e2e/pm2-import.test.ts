// `tend import pm2` through the built CLI, on the dump a real PM2 7 wrote (test/fixtures/pm2, its root
// directory put back here); then end to end against PM2 itself (the bench's copy, or installed from the npm
// registry into a scratch folder; skipped with the reason when npm cannot install it): 3 apps started,
// `pm2 save`, `pm2 kill`, then imported and started under tend, and PM2's home taken over as tend-pm2's
// (src/pm2/home): resurrected under tend, saved back, and resurrected by PM2 from tend-pm2's dump, whose
// tend part PM2's own save keeps.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { connect } from '../../src/client/client.js';
import type { AppInput } from '../../src/config/input-types.js';
import { loadPm2Dump, preparePm2Home } from '../../src/pm2/home/index.js';
import { FIXTURES, runCli } from '../helpers/daemon.js';
import { findOrInstallPm2 } from '../helpers/pm2-peer.js';
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

describe("against a real PM2 7 (installed by npm into a scratch folder, or the bench's copy)", () => {
  let pm2Bin: string | null = null;
  let skip = '';
  before(async () => {
    const found = await findOrInstallPm2(join(home, 'pm2-install'));
    if ('bin' in found) pm2Bin = found.bin;
    else skip = found.skip;
  });

  /** PM2 in its own home; every call has a timeout, and each test ends with `pm2 kill`. */
  const pm2In = (pm2Home: string) => (args: string[]) =>
    run(pm2Bin as string, args, { env: { ...process.env, PM2_HOME: pm2Home }, timeout: 60_000 });

  /** 3 apps PM2 runs: one with arguments, one with a memory limit, one in cluster mode with 2 instances. */
  async function pm2Saves(dir: string, pm2: (args: string[]) => Promise<unknown>): Promise<void> {
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(FIXTURES, 'idle.cjs'), join(dir, 'one.js'));
    copyFileSync(join(FIXTURES, 'idle.cjs'), join(dir, 'two.js'));
    copyFileSync(join(FIXTURES, 'cl-server.cjs'), join(dir, 'three.js'));
    try {
      await pm2(['start', join(dir, 'one.js'), '--name', 'one', '--', '--flag']);
      await pm2(['start', join(dir, 'two.js'), '--name', 'two', '--max-memory-restart', '100M']);
      await pm2(['start', join(dir, 'three.js'), '--name', 'three', '-i', '2']);
      await pm2(['save']);
    } finally {
      await pm2(['kill']).catch(() => {});
    }
  }

  test('PM2 7 starts 3 apps and saves; tend imports the dump and runs them; PM2 jlist has the described shape', async (t) => {
    if (!pm2Bin) return t.skip(skip);
    const pm2Home = join(home, 'pm2-a');
    const pm2 = pm2In(pm2Home);
    await pm2Saves(join(home, 'apps-a'), async (args) => {
      const r = await pm2(args);
      // While PM2 runs them, its jlist is what test/fixtures/pm2/jlist-shape.json describes.
      if (args[0] === 'save') assert.deepEqual(shapeProblems(JSON.parse((await pm2(['jlist'])).stdout)), []);
      return r;
    });
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

  test("tend-pm2's home: PM2's own home resurrected under tend (pid files, PM2's log names), saved back as a dump.pm2 that PM2 resurrects", async (t) => {
    if (!pm2Bin) return t.skip(skip);
    const pm2Home = join(home, 'pm2-b');
    const pm2 = pm2In(pm2Home);
    await pm2Saves(join(home, 'apps-b'), pm2);
    // PM2 is gone; its home becomes tend-pm2's.
    preparePm2Home(pm2Home);
    const loaded = loadPm2Dump(pm2Home);
    assert.equal(loaded.file, join(pm2Home, 'dump.pm2'));
    assert.deepEqual(loaded.stopped, []);
    const client = await connect({ home: pm2Home });
    try {
      const started = await client.call('app.start', {
        apps: loaded.apps as AppInput[],
        source: null,
        base_dir: pm2Home,
        env: { PATH: process.env.PATH ?? '' },
        env_name: null,
        only: null,
        wait: true,
      });
      const procs = started.processes.map((p) => [p.id, p.name, p.status] as const);
      assert.deepEqual(
        procs.map(([, name, status]) => [name, status]),
        [
          ['one', 'online'],
          ['two', 'online'],
          ['three', 'online'],
          ['three', 'online'],
        ],
      );
      const [one, , t0, t1] = started.processes;
      const pids = readdirSync(join(pm2Home, 'pids')).sort();
      assert.deepEqual(
        pids,
        [
          `one-${one!.id}.pid`,
          `three-${t0!.id}.pid`,
          `three-${t1!.id}.pid`,
          `two-${started.processes[1]!.id}.pid`,
        ].sort(),
      );
      assert.equal(readFileSync(join(pm2Home, 'pids', `one-${one!.id}.pid`), 'utf8'), String(one!.pid));
      // PM2's names: one fork app without -<id>, each cluster instance with it (the same files PM2 wrote).
      const logs = readdirSync(join(pm2Home, 'logs'));
      for (const f of ['one-out.log', `three-out-${t0!.id}.log`, `three-out-${t1!.id}.log`])
        assert.ok(logs.includes(f), `${f} in ${logs.join(', ')}`);
      // pm2 save under tend-pm2, then tend's daemon stops: no pid file is left.
      const saved = await client.call('daemon.save', { force: true });
      assert.equal(saved.pm2_file, join(pm2Home, 'dump.pm2'));
      assert.ok(existsSync(join(pm2Home, 'dump.pm2.bak')), "PM2's own dump kept as the backup");
      const closed = client.closed;
      await client.call('daemon.kill');
      await closed;
    } finally {
      await client.close().catch(() => {});
    }
    assert.deepEqual(readdirSync(join(pm2Home, 'pids')), []);
    // PM2 itself reads the dump tend-pm2 wrote.
    try {
      await pm2(['resurrect']);
      const list = JSON.parse((await pm2(['jlist'])).stdout) as {
        name: string;
        pm2_env: { status: string; args?: string[]; exec_mode: string };
      }[];
      assert.deepEqual(
        list.map((e) => [e.name, e.pm2_env.exec_mode, e.pm2_env.status]),
        [
          ['one', 'fork_mode', 'online'],
          ['two', 'fork_mode', 'online'],
          ['three', 'cluster_mode', 'online'],
          ['three', 'cluster_mode', 'online'],
        ],
      );
      assert.deepEqual(list[0]!.pm2_env.args, ['--flag']);
      await pm2(['save']);
      const back = loadPm2Dump(pm2Home);
      // PM2's own save keeps tend's part, and what PM2 changed by itself (unique_id, -0 in log names) does
      // not count as a change: a resurrect by tend-pm2 still puts back tend's whole apps.
      assert.deepEqual(
        back.saved.map((a) => [a.spec.name, a.units.length]),
        [
          ['one', 1],
          ['two', 1],
          ['three', 2],
        ],
      );
      assert.deepEqual([back.apps, back.notices], [[], []]);
    } finally {
      await pm2(['kill']).catch(() => {});
    }
  });
});
