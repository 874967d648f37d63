// The daemon's own log: one timestamped line per start, exit, restart decision and error.
import { createWriteStream, type WriteStream } from 'node:fs';

export interface DaemonLog {
  (line: string): void;
  close(): Promise<void>;
}

export function openDaemonLog(file: string): DaemonLog {
  const stream: WriteStream = createWriteStream(file, { flags: 'a', mode: 0o600 });
  // A full disk must not crash the daemon: losing a log line is better than losing the processes.
  stream.on('error', () => {});
  const log = ((line: string) => {
    stream.write(`${new Date().toISOString()} ${line}\n`);
  }) as DaemonLog;
  log.close = () => new Promise<void>((resolve) => stream.end(resolve));
  return log;
}
