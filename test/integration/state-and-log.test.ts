// The daemon's own records: state.json follows the process list; daemon.log tells every decision.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { homePaths } from '../../src/protocol/home.js';
import { FIXTURES, startTestDaemon, type TestDaemon } from '../helpers/daemon.js';
import { reached, watch } from '../helpers/until.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(() => d.stop());

test('state.json (0600) holds every app with its ids and wanted state, rewritten as they change', async () => {
  await d.client.call('app.start', {
    apps: [{ name: 'kept', script: join(FIXTURES, 'idle.cjs'), instances: 2, exec_mode: 'fork' }],
    base_dir: FIXTURES,
  });
  await d.client.call('process.stop', { target: ['kept'] });
  const file = homePaths(d.home).stateFile;
  // state.json is written after a burst of events: wait for the write before looking at the file.
  const state = await waitForState(file, (s) =>
    s.apps.some((a) => a.units.every((u) => u.wanted === 'down')),
  );
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const app = state.apps.find((a) => a.spec.name === 'kept');
  assert.ok(app);
  assert.equal(app.units.length, 2);
  assert.deepEqual(
    app.units.map((u) => u.wanted),
    ['down', 'down'],
  );
  await d.client.call('process.delete', { target: ['kept'] });
});

test('daemon.log records starts, exits and restart decisions', async () => {
  const w = await watch(d.home);
  await d.client.call('app.start', {
    apps: [{ name: 'logged', script: join(FIXTURES, 'crash.cjs'), max_restarts: 1 }],
    base_dir: FIXTURES,
    wait: false,
  });
  await w.until(reached('logged', 'errored'));
  const log = readFileSync(homePaths(d.home).daemonLog, 'utf8');
  assert.match(log, /logged\[\d+\] started pid \d+: .*crash\.cjs/);
  assert.match(log, /logged\[\d+\] exited \(code 1, signal null\) after \d+ ms/);
  assert.match(log, /logged\[\d+\] exited with code 1 after \d+ ms \(unstable 1\/1\): restarting in 0 ms/);
  assert.match(log, /logged\[\d+\] errored: exited with code 1 .*2 unstable exits in a row/);
  await w.close();
  await d.client.call('process.delete', { target: ['logged'] });
});

interface State {
  apps: { spec: { name: string }; units: { id: number; wanted: string }[] }[];
}

/** state.json is written after each burst of events; wait for the write that shows what we expect. */
async function waitForState(file: string, ok: (s: State) => boolean): Promise<State> {
  const { watch: fsWatch } = await import('node:fs');
  const read = (): State | null => {
    try {
      const s = JSON.parse(readFileSync(file, 'utf8')) as State;
      return ok(s) ? s : null;
    } catch {
      return null;
    }
  };
  return new Promise((resolve, reject) => {
    const done = (s: State) => {
      watcher.close();
      clearTimeout(timer);
      resolve(s);
    };
    // Watch first, then read: a write between the two would otherwise go unnoticed. The file is replaced
    // by rename, so watch the folder.
    const watcher = fsWatch(join(file, '..'), () => {
      const s = read();
      if (s) done(s);
    });
    const timer = setTimeout(() => {
      watcher.close();
      reject(
        new Error(`state.json never showed the expected state: ${readFileSync(file, 'utf8').slice(0, 500)}`),
      );
    }, 10_000);
    const now = read();
    if (now) done(now);
  });
}
