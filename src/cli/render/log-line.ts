// `tend logs` output, pure: a line as written in a log file → what is printed. Three forms: prefixed with
// the app and stream (`0|api out | …`, coloured by app on a terminal), raw (the file's line as is), or one
// JSON object per line ({timestamp, app, id, stream, message}, the same shape as log_type 'json' files).
import { compileDateParser, type DateParser } from '../../logs/date-format.js';
import { TIME_SEPARATOR } from '../../logs/line-format.js';
import { paint } from './style.js';

/** How the lines of one file were written (from logs.files / logs.subscribe). */
export interface LineFormat {
  time: boolean;
  log_date_format: string;
  log_type: 'raw' | 'json';
}

export interface LineOrigin {
  name: string;
  /** The one process writing the file, or null when several share it (merge_logs). */
  id: number | null;
  /** null when both streams share the file (and the line does not say which). */
  stream: 'out' | 'err' | null;
}

export interface ParsedLine {
  /** Epoch ms, when the line carries a timestamp tend can read. */
  at: number | null;
  timestamp: string | null;
  /** The app's text (a JSON value for log_type 'json' files whose app printed JSON). */
  message: unknown;
  id: number | null;
  stream: 'out' | 'err' | null;
}

const parsers = new Map<string, DateParser>();
function parserOf(format: string): DateParser {
  let p = parsers.get(format);
  if (!p) {
    p = compileDateParser(format);
    parsers.set(format, p);
  }
  return p;
}

/** Splits a file line into its timestamp and message, as the file's format says. */
export function parseLine(line: string, format: LineFormat | null, origin: LineOrigin): ParsedLine {
  const plain: ParsedLine = {
    at: null,
    timestamp: null,
    message: line,
    id: origin.id,
    stream: origin.stream,
  };
  if (format === null) return plain;
  if (format.log_type === 'json') {
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      const timestamp = typeof o.timestamp === 'string' ? o.timestamp : null;
      const ts = timestamp === null ? null : parserOf(format.log_date_format)(timestamp);
      return {
        at: ts?.at ?? null,
        timestamp,
        message: o.message,
        id: typeof o.id === 'number' ? o.id : origin.id,
        stream: o.stream === 'out' || o.stream === 'err' ? o.stream : origin.stream,
      };
    } catch {
      return plain;
    }
  }
  if (!format.time) return plain;
  const ts = parserOf(format.log_date_format)(line);
  if (ts === null || line.slice(ts.length, ts.length + TIME_SEPARATOR.length) !== TIME_SEPARATOR)
    return plain;
  return {
    ...plain,
    at: ts.at,
    timestamp: line.slice(0, ts.length),
    message: line.slice(ts.length + TIME_SEPARATOR.length),
  };
}

export type OutputMode = 'prefixed' | 'raw' | 'json';

export interface RenderOptions {
  mode: OutputMode;
  colour: boolean;
  /** Width of the `id|name` column (prefixed mode). */
  width: number;
}

const PALETTE = [
  'cyan',
  'magenta',
  'yellow',
  'green',
  'blue',
  'cyanBright',
  'magentaBright',
  'greenBright',
] as const;

/** A stable colour per app name. */
export function colourOf(name: string): (typeof PALETTE)[number] {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length] as (typeof PALETTE)[number];
}

export function label(origin: { name: string; id: number | null }): string {
  return origin.id === null ? origin.name : `${origin.id}|${origin.name}`;
}

/** The printed text of one file line (without newline). */
export function renderLine(
  line: string,
  parsed: ParsedLine,
  origin: LineOrigin,
  opts: RenderOptions,
): string {
  if (opts.mode === 'raw') return line;
  if (opts.mode === 'json') {
    return JSON.stringify({
      timestamp: parsed.timestamp,
      app: origin.name,
      id: parsed.id,
      stream: parsed.stream,
      message: parsed.message,
    });
  }
  const who = label({ name: origin.name, id: parsed.id }).padEnd(opts.width);
  const stream = parsed.stream ?? 'log';
  const tag = `${paint(colourOf(origin.name), who, opts.colour)} ${paint(stream === 'err' ? 'red' : 'gray', stream, opts.colour)} |`;
  // A JSON-lines file reads better as "timestamp: message".
  const text =
    typeof parsed.message === 'string' && parsed.timestamp === null
      ? line
      : `${parsed.timestamp !== null ? `${parsed.timestamp}${TIME_SEPARATOR}` : ''}${typeof parsed.message === 'string' ? parsed.message : JSON.stringify(parsed.message)}`;
  return `${tag} ${text}`;
}
