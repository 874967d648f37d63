// Real children writing through real pipes into the file sink, and the daemon-side event loop afterwards.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createFileSinks } from '../../../src/logs/log-service.js';
import { createSpawner } from '../../../src/runtime/spawner.js';
import { waitGone } from '../../helpers/wait-gone.js';
import { Cleanup, fixture, HookRecorder, SAFETY_TIMEOUT_MS } from './rt-support.js';

const spawner = createSpawner();
const sinks = createFileSinks();
const cleanup = new Cleanup();
const tmp = mkdtempSync(join(tmpdir(), 'tend-rt-output-'));
after(() => {
  cleanup.run();
  rmSync(tmp, { recursive: true, force: true });
});

async function runOnce(script: string, env: Record<string, string>, sink: ReturnType<typeof sinks.open>) {
  const hooks = new HookRecorder();
  const handle = spawner.spawn(
    { command: process.execPath, args: [fixture(script)], cwd: tmp, env, ipc: false },
    hooks,
  );
  cleanup.group(handle.pid);
  sink.attach(handle.stdout, handle.stderr);
  return hooks.exited();
}

describe('child output into the file sink', () => {
  it('loses nothing written just before exit (the sink reads until the pipes end)', async () => {
    const out = join(tmp, 'burst', 'out.log');
    const err = join(tmp, 'burst', 'err.log');
    mkdirSync(join(tmp, 'burst')); // log directories must exist
    const sink = sinks.open({ id: 0, name: 'burst', out_file: out, err_file: err });
    const lines = 20_000;
    assert.deepEqual(await runOnce('rt-burst.cjs', { RT_LINES: String(lines) }, sink), {
      code: 0,
      signal: null,
    });
    await sink.close();
    const written = readFileSync(out, 'utf8').split('\n');
    assert.equal(written.length, lines + 1);
    assert.equal(written[lines - 1], `out ${lines - 1}`);
    assert.equal(readFileSync(err, 'utf8').split('\n').length, lines + 1);
    const recent = sink.recentStderr();
    assert.equal(recent.length, 20);
    assert.equal(recent[0], `err ${lines - 20}`);
    assert.equal(recent[19], `err ${lines - 1}`);
  });

  it('reuses one sink across restarts, both streams in one file', async () => {
    const file = join(tmp, 'combined.log');
    const sink = sinks.open({ id: 1, name: 'echo', out_file: file, err_file: file });
    await runOnce('rt-echo.cjs', { RT_VALUE: 'first' }, sink);
    await runOnce('rt-echo.cjs', { RT_VALUE: 'second', RT_EXIT_CODE: '1' }, sink);
    await sink.close();
    const text = readFileSync(file, 'utf8');
    assert.equal(text.match(/rt-echo stderr line/g)?.length, 2);
    assert.match(text, /"value":"first"/);
    assert.match(text, /"value":"second"/);
    assert.deepEqual(sink.recentStderr(), ['rt-echo stderr line', 'rt-echo stderr line']);
  });
});

describe('the event loop of the process that spawns', () => {
  it('is held until the exit has been reported and the tree reaped, and no longer', async () => {
    // A separate node process plays the daemon with nothing else to do: it spawns rt-tree, interrupts it
    // (the grandchild ignores SIGINT), and must then exit by itself, having seen the exit.
    const spawnerUrl = new URL('../../../src/runtime/spawner.ts', import.meta.url).href;
    const script = `
      import { createSpawner } from ${JSON.stringify(spawnerUrl)};
      const handle = createSpawner().spawn(
        { command: process.execPath, args: [${JSON.stringify(fixture('rt-tree.cjs'))}], cwd: '/', env: {}, ipc: true },
        { onSpawnError: (e) => console.log('spawn error', e.code), onMessage: () => {},
          onExit: (code, signal) => console.log('exit', code, signal) },
      );
      handle.stderr.resume();
      handle.stdout.once('data', (line) => {
        console.log('tree', String(line).trim());
        handle.signalTree('SIGINT');
      });
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: fileURLToPath(new URL('../../..', import.meta.url)), timeout: SAFETY_TIMEOUT_MS },
    );
    const [treeLine, exitLine] = stdout.trim().split('\n');
    const tree = JSON.parse(treeLine!.replace(/^tree /, '')) as { grandchild: number };
    cleanup.pid(tree.grandchild);
    assert.equal(exitLine, 'exit null SIGINT');
    await waitGone(tree.grandchild, { what: 'grandchild reaped by the spawning process' });
  });
});
