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
import {
  cmdlineOf,
  endRecorded,
  execPending,
  findTagged,
  findVictims,
  waitForExecs,
} from '../../../src/runtime/end-recorded.js';
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

test('a child caught between fork and exec (the daemon command line, no tag yet) is waited for, then found by its tag', async () => {
  const home = join(dir, 'forking-home');
  // Stands for a daemon's child before its exec: the "daemon's" command line (this sh) and environment (the
  // home, no TEND_ID), until it is told to exec into a tagged app.
  const child = spawn(
    '/bin/sh',
    ['-c', `read go; exec env TEND_ID=7 ${process.execPath} ${fixture('idle.cjs')}`],
    {
      env: { PATH: process.env.PATH ?? '', TEND_HOME: home },
      stdio: ['pipe', 'ignore', 'ignore'],
    },
  );
  const pid = child.pid as number;
  started.push(pid);
  await once(child, 'spawn');
  const before = cmdlineOf(pid);
  assert.ok(before?.startsWith('/bin/sh'), String(before));
  assert.equal(findTagged(home).size, 0, 'not tagged before its exec');
  let settled = false;
  const waited = waitForExecs(home, 10_000, before).then(() => {
    settled = true;
  });
  // A turn of the event loop: the child still has the daemon's command line, so nothing has settled.
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(settled, false, 'still waiting while the child has not run its exec');
  child.stdin?.end('go\n');
  await waited;
  assert.notEqual(cmdlineOf(pid), before);
  assert.ok(findTagged(home).has(pid), 'found by its tag right after');
  child.kill('SIGKILL');
});

test('inside its exec (memory swapped, arguments not yet in place: /proc shows both empty) a child is still waited for', () => {
  const daemon = 'node\0--flag\0daemon.cjs\0';
  const live = {
    pid: 9,
    comm: 'node',
    state: 'R',
    ppid: 1,
    pgid: 9,
    utime: 0,
    stime: 0,
    starttime: 5,
    rss: 0,
  };
  assert.equal(execPending(daemon, live, daemon), true, "the daemon's fork, not exec'd yet");
  assert.equal(execPending(null, live, daemon), true, 'inside its exec: empty command line, alive');
  assert.equal(execPending('node\0app.js\0', live, daemon), false, "exec'd: the tag scan finds it");
  assert.equal(execPending(null, { ...live, state: 'Z' }, daemon), false, 'a zombie is gone');
  assert.equal(execPending(null, undefined, daemon), false, 'gone');
});
