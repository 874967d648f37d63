// The cpu sampler keeps no per-caller state: readers that sample at different rates, interleaved, get the
// same figure for the same process (measured over a shared window), not a figure over "since whoever
// asked last".
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { createInspector } from '../../../src/runtime/inspector.js';

test('five interleaved readers of one inspector agree on a busy process', async (t) => {
  // Spins until killed.
  const busy = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
  t.after(() => busy.kill('SIGKILL'));
  const pid = busy.pid as number;
  const inspector = createInspector();
  const readings: { reader: number; cpu: number; at: number }[] = [];
  const started = Date.now();
  // Readers take turns as fast as the event loop goes, for 1.6 s (a bound on the test, not a wait for it).
  await new Promise<void>((resolve) => {
    let i = 0;
    const step = () => {
      const reader = i++ % 5;
      // Reader 0 also asks about another pid: what it asks must not change what the others get.
      const pids = reader === 0 ? [pid, process.pid] : [pid];
      const cpu = inspector.sample(pids).get(pid)?.cpu;
      if (cpu !== undefined) readings.push({ reader, cpu, at: Date.now() - started });
      if (Date.now() - started < 1600) setTimeout(step, 7);
      else resolve();
    };
    step();
  });
  // Once the process is older than a window, every reading is over at least a second: they agree.
  const late = readings.filter((r) => r.at > 1200);
  assert.ok(late.length >= 10, `enough readings (${late.length})`);
  const cpus = late.map((r) => r.cpu);
  // Each reading against the one just before it (another reader, 7 ms earlier): over a shared window of a
  // second they differ by little; over "since that reader asked last" (35 ms) they would jump. Not the spread
  // of the whole run: on a loaded machine the process's share itself drifts (55 to 71 in one CI-like run).
  const jumps = cpus.slice(1).map((c, i) => Math.abs(c - (cpus[i] as number)));
  assert.ok(Math.max(...jumps) <= 10, `consecutive readings agree within 10 points: ${cpus.join(' ')}`);
  assert.ok(Math.min(...cpus) > 20, `a spinning process is seen as busy: ${cpus.join(' ')}`);
  assert.equal(new Set(late.map((r) => r.reader)).size, 5);
});
