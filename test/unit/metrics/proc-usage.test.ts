// What a scrape reads of a live instance in /proc, on a real child process: its descriptors are counted the
// same by the size of /proc/<pid>/fd (Linux 6.2+) as by listing it, and a gone process reads as undefined.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { createUsageReader } from '../../../src/metrics/proc-usage.js';

test('open descriptors, memory and CPU of a real process; undefined once it is gone', async () => {
  // stdin, stdout, stderr and two more pipes (and whatever Node opens): read once the child says it runs.
  // (A `sleep` child read right after 'spawn' could still be between fork and exec: no memory yet, seen
  // under load.)
  const child = spawn(
    process.execPath,
    ['-e', "process.stdout.write('up\\n'); setInterval(() => {}, 1 << 30);"],
    { stdio: ['ignore', 'pipe', 'ignore', 'pipe', 'pipe'] },
  );
  await once(child.stdout as NodeJS.ReadableStream, 'data');
  const pid = child.pid as number;
  const read = createUsageReader();
  try {
    const usage = read(pid);
    assert.ok(usage, 'the child is there');
    assert.ok((usage.openFds ?? 0) >= 5, `${usage.openFds} descriptors`);
    assert.equal(usage.openFds, readdirSync(`/proc/${pid}/fd`).length);
    assert.ok(usage.residentBytes > 0);
    assert.ok(usage.userSeconds >= 0 && usage.systemSeconds >= 0);
  } finally {
    const exited = once(child, 'exit');
    process.kill(pid, 'SIGKILL');
    await exited;
  }
  assert.equal(read(pid), undefined);
});
