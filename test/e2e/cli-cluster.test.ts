// Cluster mode as a user drives it with the built CLI: start -i, an ecosystem file with exec_mode cluster,
// scale, reload (a success, and a broken release that must be an error), and the bad-input messages.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FIXTURES, runCli } from '../helpers/daemon.js';
import { makeTmpHome } from '../helpers/tmp-home.js';

const tmp = makeTmpHome();
const home = tmp.home;
const cli = (args: string[], env?: Record<string, string>) => runCli(args, { home, env });
const jlist = async () =>
  JSON.parse((await cli(['jlist'])).stdout) as {
    name: string;
    mode: string;
    pid: number;
    instance: number;
  }[];
const app = async (name: string) => (await jlist()).filter((p) => p.name === name);

let daemonPid = 0;
before(async () => {
  assert.equal((await cli(['ping'])).code, 0);
  daemonPid = Number(readFileSync(join(home, 'daemon.pid'), 'utf8'));
});
after(async () => {
  // If the CLI cannot do it (say dist/ is being rebuilt meanwhile), SIGTERM: the daemon stops its processes.
  if ((await cli(['kill'])).code !== 0) {
    try {
      process.kill(daemonPid, 'SIGTERM');
    } catch {
      // gone already
    }
  }
  tmp.remove();
});

describe('tend CLI: cluster mode', () => {
  test('start -i 2 runs a Node script in cluster mode; scale and reload it', async () => {
    const behaviour = join(home, 'release');
    writeFileSync(behaviour, 'ok');
    const env = { CL_BEHAVIOUR: behaviour };
    const started = await cli(
      ['start', join(FIXTURES, 'cl-server.cjs'), '-i', '2', '--name', 'api', '--listen-timeout', '5s'],
      env,
    );
    assert.equal(started.code, 0, started.stderr);
    assert.match(started.stdout, /api .*cluster .*online/);
    assert.deepEqual(
      (await app('api')).map((p) => [p.mode, p.instance]),
      [
        ['cluster', 0],
        ['cluster', 1],
      ],
    );

    const up = await cli(['scale', 'api', '+1']);
    assert.equal(up.code, 0, up.stderr);
    assert.equal((await app('api')).length, 3);
    const down = await cli(['scale', 'api', '2']);
    assert.equal(down.code, 0, down.stderr);
    const before = await app('api');
    assert.deepEqual(
      before.map((p) => p.instance),
      [0, 1],
    );

    const reloaded = await cli(['reload', 'api']);
    assert.equal(reloaded.code, 0, reloaded.stderr);
    const after = await app('api');
    assert.equal(after.length, 2);
    for (const p of after) assert.ok(!before.some((b) => b.pid === p.pid), 'every worker was replaced');

    writeFileSync(behaviour, 'never-listen');
    const broken = await cli(['reload', 'api']);
    assert.equal(broken.code, 1);
    assert.match(
      broken.stderr,
      /^error: reload failed: api \[\d+\]: the replacement did not listen on any port within listen_timeout \(5000 ms\); its old process keeps serving; not reloaded: \d+ \(TEND_ERR_RELOAD_FAILED\)\n$/,
    );
    assert.match(broken.stdout, /api .*cluster .*online/, 'the table still shows the old workers online');
    assert.deepEqual(
      (await app('api')).map((p) => p.pid),
      after.map((p) => p.pid),
    );
    await cli(['delete', 'api']);
  });

  test('an ecosystem file with exec_mode cluster and instances', async () => {
    const dir = join(home, 'eco');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'ecosystem.config.cjs');
    writeFileSync(
      file,
      `module.exports = { apps: [{ name: 'web', script: ${JSON.stringify(join(FIXTURES, 'cl-server.cjs'))}, exec_mode: 'cluster', instances: 2 }] };`,
    );
    const r = await cli(['start', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      (await app('web')).map((p) => p.mode),
      ['cluster', 'cluster'],
    );
    assert.equal((await cli(['reload', file])).code, 0);
    await cli(['delete', file]);
  });

  test('bad input: -i, scale counts, cluster mode for a non-Node script', async () => {
    const badI = await cli(['start', join(FIXTURES, 'cl-server.cjs'), '-i', 'lots']);
    assert.equal(badI.code, 2);
    assert.match(badI.stderr, /argument 'lots' is invalid\. expected a number, "max" or a negative number/);

    const tooFew = await cli(['start', join(FIXTURES, 'cl-server.cjs'), '-i', '-100000', '--name', 'few']);
    assert.equal(tooFew.code, 2);
    assert.match(tooFew.stderr, /instances: expected -n with n smaller than the number of CPUs/);

    const shell = await cli(['start', join(FIXTURES, 'hello.sh'), '--exec-mode', 'cluster']);
    assert.equal(shell.code, 2);
    assert.match(
      shell.stderr,
      /exec_mode: cluster mode runs Node\.js scripts only, and hello\.sh runs with bash; use exec_mode "fork"/,
    );

    const zero = await cli(['scale', 'api', '0']);
    assert.equal(zero.code, 2);
    assert.match(zero.stderr, /expected a number of instances from 1 to 10000, or \+n to add n, got "0"/);
    const missing = await cli(['scale', 'nothing', '2']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no process matches "nothing" \(TEND_ERR_TARGET_NOT_FOUND\)/);
  });
});
