// The timeline from bus events, with a supervisor on a fake clock and scripted children: a crash and a
// wanted exit told apart, restarts with their reason (policy, trigger, request), errored, deleted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InstanceIndex } from '../../../src/http/streams/instances.js';
import { TIMELINE_SIZE, Timeline } from '../../../src/http/streams/timeline.js';
import { setup } from '../../helpers/supervisor.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function withTimeline() {
  const t = setup();
  const timeline = new Timeline(new InstanceIndex(t.supervisor), () => t.clock.now());
  let seq = 0;
  t.bus.subscribe((e) => void timeline.note(++seq, e));
  const kinds = () => timeline.list().map((e) => [e.kind, e.app, e.instance_id, e.detail]);
  return { ...t, timeline, kinds };
}

test('a crash (not asked for), the restart the policy schedules, and a stop (a wanted exit)', async () => {
  const t = withTimeline();
  const [, unit] = t.add({ name: 'api', instances: 2, restart_delay: 500 });
  await t.supervisor.start(t.supervisor.resolve(['api']), false);
  const child = t.spawner.children[1];
  t.clock.advance(2000);
  child?.exit(1);
  const entries = t.timeline.list();
  assert.deepEqual(
    entries.map((e) => [e.kind, e.app, e.instance_id, e.id]),
    [
      ['crash', 'api', 1, unit?.id],
      ['restart', 'api', 1, unit?.id],
    ],
  );
  assert.deepEqual(entries[0]?.detail, { code: 1, signal: null, uptime_ms: 2000, wanted: false });
  assert.match(String(entries[1]?.detail.reason), /code 1/);
  assert.equal(entries[1]?.detail.delay_ms, 500);
  assert.ok((entries[1]?.seq ?? 0) > (entries[0]?.seq ?? 0));

  const stopping = t.supervisor.stop([unit!], true);
  t.exitSignalled();
  await stopping;
  t.clock.advance(1000);
  const after = t.kinds().slice(2);
  assert.deepEqual(after, [], 'stopping while waiting to restart: no process, no exit');
  t.supervisor.start([unit!], false);
  await tick();
  const stop = t.supervisor.stop([unit!], true);
  t.exitSignalled();
  await stop;
  assert.deepEqual(t.kinds().at(-1), [
    'exit',
    'api',
    1,
    { code: null, signal: 'SIGINT', uptime_ms: 0, wanted: true },
  ]);
});

test('a requested restart, a trigger restart (noted once), errored, deleted', async () => {
  const t = withTimeline();
  const [unit] = t.add({ name: 'w', max_restarts: 0, min_uptime: 1000 });
  await t.supervisor.start([unit!], false);
  const restarting = t.supervisor.restart([unit!], true);
  t.exitSignalled();
  await restarting;
  assert.deepEqual(
    t.kinds().map((k) => [k[0], (k[3] as { reason?: string }).reason]),
    [
      ['exit', undefined],
      ['restart', 'requested'],
    ],
  );
  const triggered = t.supervisor.restart([unit!], true, { trigger: 'memory', detail: '300 MB > 200 MB' });
  t.exitSignalled();
  await triggered;
  const restarts = t.timeline.list().filter((e) => e.kind === 'restart');
  assert.deepEqual(
    restarts.map((e) => e.detail.reason),
    ['requested', 'memory'],
    'the trigger restart is not noted twice',
  );
  t.spawner.last.exit(1); // at once: unstable, and max_restarts 0 gives up
  assert.equal(t.kinds().at(-1)?.[0], 'errored');

  const deleting = t.supervisor.delete([unit!]);
  t.exitSignalled();
  await deleting;
  const last = t.timeline.list().at(-1);
  assert.deepEqual([last?.kind, last?.app, last?.instance_id], ['deleted', 'w', 0]);
});

test('bounded to the last TIMELINE_SIZE entries', () => {
  const t = setup();
  const timeline = new Timeline(new InstanceIndex(t.supervisor), () => 0);
  for (let i = 1; i <= TIMELINE_SIZE + 10; i++)
    timeline.note(i, { event: 'process.deleted', data: { id: i, name: 'gone' } });
  const list = timeline.list();
  assert.equal(list.length, TIMELINE_SIZE);
  assert.equal(list[0]?.seq, 11);
  assert.equal(list[0]?.instance_id, null, 'never seen: no instance number');
});
