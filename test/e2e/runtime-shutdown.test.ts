// tend-runtime's shutdown (sixth audit), with the built bin/tend-runtime.js as a child: once a shutdown has
// begun nothing is spawned again (an app waiting its turn in the ordered stop that ends meanwhile stays
// down), and nothing outlives the runtime.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FIXTURES } from '../helpers/daemon.js';
import { fileRuntimes, type RuntimeChild } from '../helpers/runtime.js';
import { waitGone } from '../helpers/wait-gone.js';

const fx = (name: string) => join(FIXTURES, name);
const OFF = ['--health-listen', 'off'];
const { start } = fileRuntimes();

/** The runtime's exit, or a rejection after `ms` (a safety net: a runtime that never ends fails the test). */
function exitWithin(r: RuntimeChild, ms: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    r.exit,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the runtime did not end within ${ms} ms:\n${r.err.join('\n')}`)),
        ms,
      );
    }),
  ]).finally(() => clearTimeout(timer));
}

const startedPids = (r: RuntimeChild, app: string) =>
  r.err.flatMap((l) => {
    const m = new RegExp(`^tend-runtime: ${app}\\[\\d+\\] started pid (\\d+)`).exec(l);
    return m ? [Number(m[1])] : [];
  });

describe('tend-runtime: nothing is spawned once a shutdown has begun', () => {
  test('a dependency that crashes while it waits for its dependents to stop is not restarted', async () => {
    const r = start([fx('runtime-shutdown-crash.config.cjs'), ...OFF, '--grace-period', '60s']);
    await r.line('out', /^api \| api up \d+$/);
    r.signal('SIGTERM');
    // api is stopping (it ignores the signal); db waits for it, still running.
    await r.line('out', /^api \| api got SIGTERM$/);
    // Forwarded to every app: db exits 3 on it.
    r.signal('SIGUSR2');
    await r.line('err', /db\[\d+\] exited \(code 3, signal null\)/);
    // db's crash, before it was signalled, is its own failure: the runtime's exit code, as during
    // --shutdown-delay (the verification of the sixth audit's fixes: "stopped", exit 0, without the second
    // signal; 1 with it). The second signal: SIGKILL now (api), and the runtime ends.
    await r.line('err', /db \[\d+\] exited with code 3 during the shutdown$/);
    r.signal('SIGTERM');
    assert.equal(await exitWithin(r, 30_000), 3, r.err.join('\n'));
    assert.equal(startedPids(r, 'db').length, 1, r.err.join('\n'));
    assert.ok(!r.err.some((l) => /db\[\d+\] .*restarting in/.test(l)), r.err.join('\n'));
    for (const pid of [...startedPids(r, 'db'), ...startedPids(r, 'api')])
      await waitGone(pid, { what: `app pid ${pid} after the runtime's exit` });
  });

  test('SIGKILLed at the end of --grace-period while waiting its turn: not restarted, nothing outlives the runtime', async () => {
    const r = start([fx('runtime-shutdown-kill.config.cjs'), ...OFF, '--grace-period', '500ms']);
    await r.line('out', /^api \| api up \d+$/);
    r.signal('SIGTERM');
    assert.equal(await exitWithin(r, 30_000), 1, r.err.join('\n'));
    assert.ok(
      r.err.some((l) => /SIGKILL sent to 2 process group\(s\)$/.test(l)),
      r.err.join('\n'),
    );
    assert.equal(startedPids(r, 'db').length, 1, r.err.join('\n'));
    assert.ok(!r.err.some((l) => /restarting in/.test(l)), r.err.join('\n'));
    for (const pid of [...startedPids(r, 'db'), ...startedPids(r, 'api')])
      await waitGone(pid, { what: `app pid ${pid} after the runtime's exit` });
  });
});

describe('tend-runtime: the exit code after a shutdown', () => {
  test('an app SIGKILLed at its own kill_timeout (within the grace period): exit 1', async () => {
    const r = start([fx('runtime-killtimeout.config.cjs'), ...OFF, '--grace-period', '60s']);
    await r.line('err', /every app is ready/);
    r.signal('SIGTERM');
    assert.equal(await exitWithin(r, 30_000), 1, r.err.join('\n'));
    assert.ok(
      r.err.some((l) => /did not stop within 300 ms of SIGTERM: SIGKILL$/.test(l)),
      r.err.join('\n'),
    );
    assert.ok(r.err.includes('tend-runtime: stopped (some processes had to be SIGKILLed)'), r.err.join('\n'));
  });
});
