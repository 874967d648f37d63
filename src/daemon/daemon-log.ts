// The daemon's own log: one timestamped line per start, exit, restart decision and error. Written
// synchronously: a line is in the file before the event it describes is published, so whoever sees the
// event can read the line. The lines are few (decisions, not app output), so the cost is negligible.
import { closeSync, openSync, writeSync } from 'node:fs';
import { APPEND_NOFOLLOW } from '../runtime/private-dir.js';
import { isoTime } from '../runtime/utc-time.js';

export interface DaemonLog {
  (line: string): void;
  close(): Promise<void>;
}

export function openDaemonLog(file: string): DaemonLog {
  // Not through a link: daemon.log is tend's own file in its private home.
  let fd: number | null = openSync(file, APPEND_NOFOLLOW, 0o600);
  const log = ((line: string) => {
    if (fd === null) return;
    try {
      writeSync(fd, `${isoTime()} ${line}\n`);
    } catch {
      // A full disk must not crash the daemon: losing a log line is better than losing the processes.
    }
  }) as DaemonLog;
  log.close = async () => {
    if (fd !== null) closeSync(fd);
    fd = null;
  };
  return log;
}
