// The saved list's round trip, per app, without a daemon: a supervisor's apps → state.json / dump.json text →
// parsed and checked → restored into a new supervisor: the same apps, specs, ids, instance numbers, wanted
// states and restart counts. An app whose one instance was respecified stays one app.
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { referenceSpec } from '../../../src/persist/reference-spec.js';
import { restoreApps, snapshotApps, withoutProcesses } from '../../../src/persist/saved-apps.js';
import { parseSavedList } from '../../../src/persist/saved-list.js';
import type { Supervisor } from '../../../src/supervisor/supervisor.js';
import { setup } from '../../helpers/supervisor.js';

const reference = referenceSpec(tmpdir());

function shape(sup: Supervisor) {
  return sup.instances().map((u) => [u.name, u.id, u.instance, u.wanted, u.restarts, u.spec.env]);
}

test('every instance of every app survives the round trip (state.json and dump.json)', async () => {
  const t = setup();
  const multi = t.supervisor.add({ ...reference, name: 'multi', instances: 3, env: { A: '1' } });
  const [quiet] = t.supervisor.add({ ...reference, name: 'quiet', env: {} });
  await t.supervisor.start(multi, false);
  const one = multi[1];
  if (!one || !quiet) throw new Error('no units');
  // restart 1 --update-env: the app's spec changes, instance 1 restarts
  t.supervisor.respec([one], (s) => ({ ...s, env: { A: '1', FOO: '1' } }));
  const restarting = t.supervisor.restart([one], false);
  t.exitSignalled();
  await restarting;
  assert.equal(one.restarts, 1);
  const before = shape(t.supervisor);

  for (const list of [snapshotApps(t.supervisor, 1), withoutProcesses(snapshotApps(t.supervisor, 1))]) {
    assert.equal(list.apps.length, 2, 'one entry per app');
    const parsed = parseSavedList(JSON.stringify(list), reference);
    assert.deepEqual(parsed.rejected, []);
    const next = setup();
    const restored = restoreApps(next.supervisor, parsed.apps);
    await next.supervisor.start(restored.toStart, false);
    assert.deepEqual(shape(next.supervisor), before);
    assert.deepEqual(
      restored.toStart.map((u) => u.id),
      [0, 1, 2],
      'the instances wanted up are started; quiet stays stopped',
    );
    assert.deepEqual(restored.skipped, []);
    assert.equal(next.supervisor.idCounter, 4);
  }
});

test('restoring into a supervisor that has the app: stopped instances saved as up are started, else skipped', async () => {
  const t = setup();
  const units = t.supervisor.add({ ...reference, name: 'api', instances: 2 });
  await t.supervisor.start(units, false);
  const saved = parseSavedList(JSON.stringify(snapshotApps(t.supervisor, 1)), reference).apps;
  const running = restoreApps(t.supervisor, saved);
  assert.deepEqual(running.skipped, [{ name: 'api', namespace: 'default', reason: 'already running' }]);
  const stopping = t.supervisor.stop(units, true);
  t.exitSignalled();
  await stopping;
  const again = restoreApps(t.supervisor, saved);
  assert.deepEqual(
    again.toStart.map((u) => u.id),
    [0, 1],
  );
  assert.deepEqual(again.skipped, []);
  assert.match(again.notes.join('\n'), /api: exists; started its stopped instance\(s\) 0, 1/);
});

test('a saved id that is taken gets a new one after every saved id, with a note', () => {
  const t = setup();
  t.supervisor.add({ ...reference, name: 'first' }); // takes id 0
  const saved = [
    {
      spec: { ...reference, name: 'api', instances: 2 },
      units: [
        { id: 0, instance: 0, wanted: 'up' as const, restarts: 2 },
        { id: 5, instance: 1, wanted: 'down' as const, restarts: 0 },
      ],
    },
  ];
  const out = restoreApps(t.supervisor, saved);
  assert.deepEqual(
    out.created.map((u) => [u.id, u.instance, u.restarts]),
    [
      [5, 1, 0],
      [6, 0, 2],
    ],
  );
  assert.deepEqual(out.notes, ['api: id 0 is taken, restored as id 6']);
});
