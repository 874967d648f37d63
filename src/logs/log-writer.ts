// One log file, shared by everything that writes to it (stdout and stderr given the same path, the instances
// of a merged app, log_file): a single writer keeps lines whole and in the order they were read. Entries are
// complete lines; the queue is written with one writev per turn (coalescing under load), never blocking
// the event loop. Rotation, reopening and truncation happen between writes, while the writer is held, so
// no line is lost, duplicated or split across files. Which queued bytes go into the next write is the
// queue's business (write-queue.ts).
import { closeSync, fstatSync, ftruncateSync, renameSync, writev } from 'node:fs';
import { fdShortage } from '../runtime/fd-budget.js';
import type { StreamName } from './line-format.js';
import type { LiveBatch, LogBus } from './log-bus.js';
import { type OpenOptions, openLogFile, pathLeft } from './open-log-file.js';
import { afterShortWrite, type Queued, WriteQueue } from './write-queue.js';

/** Queued bytes past which writers are told to stop (the child's pipe is paused: it blocks, we don't buffer). */
export const HIGH_WATER = 1024 * 1024;
const LOW_WATER = 256 * 1024;

/** Who wrote an entry, for the live stream; null for copies (log_file) that must not be shown twice. */
export interface LiveSource {
  id: number;
  name: string;
  namespace: string;
  stream: StreamName;
}

/** Told when lines it queued never reach the file (a full disk, a file that could not be opened). */
export interface DropTally {
  dropped(lines: number, path: string): void;
}

interface Entry extends Queued {
  at: number;
  source: LiveSource | null;
  tally: DropTally | null;
}

/** What a writer needs from its rotation group. */
export interface Room {
  /** Bytes this writer may append before the group must rotate. */
  room(): number;
  /** True when the group's live files hold something (a rotation would free room). */
  hasContent(): boolean;
  rotate(reason: 'size'): void;
}

export interface WriterHooks {
  bus: LogBus;
  /** A write failed (reported once until a write succeeds again). */
  onError(path: string, err: NodeJS.ErrnoException): void;
}

export class LogWriter {
  private fd: number | null = null;
  /** Inode of the open file; null unless it is a regular file. */
  ino: number | null = null;
  /** A regular file: sizes, offsets and rotation apply. */
  regular = false;
  /** Bytes in the current file, including the write in flight. */
  size = 0;
  /** Bytes its file held when it was closed (0 for other than a regular file). */
  closedSize = 0;
  private readonly queue = new WriteQueue<Entry>();
  private busy = false;
  private holds = 0;
  /** When the path was last compared with the open file (tend's own files only; see writtenOnce). */
  private checkedAt = 0;
  private idleWaiters: (() => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  private failure: NodeJS.ErrnoException | undefined;
  private reported = false;
  private closing: Promise<void> | null = null;
  private closed: (() => void) | null = null;
  group: Room | null = null;
  /** How many sinks use this writer (LogService closes it at zero). */
  refs = 0;
  /** Lines accepted for this file that never reached it (full disk, write error, file not open). */
  dropped = 0;

  constructor(
    readonly path: string,
    private readonly hooks: WriterHooks,
    private readonly opening: OpenOptions = {},
  ) {}

  /** Opens (or reopens) the file for appending; returns the error, if any. Synchronous: called between writes. */
  open(): NodeJS.ErrnoException | undefined {
    this.closeFd();
    this.failure = undefined;
    this.reported = false;
    if (this.path === '/dev/null') return undefined; // discard without a syscall per write
    // Past the daemon's reserve of descriptors the app fails to start with this reason (sink.problem()),
    // instead of the daemon itself running out (runtime/fd-budget.ts).
    this.failure = fdShortage(1);
    if (this.failure) return this.failure;
    try {
      this.fd = openLogFile(this.path, this.opening);
      const st = fstatSync(this.fd);
      this.regular = st.isFile();
      this.ino = this.regular ? st.ino : null;
      this.size = this.regular ? st.size : 0;
    } catch (err) {
      this.closeFd();
      this.failure = err as NodeJS.ErrnoException;
    }
    return this.failure;
  }

  /**
   * True when the path no longer names the open file (deleted, or its directory was): output would go to
   * an unlinked inode nobody can read. Checked before each spawn (FileSink.problem).
   */
  get detached(): boolean {
    return this.fd !== null && this.regular && this.ino !== null && pathLeft(this.path, this.ino);
  }

  /** Reopens now, or after the write in flight (a hold) if there is one: the next lines go to the new file. */
  reopenSoon(): void {
    // Nothing in flight: now, so the caller (a spawn about to happen) sees the result.
    if (!this.busy && this.holds === 0) {
      this.reopen();
      return;
    }
    void this.hold().then(() => {
      try {
        this.reopen();
      } finally {
        this.release();
      }
    });
  }

  get error(): NodeJS.ErrnoException | undefined {
    return this.failure;
  }

  /** True while the writer takes lines but cannot write them (open failed). /dev/null is not broken. */
  get broken(): boolean {
    return this.failure !== undefined && this.fd === null;
  }

  /** Bytes accepted but not yet handed to the OS. */
  get backlog(): number {
    return this.queue.bytes;
  }

  /**
   * Queues complete lines; `tally` hears of those that never reach the file. Returns false when the caller
   * should pause until whenDrained().
   */
  append(buf: Buffer, at: number, source: LiveSource | null, tally: DropTally | null = null): boolean {
    if (this.closing !== null || buf.length === 0) return true;
    this.queue.push({ buf, at, source, tally });
    this.pump();
    return this.queue.bytes < HIGH_WATER;
  }

  /** Calls fn once the backlog is low again (or writing has become pointless). */
  whenDrained(fn: () => void): void {
    if (this.queue.bytes <= LOW_WATER || this.closing !== null) fn();
    else this.drainWaiters.push(fn);
  }

  /**
   * Where the next write will start, once the write in flight (already handed out, not to be streamed live
   * again) is in the file: what `tend logs` reads up to before following.
   */
  async committed(): Promise<{ ino: number | null; offset: number | null }> {
    const at = { ino: this.ino, offset: this.regular ? this.size : null };
    if (this.busy) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    return at;
  }

  /** Stops writing after the write in flight; resolves once idle. Pair with release(). */
  hold(): Promise<void> {
    this.holds++;
    return this.busy ? new Promise<void>((resolve) => this.idleWaiters.push(resolve)) : Promise.resolve();
  }

  release(): void {
    this.holds = Math.max(0, this.holds - 1);
    this.pump();
  }

  /** Tries to write what is queued (after a rotation, say). */
  kick(): void {
    this.pump();
  }

  /** While held: renames the file to `to` and starts a new one at the same path (false once closing). */
  rotateTo(to: string): boolean {
    // Allowed while closing: the queue still drains into this file, and must respect the size limit.
    if (this.fd === null) return false;
    try {
      renameSync(this.path, to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      // The file (or tend's logs/) was deleted under us: nothing to rotate; start a new file, which
      // recreates tend's own directory, instead of writing on into an unlinked inode.
      this.reopen();
      return false;
    }
    this.open();
    if (this.failure) this.report(this.failure);
    return true;
  }

  /** While held: reopens the path (after an external rotation, say). */
  reopen(): void {
    if (this.closed === null && this.closing !== null) return; // closed already
    this.open();
    if (this.failure) this.report(this.failure);
  }

  /** While held: empties the file, and drops lines queued before now. */
  truncate(): void {
    this.queue.clear();
    this.releaseDrainWaiters();
    if (this.fd === null || !this.regular) return;
    ftruncateSync(this.fd);
    this.size = 0;
  }

  /** Writes what is queued, then closes the file. Idempotent. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      this.closed = resolve;
      this.releaseDrainWaiters();
      this.pump();
    });
    return this.closing;
  }

  private pump(): void {
    if (this.busy || this.holds > 0) return;
    if (this.queue.length === 0) {
      if (this.closed) this.finishClose();
      return;
    }
    if (this.fd === null) {
      // /dev/null or a file that could not be opened: the lines are discarded (still shown live).
      const batch = this.queue.takeAll();
      this.publish(batch, null);
      // /dev/null discards by design; a file that could not be opened loses lines the user expects.
      if (this.broken) this.drop(batch, 0);
      this.releaseDrainWaiters();
      if (this.closed) this.finishClose();
      return;
    }
    const batch = this.take();
    if (batch === null) return; // the group is rotating to make room
    const bytes = batch.reduce((n, e) => n + e.buf.length, 0);
    const offset = this.size;
    this.size += bytes;
    this.busy = true;
    this.publish(batch, offset);
    const fd = this.fd;
    writev(
      fd,
      batch.map((e) => e.buf),
      (err, written) => {
        this.busy = false;
        const reached = err ? 0 : written;
        if (reached < bytes) this.shortWrite(fd, batch, reached, err ?? shortWriteError(reached, bytes));
        else {
          // Space came back (or the error passed): writing resumes, and the next failure is reported again.
          this.reported = false;
          this.failure = undefined;
          this.followPath();
        }
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const w of waiters) w();
        if (this.queue.bytes <= LOW_WATER) this.releaseDrainWaiters();
        this.pump();
      },
    );
  }

  /**
   * tend's own files (in $TEND_HOME/logs, those it may recreate): at most once a second after a write, is the
   * path still this file? Someone may have deleted the file or the whole directory (`rm -rf logs`) while the
   * app runs; writes to an unlinked inode succeed and are lost. Then the file (and its directory) is opened
   * again, so at most a second of output goes astray. A path the user named is left as it is: moving it
   * aside and calling `reloadLogs` is the logrotate contract, and writing on until then is expected.
   */
  private followPath(): void {
    if (!this.opening.ensureDir || this.holds > 0 || this.ino === null) return;
    const now = Date.now();
    if (now - this.checkedAt < 1000) return;
    this.checkedAt = now;
    if (pathLeft(this.path, this.ino)) this.reopen();
  }

  /**
   * A write that did not take the whole batch (ENOSPC, EDQUOT, EFBIG, EIO; or a short count, which is how a
   * disk filling up mid-write shows). Policy: whole lines or nothing. The fragment of a line cut by the short
   * write is truncated away at once, so the file never holds a torn line and the next line, written once
   * space returns, starts on a line of its own. The lines that did not make it are dropped and counted (per
   * file here, per instance through the tally); they are not retried: the order of lines in the file stays
   * the order they were read, and a disk that stays full must not grow the daemon's memory.
   */
  private shortWrite(fd: number, batch: Entry[], reached: number, err: NodeJS.ErrnoException): void {
    const { kept } = afterShortWrite(batch, reached);
    const fragment = reached - kept;
    try {
      const size = this.regular ? fstatSync(fd).size : 0;
      if (this.regular && fragment > 0) ftruncateSync(fd, size - fragment);
      // The file's own word for the size (someone else may have written to it too).
      this.size = this.regular ? size - fragment : 0;
    } catch {
      // The descriptor went bad: the next write reports it.
    }
    this.drop(batch, reached);
    this.report(err);
  }

  /** Counts the lines of `batch` past `reached` bytes as dropped, per file and to each entry's tally. */
  private drop(batch: Entry[], reached: number): void {
    for (const { entry, lines } of afterShortWrite(batch, reached).lost) {
      this.dropped += lines;
      entry.tally?.dropped(lines, this.path);
    }
  }

  /** The entries to write now: all of them, or as many whole lines as the group's room allows. */
  private take(): Entry[] | null {
    const room = this.regular && this.group ? this.group.room() : Number.POSITIVE_INFINITY;
    const batch = this.queue.take(room);
    if (batch.length > 0) return batch;
    if (this.group?.hasContent()) {
      this.group.rotate('size');
      return null;
    }
    // The group is empty and still the first line does not fit: a line longer than max_size goes alone
    // into a file of its own.
    return this.queue.takeFirstLine();
  }

  private publish(batch: readonly Entry[], offset: number | null): void {
    const { bus } = this.hooks;
    if (!bus.active) return; // nobody follows: build nothing
    let at = offset;
    for (const e of batch) {
      if (e.source !== null) {
        const live: LiveBatch = {
          ...e.source,
          at: e.at,
          path: this.regular ? this.path : null,
          ino: this.ino,
          offset: this.regular ? at : null,
          bytes: e.buf,
        };
        bus.publish(live);
      }
      if (at !== null) at += e.buf.length;
    }
  }

  private report(err: NodeJS.ErrnoException): void {
    this.failure ??= err;
    if (this.reported) return;
    this.reported = true;
    this.hooks.onError(this.path, err);
  }

  private releaseDrainWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const w of waiters) w();
  }

  private finishClose(): void {
    this.closeFd();
    const done = this.closed;
    this.closed = null;
    done?.();
  }

  private closeFd(): void {
    // What the file keeps once closed: it stays on disk as a live file of its group (see RotationGroup).
    this.closedSize = this.regular ? this.size : 0;
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
    }
    this.fd = null;
    this.regular = false;
    this.ino = null;
    this.size = 0;
  }
}

/** A write that returned fewer bytes than asked and no error: the space (or quota, or file size) ran out. */
function shortWriteError(written: number, wanted: number): NodeJS.ErrnoException {
  // No code: libuv keeps the count and drops the errno that ended the write (ENOSPC, EDQUOT or EFBIG).
  return new Error(`short write, ${written} of ${wanted} bytes (disk full or over quota)`);
}
