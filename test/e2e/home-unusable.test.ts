// A TEND_HOME that can never be used, through the built bins (seventh audit, findings 7 and 8): under /proc
// (Node 20's recursive mkdirSync looped there for ever at 100 % CPU, deaf to SIGTERM) and a symbolic link to
// nothing (a volume not mounted: TEND_ERR_INTERNAL, exit 70). Both must end at once with the home's coded
// error, exit 2, and the fix. The execFile timeout is a safety net only: a hang fails the test, it does not
// pass it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CLI, ROOT } from '../helpers/daemon.js';
import { RUNTIME } from '../helpers/runtime.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'tend-home-unusable-')));
after(() => rmSync(dir, { recursive: true, force: true }));

function run(bin: string, args: string[], home: string): Promise<{ code: number | string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      {
        cwd: ROOT,
        env: { ...process.env, TEND_HOME: home, NO_COLOR: '1' },
        timeout: 20_000,
        killSignal: 'SIGKILL',
      },
      (err, _stdout, stderr) =>
        resolve({ code: err ? (err.killed ? 'timed out' : (err.code as number)) : 0, stderr }),
    );
  });
}

const app = join(ROOT, 'test', 'fixtures', 'exit-code.cjs');

test('TEND_HOME under /proc: tend and tend-runtime stop at once with TEND_ERR_HOME_UNWRITABLE', async () => {
  const home = `/proc/tend-audit-${process.pid}`;
  const [cli, runtime] = await Promise.all([
    run(CLI, ['ls'], home),
    run(RUNTIME, [app, '--control', '--health-listen', 'off'], home),
  ]);
  assert.equal(cli.code, 2, cli.stderr);
  assert.match(cli.stderr, /TEND_HOME \/proc\/tend-audit-\d+: \/proc does not take new directories/);
  assert.match(
    cli.stderr,
    /set TEND_HOME to a directory on a real file system.*\(TEND_ERR_HOME_UNWRITABLE\)/,
  );
  // The runtime's control socket is optional: without a usable home it says why and runs the app anyway.
  assert.notEqual(runtime.code, 'timed out', runtime.stderr);
  assert.match(
    runtime.stderr,
    /no control socket: cannot create or write TEND_HOME .*\(TEND_ERR_HOME_UNWRITABLE\)/,
  );
  assert.doesNotMatch(runtime.stderr + cli.stderr, /TEND_ERR_INTERNAL/);
});

test('TEND_HOME a symbolic link to nothing: coded, the target named, nothing created through the link', async () => {
  const home = join(dir, 'home');
  const target = join(dir, 'volume', 'tend');
  symlinkSync(target, home);
  const [cli, runtime] = await Promise.all([
    run(CLI, ['ls'], home),
    run(RUNTIME, [app, '--control', '--health-listen', 'off'], home),
  ]);
  assert.equal(cli.code, 2, cli.stderr);
  assert.match(
    cli.stderr,
    new RegExp(
      `cannot create or write TEND_HOME ${home}: it is a symbolic link to ${target}, which does not exist \\(ENOENT\\) \\(create ${target} or mount the volume it is on, or set TEND_HOME to another directory\\) \\(TEND_ERR_HOME_UNWRITABLE\\)`,
    ),
  );
  assert.match(
    runtime.stderr,
    /no control socket: cannot create or write TEND_HOME .*symbolic link to .*\(TEND_ERR_HOME_UNWRITABLE\)/,
  );
  assert.doesNotMatch(runtime.stderr + cli.stderr, /TEND_ERR_INTERNAL/);
  assert.equal(existsSync(target), false, 'the missing volume is not replaced by a directory of ours');
  // Under a dangling parent, the same: the link is named.
  const below = await run(CLI, ['ls'], join(home, 'sub'));
  assert.equal(below.code, 2, below.stderr);
  assert.match(below.stderr, new RegExp(`${home} is a symbolic link to ${target}, which does not exist`));
});
