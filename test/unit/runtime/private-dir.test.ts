// The private-directory check without root: our own directories and sockets (another user's are in
// test/faults/home.test.ts, which needs root).
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isTendError } from '../../../src/protocol/errors.js';
import { homePaths } from '../../../src/protocol/home.js';
import { checkPrivateSocket, ensureHome, ensurePrivateDir } from '../../../src/runtime/private-dir.js';
import { makeTmpHome } from '../../helpers/tmp-home.js';

const tmp = makeTmpHome();
after(() => tmp.remove());

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isTendError(err)) return err.code;
    throw err;
  }
  return 'none';
}

test('created 0700 when missing (parents too); false without create', () => {
  const dir = join(tmp.home, 'a', 'b');
  assert.equal(ensurePrivateDir(dir, { what: 'TEND_HOME', create: false }), false);
  assert.equal(ensurePrivateDir(dir, { what: 'TEND_HOME' }), true);
  assert.equal(statSync(dir).mode & 0o777, 0o700);
});

test('read bits for others are removed; write bits refuse a home and are fixed on logs/', () => {
  const dir = join(tmp.home, 'loose');
  mkdirSync(dir);
  chmodSync(dir, 0o755);
  ensurePrivateDir(dir, { what: 'TEND_HOME' });
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  chmodSync(dir, 0o775);
  assert.equal(
    code(() => ensurePrivateDir(dir, { what: 'TEND_HOME' })),
    'TEND_ERR_HOME_UNSAFE',
  );
  assert.equal(statSync(dir).mode & 0o777, 0o775, 'a refused home is left as it was');
  ensurePrivateDir(dir, { what: 'the logs directory', fixWritable: true });
  assert.equal(statSync(dir).mode & 0o777, 0o700);
});

test('a symbolic link: refused for logs/, followed (and checked) for the home', () => {
  const target = join(tmp.home, 'target');
  mkdirSync(target, { mode: 0o700 });
  const link = join(tmp.home, 'link');
  symlinkSync(target, link);
  assert.equal(
    code(() => ensurePrivateDir(link, { what: 'the logs directory' })),
    'TEND_ERR_HOME_UNSAFE',
  );
  assert.equal(ensurePrivateDir(link, { what: 'TEND_HOME', allowSymlink: true }), true);
  const file = join(tmp.home, 'file');
  writeFileSync(file, '');
  assert.equal(
    code(() => ensurePrivateDir(file, { what: 'TEND_HOME' })),
    'TEND_ERR_HOME_UNSAFE',
  );
});

test('a home whose sockets would not fit a Unix socket path is refused before anything is created', () => {
  const home = join(tmp.home, 'x'.repeat(110));
  assert.equal(
    code(() => ensureHome(homePaths(home), { create: true, createLogs: true })),
    'TEND_ERR_HOME_PATH_TOO_LONG',
  );
  assert.throws(() => statSync(home));
});

test('sockets: ours at 0600 pass; loose modes and links are refused; other files are leftovers', async () => {
  const path = join(tmp.home, 's.sock');
  assert.equal(checkPrivateSocket(path, 'the daemon socket'), false);
  const server = createServer();
  const umask = process.umask(0o177);
  await new Promise<void>((resolve) => server.listen(path, resolve));
  process.umask(umask);
  try {
    assert.equal(checkPrivateSocket(path, 'the daemon socket'), true);
    chmodSync(path, 0o666);
    assert.equal(
      code(() => checkPrivateSocket(path, 'the daemon socket')),
      'TEND_ERR_HOME_UNSAFE',
    );
    const link = join(tmp.home, 'l.sock');
    symlinkSync(path, link);
    assert.equal(
      code(() => checkPrivateSocket(link, 'the daemon socket')),
      'TEND_ERR_HOME_UNSAFE',
    );
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
  const leftover = join(tmp.home, 'old.sock');
  writeFileSync(leftover, '');
  assert.equal(checkPrivateSocket(leftover, 'the daemon socket'), false);
});

test('a home that is a symbolic link to nothing: absent without create, coded with create', () => {
  const link = join(tmp.home, 'dangling');
  symlinkSync(join(tmp.home, 'not-mounted'), link);
  assert.equal(ensurePrivateDir(link, { what: 'TEND_HOME', create: false, allowSymlink: true }), false);
  assert.equal(
    code(() => ensurePrivateDir(link, { what: 'TEND_HOME', allowSymlink: true })),
    'TEND_ERR_HOME_UNWRITABLE',
  );
  const loop = join(tmp.home, 'loop');
  symlinkSync(loop, loop);
  assert.equal(
    code(() => ensurePrivateDir(loop, { what: 'TEND_HOME', allowSymlink: true })),
    'TEND_ERR_HOME_UNSAFE',
  );
});
