// tend-runtime's last act (exit-flush.ts) on the injected clock: it exits with its code once stdout and
// stderr took what was queued; a reader that takes nothing for STALLED_OUTPUT_MS does not hold it (the
// seventh audit: it waited for the orchestrator's SIGKILL); one that still reads is waited for; a stop
// signal ends it at once.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { exitOnceWritten, STALLED_OUTPUT_MS } from '../../../src/container/exit-flush.js';
import { FakeClock } from '../../helpers/fake-clock.js';

/** A stream whose pending writes complete when the test says. */
function stream(queued: number) {
  const callbacks: (() => void)[] = [];
  return {
    writableLength: queued,
    /** What libuv has yet to write of the block in flight (moves as a slow reader takes part of it). */
    inKernelQueue: 0,
    write(_chunk: string, cb?: () => void) {
      if (cb) callbacks.push(cb);
      return false;
    },
    flush() {
      this.writableLength = 0;
      for (const cb of callbacks.splice(0)) cb();
    },
  };
}

function run(out: ReturnType<typeof stream>, err: ReturnType<typeof stream>) {
  const clock = new FakeClock();
  const exits: { code: number; at: number }[] = [];
  let signal: () => void = () => {};
  const start = clock.now();
  exitOnceWritten(3, {
    clock,
    streams: [out, err],
    pending: () => [out.writableLength, err.writableLength, out.inKernelQueue],
    exit: (code) => exits.push({ code, at: clock.now() - start }),
    onStopSignal: (fn) => {
      signal = fn;
    },
  });
  return { clock, exits, signal: () => signal() };
}

describe('tend-runtime: the exit once the apps are stopped', () => {
  test('both streams written: exits with the code at once, once', () => {
    const out = stream(100);
    const err = stream(0);
    const r = run(out, err);
    err.flush();
    assert.deepEqual(r.exits, []);
    out.flush();
    assert.deepEqual(r.exits, [{ code: 3, at: 0 }]);
    r.clock.advance(10 * STALLED_OUTPUT_MS);
    r.signal();
    assert.equal(r.exits.length, 1);
  });

  test('a reader that takes nothing: exits with its code after STALLED_OUTPUT_MS', () => {
    const r = run(stream(65_536), stream(0));
    r.clock.advance(STALLED_OUTPUT_MS - 100);
    assert.deepEqual(r.exits, []);
    r.clock.advance(100);
    assert.deepEqual(r.exits, [{ code: 3, at: STALLED_OUTPUT_MS }]);
  });

  test('a slow reader that still reads is waited for, however long', () => {
    const out = stream(1_000_000);
    const err = stream(0);
    const r = run(out, err);
    err.flush();
    for (let i = 0; i < 100; i++) {
      r.clock.advance(STALLED_OUTPUT_MS - 100);
      out.writableLength -= 1000;
    }
    assert.deepEqual(r.exits, []);
    out.flush();
    assert.equal(r.exits.length, 1);
  });

  test('a reader that takes part of a block now and then: progress, waited for (the block itself takes longer)', () => {
    const out = stream(65_536);
    out.inKernelQueue = 65_536;
    const err = stream(0);
    const r = run(out, err);
    err.flush();
    for (let i = 0; i < 30; i++) {
      r.clock.advance(STALLED_OUTPUT_MS - 100);
      out.inKernelQueue -= 2048;
    }
    assert.deepEqual(r.exits, []);
    out.flush();
    assert.equal(r.exits.length, 1);
  });

  test('a stop signal meanwhile: exits at once', () => {
    const r = run(stream(65_536), stream(0));
    r.clock.advance(300);
    r.signal();
    assert.deepEqual(r.exits, [{ code: 3, at: 300 }]);
  });
});
