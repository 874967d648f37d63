// GET /api/v1/logs: the last lines of the matching log files, as `tend logs --lines N --nostream` reads them
// (the daemon says up to where each file is written, logs.files; the lines are read from its end). Lines of
// each file in order; a merged file (merge_logs) has no single instance: its instance_id is null.
import { filterShare, shownBytes, tailLines } from '../logs/tail.js';
import { TendError } from '../protocol/errors.js';
import type { LogFileInfo } from '../protocol/methods/logs-files.js';
import type { ProcessInfo } from '../protocol/process-info.js';
import { targetOf } from './answer.js';
import type { RouteRequest } from './types.js';

const MAX_LINES = 1000;

export interface LogLine {
  app: string;
  instance_id: number | null;
  stream: 'out' | 'err';
  line: string;
}

export async function queryLogs(r: RouteRequest): Promise<{ lines: LogLine[] }> {
  const q = r.query;
  const bad = (detail: string) => new TendError('TEND_ERR_BAD_REQUEST', { detail });
  const target = targetOf(q.get('app') ?? undefined);
  const stream = q.get('stream');
  if (stream !== null && stream !== 'out' && stream !== 'err') throw bad('stream is out or err');
  const lines = q.get('lines') === null ? 100 : Number(q.get('lines'));
  if (!Number.isInteger(lines) || lines < 1 || lines > MAX_LINES)
    throw bad(`lines is an integer from 1 to ${MAX_LINES}`);
  const instance = q.get('instance') === null ? null : Number(q.get('instance'));
  if (instance !== null && (!Number.isInteger(instance) || instance < 0))
    throw bad('instance is an instance number (0, 1, …)');
  const grep = q.get('grep');

  const { processes } = (await r.api.call('process.list', {})) as { processes: ProcessInfo[] };
  const { files } = (await r.api.call('logs.files', {
    target: target.length > 0 ? target : ['all'],
    streams: stream ? [stream] : ['out', 'err'],
  })) as { files: LogFileInfo[] };
  const byId = new Map(processes.map((p) => [p.id, p]));
  const out: LogLine[] = [];
  // A filter may keep few lines: each file is read back from its end within its share of one budget.
  const share = filterShare(files.length);
  let exhausted = false;
  for (const f of files) {
    const instances = [...new Set(f.ids.map((id) => byId.get(id)?.instance))].filter((n) => n !== undefined);
    if (instance !== null && !instances.includes(instance)) continue;
    const tail = tailLines(f.path, {
      max: lines,
      end: f.offset,
      ino: f.ino,
      ...(grep ? { keep: (l: string) => l.includes(grep) } : {}),
      ...(grep ? { budget: { bytes: share } } : {}),
    });
    if (tail.exhausted) exhausted = true;
    const fileStream = stream ?? (f.streams.length === 1 ? f.streams[0] : 'out') ?? 'out';
    for (const line of tail.lines)
      out.push({
        app: f.name,
        instance_id: instances.length === 1 ? (instances[0] as number) : null,
        stream: fileStream,
        line,
      });
  }
  return {
    lines: out,
    ...(exhausted
      ? {
          note: `grep searched the newest ${shownBytes(share)} of each log file; older lines were not read`,
        }
      : {}),
  };
}
