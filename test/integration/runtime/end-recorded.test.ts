// Ending a dead daemon's processes by their record: a wrong start time (a recycled pid) is never signalled;
// the right one ends the whole tree, including a grandchild that ignores SIGTERM (SIGKILL after the grace)
// and one that left the group (found through the parent links).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { endRecorded, findVictims } from '../../../src/runtime/end-recorded.js';
import { readProcStat } from '../../../src/runtime/proc-stat.js';
import { isProcessGone } from '../../helpers/wait-gone.js';
import { fixture } from './rt-support.js';

const dir = mkdtempSync(join(tmpdir(), 'tend-end-'));
const started: number[] = [];
after(() => {
  for (const pid of started) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

test('a record is matched by pid AND start time, and ends the whole tree', async () => {
  const out = join(dir, 'tree.json');
  const leader = spawn(process.execPath, [fixture('tree.cjs'), out], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  const pid = leader.pid as number;
  started.push(pid);
  await once(leader, 'message');
  leader.disconnect();
  const tree = JSON.parse(readFileSync(out, 'utf8')) as { stubborn: number; escaped: number };
  started.push(tree.stubborn, tree.escaped);
  const starttime = readProcStat(pid)?.starttime as number;

  const recycled = { pid, starttime: starttime + 1, pgid: pid, pgid_starttime: starttime + 1 };
  assert.equal(findVictims([recycled]).size, 0, 'another start time: another process, never signalled');

  const record = { pid, starttime, pgid: pid, pgid_starttime: starttime };
  const victims = findVictims([record]);
  assert.deepEqual([...victims.keys()].sort(), [pid, tree.stubborn, tree.escaped].sort());
  const exited = once(leader, 'exit');
  const { ended, survivors } = await endRecorded([record], { graceMs: 200 });
  await exited;
  assert.equal(ended.length, 3);
  assert.deepEqual(survivors, []);
  for (const p of [pid, tree.stubborn, tree.escaped]) assert.ok(isProcessGone(p), `${p} is gone`);
});
