// One instance's output: stdout and stderr framed into whole lines, formatted (timestamps, JSON), queued
// to the shared writers of their files (and of log_file), shown live to `tend logs` followers, and the last
// stderr lines kept in memory for "why did it crash". The sink outlives restarts: each run attaches its pipes.
import type { Readable } from 'node:stream';
import type { LogCounts } from '../supervisor/app-tally.js';
import type { OutputSink } from '../supervisor/ports.js';
import { type LineEncoder, type LineFormatOptions, lineEncoder, type StreamName } from './line-format.js';
import { LineFramer, lastLines, readFramed } from './line-framer.js';
import type { DropTally, LiveSource, LogWriter } from './log-writer.js';
import { RingBuffer } from './ring-buffer.js';
import type { RotationSettings } from './rotation-group.js';
import { countLines } from './write-queue.js';

export const RECENT_STDERR_LINES = 20;

/**
 * How long close() waits for the pipes to end after the process is gone. They normally end within one I/O
 * turn of the exit (the spawner has killed the whole tree); this is only a safety net for a descendant we
 * could not find that still holds a pipe open, so that deleting an app or stopping the daemon cannot hang.
 */
export const CLOSE_GRACE_MS = 2000;

/**
 * At most one `process.log-dropped` event per instance per this long: while the disk stays full every write
 * drops lines, and a chatty app must not flood the bus. The counts are never lost: each event carries the
 * lines since the previous one and the total.
 */
export const DROP_EVENT_MS = 1000;

/** Lines of one instance that never reached a log file, as reported to the daemon. */
export interface LogDrop {
  id: number;
  name: string;
  /** The file they were meant for (the last one, when several dropped lines since the last report). */
  path: string;
  /** Lines dropped since the previous report. */
  lines: number;
  /** Lines dropped since the instance's sink opened (a line dropped from two files counts twice). */
  total: number;
}

export interface LogSettings extends LineFormatOptions, RotationSettings {}

/** Plain lines, no rotation: for sinks opened without an app's settings (tests, tools). */
export const PLAIN_SETTINGS: LogSettings = {
  time: false,
  log_date_format: 'YYYY-MM-DDTHH:mm:ss.SSSZ',
  log_type: 'raw',
  max_size: 0,
  retain: 0,
  compress: false,
  rotate_interval: null,
};

export interface SinkTarget {
  id: number;
  name: string;
  namespace?: string;
  out_file: string;
  err_file: string;
  /** Both streams, in addition to their own files. */
  log_file?: string | null;
  settings?: LogSettings;
  /** The app's output counters (its metrics, issue 14): lines and bytes read, lines dropped. */
  counts?: LogCounts;
}

/** What a sink needs from the daemon's log service: shared writers per path, the clock. */
export interface WriterSource {
  acquire(path: string, app: string, settings: LogSettings): LogWriter;
  release(writer: LogWriter): Promise<void>;
  forget(sink: FileSink): void;
  now(): number;
  /** Lines were dropped (throttled to one call per DROP_EVENT_MS). */
  dropped?(drop: LogDrop): void;
}

export class FileSink implements OutputSink {
  private settingsNow: LogSettings;
  private readonly out: LogWriter;
  private readonly err: LogWriter;
  private readonly combined: LogWriter | null;
  private readonly recent = new RingBuffer<string>(RECENT_STDERR_LINES);
  /** Child streams still being read, with a promise that settles when each ends. */
  private readonly reading = new Map<Readable, Promise<void>>();
  private closing: Promise<void> | undefined;
  /** Lines of this instance that never reached their file; `unreported` of them not yet in an event. */
  private droppedTotal = 0;
  private unreported = 0;
  private lastDropPath = '';
  private lastReportAt = Number.NEGATIVE_INFINITY;
  private reportTimer: NodeJS.Timeout | undefined;
  private readonly tally: DropTally = { dropped: (lines, path) => this.countDropped(lines, path) };

  constructor(
    readonly target: SinkTarget,
    private readonly writers: WriterSource,
    private readonly closeGraceMs = CLOSE_GRACE_MS,
  ) {
    this.settingsNow = target.settings ?? PLAIN_SETTINGS;
    this.out = writers.acquire(target.out_file, target.name, this.settings);
    this.err = writers.acquire(target.err_file, target.name, this.settings);
    this.combined = target.log_file ? writers.acquire(target.log_file, target.name, this.settings) : null;
  }

  get settings(): LogSettings {
    return this.settingsNow;
  }

  /**
   * The line format of the next runs (each run builds its encoder when attached): `restart <file>` in a PM2
   * home applies the file's time, log_date_format and log_type (issue 17, daemon/apply-file.ts). The files
   * and their rotation stay as they are.
   */
  reformat(format: Pick<LogSettings, 'time' | 'log_date_format' | 'log_type'>): void {
    this.settingsNow = { ...this.settingsNow, ...format };
  }

  /** Called once per process start; the sink outlives restarts, so the files stay open across attaches. */
  attach(stdout: Readable | null, stderr: Readable | null): void {
    if (stdout !== null) this.read(stdout, 'out');
    if (stderr !== null) this.read(stderr, 'err');
  }

  /**
   * Why the process must not start: a log file that cannot be opened (missing directory, permissions).
   * Tried again at every start, so fixing the directory and restarting is enough.
   */
  problem(): string | null {
    for (const w of this.allWriters()) {
      // A file deleted under us (rm -rf logs/): reopen, recreating tend's own directory, so the new run's
      // output is readable. Broken ones reopen now (nothing is in flight); live ones after their write.
      if (w.detached) w.reopenSoon();
      if (w.broken) w.reopen();
      const err = w.error;
      if (w.broken && err) return `cannot open log file ${w.path}: ${describeError(err)}`;
    }
    return null;
  }

  recentStderr(): string[] {
    return this.recent.toArray();
  }

  /** Lines of this instance that never reached a log file (full disk, write errors). */
  droppedLines(): number {
    return this.droppedTotal;
  }

  /** Errors met on the log files (the service keeps running; its output is then discarded). */
  errors(): Error[] {
    return this.allWriters()
      .map((w) => w.error)
      .filter((e): e is NodeJS.ErrnoException => e !== undefined);
  }

  /** The file each stream is read back from by `tend logs` (log_file when the stream's own is /dev/null). */
  files(): { stream: StreamName; writer: LogWriter }[] {
    return [
      { stream: 'out', writer: this.liveWriter(this.out) },
      { stream: 'err', writer: this.liveWriter(this.err) },
    ];
  }

  /** Every writer of this sink, once each. */
  allWriters(): LogWriter[] {
    return [...new Set([this.out, this.err, ...(this.combined ? [this.combined] : [])])];
  }

  /**
   * Call after the process has exited: waits for the pipes to end, so the last lines written before the
   * exit reach the files, then flushes and releases them. Idempotent.
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
    this.writers.forget(this);
    // One release per acquisition: out and err may be the same writer, acquired twice.
    const acquired = [this.out, this.err, ...(this.combined ? [this.combined] : [])];
    await Promise.all(acquired.map((w) => this.writers.release(w)));
    // After the releases: lines still queued may have been dropped while the writers drained.
    clearTimeout(this.reportTimer);
    this.reportDropped();
  }

  private liveWriter(own: LogWriter): LogWriter {
    return own.path === '/dev/null' && this.combined !== null ? this.combined : own;
  }

  private read(stream: Readable, name: StreamName): void {
    if (this.closing !== undefined) {
      // Attached after close (a supervisor bug, or a race with delete): never leave the child blocked on a
      // full pipe; read and discard.
      stream.resume();
      return;
    }
    // A fresh framer per run: a partial last line of the previous run must not glue onto this one.
    const framer = new LineFramer();
    const own = name === 'out' ? this.out : this.err;
    const encode = lineEncoder(this.settings, { app: this.target.name, id: this.target.id, stream: name });
    const source: LiveSource = {
      id: this.target.id,
      name: this.target.name,
      namespace: this.target.namespace ?? 'default',
      stream: name,
    };
    // The copy in log_file is shown live only when the stream's own file is /dev/null.
    const liveOnCopy = own.path === '/dev/null' && this.combined !== null;
    const write = (block: Buffer | null): void => {
      if (block === null) return;
      const ok = this.write(block, name, encode, own, liveOnCopy ? null : source, liveOnCopy ? source : null);
      if (!ok) {
        // Backpressure: a slow disk pauses the pipe, and the child blocks on write instead of the daemon
        // buffering without bound.
        stream.pause();
        const targets = this.combined ? [own, this.combined] : [own];
        let waiting = targets.length;
        for (const w of targets) w.whenDrained(() => --waiting === 0 && stream.resume());
      }
    };

    const reading = readFramed(stream, framer, write).then(() => {
      this.reading.delete(stream);
    });
    this.reading.set(stream, reading);
  }

  private write(
    block: Buffer,
    stream: StreamName,
    encode: LineEncoder,
    own: LogWriter,
    ownSource: LiveSource | null,
    copySource: LiveSource | null,
  ): boolean {
    const at = this.writers.now();
    const counts = this.target.counts;
    if (counts !== undefined) {
      // The app's own bytes (before timestamps or JSON), whole lines only.
      if (stream === 'out') {
        counts.outLines += countLines(block);
        counts.outBytes += block.length;
      } else {
        counts.errLines += countLines(block);
        counts.errBytes += block.length;
      }
    }
    if (stream === 'err') for (const line of lastLines(block, RECENT_STDERR_LINES)) this.recent.push(line);
    const bytes = encode(block, at);
    let ok = own.append(bytes, at, ownSource, this.tally);
    if (this.combined !== null && this.combined !== own) {
      ok = this.combined.append(bytes, at, copySource, this.tally) && ok;
    }
    return ok;
  }

  private countDropped(lines: number, path: string): void {
    this.droppedTotal += lines;
    if (this.target.counts !== undefined) this.target.counts.dropped += lines;
    this.unreported += lines;
    this.lastDropPath = path;
    if (this.reportTimer !== undefined) return; // a report is due already
    const wait = this.lastReportAt + DROP_EVENT_MS - this.writers.now();
    if (wait <= 0) {
      this.reportDropped();
      return;
    }
    // unref: a pending report must not keep a stopping daemon alive; close() sends what is left.
    this.reportTimer = setTimeout(() => this.reportDropped(), wait).unref();
  }

  private reportDropped(): void {
    this.reportTimer = undefined;
    if (this.unreported === 0) return;
    const lines = this.unreported;
    this.unreported = 0;
    this.lastReportAt = this.writers.now();
    const { id, name } = this.target;
    this.writers.dropped?.({ id, name, path: this.lastDropPath, lines, total: this.droppedTotal });
  }
}

function describeError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'ENOENT':
      return 'its directory does not exist (ENOENT)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${err.code})`;
    case 'ENOTDIR':
      return 'a part of the path is not a directory (ENOTDIR)';
    case 'EISDIR':
      return 'it is a directory (EISDIR)';
    case 'EROFS':
      return 'read-only file system (EROFS)';
    case 'ELOOP':
      return 'it is a symbolic link, which tend does not follow in its own logs directory (ELOOP)';
    case 'EMFILE':
    case 'ENFILE':
      // The daemon's reserve (runtime/fd-budget.ts) or the OS: either way the fix is the same.
      return `too many open files (${err.code}): raise ulimit -n, or run fewer apps`;
    case 'ENOSPC':
      return 'no space left on the device (ENOSPC)';
    default:
      // A TendError (the logs directory is not safe to recreate) says it all in its message.
      return err.code?.startsWith('TEND_ERR_') ? err.message : (err.code ?? err.message);
  }
}
