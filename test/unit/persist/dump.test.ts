// writeDump through an injected file system: a failing write (ENOSPC) leaves the old dump untouched and is a
// clear TEND_ERR_SAVE_FAILED; a good write keeps the previous dump as .bak, and never a damaged one.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { type DumpFs, realDumpFs, writeDump } from '../../../src/persist/dump.js';
import { isTendError } from '../../../src/protocol/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-dump-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function enospcAfter(bytes: number): DumpFs {
  return {
    ...realDumpFs,
    async writeDurably(file, content) {
      // A disk that fills up part-way: some bytes land in the temp file, then ENOSPC.
      writeFileSync(file, content.slice(0, bytes));
      throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    },
  };
}

test('a full disk leaves the old dump intact, no temp file, and a clear error', async () => {
  const file = join(dir, 'full.json');
  writeFileSync(file, '{"format":2,"apps":["old"]}');
  await assert.rejects(writeDump(file, '{"format":2,"apps":["new"]}', enospcAfter(5)), (err) => {
    assert.ok(isTendError(err));
    assert.equal(err.code, 'TEND_ERR_SAVE_FAILED');
    assert.match(
      err.message,
      /full\.json: no space left on device \(ENOSPC\) \(the previous dump is unchanged\)/,
    );
    return true;
  });
  assert.equal(readFileSync(file, 'utf8'), '{"format":2,"apps":["old"]}');
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.startsWith('full')),
    ['full.json'],
  );
});

test('a failing rename leaves a readable dump (the .bak) and a clear error', async () => {
  const file = join(dir, 'rename.json');
  writeFileSync(file, '{"v":1}');
  const fs: DumpFs = {
    ...realDumpFs,
    rename: async (from, to) => {
      if (to === file) throw Object.assign(new Error('EIO: i/o error'), { code: 'EIO' });
      return realDumpFs.rename(from, to);
    },
  };
  await assert.rejects(writeDump(file, '{"v":2}', fs), /TEND_ERR_SAVE_FAILED|EIO/);
  assert.equal(readFileSync(`${file}.bak`, 'utf8'), '{"v":1}');
  assert.ok(!readdirSync(dir).some((f) => f.endsWith('.tmp')));
});

test('a good save keeps the previous dump as .bak, but never replaces a good .bak with a damaged dump', async () => {
  const file = join(dir, 'ok.json');
  await writeDump(file, '{"v":1}');
  assert.ok(!existsSync(`${file}.bak`));
  await writeDump(file, '{"v":2}');
  assert.equal(readFileSync(`${file}.bak`, 'utf8'), '{"v":1}');
  writeFileSync(file, '{"v":'); // damaged meanwhile
  await writeDump(file, '{"v":3}');
  assert.equal(readFileSync(file, 'utf8'), '{"v":3}');
  assert.equal(readFileSync(`${file}.bak`, 'utf8'), '{"v":1}');
});
