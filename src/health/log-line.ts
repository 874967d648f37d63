// `ready_log_line`: the instance is ready when a line of its stdout or stderr matches. A substring, or a
// `/regex/flags` string. The matcher reads the same chunks the log sink does (a second 'data' listener) and
// lets go of the stream at the first match, so a ready app costs nothing more afterwards.
import type { Readable } from 'node:stream';
import { readyLogMatcher } from '../config/ready-log-line.js';

/** The test of one line: config's own grammar (config/ready-log-line.ts), so what is accepted is what matches. */
export const lineMatcher = readyLogMatcher;

/** A partial line longer than this is tested as it is and dropped (an app that never writes a newline). */
const MAX_LINE = 64 * 1024;

/**
 * Calls `onMatch` once, at the first line of any of the streams that passes `test`; then stops reading.
 * Returns a function that stops reading without a match (the process is gone, or ready by other means).
 */
export function watchLines(
  streams: readonly (Readable | null)[],
  test: (line: string) => boolean,
  onMatch: (line: string) => void,
): () => void {
  const detach: (() => void)[] = [];
  let done = false;
  const stop = () => {
    done = true;
    for (const d of detach.splice(0)) d();
  };
  for (const stream of streams) {
    if (stream === null) continue;
    let partial = '';
    const check = (line: string): boolean => {
      if (done || !test(line)) return false;
      stop();
      onMatch(line);
      return true;
    };
    const onData = (chunk: Buffer | string) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      for (const line of parts) if (check(line.replace(/\r$/, ''))) return;
      if (partial.length > MAX_LINE) {
        const long = partial;
        partial = '';
        check(long);
      }
    };
    const onEnd = () => {
      if (partial !== '') check(partial);
      partial = '';
    };
    stream.on('data', onData);
    stream.once('end', onEnd);
    detach.push(() => {
      stream.off('data', onData);
      stream.off('end', onEnd);
    });
  }
  return stop;
}
