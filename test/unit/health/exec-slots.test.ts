// The global cap on exec probes running at once: first come, first served, and a ticket can leave the queue.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ExecSlots, execConcurrencyFromEnv } from '../../../src/health/exec-slots.js';

const settled = async (p: Promise<void>): Promise<boolean> => {
  let done = false;
  void p.then(() => {
    done = true;
  });
  await new Promise<void>((resolve) => setImmediate(resolve));
  return done;
};

test('at most `limit` hold a slot; the others wait in order and get one as slots are released', async () => {
  const slots = new ExecSlots(2);
  const tickets = [slots.take(), slots.take(), slots.take(), slots.take()];
  assert.deepEqual([slots.running, slots.waiting], [2, 2]);
  assert.equal(await settled(tickets[0]!.granted), true);
  assert.equal(await settled(tickets[2]!.granted), false);
  tickets[0]!.release();
  assert.equal(await settled(tickets[2]!.granted), true, 'the first in the queue goes first');
  assert.equal(await settled(tickets[3]!.granted), false);
  tickets[0]!.release(); // twice: no effect
  assert.deepEqual([slots.running, slots.waiting], [2, 1]);
});

test('a waiting ticket released (timed out, aborted) leaves the queue without taking a slot', async () => {
  const slots = new ExecSlots(1);
  const a = slots.take();
  const b = slots.take();
  const c = slots.take();
  b.release();
  assert.deepEqual([slots.running, slots.waiting], [1, 1]);
  a.release();
  assert.equal(await settled(c.granted), true);
  assert.equal(await settled(b.granted), false);
  c.release();
  assert.deepEqual([slots.running, slots.waiting], [0, 0]);
});

test('TEND_PROBE_CONCURRENCY: a positive integer, else the default 8', () => {
  assert.equal(execConcurrencyFromEnv({}), 8);
  assert.equal(execConcurrencyFromEnv({ TEND_PROBE_CONCURRENCY: '3' }), 3);
  for (const bad of ['0', '-1', '2.5', 'many', ''])
    assert.equal(execConcurrencyFromEnv({ TEND_PROBE_CONCURRENCY: bad }), 8, bad);
  assert.throws(() => new ExecSlots(0), /≥ 1/);
});
