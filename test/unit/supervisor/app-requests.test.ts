// Questions to an instance over IPC (the app's metrics, issue 14): the answer is matched by id, a silent
// process times out on the injected clock, a missing channel is said at once, a late answer is consumed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppRequests } from '../../../src/supervisor/app-requests.js';
import { FakeClock } from '../../helpers/fake-clock.js';

describe('AppRequests', () => {
  test('an answer with the id resolves the question; others are not taken for it', async () => {
    const clock = new FakeClock();
    const r = new AppRequests();
    const sent: { type: string; id: number }[] = [];
    const answer = r.ask(
      'tend:metrics',
      (m) => sent.push(m as { type: string; id: number }) > 0,
      1000,
      clock,
    );
    const { id } = sent[0] ?? { id: -1 };
    assert.equal(
      r.receive({ type: 'tend:metrics', id: id + 1000, metrics: [] }),
      true,
      'an answer shape is consumed',
    );
    assert.equal(r.receive('ready'), false);
    assert.equal(r.receive({ type: 'ready' }), false);
    assert.equal(r.receive({ type: 'tend:metrics', id, metrics: [1] }), true);
    assert.deepEqual(await answer, { ok: true, reply: { type: 'tend:metrics', id, metrics: [1] } });
  });

  test('no answer within the timeout; no channel at all', async () => {
    const clock = new FakeClock();
    const r = new AppRequests();
    let id = -1;
    const send = (m: unknown) => {
      id = (m as { id: number }).id;
      return true;
    };
    let settled = false;
    const silent = r.ask('tend:metrics', send, 1000, clock).finally(() => {
      settled = true;
    });
    clock.advance(999);
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(settled, false, 'still waiting 1 ms before the timeout');
    clock.advance(1);
    assert.deepEqual(await silent, { ok: false, why: 'timeout' });
    // Its late answer is consumed, and changes nothing.
    assert.equal(r.receive({ type: 'tend:metrics', id, metrics: [] }), true);
    assert.deepEqual(await r.ask('tend:metrics', () => false, 1000, clock), { ok: false, why: 'no-channel' });
  });
});
