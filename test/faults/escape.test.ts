// Fault 8 of issue 16: descendants that escape their app's process tree (double fork, setsid, shell and Node
// daemonisation) must not survive the app's stop, its delete, or `tend kill`. For each escape fixture the
// test counts the processes left that were started under the app (the escapee itself, and anything carrying
// this home's tags): the figure is printed, and it must be 0. Before counting, the test checks that the
// escapee really left: alive, not in its app's process group, its parent gone.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { findTagged } from '../../src/runtime/end-recorded.js';
import { readProcStat } from '../../src/runtime/proc-stat.js';
import { FIXTURES, startTestDaemon, type TestDaemon } from '../helpers/daemon.js';
import { isProcessGone, waitGone } from '../helpers/wait-gone.js';

const MODES = ['double-fork', 'setsid-double', 'daemonize-sh', 'daemonize-node'] as const;
const daemons: TestDaemon[] = [];
const escapees: number[] = [];
after(async () => {
  for (const d of daemons) await d.stop();
  // Only processes this file started and checked by pid: none should be left; never leave one running.
  for (const pid of escapees) if (!isProcessGone(pid)) process.kill(pid, 'SIGKILL');
});

/** Starts one app of the fixture and returns its leader and escapee, after checking that it escaped. */
async function startEscaping(d: TestDaemon, mode: string, name: string, cluster = false) {
  const pidfile = join(d.home, `${name}.pid`);
  const app = { name, script: join(FIXTURES, 'escape-modes.cjs'), args: [mode, pidfile], wait_ready: true };
  const { processes } = await d.client.call('app.start', {
    apps: [cluster ? { ...app, exec_mode: 'cluster', instances: 1 } : app],
    base_dir: FIXTURES,
    env: { PATH: process.env.PATH ?? '' },
    wait: true,
  });
  const leader = processes[0]?.pid;
  assert.ok(leader, `${name} has no pid`);
  assert.equal(processes[0]?.status, 'online');
  // wait_ready: the fixture wrote the pidfile before it sent 'ready', and 'ready' made it online.
  const escapee = Number(readFileSync(pidfile, 'utf8'));
  escapees.push(escapee);
  const stat = readProcStat(escapee);
  assert.ok(stat && !isProcessGone(escapee), `${mode}: the escapee ${escapee} is not running`);
  assert.notEqual(stat.pgid, leader, `${mode}: the escapee is still in its app's process group`);
  assert.notEqual(stat.ppid, leader, `${mode}: the escapee is still the leader's child`);
  return { leader, escapee };
}

/** Processes left that were started under this home's apps: the escapee, and anything tagged. */
function left(home: string, escapee: number): number {
  const pids = new Set([...findTagged(home).keys()]);
  if (!isProcessGone(escapee)) pids.add(escapee);
  return pids.size;
}

const figures: string[] = [];

// A cluster worker's descendants carry its primary's tag (workers inherit the primary's environment): they
// are ended when the app's last worker stops and the primary exits with it.
describe('escape fixture daemonize-node in a cluster worker', () => {
  test('nothing survives the cluster app’s stop', async () => {
    const d = await startTestDaemon();
    daemons.push(d);
    const { escapee } = await startEscaping(d, 'daemonize-node', 'cl', true);
    await d.client.call('process.stop', { target: ['cl'], wait: true });
    // The primary exits after its last worker, a moment after stop replies: its reap ends the escapee.
    await waitGone(escapee, { what: 'the cluster worker’s escapee' });
    figures.push(`daemonize-node (cluster): stop ${isProcessGone(escapee) ? 0 : 1}`);
  });
});
after(() => console.log(`processes left after each action (target 0):\n  ${figures.join('\n  ')}`));

for (const mode of MODES) {
  describe(`escape fixture ${mode}`, () => {
    test('nothing survives stop, delete or tend kill', async () => {
      const d = await startTestDaemon();
      daemons.push(d);
      const stopped = await startEscaping(d, mode, 'by-stop');
      const deleted = await startEscaping(d, mode, 'by-delete');
      const killed = await startEscaping(d, mode, 'by-kill');

      // stop (wait: true) replies once the app's tree is gone: the count is taken at once, no waiting.
      await d.client.call('process.stop', { target: ['by-stop'], wait: true });
      const afterStop = isProcessGone(stopped.escapee) ? 0 : 1;

      await d.client.call('process.delete', { target: ['by-delete'] });
      const afterDelete = isProcessGone(deleted.escapee) ? 0 : 1;

      const closed = d.client.closed;
      await d.client.call('daemon.kill');
      await closed;
      const afterKill = left(d.home, killed.escapee);

      figures.push(`${mode}: stop ${afterStop}, delete ${afterDelete}, kill ${afterKill}`);
      assert.deepEqual({ afterStop, afterDelete, afterKill }, { afterStop: 0, afterDelete: 0, afterKill: 0 });
    });
  });
}
