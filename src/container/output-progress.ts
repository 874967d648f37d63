// Whether tend-runtime's own stdout and stderr are still being read: the counts of bytes still to go on each
// (the stream's queue, and what its libuv handle has yet to hand to the kernel), which go down as a reader
// takes them. A whole queued block can take a slow reader longer than any bound to finish; the handle's count
// moves with every page the reader frees (the seventh audit's verification: 1457 of 3000 lines reached an
// 8 KB/s reader when only whole blocks counted). Used by the last flush (main.ts, exit-flush.ts) and by the
// sinks' close (stdout-sinks.ts), which must not give up on an app's pipe they paused for such a reader.
import type { Writable } from 'node:stream';
import type { Clock } from '../supervisor/ports.js';

/** How often whenQuiet looks. */
const TICK_MS = 100;

/** A stream's queued bytes, and those its libuv handle has yet to write (none for a file: written at once). */
export function pendingBytes(s: Writable): number[] {
  const queue = (s as { _handle?: { writeQueueSize?: unknown } })._handle?.writeQueueSize;
  return [s.writableLength, typeof queue === 'number' ? queue : 0];
}

/** A probe that says, at each call, whether any of `counts()` went down since the last call. */
export function progressOf(counts: () => readonly number[]): () => boolean {
  let last = counts();
  return () => {
    const now = counts();
    const moved = now.some((n, i) => n < (last[i] ?? 0));
    last = now;
    return moved;
  };
}

/** progressOf the streams' pendingBytes. */
export function streamsProgress(streams: readonly Writable[]): () => boolean {
  return progressOf(() => streams.flatMap(pendingBytes));
}

/**
 * Calls `quiet` once `busy()` has said false at every look for `quietMs` (a look every TICK_MS; a busy one
 * starts the count again). Returns a cancel.
 */
export function whenQuiet(clock: Clock, busy: () => boolean, quietMs: number, quiet: () => void): () => void {
  let still = 0;
  let timer: { cancel(): void } | null = null;
  let cancelled = false;
  const tick = () => {
    if (cancelled) return;
    still = busy() ? 0 : still + TICK_MS;
    if (still >= quietMs) quiet();
    else timer = clock.setTimer(TICK_MS, tick);
  };
  timer = clock.setTimer(TICK_MS, tick);
  return () => {
    cancelled = true;
    timer?.cancel();
  };
}

/** Timers that never hold the process (what is awaited holds it), with real time. */
export const backgroundClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, ms);
    t.unref();
    return { cancel: () => clearTimeout(t) };
  },
};
