// Real process trees: a grandchild that ignores SIGINT/SIGTERM inside the group (rt-tree), and one that
// left the group with setsid (rt-escape). Gone is checked with waitGone, the suite's one sanctioned poll:
// nothing notifies us when a grandchild exits (see test/helpers/wait-gone.ts).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, describe, it } from 'node:test';
import { type KnownDescendants, reapTree, signalTree } from '../../../src/runtime/kill-tree.js';
import { descendantsOf, readProcessTable } from '../../../src/runtime/process-tree.js';
import { createSpawner } from '../../../src/runtime/spawner.js';
import { isProcessGone, waitGone } from '../../helpers/wait-gone.js';
import { Cleanup, firstLine, fixture, HookRecorder } from './rt-support.js';

const spawner = createSpawner();
const cleanup = new Cleanup();
after(() => cleanup.run());

interface Tree {
  child: number;
  grandchild: number;
}

/** Starts a fixture through the real spawner and waits for it to announce its tree. */
async function startTree(script: string, ...args: string[]) {
  const hooks = new HookRecorder();
  const handle = spawner.spawn(
    { command: process.execPath, args: [fixture(script), ...args], cwd: process.cwd(), env: {}, ipc: false },
    hooks,
  );
  cleanup.group(handle.pid);
  const tree = JSON.parse(await firstLine(handle.stdout, `${script} tree`)) as Tree;
  cleanup.pid(tree.grandchild);
  return { hooks, handle, tree };
}

/** Starts a fixture with plain child_process (no spawner, so no reap on exit) in its own group. */
async function startRaw(script: string, ...args: string[]): Promise<{ proc: ChildProcess; tree: Tree }> {
  const proc = spawn(process.execPath, [fixture(script), ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  cleanup.group(proc.pid);
  const tree = JSON.parse(await firstLine(proc.stdout, `${script} tree`)) as Tree;
  cleanup.pid(tree.grandchild);
  return { proc, tree };
}

describe('signalTree through the spawner handle', () => {
  it('SIGKILL kills the leader and a grandchild that ignores SIGINT and SIGTERM', async () => {
    const { hooks, handle, tree } = await startTree('rt-tree.cjs');
    assert.deepEqual(descendantsOf(tree.child, readProcessTable()), [tree.grandchild]);
    handle.signalTree('SIGKILL');
    assert.deepEqual(await hooks.exited(), { code: null, signal: 'SIGKILL' });
    await waitGone(tree.grandchild, { what: 'grandchild' });
  });

  it('SIGKILL kills a grandchild that left the process group', async () => {
    const { hooks, handle, tree } = await startTree('rt-escape.cjs');
    assert.notEqual(readProcessTable().get(tree.grandchild)?.pgid, tree.child, 'the escapee left the group');
    handle.signalTree('SIGKILL');
    assert.deepEqual(await hooks.exited(), { code: null, signal: 'SIGKILL' });
    await waitGone(tree.grandchild, { what: 'escaped grandchild' });
  });

  it('reaps on leader exit: a grandchild that ignored SIGINT does not survive its leader', async () => {
    const { hooks, handle, tree } = await startTree('rt-tree.cjs');
    handle.signalTree('SIGINT'); // the leader dies of it; the grandchild ignores it
    assert.deepEqual(await hooks.exited(), { code: null, signal: 'SIGINT' });
    await waitGone(tree.grandchild, { what: 'grandchild after its leader exited' });
    // Gone: kill(pid, 0) fails with ESRCH, unless PID 1 of this container has not reaped the zombie yet.
    if (!readProcessTable().has(tree.grandchild))
      assert.throws(() => process.kill(tree.grandchild, 0), /ESRCH/);
  });

  it('reaps on leader exit an escaped grandchild that was seen by an earlier signalTree', async () => {
    const { hooks, handle, tree } = await startTree('rt-escape.cjs', 'ignore-term');
    handle.signalTree('SIGTERM'); // records the escapee; it ignores SIGTERM, the leader does not
    assert.deepEqual(await hooks.exited(), { code: null, signal: 'SIGTERM' });
    await waitGone(tree.grandchild, { what: 'escaped grandchild after its leader exited' });
  });
});

describe('kill-tree functions', () => {
  it('signalTree signals a descendant outside the group individually and remembers it', async () => {
    const { proc, tree } = await startRaw('rt-escape.cjs');
    const known: KnownDescendants = new Map();
    const exited = once(proc, 'exit');
    signalTree(tree.child, 'SIGTERM', known);
    assert.ok(known.has(tree.grandchild), 'the escapee is remembered');
    await exited;
    // No reap here (plain child_process): only the individual SIGTERM can have ended the escapee.
    await waitGone(tree.grandchild, { what: 'escaped grandchild' });
  });

  it('reapTree kills what is left of the group once the leader is gone', async () => {
    const { proc, tree } = await startRaw('rt-tree.cjs');
    const exited = once(proc, 'exit');
    process.kill(tree.child, 'SIGKILL'); // the leader only
    await exited;
    assert.equal(isProcessGone(tree.grandchild), false, 'the grandchild outlived its leader');
    const known: KnownDescendants = new Map();
    reapTree(tree.child, known);
    assert.equal(known.size, 0);
    await waitGone(tree.grandchild, { what: 'orphaned grandchild' });
  });

  it('never signals a remembered pid that now belongs to another process', async () => {
    const hooks = new HookRecorder();
    const bystander = spawner.spawn(
      { command: process.execPath, args: [fixture('rt-ipc.cjs')], cwd: process.cwd(), env: {}, ipc: true },
      hooks,
    );
    cleanup.group(bystander.pid);
    await hooks.until((calls) => calls.find((c) => c.hook === 'message'), 'bystander ready');
    const pid = bystander.pid!;
    const starttime = readProcessTable().get(pid)!.starttime;
    // As if `pid` had been a descendant that died and was recycled: same pid, other starttime.
    const known: KnownDescendants = new Map([[pid, starttime - 1]]);
    const { proc, tree } = await startRaw('rt-tree.cjs');
    const exited = once(proc, 'exit');
    signalTree(tree.child, 'SIGKILL', known);
    assert.equal(known.has(pid), false, 'the stale entry is forgotten');
    await exited;
    // Still answers after the SIGKILLs were sent: it was not among them.
    bystander.send('still there?');
    await hooks.until(
      (calls) => calls.find((c) => c.hook === 'message' && 'echo' in Object(c.message)),
      'echo',
    );
    bystander.signalTree('SIGKILL');
    await hooks.exited();
  });

  it('refuses pids that would address every process or its own group', () => {
    const known: KnownDescendants = new Map();
    // SIGCONT: harmless even if the guard were missing.
    signalTree(0, 'SIGCONT', known);
    signalTree(1, 'SIGCONT', known);
    signalTree(-5, 'SIGCONT', known);
    assert.equal(known.size, 0);
  });
});
