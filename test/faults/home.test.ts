// Faults 3, 4, 5 and 10 of issue 16: the home, its socket, its lock and its logs/ belong to the user alone.
// "Another user" is uid 65534, made by root (chown, spawn with a uid): skipped with the reason when not root.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lchownSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { connect } from '../../src/client/client.js';
import { isTendError } from '../../src/protocol/errors.js';
import { FIXTURES, ROOT, runCli } from '../helpers/daemon.js';
import { deadListener, foreignServer, NOBODY, needsRoot, runCliAs } from './home-support.js';

const skip = needsRoot();
const made: string[] = [];
const daemons: string[] = [];

/** A fresh directory of ours (0700), removed after the file. */
function dir(prefix = 'tend-f-'): string {
  const d = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  made.push(d);
  return d;
}

after(async () => {
  for (const home of daemons) await runCli(['kill'], { home });
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

function refused(r: { code: number; stderr: string }, code: string): void {
  assert.notEqual(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`^error: .*\\(${code}\\)\\n$`), r.stderr);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

test('a home owned by another user, whose daemon.sock is their server: refused, and the server receives nothing', async (t) => {
  if (skip) return t.skip(skip);
  const home = dir();
  chownSync(home, NOBODY, NOBODY);
  const server = await foreignServer(join(home, 'daemon.sock'));
  const env = { SECRET_TOKEN: 'hunter2' };
  const start = await runCli(['start', join(FIXTURES, 'idle.cjs'), '--name', 'x'], { home, env });
  refused(start, 'TEND_ERR_HOME_UNSAFE');
  assert.match(start.stderr, new RegExp(`TEND_HOME ${home} is owned by uid ${NOBODY}`));
  assert.match(start.stderr, /use a TEND_HOME of your own/);
  refused(await runCli(['list'], { home }), 'TEND_ERR_HOME_UNSAFE');

  // The home is ours again, but the socket in it is still theirs: refused all the same (the peer check).
  chownSync(home, 0, 0);
  const again = await runCli(['start', join(FIXTURES, 'idle.cjs'), '--name', 'x'], { home, env });
  refused(again, 'TEND_ERR_HOME_UNSAFE');
  assert.match(again.stderr, new RegExp(`the daemon socket ${home}/daemon.sock is owned by uid ${NOBODY}`));
  assert.deepEqual(await server.report(), { connections: 0, bytes: 0 });
});

test('the daemon itself refuses a foreign home at start (a programmatic spawn, or a check raced)', async (t) => {
  if (skip) return t.skip(skip);
  const home = dir();
  chownSync(home, NOBODY, NOBODY);
  const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist', 'daemon.cjs')],
      { env: { ...process.env, TEND_HOME: home }, timeout: 30_000 },
      (err, _stdout, stderr) => resolve({ code: err ? Number(err.code) : 0, stderr }),
    );
  });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`TEND_HOME ${home} is owned by uid ${NOBODY}`));
  assert.deepEqual(readdirSync(home), [], 'nothing created in their home');
});

test('a home others can write is refused with the fix; one only others can read is made private', async (t) => {
  if (skip) return t.skip(skip);
  const home = dir();
  chmodSync(home, 0o777);
  const r = await runCli(['list'], { home });
  refused(r, 'TEND_ERR_HOME_UNSAFE');
  assert.match(r.stderr, /can be written by every user \(mode 0777\).*chmod 700/);
  assert.equal(existsSync(join(home, 'daemon.log')), false, 'nothing was created in it');

  chmodSync(home, 0o755);
  daemons.push(home);
  const ok = await runCli(['list'], { home });
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(statSync(home).mode & 0o777, 0o700);
});

test("another user's symbolic link in place of logs/ is refused before anything is written", async (t) => {
  if (skip) return t.skip(skip);
  const home = dir();
  const theirs = dir('tend-theirs-');
  chownSync(theirs, NOBODY, NOBODY);
  symlinkSync(theirs, join(home, 'logs'));
  lchownSync(join(home, 'logs'), NOBODY, NOBODY);
  const r = await runCli(['start', join(FIXTURES, 'idle.cjs'), '--name', 'planted'], { home });
  refused(r, 'TEND_ERR_HOME_UNSAFE');
  assert.match(
    r.stderr,
    new RegExp(`the logs directory ${home}/logs is a symbolic link owned by uid ${NOBODY}`),
  );
  assert.deepEqual(readdirSync(theirs), []);
  assert.equal(existsSync(join(home, 'daemon.pid')), false, 'no daemon started');
});

test('a link planted in a loose logs/ in place of an app log is never written through', async (t) => {
  if (skip) return t.skip(skip);
  const home = dir();
  const logs = join(home, 'logs');
  mkdirSync(logs, { mode: 0o777 });
  chmodSync(logs, 0o777);
  const victim = join(dir('tend-victim-'), 'root-only');
  writeFileSync(victim, 'precious\n', { mode: 0o600 });
  symlinkSync(victim, join(logs, 'x-out.log'));
  lchownSync(join(logs, 'x-out.log'), NOBODY, NOBODY);
  daemons.push(home);
  const r = await runCli(['start', join(FIXTURES, 'log-ticker.cjs'), '--name', 'x'], { home });
  assert.equal(r.code, 1, r.stderr);
  assert.match(r.stderr, /x \[0\] is errored: cannot open log file .*x-out\.log: it is a symbolic link/);
  assert.equal(statSync(logs).mode & 0o777, 0o700, 'our loose logs/ is made private');
  assert.equal(readFileSync(victim, 'utf8'), 'precious\n');
});

test("a start lock that is another user's socket is refused, and its owner receives nothing", async (t) => {
  if (skip) return t.skip(skip);
  const home = dir();
  const theirs = dir('tend-sq-');
  chownSync(theirs, NOBODY, NOBODY);
  const squatter = await foreignServer(join(theirs, 's'));
  // Only root could put it there (the home is 0700): the check is the second wall, and it names the owner.
  renameSync(join(theirs, 's'), join(home, 'start.lock'));
  const r = await runCli(['ping'], { home });
  refused(r, 'TEND_ERR_HOME_UNSAFE');
  assert.match(r.stderr, new RegExp(`the start lock ${home}/start.lock is owned by uid ${NOBODY}`));
  assert.deepEqual(await squatter.report(), { connections: 0, bytes: 0 });
});

test('a start lock held by a process that never serves: the error names the holder', async () => {
  const home = dir();
  // Us, as a daemon stuck before it serves: says who holds the lock, never "ready".
  const holder = createServer((s) => s.write(`holder ${process.pid}\n`));
  const umask = process.umask(0o177); // 0600, as the daemon makes it
  await new Promise<void>((resolve) => holder.listen(join(home, 'start.lock'), resolve));
  process.umask(umask);
  try {
    await assert.rejects(connect({ home, timeoutMs: 300 }), (err) => {
      assert.ok(isTendError(err));
      assert.equal(err.code, 'TEND_ERR_LOCK_HELD');
      assert.equal(err.data.pid, process.pid);
      assert.match(err.message, new RegExp(`start lock ${home}/start.lock is held by pid ${process.pid}`));
      return true;
    });
  } finally {
    await new Promise((resolve) => holder.close(resolve));
  }
});

test('a dead holder’s lock and a dead claimer’s claim do not block the next start', async () => {
  const home = dir();
  await deadListener(join(home, 'start.lock'));
  writeFileSync(join(home, 'start.lock.claim'), '999999999 1', { mode: 0o600 });
  daemons.push(home);
  const r = await runCli(['ping'], { home });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(join(home, 'start.lock.claim')), false);
});

test('20 commands at once against a dead daemon’s lock: it is taken over once, one daemon serves them all', async () => {
  const home = dir();
  await deadListener(join(home, 'start.lock'));
  daemons.push(home);
  const results = await Promise.all(Array.from({ length: 20 }, () => runCli(['ping'], { home })));
  const pids = new Set<string>();
  for (const r of results) {
    assert.equal(r.code, 0, r.stderr);
    pids.add(r.stdout.match(/pid (\d+)/)?.[1] ?? '?');
  }
  assert.equal(pids.size, 1, `daemons: ${[...pids].join(', ')}`);
  assert.equal(readFileSync(join(home, 'daemon.log'), 'utf8').match(/daemon ready on/g)?.length, 1);
  assert.deepEqual(
    readdirSync(home).filter((f) => f.startsWith('start.lock')),
    ['start.lock'],
    'no temporary lock name or claim left behind',
  );
});

test('a home the user cannot create or write: a clear error with the fix, not an internal one', async (t) => {
  if (skip) return t.skip(skip);
  const parent = dir();
  chmodSync(parent, 0o755); // root's: nobody may not create in it
  const r = await runCliAs(NOBODY, ['list'], { TEND_HOME: join(parent, 'a', 'home') });
  refused(r, 'TEND_ERR_HOME_UNWRITABLE');
  assert.match(r.stderr, new RegExp(`permission denied on ${parent} \\(EACCES\\)`));
  assert.match(r.stderr, /set TEND_HOME to a directory you can write/);

  const readOnly = join(parent, 'ro');
  mkdirSync(readOnly, { mode: 0o500 });
  chownSync(readOnly, NOBODY, NOBODY);
  const ro = await runCliAs(NOBODY, ['list'], { TEND_HOME: readOnly });
  refused(ro, 'TEND_ERR_HOME_UNWRITABLE');
});

test('a home too long for a Unix socket fails clearly and creates nothing', async () => {
  const base = dir();
  const home = join(base, 'h'.repeat(100));
  const r = await runCli(['list'], { home });
  refused(r, 'TEND_ERR_HOME_PATH_TOO_LONG');
  assert.match(r.stderr, /more than a Unix socket path allows \(107\); set TEND_HOME to a shorter path/);
  assert.deepEqual(readdirSync(base), [], 'no home, no socket at a truncated path');
});
