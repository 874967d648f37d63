// The query of GET /api/v1/logs/stream: which lines a client wants (`app`, `instance`, `stream`, `grep`)
// and how many recent ones first (`lines`). Parsed once per request; a bad value is a 400 that says which
// parameter and what was expected. `grep` is a plain substring (case-sensitive): no regular expression, so
// no pattern can make the daemon backtrack for seconds on every line.
import { TendError } from '../../protocol/errors.js';

export const DEFAULT_LINES = 100;
export const MAX_LINES = 1000;

export interface LogFilter {
  /** App names, or null for every app. */
  apps: ReadonlySet<string> | null;
  /** Instance numbers within the app (`instance_id`), or null for all. */
  instances: ReadonlySet<number> | null;
  stream: 'out' | 'err' | null;
  grep: string | null;
  /** Recent lines to send first. */
  lines: number;
}

/** One line as the stream sends it. */
export interface LogLine {
  app: string;
  /** The instance number within the app; null when the line's file is shared and does not say. */
  instance_id: number | null;
  /** The daemon-wide process id, or null (as instance_id). */
  id: number | null;
  /** null when both streams share the file and the line does not say which. */
  stream: 'out' | 'err' | null;
  /** The app's text (the timestamp tend added is in `at`, not here). */
  line: string;
  /** Epoch ms: when the daemon read the line (live), or the file's timestamp (recent lines; null without). */
  at: number | null;
}

const list = (v: string | null): string[] =>
  v === null
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

export function parseLogFilter(q: URLSearchParams): LogFilter {
  const bad = (detail: string) => new TendError('TEND_ERR_BAD_REQUEST', { detail });
  const apps = list(q.get('app'));
  const instanceTokens = list(q.get('instance'));
  const instances = instanceTokens.map((t) => {
    if (!/^\d{1,9}$/.test(t))
      throw bad(`instance: expected instance numbers (0, 1, … comma-separated), got "${t}"`);
    return Number(t);
  });
  const stream = q.get('stream');
  if (stream !== null && stream !== '' && stream !== 'out' && stream !== 'err')
    throw bad(`stream: expected "out" or "err", got "${stream}"`);
  const linesText = q.get('lines');
  let lines = DEFAULT_LINES;
  if (linesText !== null && linesText !== '') {
    if (!/^\d{1,9}$/.test(linesText))
      throw bad(`lines: expected a whole number from 0 to ${MAX_LINES}, got "${linesText}"`);
    lines = Math.min(Number(linesText), MAX_LINES);
  }
  const grep = q.get('grep');
  return {
    apps: apps.length > 0 ? new Set(apps) : null,
    instances: instances.length > 0 ? new Set(instances) : null,
    stream: stream === 'out' || stream === 'err' ? stream : null,
    grep: grep === null || grep === '' ? null : grep,
    lines,
  };
}

/** Whether an app's instance is selected (before its lines are looked at). */
export function selectsInstance(f: LogFilter, app: string, instance: number | null): boolean {
  if (f.apps !== null && !f.apps.has(app)) return false;
  if (f.instances !== null && (instance === null || !f.instances.has(instance))) return false;
  return true;
}

export function matches(f: LogFilter, l: LogLine): boolean {
  if (!selectsInstance(f, l.app, l.instance_id)) return false;
  // A line of a shared file that does not say its stream is kept: it may be the one asked for.
  if (f.stream !== null && l.stream !== null && l.stream !== f.stream) return false;
  if (f.grep !== null && !l.line.includes(f.grep)) return false;
  return true;
}
