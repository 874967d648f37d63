// An app is one object with one spec and all its instances: a respec of one instance's app (restart 1
// --update-env) must not split the app, and every instance comes back, with its id and restart count, after
// a kill -9 of the daemon, save + kill + resurrect, and update. Resurrect starts a saved app that is stopped.
// Crash recovery gives a leftover process its own app's kill_timeout.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../helpers/daemon.js';
import { waitGone } from '../helpers/wait-gone.js';
import {
  type Home,
  identify,
  makeHome,
  pidsRunning,
  stillRunning,
  waitForState,
} from './recovery-support.js';

describe('every instance of an app survives every path', () => {
  let h: Home;
  before(() => {
    h = makeHome();
  });
  after(() => h.cleanup());

  const shape = async () =>
    (await h.jlist()).processes.map((p) => [p.id, p.name, p.instance, p.status, p.restarts]);
  const expected = [
    [0, 'multi', 0, 'online', 0],
    [1, 'multi', 1, 'online', 1],
    [2, 'multi', 2, 'online', 0],
  ];

  test('restart 1 --update-env, then kill -9 of the daemon: all 3 instances come back', async () => {
    const r = await h.cli(
      'start',
      h.app('idle.cjs', 'multi.cjs'),
      '--name',
      'multi',
      '-i',
      '3',
      '--exec-mode',
      'fork',
    );
    assert.equal(r.code, 0, r.stderr);
    const u = await runCli(['restart', '1', '--update-env'], {
      home: h.home,
      cwd: h.apps,
      env: { FOO: '1' },
    });
    assert.equal(u.code, 0, u.stderr);
    assert.deepEqual(await shape(), expected);
    // One entry for the app in state.json, with its three instances and their processes.
    const state = await waitForState(h.home, (s) =>
      s.apps.some((a) => a.units.length === 3 && a.units.every((x) => typeof x.pid === 'number')),
    );
    assert.equal(state.apps.length, 1, 'one app, not one per spec');
    const old = identify(pidsRunning(h.apps));
    process.kill(h.daemonPid(), 'SIGKILL');
    const after = await h.jlist();
    assert.match(after.stderr, /restored 3 process\(es\) of 1 app\(s\)/);
    assert.deepEqual(await shape(), expected);
    assert.deepEqual(stillRunning(old), [], 'the old processes were ended');
    // The new environment is the app's: every instance started since has it.
    for (const id of ['0', '1', '2']) {
      const env = await h.cli('env', id, '--json');
      assert.equal(env.code, 0, env.stderr);
      assert.equal(JSON.parse(env.stdout)[0]?.env.FOO, '1', `instance ${id}`);
    }
  });

  test('save, kill, resurrect: all 3 instances, same ids and restart counts', async () => {
    assert.equal((await h.cli('save')).code, 0);
    const pid = h.daemonPid();
    assert.equal((await h.cli('kill')).code, 0);
    await waitGone(pid, { what: 'the daemon' });
    const r = await h.cli('resurrect');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Resurrected 3 processes/);
    assert.doesNotMatch(r.stdout, /already running/);
    assert.deepEqual(await shape(), expected);
  });

  test('update: all 3 instances, same ids and restart counts', async () => {
    const r = await h.cli('update');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(await shape(), expected);
  });

  test('resurrect starts a saved app that is stopped, and never calls it "already running"', async () => {
    assert.equal((await h.cli('stop', 'multi')).code, 0);
    const r = await h.cli('resurrect');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /already running/);
    assert.match(r.stderr, /multi: exists; started its stopped instance\(s\) 0, 1, 2/);
    assert.deepEqual(
      (await h.jlist()).processes.map((p) => p.status),
      ['online', 'online', 'online'],
    );
    const again = await h.cli('resurrect');
    assert.match(again.stdout, /Skipped multi: already running/);
  });
});

describe('crash recovery and kill_timeout', () => {
  let h: Home;
  before(() => {
    h = makeHome();
  });
  after(() => h.cleanup());

  test("a leftover gets its own app's kill_timeout before SIGKILL, not a fixed grace", async () => {
    const marker = join(h.apps, 'flushed');
    const args = [
      'start',
      h.app('slow-exit.cjs'),
      '--name',
      'slow',
      '--kill-timeout',
      '8000',
      '--wait-ready',
      '--',
      marker,
    ];
    // --wait-ready: online once the app said so, which it does after its signal handlers are installed (a
    // daemon killed before that would have the app ended by the default action of the new daemon's signal).
    const r = await runCli(args, { home: h.home, cwd: h.apps, env: { SLOW_EXIT_MS: '3000' } });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      (await h.jlist()).processes.map((p) => p.status),
      ['online'],
    );
    await waitForState(h.home, (s) => s.apps.some((a) => a.units.every((x) => typeof x.pid === 'number')));
    const [pid] = pidsRunning(join(h.apps, 'slow-exit.cjs'));
    assert.ok(pid !== undefined);
    process.kill(h.daemonPid(), 'SIGKILL');
    // The app needs 3 s to flush; a fixed 1.5 s grace (the old one) would SIGKILL it first.
    const after = await h.jlist();
    assert.match(after.stderr, /restored 1 process/);
    assert.ok(existsSync(`${marker}-${pid}`), 'the old process finished its graceful exit');
  });
});
