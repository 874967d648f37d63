// An app's operation queue and what its running operation gives up when another comes (App.enqueue,
// App.onSupersede): a wait with no deadline holds the queue only until another operation is queued, whether
// it comes while the wait is under way or came before the operation that waits began.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { App } from '../../../src/supervisor/app.js';
import { makeSpec } from '../../helpers/spec.js';

/** An operation that waits until superseded, as a wait for readiness with no deadline; the order it ran in. */
function waiter(app: App, name: string, order: string[]) {
  return () =>
    new Promise<void>((resolve) => {
      order.push(`${name} waits`);
      // It ends at the first word and unregisters then, as act-and-settle.ts does; giveUp may be called
      // before onSupersede returns (superseded from the start).
      let ended = false;
      let off: (() => void) | null = null;
      off = app.onSupersede((preempt) => {
        if (ended) return false;
        ended = true;
        // The instances 0..3 the stop came for, as the queue answers for them (a set, or every instance).
        const ids = [0, 1, 2, 3].filter((id) => preempt?.has(id));
        order.push(`${name} superseded${preempt ? ` by a stop of [${ids.join(',')}]` : ''}`);
        off?.();
        resolve();
        return true;
      });
      if (ended) off();
    });
}

test('an open-ended wait ends when another operation is queued behind it', async () => {
  const app = new App(makeSpec({ name: 'a' }));
  const order: string[] = [];
  const first = app.enqueue(waiter(app, 'first', order));
  const stop = app.enqueue(() => {
    order.push('stop runs');
  });
  await Promise.all([first, stop]);
  assert.deepEqual(order, ['first waits', 'first superseded', 'stop runs']);
});

test('an operation that begins to wait with another already queued behind it is superseded at once (ninth audit)', async () => {
  const app = new App(makeSpec({ name: 'a' }));
  const order: string[] = [];
  // The first operation is busy (a stop within kill_timeout) and waits for nothing superseding ends.
  let finishFirst: () => void = () => {};
  const first = app.enqueue(
    () =>
      new Promise<void>((resolve) => {
        order.push('first runs');
        finishFirst = resolve;
      }),
  );
  // A reload comes (it would wait with no deadline), then a stop, both while the first still runs.
  const reload = app.enqueue(waiter(app, 'reload', order));
  const stop = app.enqueue(() => {
    order.push('stop runs');
  });
  finishFirst();
  await Promise.all([first, reload, stop]);
  assert.deepEqual(order, ['first runs', 'reload waits', 'reload superseded', 'stop runs']);
});

test('an operation that stops the app preempts: the wait it ends may have a deadline (ninth audit)', async () => {
  const app = new App(makeSpec({ name: 'a' }));
  const order: string[] = [];
  // Under way when the stop comes.
  const start = app.enqueue(waiter(app, 'start', order));
  const stop = app.enqueue(() => void order.push('stop runs'), { stops: new Set([0]) });
  await Promise.all([start, stop]);
  // Queued behind a busy operation, and begun after the stop was queued.
  let finishFirst: () => void = () => {};
  const first = app.enqueue(() => new Promise<void>((resolve) => (finishFirst = resolve)));
  const restart = app.enqueue(waiter(app, 'restart', order));
  const stop2 = app.enqueue(() => void order.push('stop2 runs'), { stops: new Set([0]) });
  finishFirst();
  await Promise.all([first, restart, stop2]);
  assert.deepEqual(order, [
    'start waits',
    'start superseded by a stop of [0]',
    'stop runs',
    'restart waits',
    'restart superseded by a stop of [0]',
    'stop2 runs',
  ]);
});

test("an idle app's one operation is not superseded by itself", async () => {
  const app = new App(makeSpec({ name: 'a' }));
  const order: string[] = [];
  const only = app.enqueue(waiter(app, 'only', order));
  await new Promise<void>((resolve) => setImmediate(resolve));
  assert.deepEqual(order, ['only waits'], 'still waiting: nothing came after it');
  assert.equal(app.supersede(), 1);
  await only;
});
