import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { realClock } from '../../../src/runtime/clock.js';

describe('realClock', () => {
  it('tells the wall time', () => {
    const before = Date.now();
    const now = realClock.now();
    assert.ok(now >= before && now <= Date.now());
  });

  it('fires timers once, in order, and never a cancelled one', async () => {
    const fired: string[] = [];
    const cancelled = realClock.setTimer(1, () => fired.push('cancelled'));
    realClock.setTimer(0, () => fired.push('first'));
    cancelled.cancel();
    // Timers due later run after those due earlier: when the 5 ms one fires, the 1 ms one would have too.
    await new Promise<void>((resolve) => realClock.setTimer(5, resolve));
    assert.deepEqual(fired, ['first']);
  });

  it('a timer cancelled by an earlier timer of the same pass does not fire', async () => {
    const fired: string[] = [];
    let victim: { cancel(): void } | undefined;
    realClock.setTimer(2, () => victim?.cancel());
    victim = realClock.setTimer(2, () => fired.push('victim'));
    await new Promise<void>((resolve) => realClock.setTimer(10, resolve));
    assert.deepEqual(fired, []);
  });

  it('cancel() after firing, or twice, is harmless', async () => {
    let count = 0;
    const timer = await new Promise<{ cancel(): void }>((resolve) => {
      const t = realClock.setTimer(0, () => {
        count++;
        resolve(t);
      });
    });
    timer.cancel();
    timer.cancel();
    assert.equal(count, 1);
  });

  it('chains delays beyond the 32-bit limit of setTimeout instead of firing at once', (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    const day = 24 * 3600 * 1000;
    let fired = 0;
    realClock.setTimer(30 * day, () => fired++);
    t.mock.timers.tick(1);
    t.mock.timers.tick(25 * day); // past 2^31 - 1 ms (about 24.8 days)
    assert.equal(fired, 0);
    t.mock.timers.tick(5 * day);
    assert.equal(fired, 1);
  });
});
