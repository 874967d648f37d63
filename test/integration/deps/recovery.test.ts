// Crash recovery respects depends_on: after kill -9 of the daemon, the next daemon restores the apps (before
// it serves, so no subscriber can watch) and starts them in dependency order, as its daemon.log shows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { waitGone } from '../../helpers/wait-gone.js';
import { type Home, makeHome, waitForState, writeJson } from '../recovery-support.js';

let h: Home;
before(() => {
  h = makeHome();
});
after(() => h.cleanup());

/** `name from -> to` for each state change in daemon.log since the last daemon started. */
function transitions(home: string): string[] {
  const log = readFileSync(join(home, 'daemon.log'), 'utf8').split('\n');
  const start = log.findLastIndex((l) => / daemon \S+ starting, pid /.test(l));
  return log.slice(start).flatMap((l) => {
    const m = /\b([a-z]+)\[\d+\] (\S+) -> (\S+)$/.exec(l);
    return m ? [`${m[1]} ${m[2]} -> ${m[3]}`] : [];
  });
}

test('after kill -9 of the daemon, the restored apps start in dependency order', async () => {
  const ready = h.app('ready.cjs');
  const idle = h.app('idle.cjs');
  writeJson(join(h.apps, 'ecosystem.json'), {
    apps: [
      { name: 'web', script: idle, depends_on: { api: { condition: 'process_healthy' } } },
      { name: 'api', script: ready, wait_ready: true, depends_on: { db: { condition: 'process_healthy' } } },
      { name: 'db', script: ready, wait_ready: true },
    ],
  });
  const started = await h.cli('start', 'ecosystem.json');
  assert.equal(started.code, 0, started.stderr);
  await waitForState(h.home, (s) => s.apps.flatMap((a) => a.units).every((u) => typeof u.pid === 'number'));
  const pid = h.daemonPid();
  process.kill(pid, 'SIGKILL');
  await waitGone(pid, { what: 'the killed daemon' });

  // The next command starts a daemon, which recovers before it answers.
  const { processes } = await h.jlist();
  assert.deepEqual(
    processes.map((p) => [p.name, p.status]),
    [
      ['web', 'online'],
      ['api', 'online'],
      ['db', 'online'],
    ],
  );
  const seen = transitions(h.home);
  const at = (line: string) => {
    const i = seen.indexOf(line);
    assert.ok(i >= 0, `${line} in ${JSON.stringify(seen)}`);
    return i;
  };
  assert.ok(at('api waiting -> launching') > at('db launching -> online'), JSON.stringify(seen));
  assert.ok(at('web waiting -> launching') > at('api launching -> online'), JSON.stringify(seen));
});
