// How tend-runtime's process ends once its apps are stopped (main.ts): with its exit code, once stdout and
// stderr have taken what is queued. A reader that stopped reading (a stalled log driver, `| less`) is waited
// for STALLED_OUTPUT_MS without progress, then the runtime exits all the same (seventh audit: it waited until
// the orchestrator's SIGKILL, 137 instead of its code); a slow reader that still reads gets every line. A
// stop signal now ends it at once: the apps are already stopped. Time comes from the injected clock.
import type { Clock } from '../supervisor/ports.js';

/** How long the last lines may wait for a reader that takes none of them before the runtime exits anyway. */
export const STALLED_OUTPUT_MS = 2000;
const TICK_MS = 100;

export interface FlushPorts {
  clock: Clock;
  streams: readonly Pick<NodeJS.WritableStream & { writableLength: number }, 'write' | 'writableLength'>[];
  exit(code: number): void;
  /** Calls fn on each stop signal from now on. */
  onStopSignal(fn: () => void): void;
}

export function exitOnceWritten(code: number, p: FlushPorts): void {
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    p.exit(code);
  };
  p.onStopSignal(end);
  let left = p.streams.length;
  for (const s of p.streams)
    s.write('', () => {
      left -= 1;
      if (left === 0) end();
    });
  const queued = () => p.streams.reduce((n, s) => n + s.writableLength, 0);
  let last = queued();
  let still = 0;
  const tick = () => {
    if (ended) return;
    const q = queued();
    still = q < last ? 0 : still + TICK_MS;
    last = q;
    if (still >= STALLED_OUTPUT_MS) end();
    else p.clock.setTimer(TICK_MS, tick);
  };
  p.clock.setTimer(TICK_MS, tick);
}
