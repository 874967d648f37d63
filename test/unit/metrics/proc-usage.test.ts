// What a scrape reads of a live instance in /proc, on a real child process: its descriptors are counted the
// same by the size of /proc/<pid>/fd (Linux 6.2+) as by listing it, and a gone process reads as undefined.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { createUsageReader } from '../../../src/metrics/proc-usage.js';

test('open descriptors, memory and CPU of a real process; undefined once it is gone', async () => {
  // stdin, stdout, stderr and two more pipes (and whatever the test runner lets a child inherit): fixed once
  // sleep runs, and spawn waits for the exec.
  const child = spawn('sleep', ['30'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] });
  await once(child, 'spawn');
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
