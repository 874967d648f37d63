// A real full disk: TEND_HOME on a 512 KiB tmpfs (needs root to mount; skipped with the reason otherwise).
// `save` on a full disk fails clearly and leaves the previous dump intact; the daemon keeps supervising.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, runCli } from '../helpers/daemon.js';
import { mountSmallDisk, type SmallDisk } from '../helpers/tmpfs.js';

let disk: SmallDisk;
let mnt = '';
let skip: string | false = false;
before(() => {
  disk = mountSmallDisk();
  ({ path: mnt, skip } = disk);
});
after(async () => {
  if (!skip) await runCli(['kill'], { home: join(mnt, 'home') });
  disk.remove();
});

test('save on a full disk: a clear error, the old dump intact, the daemon and its apps unaffected', async (t) => {
  if (skip) return t.skip(skip);
  const home = join(mnt, 'home');
  const cli = (...args: string[]) => runCli(args, { home });
  assert.equal((await cli('start', join(FIXTURES, 'idle.cjs'), '--name', 'a')).code, 0);
  const saved = await cli('save');
  assert.equal(saved.code, 0, saved.stderr);
  const dump = join(home, 'dump.json');
  const before = readFileSync(dump, 'utf8');

  // A second app, then fill the disk to the last byte.
  assert.equal((await cli('start', join(FIXTURES, 'idle.cjs'), '--name', 'b')).code, 0);
  const filler = join(mnt, 'filler');
  try {
    writeFileSync(filler, Buffer.alloc(1024 * 1024));
  } catch (err) {
    assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
  }
  const full = await cli('save');
  assert.equal(full.code, 1, full.stdout);
  assert.match(full.stderr, /\(TEND_ERR_SAVE_FAILED\)\n$/);
  assert.match(full.stderr, /ENOSPC|no space/i);
  assert.doesNotMatch(full.stderr, /\bat .*\.[cm]?js:\d+/, 'no stack trace');
  assert.equal(readFileSync(dump, 'utf8'), before, 'the previous dump is untouched');
  assert.deepEqual(
    (JSON.parse((await cli('jlist')).stdout) as { name: string; status: string }[]).map((p) => [
      p.name,
      p.status,
    ]),
    [
      ['a', 'online'],
      ['b', 'online'],
    ],
  );

  // Space again: save works and keeps the previous dump as .bak.
  rmSync(filler, { force: true });
  const again = await cli('save');
  assert.equal(again.code, 0, again.stderr);
  assert.ok(existsSync(`${dump}.bak`));
  assert.equal(readFileSync(`${dump}.bak`, 'utf8'), before);
});
