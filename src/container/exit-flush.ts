// How tend-runtime's process ends once its apps are stopped (main.ts): with its exit code, once stdout and
// stderr have taken what is queued. A reader that stopped reading (a stalled log driver, `| less`) is waited
// for STALLED_OUTPUT_MS without progress, then the runtime exits all the same (seventh audit: it waited until
// the orchestrator's SIGKILL, 137 instead of its code); a slow reader that still reads gets every line, at any
// pace that takes at least a page of the pipe every STALLED_OUTPUT_MS. A
// stop signal now ends it at once: the apps are already stopped. Time comes from the injected clock.
import type { Clock } from '../supervisor/ports.js';
import { progressOf, whenQuiet } from './output-progress.js';

/** How long the last lines may wait for a reader that takes none of them before the runtime exits anyway. */
export const STALLED_OUTPUT_MS = 2000;

export interface FlushPorts {
  clock: Clock;
  streams: readonly { write(chunk: string, done: () => void): unknown }[];
  /**
   * What is still to go, as counts that go down when bytes leave: each stream's queued bytes, and those
   * libuv has yet to hand to the kernel (`_handle.writeQueueSize`). The first alone moves only when a whole
   * queued block is written, which a slow reader's pace can take longer than the bound to do (the seventh
   * audit's verification: a reader of 8 KB/s lost the last half of 3000 lines).
   */
  pending(): readonly number[];
  exit(code: number): void;
  /** Calls fn on each stop signal from now on. */
  onStopSignal(fn: () => void): void;
}

export function exitOnceWritten(code: number, p: FlushPorts): void {
  let ended = false;
  let stopWatching = () => {};
  const end = () => {
    if (ended) return;
    ended = true;
    stopWatching();
    p.exit(code);
  };
  p.onStopSignal(end);
  let left = p.streams.length;
  for (const s of p.streams)
    s.write('', () => {
      left -= 1;
      if (left === 0) end();
    });
  // Progress: any count went down (a block written, or part of one).
  stopWatching = whenQuiet(p.clock, progressOf(p.pending), STALLED_OUTPUT_MS, end);
}
