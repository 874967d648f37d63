import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createInspector } from '../../../src/runtime/inspector.js';
import { createSpawner } from '../../../src/runtime/spawner.js';
import { Cleanup, firstLine, fixture, HookRecorder } from './rt-support.js';

const spawner = createSpawner();
const cleanup = new Cleanup();
after(() => cleanup.run());

function start(script: string) {
  const hooks = new HookRecorder();
  const handle = spawner.spawn(
    { command: process.execPath, args: [fixture(script)], cwd: process.cwd(), env: {}, ipc: false },
    hooks,
  );
  cleanup.group(handle.pid);
  handle.stderr?.resume();
  return { hooks, handle, pid: handle.pid! };
}

describe('inspector', () => {
  it('reports resident memory and the cpu a live child has used since it started', async () => {
    const { hooks, handle, pid } = start('rt-busy.cjs');
    assert.match(await firstLine(handle.stdout, 'busy-done'), /^busy-done/);
    const inspector = createInspector();
    const first = inspector.sample([pid]).get(pid);
    assert.ok(first, 'a live pid is sampled');
    assert.ok(first.memory > 1024 * 1024, `a node process has more than 1 MiB resident, got ${first.memory}`);
    // It burned >= 150 ms of cpu before announcing, i.e. >= 15 clock ticks: the average since start is > 0.
    assert.ok(first.cpu > 0, `cpu since start, got ${first.cpu}`);
    // The second sample measures since the first one: an idle process, so far less than the burst.
    const second = inspector.sample([pid]).get(pid);
    assert.ok(second && second.cpu >= 0 && second.memory > 0);
    handle.signalTree('SIGKILL');
    await hooks.exited();
  });

  it('leaves out dead and unknown pids, and never throws', async () => {
    const { hooks, handle, pid } = start('rt-echo.cjs');
    handle.stdout?.resume();
    await hooks.exited();
    const inspector = createInspector();
    const usage = inspector.sample([pid, 0, -1, 2 ** 31, process.pid]);
    assert.equal(usage.has(pid), false, 'an exited child is absent');
    assert.deepEqual([...usage.keys()], [process.pid]);
    assert.deepEqual(inspector.sample([]), new Map());
  });
});
