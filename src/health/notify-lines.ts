// The notify pipe's protocol: sd_notify(3) assignments, one per line (`READY=1`, `STATUS=warming up`,
// `WATCHDOG=1`, `STOPPING=1`, `RELOADING=1`), written by the app to fd 3 — s6's fd transport with
// systemd's vocabulary, so a shell script (`echo READY=1 >&3`) or Python needs no library.
import type { Readable } from 'node:stream';

/** One assignment the app wrote. */
export interface NotifyMessage {
  key: string;
  value: string;
}

/** A line longer than this is not an assignment: dropped (the pipe is the app's, the daemon's memory is not). */
const MAX_LINE = 4096;

/** Reads the pipe until it ends, calling `on` for each `KEY=VALUE` line (others are ignored). */
export function readNotify(stream: Readable, on: (message: NotifyMessage) => void): void {
  let partial = '';
  let overlong = false;
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      if (overlong) {
        overlong = false;
        continue;
      }
      const message = parseNotifyLine(line);
      if (message) on(message);
    }
    if (partial.length > MAX_LINE) {
      partial = '';
      overlong = true;
    }
  });
  stream.on('end', () => {
    const message = overlong ? null : parseNotifyLine(partial);
    partial = '';
    if (message) on(message);
  });
  // Unhandled, an 'error' would crash the daemon; the pipe just ends with the process.
  stream.on('error', () => {});
}

export function parseNotifyLine(line: string): NotifyMessage | null {
  const text = line.replace(/\r$/, '');
  const eq = text.indexOf('=');
  if (eq <= 0) return null;
  const key = text.slice(0, eq).trim();
  if (!/^[A-Z_][A-Z0-9_]*$/.test(key)) return null;
  return { key, value: text.slice(eq + 1) };
}
