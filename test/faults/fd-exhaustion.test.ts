// Fault 6 of issue 16: running out of file descriptors. The daemon is started by the CLI under `ulimit -n 64`
// (it inherits the limit) and asked to start 40 apps, far more than 64 descriptors allow. Every app must end
// online or errored with EMFILE as its reason (never an internal error, never left half-started), the daemon
// must keep answering, and one `delete all` must clean up.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { connect } from '../../src/client/client.js';
import { CLI, type CliResult, FIXTURES, ROOT } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';
import { reached, watch } from '../helpers/until.js';

const tmp = makeTmpHome();
const home = tmp.home;
let daemonPid: number | null = null;

after(async () => {
  // Only the daemon this file started, by pid; its children die with it (tend kill), or by group below.
  if (daemonPid !== null) {
    await run(['kill']);
    try {
      process.kill(daemonPid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
  tmp.remove();
});

/** The built CLI under a descriptor limit (through a shell: ulimit applies to it and the daemon it starts). */
function run(args: string[], limit?: number): Promise<CliResult> {
  const argv = [CLI, ...args];
  const [file, fileArgs] =
    limit === undefined
      ? [process.execPath, argv]
      : ['bash', ['-c', `ulimit -n ${limit} && exec "$0" "$@"`, process.execPath, ...argv]];
  return new Promise((resolve) => {
    execFile(
      file,
      fileArgs,
      { cwd: ROOT, env: { ...process.env, TEND_HOME: home, NO_COLOR: '1' }, timeout: 60_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr }),
    );
  });
}

test('a spawn the OS refuses with EMFILE is a spawn error with no streams, not a crash', async () => {
  // The spawner's own budget check is off in this fixture: Node's EMFILE path (no stdio streams at all).
  const r = await new Promise<CliResult>((resolve) => {
    execFile(
      'bash',
      ['-c', 'ulimit -n 64 && exec "$0" --import tsx fd-spawn.ts', process.execPath],
      { cwd: FIXTURES, timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
    );
  });
  assert.equal(r.code, 0, r.stderr);
  const seen = JSON.parse(r.stdout) as Record<string, unknown>;
  assert.deepEqual(seen, { heard: ['spawn-error EMFILE'], pid: null, stdout: null, stderr: null });
});

test('40 apps under ulimit -n 64: each online or errored with EMFILE, the daemon answers, one delete all', async () => {
  const apps = Array.from({ length: 40 }, (_, i) => ({ name: `fd${i}`, script: join(FIXTURES, 'idle.cjs') }));
  const eco = join(home, 'eco.json');
  writeFileSync(eco, JSON.stringify({ apps }));

  // The first command starts the daemon under the limit.
  const first = await run(['ls'], 64);
  assert.equal(first.code, 0, first.stderr);
  daemonPid = Number(readFileSync(join(home, 'daemon.pid'), 'utf8'));
  assert.match(readFileSync(`/proc/${daemonPid}/limits`, 'utf8'), /^Max open files\s+64\s/m);
  const baseline = readdirSync(`/proc/${daemonPid}/fd`).length;

  const events = await watch(home);
  const started = await run(['start', eco]);
  assert.doesNotMatch(started.stderr + started.stdout, /TEND_ERR_INTERNAL|internal error/);
  // Some apps could not start: the command says so and exits non-zero.
  assert.notEqual(started.code, 0);
  assert.match(started.stderr, /errored: .*EMFILE/);

  // Each app settled: online, or errored with the reason. The events say so too (not only the list).
  const client = await connect({ home, spawn: false });
  try {
    const { processes } = await client.call('process.list');
    assert.equal(processes.length, 40);
    for (const p of processes) {
      assert.ok(p.status === 'online' || p.status === 'errored', `${p.name} is ${p.status}`);
      if (p.status === 'errored') {
        assert.match(p.last_error ?? '', /EMFILE/, `${p.name}: ${p.last_error}`);
        await events.until(reached(p.name, 'errored'), { what: `${p.name} errored event` });
      }
    }
    const errored = processes.filter((p) => p.status === 'errored').length;
    assert.ok(errored > 0, 'the limit was not reached: the test proves nothing');
    console.log(
      `fd exhaustion: ${40 - errored} online, ${errored} errored (EMFILE), baseline ${baseline} fds`,
    );

    // The daemon kept its reserve: a burst of connections is served while the apps hold their descriptors.
    const extra = await Promise.all(Array.from({ length: 8 }, () => connect({ home, spawn: false })));
    for (const c of extra) assert.equal((await c.call('process.list')).processes.length, 40);
    await Promise.all(extra.map((c) => c.close()));
  } finally {
    await client.close();
    await events.close();
  }

  const deleted = await run(['delete', 'all']);
  assert.equal(deleted.code, 0, deleted.stderr);
  const listed = await run(['jlist']);
  assert.deepEqual(JSON.parse(listed.stdout), []);
  // Everything the apps held is released: the daemon is back near where it started.
  assert.ok(readdirSync(`/proc/${daemonPid}/fd`).length <= baseline + 2);

  // And it can start an app again.
  const again = await run(['start', join(FIXTURES, 'idle.cjs'), '--name', 'after']);
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(readFileSync(join(home, 'daemon.log'), 'utf8'), /internal error/);
});
