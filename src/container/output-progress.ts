// Whether tend-runtime's own stdout and stderr are still being read: the counts of bytes still to go on each
// (the stream's queue, and what its libuv handle has yet to hand to the kernel), which go down as a reader
// takes them. A whole queued block can take a slow reader longer than any bound to finish; the handle's count
// moves with every page the reader frees (the seventh audit's verification: 1457 of 3000 lines reached an
// 8 KB/s reader when only whole blocks counted). Used by the last flush (main.ts, exit-flush.ts) and by the
// sinks' close (stdout-sinks.ts), which must not give up on an app's pipe they paused for such a reader.
import type { Writable } from 'node:stream';

/** A stream's queued bytes, and those its libuv handle has yet to write (none for a file: written at once). */
export function pendingBytes(s: Writable): number[] {
  const queue = (s as { _handle?: { writeQueueSize?: unknown } })._handle?.writeQueueSize;
  return [s.writableLength, typeof queue === 'number' ? queue : 0];
}

/** A probe that says, at each call, whether any stream's pending count went down since the last call. */
export function progressOf(streams: readonly Writable[]): () => boolean {
  const now = () => streams.flatMap(pendingBytes);
  let last = now();
  return () => {
    const counts = now();
    const moved = counts.some((n, i) => n < (last[i] ?? 0));
    last = counts;
    return moved;
  };
}
