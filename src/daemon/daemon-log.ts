// The daemon's own log: one timestamped line per start, exit, restart decision and error. Written
// synchronously: a line is in the file before the event it describes is published, so whoever sees the
// event can read the line. The lines are few (decisions, not app output), so the cost is negligible.
// Bounded: past MAX_DAEMON_LOG bytes the file becomes daemon.log.1 (replacing the one before) and a new one
// begins, so a daemon that runs for months beside an app crash-looping (a few lines a second) keeps at
// most twice that, not gigabytes (tenth audit: daemon.log was never rotated).
import { closeSync, fstatSync, openSync, renameSync, writeSync } from 'node:fs';
import { APPEND_NOFOLLOW } from '../runtime/private-dir.js';
import { isoTime } from '../runtime/utc-time.js';

/** The size at which daemon.log is rotated to daemon.log.1. */
export const MAX_DAEMON_LOG = 10 * 1024 * 1024;

export interface DaemonLog {
  (line: string): void;
  close(): Promise<void>;
}

export function openDaemonLog(file: string, maxBytes = MAX_DAEMON_LOG): DaemonLog {
  // Not through a link: daemon.log is tend's own file in its private home.
  let fd: number | null = openSync(file, APPEND_NOFOLLOW, 0o600);
  let size = fstatSync(fd).size;
  const rotate = () => {
    try {
      renameSync(file, `${file}.1`);
      const next = openSync(file, APPEND_NOFOLLOW, 0o600);
      if (fd !== null) closeSync(fd);
      fd = next;
      size = 0;
    } catch {
      // Cannot rotate (a full disk, a read-only home): keep appending where it is.
    }
  };
  const log = ((line: string) => {
    if (fd === null) return;
    try {
      const text = `${isoTime()} ${line}\n`;
      if (size > 0 && size + text.length > maxBytes) rotate();
      size += writeSync(fd, text);
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
