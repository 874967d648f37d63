// daemon.log is bounded (tenth audit: never rotated, a daemon beside a crash-looping app grew it without
// end): past its size it becomes daemon.log.1, replacing the one before, and a new file begins, 0600.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openDaemonLog } from '../../../src/daemon/daemon-log.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-daemon-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('past its size: rotated to daemon.log.1 (one kept), a new daemon.log, every line in one of them', async () => {
  const file = join(dir, 'daemon.log');
  const log = openDaemonLog(file, 1000);
  for (let i = 0; i < 60; i++) log(`line ${i} ${'x'.repeat(40)}`);
  await log.close();
  const now = readFileSync(file, 'utf8');
  const before = readFileSync(`${file}.1`, 'utf8');
  assert.ok(statSync(file).size <= 1000 && statSync(`${file}.1`).size <= 1000);
  assert.match(now, /line 59 /);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  // Only the newest two files' lines are kept, in order, whole.
  const lines = `${before}${now}`.trim().split('\n');
  const numbers = lines.map((l) => Number(/line (\d+) /.exec(l)?.[1]));
  assert.deepEqual(
    numbers,
    numbers.map((_, i) => 60 - numbers.length + i),
  );
  assert.equal(existsSync(`${file}.2`), false);
});
