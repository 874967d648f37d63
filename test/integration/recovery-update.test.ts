// `tend update` under load: the daemon hands over to a new one, which restores every app with the same ids;
// logs are appended to; the command reports how long the apps were down. An HTTP client keeps sending
// requests throughout; the failed ones are counted and reported (the apps are down while no daemon runs
// them), and the app must serve again afterwards.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { load } from '../helpers/http.js';
import { waitGone } from '../helpers/wait-gone.js';
import { freePort, type Home, makeHome, writeJson } from './recovery-support.js';

let h: Home;
before(() => {
  h = makeHome();
});
after(() => h.cleanup());

test('update restores every app with the same ids, appends to the logs, reports the down time', async () => {
  const port = await freePort();
  const server = h.app('cl-server.cjs', 'server.cjs');
  writeJson(join(h.apps, 'ecosystem.json'), {
    apps: [
      {
        name: 'web',
        script: server,
        exec_mode: 'cluster',
        instances: 2,
        wait_ready: true,
        env: { PORT: String(port), CL_READY: '1' },
      },
      { name: 'paused', script: h.app('idle.cjs') },
    ],
  });
  assert.equal((await h.cli('start', 'ecosystem.json')).code, 0);
  assert.equal((await h.cli('stop', 'paused')).code, 0);
  const before = (await h.jlist()).processes;
  const oldDaemon = h.daemonPid();
  const outLog = before[0]?.out_log as string;

  const traffic = load(port, 2, { maxMs: 60_000 });
  await traffic.reached(50);
  const r = await h.cli('update');
  assert.equal(r.code, 0, r.stderr);
  const down = Number(/Apps were down for (\d+) ms/.exec(r.stdout)?.[1]);
  assert.ok(Number.isFinite(down), r.stdout);
  assert.match(r.stdout, /Daemon updated: pid \d+ .* -> pid \d+ .*; 3 of 3 processes restored\./);
  await waitGone(oldDaemon, { what: 'the old daemon' });
  const failedDuring = traffic.stats.failed;
  // It serves again: another 50 answers from the new workers.
  await traffic.reached(traffic.stats.ok + 50);
  const stats = await traffic.stop();

  const after = (await h.jlist()).processes;
  assert.notEqual(h.daemonPid(), oldDaemon);
  const shape = (ps: typeof before) => ps.map((p) => [p.id, p.name, p.instance, p.status]);
  assert.deepEqual(shape(after), shape(before));
  const newPids = after.filter((p) => p.pid !== null).map((p) => p.pid as number);
  assert.ok(
    newPids.every((p) => !before.some((b) => b.pid === p)),
    'new processes',
  );
  assert.ok(
    newPids.some((p) => (stats.byPid.get(p) ?? 0) > 0),
    'the new workers served requests',
  );
  // The log was appended to: the old workers' lines are still there, the new ones follow.
  const log = readFileSync(outLog, 'utf8');
  for (const p of [...before, ...after].filter((p) => p.name === 'web' && p.instance === 0)) {
    assert.match(log, new RegExp(`worker ${p.pid} up`));
  }
  // The figure for the report (not asserted to be zero: the apps are down between the two daemons).
  console.log(
    `update under load: down ${down} ms (reported by tend update); ${failedDuring} failed requests of ` +
      `${stats.ok + stats.failed} (errors ${JSON.stringify([...stats.errors])})`,
  );
});
