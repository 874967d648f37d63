// What a block of complete lines becomes in the file: as written (raw), each line prefixed with a timestamp
// (`time`), or one JSON object per line (`log_type: 'json'`). The hot path (raw, or timestamps) never decodes
// UTF-8: it works on latin1 strings, a one-to-one mapping of bytes, so binary output reaches the file
// byte for byte and the prefix costs one replaceAll per block.
import { compileDateFormat, type DateFormatter } from './date-format.js';

export type LogType = 'raw' | 'json';
export type StreamName = 'out' | 'err';

export interface LineFormatOptions {
  time: boolean;
  log_date_format: string;
  log_type: LogType;
}

/** The bytes to write for `block` (complete `\n`-terminated lines) read at `at` (epoch ms). */
export type LineEncoder = (block: Buffer, at: number) => Buffer;

/** Separates the timestamp from the line, as PM2 does (`2024-05-01T14:03:07.042+02:00: listening`). */
export const TIME_SEPARATOR = ': ';

export function lineEncoder(
  opts: LineFormatOptions,
  who: { app: string; id: number; stream: StreamName },
): LineEncoder {
  const format = compileDateFormat(opts.log_date_format);
  if (opts.log_type === 'json') return jsonEncoder(format, who);
  if (!opts.time) return (block) => block;
  return (block, at) => {
    // The prefix as latin1 text of its UTF-8 bytes, so a non-ASCII literal in the format survives too.
    const prefix = Buffer.from(format(at) + TIME_SEPARATOR, 'utf8').toString('latin1');
    const text = block.toString('latin1', 0, block.length - 1); // without the last newline
    return Buffer.from(`${prefix}${text.replaceAll('\n', `\n${prefix}`)}\n`, 'latin1');
  };
}

function jsonEncoder(
  format: DateFormatter,
  who: { app: string; id: number; stream: StreamName },
): LineEncoder {
  const fixed = `"app":${JSON.stringify(who.app)},"id":${who.id},"stream":"${who.stream}"`;
  return (block, at) => {
    const timestamp = JSON.stringify(format(at));
    const text = block.toString('utf8');
    let out = '';
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      let line = text.slice(start, nl);
      if (line.endsWith('\r')) line = line.slice(0, -1);
      out += `{"timestamp":${timestamp},${fixed},"message":${messageJson(line)}}\n`;
      start = nl + 1;
    }
    return Buffer.from(out, 'utf8');
  };
}

/** An app line that is itself a JSON object or array is embedded as one; anything else is a string. */
export function messageJson(line: string): string {
  const trimmed = line.trim();
  const first = trimmed[0];
  if ((first === '{' && trimmed.endsWith('}')) || (first === '[' && trimmed.endsWith(']'))) {
    try {
      JSON.parse(trimmed);
      return trimmed; // valid JSON on one line: embed the app's own text, no need to re-serialise it
    } catch {
      // not JSON after all: a string
    }
  }
  return JSON.stringify(line);
}
