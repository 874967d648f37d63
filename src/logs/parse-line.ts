// A line as written in a log file → its timestamp, message, process and stream, as the file's format says.
// Read by `tend logs` (cli/render/log-line.ts) and by the HTTP log stream (http/streams/log-tail.ts).
import { compileDateParser, type DateParser } from './date-format.js';
import { TIME_SEPARATOR } from './line-format.js';

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
