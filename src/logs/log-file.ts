// One log file opened for appending. Rotation (a later issue) swaps what is behind this class; the sink
// that feeds it does not change.
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';

export class LogFile {
  private readonly stream: WriteStream | undefined;
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;
  /** Writers paused on backpressure; released on 'drain', and also on 'close' so no one waits forever. */
  private drainWaiters: (() => void)[] = [];

  constructor(readonly path: string) {
    try {
      // 0o700 applies only to the directories this call creates; existing ones keep their mode. Logs hold
      // whatever services print (tokens, customer data): not for other local users.
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    } catch (err) {
      this.failure = err as Error;
      return;
    }
    // 'a': O_APPEND, so several writers (stdout and stderr sharing a file, a previous daemon, `>>` by hand)
    // never overwrite each other, and character devices such as /dev/null work too.
    this.stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
    // Without a listener an open/write failure (EACCES, ENOSPC) would crash the daemon. A broken log file
    // must not take the service down: its output is discarded from then on and the error kept for display.
    this.stream.on('error', (err) => {
      this.failure ??= err;
    });
    this.stream.on('drain', () => this.releaseWaiters());
    this.stream.on('close', () => this.releaseWaiters());
  }

  /** The first error met while creating, opening or writing the file, if any. */
  get error(): Error | undefined {
    return this.failure;
  }

  /** Returns false when the caller should stop and wait for whenWritable() (backpressure). */
  write(chunk: Buffer | string): boolean {
    if (this.stream === undefined || this.failure !== undefined || this.closing !== undefined) return true;
    if (this.stream.destroyed) return true;
    return this.stream.write(chunk);
  }

  /** Calls fn once the file accepts writes again, or once writing has become pointless (closed, failed). */
  whenWritable(fn: () => void): void {
    if (this.stream === undefined || this.stream.destroyed || this.failure !== undefined) {
      fn();
      return;
    }
    this.drainWaiters.push(fn);
  }

  /** Flushes and closes; resolves once the descriptor is closed. Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      const stream = this.stream;
      if (stream === undefined || stream.closed) {
        resolve();
        return;
      }
      // 'close' follows 'finish' (autoClose) and also follows a failed write: one event covers both paths.
      stream.once('close', () => resolve());
      stream.end();
    });
    return this.closing;
  }

  private releaseWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const fn of waiters) fn();
  }
}
