// `tend logs [target…] [--lines N] [--nostream] [--err|--out] [--raw|--json] [--since 10m] [--grep re]`
// The last lines of each log file, read from the end of the files, then (unless --nostream) the new lines
// as the daemon writes them. Subscribed before reading: the daemon replies with the offset up to which each
// file is complete and streams only what comes after, so the seam has no gap and no repeat.
import { type Command, InvalidArgumentError } from 'commander';
import type { TendClient } from '../../client/client.js';
import { dateFormatProblem } from '../../config/date-tokens.js';
import { parseDuration } from '../../config/duration.js';
import { compileDateFormat, type DateFormatter } from '../../logs/date-format.js';
import { tailLines } from '../../logs/tail.js';
import { TendError } from '../../protocol/errors.js';
import type { TendEvent } from '../../protocol/events.js';
import type { LogFileInfo } from '../../protocol/methods/logs-files.js';
import { nonNegativeInt } from '../options.js';
import {
  type LineFormat,
  type LineOrigin,
  label,
  type OutputMode,
  parseLine,
  renderLine,
} from '../render/log-line.js';
import { colourEnabled, paint } from '../render/style.js';
import { warn, withClient } from '../session.js';

interface Opts {
  lines?: number;
  nostream?: boolean;
  err?: boolean;
  out?: boolean;
  raw?: boolean;
  json?: boolean;
  since?: number;
  grep?: RegExp;
  timestamp?: true | string;
}

/** PM2's default format of `logs --timestamp`. */
export const PM2_TIMESTAMP_FORMAT = 'YYYY-MM-DD-HH:mm:ss';

/**
 * `--timestamp [format]`'s value. The value is optional, so `tend logs --timestamp api` would read the
 * target as a format (`a` is a token): a format needs a token of two letters or more, or X/x.
 */
export function timestampFormat(value: string): string {
  if (!/YY|MM|DD|HH|hh|mm|ss|SSS|ZZ|Z|X|x/.test(value.replace(/\[[^\]]*]/g, '')))
    throw new InvalidArgumentError(
      `"${value}" is not a date format (YYYY-MM-DD HH:mm:ss): a target goes before the flag, "tend logs ${value} --timestamp"`,
    );
  const problem = dateFormatProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}

/** `10m`, `2h`, `30s`, `1d` ago, or a date/time (`2024-05-01T10:00`). */
export function parseSince(value: string, now = Date.now()): number {
  const ago = /^\d/.test(value) && !/[-:T]/.test(value) ? parseDuration(value) : null;
  if (ago !== null) return now - ago;
  const at = Date.parse(value);
  if (Number.isFinite(at)) return at;
  throw new InvalidArgumentError(`expected a duration such as 10m or 2h, or a date and time, got "${value}"`);
}

function regex(value: string): RegExp {
  try {
    return new RegExp(value);
  } catch (err) {
    throw new InvalidArgumentError(`expected a regular expression: ${(err as Error).message}`);
  }
}

export function register(program: Command): void {
  program
    .command('logs')
    .argument('[target...]', 'name, id, namespace or "all" (default: all)')
    .description('print the last lines of the log files, then follow new lines live')
    .option(
      '--lines <n>',
      'lines to print from each file first (default 15; all in the --since window)',
      nonNegativeInt,
    )
    .option('--nostream', 'print the last lines and exit (do not follow)')
    .option('--err', 'stderr only')
    .option('--out', 'stdout only')
    .option('--raw', 'lines exactly as in the files, without the app and stream prefix')
    .option('--json', 'one JSON object per line: {timestamp, app, id, stream, message}')
    .option('--since <when>', 'only lines from this long ago (10m, 2h, 1d) or since this date', (v) =>
      parseSince(v),
    )
    .option('--grep <regex>', 'only lines matching this regular expression', regex)
    .option(
      '--timestamp [format]',
      `print the time each line was written first (format default ${PM2_TIMESTAMP_FORMAT}, as PM2's; lines read from a file without timestamps have none)`,
      timestampFormat,
    )
    .action((target: string[], opts: Opts) => logs(target, opts));
}

async function logs(tokens: string[], opts: Opts): Promise<void> {
  const target = tokens.length > 0 ? tokens : ['all'];
  const streams: ('out' | 'err')[] =
    opts.err && !opts.out ? ['err'] : opts.out && !opts.err ? ['out'] : ['out', 'err'];
  const mode: OutputMode = opts.json ? 'json' : opts.raw ? 'raw' : 'prefixed';
  const colour = mode === 'prefixed' && colourEnabled();
  const max = opts.lines ?? (opts.since !== undefined ? Number.POSITIVE_INFINITY : 15);
  const stamp = stamper(opts.timestamp, mode);
  await withClient(async (c) => {
    // `tend logs | head`: the reader went away; that is the end, not an error.
    let readerGone = false;
    const out = new Output(() => {
      readerGone = true;
      void c.close();
    });
    const early: TendEvent[] = [];
    let onEvent: ((e: TendEvent) => void) | null = null;
    // Listen before subscribing: lines may arrive before the reply.
    if (!opts.nostream) c.listen((e) => (onEvent ? onEvent(e) : early.push(e)));
    const { files } = await c.call(opts.nostream ? 'logs.files' : 'logs.subscribe', { target, streams });
    const known = new Map(files.map((f) => [f.path, f]));
    let width = Math.max(0, ...files.map((f) => label(originOf(f)).length));

    // No file at all: said, not an empty success that reads as "printed nothing" (ninth audit, inside a
    // container: a runtime keeps no files, its apps' lines are the container's log).
    if (files.length === 0)
      warn(
        `no log file for ${target.join(' ')}: no earlier lines to show (a tend-runtime keeps none, its apps' lines go to its stdout and stderr: kubectl logs, docker logs; an app logging to /dev/null neither)${opts.nostream ? '' : '; new lines follow'}`,
        'TEND_ERR_NOTICE',
      );
    for (const f of files) printTail(f, { opts, mode, colour, max, width, out, stamp });
    if (opts.nostream) return;

    onEvent = (e) => {
      if (e.event === 'log.dropped') {
        warn(
          `${e.data.lines} lines not shown: this output is slower than the apps write (the files have them)`,
          'TEND_ERR_LINES_SKIPPED',
        );
        return;
      }
      if (e.event !== 'log.lines') return;
      const d = e.data;
      const file = d.path === null ? undefined : known.get(d.path);
      // By construction every streamed line lies after the offset the reply gave; guard the seam anyway.
      if (file && file.ino === d.ino && d.offset !== null && file.offset !== null && d.offset < file.offset)
        return;
      const origin: LineOrigin = { name: d.name, id: d.id, stream: d.stream };
      width = Math.max(width, label(origin).length);
      const format = file ?? null;
      for (const line of d.lines) {
        const parsed = parseLine(line, format, origin);
        if (parsed.timestamp === null && mode === 'json') parsed.timestamp = new Date(d.at).toISOString();
        if (opts.grep && !opts.grep.test(line)) continue;
        out.line(stamp(parsed.at ?? d.at, renderLine(line, parsed, origin, { mode, colour, width })));
      }
      out.flush(c);
    };
    for (const e of early) onEvent(e);
    // Follow until the reader goes away (or Ctrl-C). A connection that closes otherwise was closed by the
    // daemon (it exited, was killed, or cut us off): following has stopped, which the user must learn.
    await c.closed;
    if (!readerGone) throw new TendError('TEND_ERR_CONNECTION_CLOSED', { while: 'following logs' });
  });
}

function originOf(f: LogFileInfo): LineOrigin {
  return {
    name: f.name,
    id: f.ids.length === 1 ? (f.ids[0] as number) : null,
    stream: f.streams.length === 1 ? (f.streams[0] as 'out' | 'err') : null,
  };
}

function printTail(
  f: LogFileInfo,
  ctx: {
    opts: Opts;
    mode: OutputMode;
    colour: boolean;
    max: number;
    width: number;
    out: Output;
    stamp: Stamp;
  },
): void {
  const { opts, mode, colour, max, width, out, stamp } = ctx;
  if (max === 0) return;
  const origin = originOf(f);
  const format: LineFormat = f;
  const since = opts.since;
  if (since !== undefined && !f.time && f.log_type !== 'json') {
    warn(
      `${f.path}: its lines have no timestamps (start the app with --time), --since skips them`,
      'TEND_ERR_LINES_SKIPPED',
    );
    return;
  }
  const at = (line: string) => parseLine(line, format, origin).at;
  const { lines } = tailLines(f.path, {
    max,
    // Following: up to where the daemon starts streaming. Not following: up to the end (others may write).
    end: opts.nostream ? null : f.offset,
    ino: opts.nostream ? null : f.ino,
    keep: opts.grep ? (line) => opts.grep!.test(line) : undefined,
    // Files are in time order: the first line older than the window ends the reading.
    stop: since !== undefined ? (line) => (at(line) ?? since) < since : undefined,
  });
  if (mode === 'prefixed' && lines.length > 0) out.line(paint('gray', `==> ${f.path} <==`, colour));
  for (const line of lines) {
    const parsed = parseLine(line, format, origin);
    out.line(stamp(parsed.at, renderLine(line, parsed, origin, { mode, colour, width })));
  }
  out.flush(null);
}

/** `--timestamp`: the printed line with the time it was written first (when known; JSON has its own). */
type Stamp = (at: number | null, text: string) => string;

function stamper(timestamp: true | string | undefined, mode: OutputMode): Stamp {
  if (timestamp === undefined || mode === 'json') return (_at, text) => text;
  const format: DateFormatter = compileDateFormat(timestamp === true ? PM2_TIMESTAMP_FORMAT : timestamp);
  return (at, text) => (at === null ? text : `${format(at)} ${text}`);
}

/** Batched writes to stdout; while stdout is backed up, events are not read (the daemon then drops lines). */
class Output {
  private buf = '';
  private broken = false;

  constructor(onBroken: () => void) {
    process.stdout.on('error', () => {
      this.broken = true;
      onBroken();
    });
  }

  line(text: string): void {
    this.buf += `${text}\n`;
  }

  flush(client: TendClient | null): void {
    if (this.buf === '' || this.broken) return;
    const ok = process.stdout.write(this.buf);
    this.buf = '';
    if (!ok && client) {
      client.pause();
      process.stdout.once('drain', () => client.resume());
    }
  }
}
