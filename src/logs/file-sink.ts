// The real OutputSinks: each instance's stdout and stderr appended to its log files, and the last stderr
// lines kept in memory for "why did it crash". Timestamps, rotation and live streaming (later issues) slot
// in as more consumers of the same chunks/lines; each concern stays its own class.
import { resolve } from 'node:path';
import type { Readable } from 'node:stream';
import type { OutputSink, OutputSinks } from '../supervisor/ports.js';
import { LineSplitter } from './line-splitter.js';
import { LogFile } from './log-file.js';
import { RingBuffer } from './ring-buffer.js';

export const RECENT_STDERR_LINES = 20;

/**
 * How long close() waits for the pipes to end after the process is gone. They normally end within one I/O
 * turn of the exit (the spawner has killed the whole tree); this is only a safety net for a descendant we
 * could not find that still holds a pipe open, so that deleting an app or stopping the daemon cannot hang.
 */
export const CLOSE_GRACE_MS = 2000;

export interface SinkTarget {
  id: number;
  name: string;
  out_file: string;
  err_file: string;
}

export function createFileSinks(): OutputSinks {
  return { open: (target) => new FileSink(target) };
}

export class FileSink implements OutputSink {
  private readonly out: LogFile;
  private readonly err: LogFile;
  private readonly recent = new RingBuffer<string>(RECENT_STDERR_LINES);
  /** Child streams still being read, with a promise that settles when each ends. */
  private readonly reading = new Map<Readable, Promise<void>>();
  private closing: Promise<void> | undefined;

  constructor(
    readonly target: SinkTarget,
    private readonly closeGraceMs = CLOSE_GRACE_MS,
  ) {
    const outPath = resolve(target.out_file);
    const errPath = resolve(target.err_file);
    this.out = new LogFile(outPath);
    // One file for both streams: a single writer keeps the lines in the order they were read (two append
    // streams on one file would also be safe, but could reorder chunks between their queues).
    this.err = errPath === outPath ? this.out : new LogFile(errPath);
  }

  /** Called once per process start; the sink outlives restarts, so the files stay open across attaches. */
  attach(stdout: Readable | null, stderr: Readable | null): void {
    if (stdout !== null) this.read(stdout, this.out, undefined);
    if (stderr !== null) {
      // A fresh splitter per process: a partial last line of the previous run must not glue onto this one.
      this.read(stderr, this.err, new LineSplitter((line) => this.recent.push(line)));
    }
  }

  recentStderr(): string[] {
    return this.recent.toArray();
  }

  /** Errors met on the log files (the service keeps running; its output is then discarded). */
  errors(): Error[] {
    const errors = [this.out.error, this.err === this.out ? undefined : this.err.error];
    return errors.filter((error): error is Error => error !== undefined);
  }

  /**
   * Call after the process has exited: waits for the pipes to end, so the last lines written before the
   * exit reach the files, then flushes and closes them. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  private async finish(): Promise<void> {
    if (this.reading.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((done) => {
        timer = setTimeout(done, this.closeGraceMs);
      });
      await Promise.race([Promise.all(this.reading.values()), grace]);
      clearTimeout(timer);
      // Whatever is still open belongs to a process that should not exist; stop reading so the pipe (and
      // the daemon's event loop) is released. Its next write fails with EPIPE (or SIGPIPE kills it).
      for (const stream of this.reading.keys()) stream.destroy();
    }
    await Promise.all([this.out.close(), this.err.close()]);
  }

  private read(stream: Readable, file: LogFile, splitter: LineSplitter | undefined): void {
    if (this.closing !== undefined) {
      // Attached after close (a supervisor bug, or a race with delete): never leave the child blocked on a
      // full pipe; read and discard.
      stream.resume();
      return;
    }
    let ended!: () => void;
    this.reading.set(stream, new Promise<void>((done) => (ended = done)));
    stream.on('data', (chunk: Buffer | string) => {
      splitter?.push(chunk);
      // Backpressure: a slow disk pauses the pipe, and the child blocks on write instead of the daemon
      // buffering without bound.
      if (!file.write(chunk)) {
        stream.pause();
        file.whenWritable(() => stream.resume());
      }
    });
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      splitter?.end();
      this.reading.delete(stream);
      ended();
    };
    stream.once('end', finish);
    // 'close' without 'end': the pipe was destroyed or failed. An 'error' listener is needed for the same
    // reason as on the files: unhandled, it would crash the daemon. 'close' always follows it.
    stream.once('close', finish);
    stream.on('error', () => {});
  }
}
