// `tend logs` output, pure: a line as written in a log file → what is printed. Three forms: prefixed with
// the app and stream (`0|api out | …`, coloured by app on a terminal), raw (the file's line as is), or one
// JSON object per line ({timestamp, app, id, stream, message}, the same shape as log_type 'json' files).

import { TIME_SEPARATOR } from '../../logs/line-format.js';
import { type LineFormat, type LineOrigin, type ParsedLine, parseLine } from '../../logs/parse-line.js';
import { paint } from './style.js';

export { type LineFormat, type LineOrigin, type ParsedLine, parseLine };

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
