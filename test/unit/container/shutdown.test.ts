// tend-runtime's stop sequence on the injected clock: the --shutdown-delay comes first (the apps are not
// touched during it), then the stop within the grace period, SIGKILL at its end, and a second signal hurries.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  AFTER_KILL_MS,
  repeatWindowMs,
  SIGNAL_REPEAT_MAX_MS,
  SIGNAL_REPEAT_MS,
  shutDown,
  signalRepeats,
} from '../../../src/container/shutdown.js';
import { FakeClock } from '../../helpers/fake-clock.js';

/** A stop the test ends by hand (or never), and a record of what was asked. */
function steps(clock: FakeClock, delayMs: number, graceMs: number, readyz = true) {
  const log: string[] = [];
  const notes: string[] = [];
  let finish: () => void = () => {};
  const s = shutDown({
    clock,
    delayMs,
    readyz,
    graceMs,
    note: (line) => notes.push(line),
    stopApps: () => {
      log.push(`stop at ${clock.now()}`);
      return new Promise<void>((resolve) => (finish = resolve));
    },
    killRemaining: () => {
      log.push(`kill at ${clock.now()}`);
      return 2;
    },
  });
  return { s, log, notes, finish: () => finish() };
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('tend-runtime shutdown', () => {
  test('the delay passes before the apps are asked to stop; a stop in time kills nothing', async () => {
    const clock = new FakeClock(0);
    const { s, log, finish } = steps(clock, 5000, 25_000);
    await turn();
    clock.advance(4999);
    await turn();
    assert.deepEqual(log, [], 'nothing stopped during the delay');
    clock.advance(1);
    await turn();
    assert.deepEqual(log, ['stop at 5000']);
    clock.advance(10_000);
    finish();
    assert.deepEqual(await s.done, { sigkilled: 0 });
    assert.equal(clock.nextIn(), null, 'no timer left behind');
  });

  test('the delay is said: /readyz answers 503 where a health listener serves it; only the wait without one (ninth audit)', async () => {
    for (const readyz of [true, false]) {
      const clock = new FakeClock(0);
      const { s, notes, finish } = steps(clock, 1000, 25_000, readyz);
      await turn();
      assert.deepEqual(notes, [
        readyz
          ? '/readyz answers 503; stopping in 1000 ms (--shutdown-delay)'
          : 'stopping in 1000 ms (--shutdown-delay)',
      ]);
      clock.advance(1000);
      await turn();
      finish();
      await s.done;
    }
  });

  test('no delay: the stop begins at once; at the end of the grace period, SIGKILL', async () => {
    const clock = new FakeClock(0);
    const { s, log, finish } = steps(clock, 0, 25_000);
    await turn();
    assert.deepEqual(log, ['stop at 0']);
    clock.advance(25_000);
    assert.deepEqual(log, ['stop at 0', 'kill at 25000']);
    finish();
    assert.deepEqual(await s.done, { sigkilled: 2 });
  });

  test('a stop that never ends after the SIGKILLs: the runtime stops waiting AFTER_KILL_MS later', async () => {
    const clock = new FakeClock(0);
    const { s } = steps(clock, 0, 1000);
    await turn();
    clock.advance(1000 + AFTER_KILL_MS);
    assert.deepEqual(await s.done, { sigkilled: 2 });
  });

  test('hurry: during the delay it skips the rest; while stopping it SIGKILLs now', async () => {
    const clock = new FakeClock(0);
    const { s, log, finish } = steps(clock, 60_000, 25_000);
    await turn();
    clock.advance(1000);
    s.hurry();
    await turn();
    assert.deepEqual(log, ['stop at 1000']);
    s.hurry();
    assert.deepEqual(log, ['stop at 1000', 'kill at 1000']);
    // The grace timer is gone: no second SIGKILL round.
    clock.advance(25_000);
    assert.deepEqual(log, ['stop at 1000', 'kill at 1000']);
    finish();
    assert.deepEqual(await s.done, { sigkilled: 2 });
  });
});

describe('tend-runtime: a stop signal that repeats', () => {
  test('the same signal within the window is a repeat; after it, or another signal, is not', () => {
    const clock = new FakeClock();
    const r = signalRepeats(clock, SIGNAL_REPEAT_MS);
    assert.equal(r.isRepeat('SIGINT'), false);
    clock.advance(SIGNAL_REPEAT_MS - 1);
    assert.equal(r.isRepeat('SIGINT'), true);
    assert.equal(r.isRepeat('SIGTERM'), false);
    clock.advance(1);
    // The window runs from the first of a burst.
    assert.equal(r.isRepeat('SIGINT'), false);
  });

  test('a window of 0: every repeat is a second signal', () => {
    const r = signalRepeats(new FakeClock(), 0);
    assert.equal(r.isRepeat('SIGINT'), false);
    assert.equal(r.isRepeat('SIGINT'), false);
  });

  test('TEND_RUNTIME_SIGNAL_REPEAT_MS sets the window (whole ms, up to 10 s); anything else: the default, said', () => {
    assert.deepEqual(repeatWindowMs({}), { ms: SIGNAL_REPEAT_MS, problem: null });
    assert.deepEqual(repeatWindowMs({ TEND_RUNTIME_SIGNAL_REPEAT_MS: '0' }), { ms: 0, problem: null });
    assert.deepEqual(repeatWindowMs({ TEND_RUNTIME_SIGNAL_REPEAT_MS: '1500' }), { ms: 1500, problem: null });
    assert.equal(
      repeatWindowMs({ TEND_RUNTIME_SIGNAL_REPEAT_MS: String(SIGNAL_REPEAT_MAX_MS) }).ms,
      SIGNAL_REPEAT_MAX_MS,
    );
    for (const bad of ['', '-1', '1.5', '1e3', 'soon', '99999999999']) {
      const w = repeatWindowMs({ TEND_RUNTIME_SIGNAL_REPEAT_MS: bad });
      assert.equal(w.ms, SIGNAL_REPEAT_MS, bad);
      assert.equal(
        w.problem,
        `TEND_RUNTIME_SIGNAL_REPEAT_MS=${JSON.stringify(bad)} is not a whole number of ms from 0 to 10000: 200 ms`,
      );
    }
  });
});

describe('tend-runtime shutdown: a signal once the apps are stopped', () => {
  test("hurry says 'done': nothing is killed", async () => {
    const clock = new FakeClock();
    const { s, log, finish } = steps(clock, 0, 5000);
    await turn();
    finish();
    await s.done;
    assert.equal(s.hurry(), 'done');
    assert.ok(!log.some((l) => l.startsWith('kill')), log.join('\n'));
  });
});
