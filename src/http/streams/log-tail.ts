// The recent lines a log stream starts with: the same path as `tend logs` (logs.files, then each file read
// backwards from the offset up to which it is written, logs/tail.ts), so the lines before the seam come from
// the files and the lines after it from the live bus, with no gap and no repeat. Files are read with the
// synchronous tail reader: at most `lines` (≤ 1000) kept lines per file, blocks of 64 KiB.

import type { ConnectionContext, DaemonContext } from '../../daemon/context.js';
import { handleLogsFiles } from '../../daemon/handlers/logs.js';
import { type LineFormat, type LineOrigin, parseLine } from '../../logs/parse-line.js';
import { filterShare, tailLines } from '../../logs/tail.js';
import type { LogFileInfo } from '../../protocol/methods/logs-files.js';
import type { InstanceIndex } from './instances.js';
import { type LogFilter, type LogLine, matches, selectsInstance } from './log-filter.js';

/** logs.files is called in-process: it sends no events and registers nothing on the connection. */
const NO_CONNECTION: ConnectionContext = {
  helloGate: false,
  greeted: true,
  sendEvent: () => {},
  onClose: () => {},
  backlog: () => 0,
};

/** A line of a file (or of a live batch) as the stream sends it. */
export function toLogLine(
  raw: string,
  format: LineFormat | null,
  origin: LineOrigin,
  index: InstanceIndex,
  at: number | null,
): LogLine {
  const p = parseLine(raw, format, origin);
  const text = typeof p.message === 'string' ? p.message : JSON.stringify(p.message);
  return {
    app: origin.name,
    instance_id: p.id === null ? null : index.instanceOf(p.id),
    id: p.id,
    stream: p.stream,
    line: text,
    at: at ?? p.at,
  };
}

/**
 * Takes the files' offsets now (synchronously: call it in the same turn as the seam is read), then resolves
 * with the last `filter.lines` matching lines before them, oldest first.
 */
export function recentLines(ctx: DaemonContext, index: InstanceIndex, filter: LogFilter): Promise<LogLine[]> {
  if (filter.lines === 0) return Promise.resolve([]);
  const ids = ctx.supervisor
    .instances()
    .filter((u) => selectsInstance(filter, u.name, u.instance))
    .map((u) => String(u.id));
  if (ids.length === 0) return Promise.resolve([]);
  const streams = filter.stream === null ? (['out', 'err'] as const) : ([filter.stream] as const);
  const files = handleLogsFiles({ target: ids, streams: [...streams] }, ctx, NO_CONNECTION);
  // A filter that keeps few lines reads each file back only so far: its share of one budget (logs-query.ts).
  return files.then(({ files: found }) =>
    merge(
      found.map((f) => readFile(f, index, filter, { bytes: filterShare(found.length) })),
      filter.lines,
    ),
  );
}

function readFile(
  f: LogFileInfo,
  index: InstanceIndex,
  filter: LogFilter,
  budget: { bytes: number },
): LogLine[] {
  const origin: LineOrigin = {
    name: f.name,
    id: f.ids.length === 1 ? (f.ids[0] as number) : null,
    stream: f.streams.length === 1 ? (f.streams[0] as 'out' | 'err') : null,
  };
  const kept: LogLine[] = [];
  // keep() sees the lines newest first and the reader stops at `max`: the parsed line is kept aside.
  tailLines(f.path, {
    max: filter.lines,
    end: f.offset,
    ino: f.ino,
    budget,
    keep: (raw) => {
      const line = toLogLine(raw, f, origin, index, null);
      if (!matches(filter, line)) return false;
      kept.push(line);
      return true;
    },
  });
  return kept.reverse();
}

/** The newest `max` lines of all files: by timestamp when every line has one, else file after file. */
function merge(perFile: LogLine[][], max: number): LogLine[] {
  const all = perFile.flat();
  if (all.every((l) => l.at !== null)) all.sort((a, b) => (a.at as number) - (b.at as number));
  return all.slice(Math.max(0, all.length - max));
}
