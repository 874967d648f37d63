// tend-runtime's OutputSinks: the apps' output goes to the runtime's own stdout and stderr (a container's
// log collector reads those), never to files. Each stream is framed into whole lines (logs/line-framer.ts)
// and every write is whole lines, so lines of two apps never splice mid-line. Formats: raw (the lines as
// written), prefixed (`name | `, `name-N | ` for an app with several instances), json (one object a line:
// time, app, instance_id, stream, message). The app's stdout goes to stdout, its stderr to stderr, unless
// those are one file (see sharedWriter).
import { fstatSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { LineFramer, lastLines, readFramed, splitLines } from '../logs/line-framer.js';
import type { LogBus } from '../logs/log-bus.js';
import { RingBuffer } from '../logs/ring-buffer.js';
import { countLines } from '../logs/write-queue.js';
import { isoTime } from '../runtime/utc-time.js';
import type { OutputSink, OutputSinks, OutputTarget } from '../supervisor/ports.js';
import type { LogFormat } from './args.js';
import { backgroundClock, streamsProgress, whenQuiet } from './output-progress.js';

const RECENT_STDERR_LINES = 20;
/**
 * How long close() waits on pipes that give nothing (a lost descendant still holds them: as
 * logs/file-sink.ts). Not while they give data, nor while a sink paused them for a slow reader of our stdout
 * that still reads: the app's last lines are in them (the verification of the seventh audit's fixes: an app
 * that wrote 20000 lines and exited lost 3000 to 5000 of them behind an 8 KB/s reader, silently).
 */
const CLOSE_GRACE_MS = 2000;

export interface StdoutSinksOptions {
  /** Read when a process attaches: the format is settled once the apps are known. */
  format(): LogFormat;
  /** The instance number of a process id, and whether its app has several instances. */
  instanceOf(id: number): { instance: number; several: boolean };
  out: Writable;
  err: Writable;
  now(): number;
  /** `tend logs` over the control socket follows the lines here (nothing is built while nobody listens). */
  live?: LogBus;
}

/**
 * Destinations a write failed on. process.stdout on a pipe whose reader went away emits `error` (EPIPE) on
 * each write but is neither destroyed nor `errored` (Node 20), so it looked alive: the lines were lost and not
 * counted (the documentation audit: tend_app_log_dropped_lines_total stayed 0 behind `| head -1`).
 */
const failed = new WeakSet<Writable>();

/** A destination that will never take a write again: destroyed, ended, errored, or a write failed on it. */
function gone(dest: Writable): boolean {
  return failed.has(dest) || dest.destroyed || dest.writableEnded || dest.errored !== null;
}

export function createStdoutSinks(opts: StdoutSinksOptions): OutputSinks {
  for (const dest of [opts.out, opts.err]) dest.on('error', () => failed.add(dest));
  const dests = sharedWriter(opts.out, opts.err);
  return { open: (target) => new StdoutSink(target, opts, dests) };
}

/**
 * Where each stream's lines are written. When our stdout and stderr are one file (fd 1 and fd 2 with the same
 * device and inode: journald's stream socket in a unit `tend export systemd` writes, `docker run -t`,
 * `2>&1 | tee`), both go through one writer, stderr's. Two writers on one pipe splice lines: a block that a
 * slow reader took only part of stays queued in one libuv handle while the other handle writes its own
 * block, and the rest follows after it, mid-line (seventh audit: 10 to 85 lines in 120 000 cut in two,
 * invalid JSON under --log-format json). One handle writes its queue in order, each block whole. stderr's
 * because the runtime's own lines (run.ts) are written there: they queue behind the apps' lines too.
 * Different files keep a writer each.
 */
function sharedWriter(out: Writable, err: Writable): { out: Writable; err: Writable } {
  return { out: sameFile(out, err) ? err : out, err };
}

function sameFile(a: Writable, b: Writable): boolean {
  if (a === b) return true;
  const fa = (a as { fd?: unknown }).fd;
  const fb = (b as { fd?: unknown }).fd;
  if (typeof fa !== 'number' || typeof fb !== 'number') return false;
  try {
    const sa = fstatSync(fa);
    const sb = fstatSync(fb);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    // closed (`>&-`): nothing is written there, nothing to serialise
    return false;
  }
}

type StreamName = 'out' | 'err';

class StdoutSink implements OutputSink {
  private readonly recent = new RingBuffer<string>(RECENT_STDERR_LINES);
  private readonly reading = new Map<Readable, Promise<void>>();
  private closed = false;
  private dropped = 0;
  /** Blocks read from the app's pipes (close() waits while it grows). */
  private blocks = 0;
  /** The app's pipes paused for a slow reader of our stdout (close() waits while that reader reads). */
  private paused = 0;

  constructor(
    private readonly target: OutputTarget,
    private readonly opts: StdoutSinksOptions,
    private readonly dests: { out: Writable; err: Writable },
  ) {}

  attach(stdout: Readable | null, stderr: Readable | null): void {
    if (stdout !== null) this.read(stdout, 'out');
    if (stderr !== null) this.read(stderr, 'err');
  }

  recentStderr(): string[] {
    return this.recent.toArray();
  }

  /** Lines read after the runtime's stdout or stderr had gone (EPIPE: the log collector went away). */
  droppedLines(): number {
    return this.dropped;
  }

  problem(): string | null {
    return null;
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reading.size === 0) return;
    let blocks = this.blocks;
    const reads = () => {
      const moved = this.blocks !== blocks;
      blocks = this.blocks;
      return moved;
    };
    const drains = streamsProgress([this.dests.out, this.dests.err]);
    let stop: () => void = () => {};
    await new Promise<void>((done) => {
      void Promise.all(this.reading.values()).then(() => done());
      // Busy: a block read from the pipes, or our stdout taken by the reader a sink paused them for.
      stop = whenQuiet(backgroundClock, () => reads() || (this.paused > 0 && drains()), CLOSE_GRACE_MS, done);
    });
    stop();
  }

  private read(stream: Readable, name: StreamName): void {
    if (this.closed) {
      stream.resume();
      return;
    }
    const framer = new LineFramer();
    const dest = this.dests[name];
    const encode = this.encoder(name);
    const write = (block: Buffer | null): void => {
      if (block === null) return;
      this.blocks += 1;
      this.count(block, name);
      if (name === 'err') for (const line of lastLines(block, RECENT_STDERR_LINES)) this.recent.push(line);
      const live = this.opts.live;
      if (live?.active)
        live.publish({
          id: this.target.id,
          name: this.target.name,
          namespace: this.target.spec?.namespace ?? 'default',
          stream: name,
          at: this.opts.now(),
          path: null,
          ino: null,
          offset: null,
          bytes: block,
        });
      // Our stdout has gone (EPIPE, the log collector went away; run.ts keeps the error from ending the
      // runtime): the lines are dropped and counted, and the app's pipe keeps flowing. Paused, it would
      // block the app's writes for ever (fifth audit: a shell app froze, a Node app never exited).
      if (gone(dest)) {
        const n = countLines(block);
        this.dropped += n;
        if (this.target.counts) this.target.counts.dropped += n;
        return;
      }
      // One write per block of whole lines: never half a line.
      if (!dest.write(encode(block))) {
        // A slow reader of our stdout pauses the app's pipe rather than buffering without bound, until it
        // drains, or the stream is gone (an errored stream never drains).
        stream.pause();
        this.paused += 1;
        const resume = () => {
          dest.off('drain', resume);
          dest.off('close', resume);
          dest.off('error', resume);
          this.paused -= 1;
          stream.resume();
        };
        dest.on('drain', resume);
        dest.on('close', resume);
        dest.on('error', resume);
      }
    };
    const reading = readFramed(stream, framer, write).then(() => {
      this.reading.delete(stream);
    });
    this.reading.set(stream, reading);
  }

  private count(block: Buffer, name: StreamName): void {
    const counts = this.target.counts;
    if (counts === undefined) return;
    if (name === 'out') {
      counts.outLines += countLines(block);
      counts.outBytes += block.length;
    } else {
      counts.errLines += countLines(block);
      counts.errBytes += block.length;
    }
  }

  /** Bytes of whole lines → what is written; chosen at attach (one run keeps its format). */
  private encoder(stream: StreamName): (block: Buffer) => Buffer | string {
    const format = this.opts.format();
    if (format === 'raw') return (block) => block;
    const { instance, several } = this.opts.instanceOf(this.target.id);
    if (format === 'prefixed') {
      const prefix = `${this.target.name}${several ? `-${instance}` : ''} | `;
      return (block) =>
        splitLines(block)
          .map((line) => `${prefix}${line}\n`)
          .join('');
    }
    const { name } = this.target;
    return (block) => {
      const time = isoTime(this.opts.now());
      return splitLines(block)
        .map((line) => jsonLine(time, name, instance, stream, line.endsWith('\r') ? line.slice(0, -1) : line))
        .join('');
    };
  }
}

/**
 * One line of `--log-format json`: an app's (`app` its name) or the runtime's own (`app` and `instance_id`
 * null, run.ts). Written by hand, in this key order: one template per line, no object to serialise.
 */
export function jsonLine(
  time: string,
  app: string | null,
  instance: number | null,
  stream: StreamName,
  message: string,
): string {
  return `{"time":"${time}","app":${JSON.stringify(app)},"instance_id":${instance},"stream":"${stream}","message":${JSON.stringify(message)}}\n`;
}
