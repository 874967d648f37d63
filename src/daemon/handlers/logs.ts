// logs.files / logs.subscribe / logs.flush / logs.reload: the log files of processes, their live lines, and
// the maintenance commands. Reading the files is the client's job (it tails them from the end); the daemon
// says up to where each file is complete, and streams what comes after.
import type { LiveBatch } from '../../logs/log-bus.js';
import type { LogWriter } from '../../logs/log-writer.js';
import { countLines } from '../../logs/write-queue.js';
import type { LogFileInfo } from '../../protocol/methods/logs-files.js';
import type { ProcessUnit } from '../../supervisor/unit.js';
import type { DaemonContext } from '../context.js';
import type { Handler } from './types.js';

/** A follower that has not read this much is sent no more lines (they are counted, then reported). */
const MAX_BACKLOG = 8 * 1024 * 1024;

type Stream = 'out' | 'err';

/** `all` matches every process, even when there are none (a follower of `all` waits for the first app). */
function unitsOf(ctx: DaemonContext, target: readonly string[]): ProcessUnit[] {
  if (target.every((t) => t === 'all')) return ctx.supervisor.instances();
  return ctx.supervisor.resolve(target);
}

/** The files of the units, once each, with the offset up to which each is written. */
async function filesOf(
  ctx: DaemonContext,
  units: readonly ProcessUnit[],
  streams: readonly Stream[],
): Promise<LogFileInfo[]> {
  const byWriter = new Map<LogWriter, { info: LogFileInfo; ids: Set<number>; streams: Set<Stream> }>();
  for (const unit of units) {
    const sink = ctx.logs.sink(unit.id);
    if (!sink) continue;
    for (const { stream, writer } of sink.files()) {
      if (!streams.includes(stream) || writer.path === '/dev/null') continue;
      let entry = byWriter.get(writer);
      if (!entry) {
        const { time, log_date_format, log_type } = sink.settings;
        entry = {
          info: {
            path: writer.path,
            ino: null,
            offset: null,
            name: unit.name,
            namespace: unit.spec.namespace,
            ids: [],
            streams: [],
            time,
            log_date_format,
            log_type,
          },
          ids: new Set(),
          streams: new Set(),
        };
        byWriter.set(writer, entry);
      }
      entry.ids.add(unit.id);
      entry.streams.add(stream);
    }
  }
  // Every snapshot is taken now, synchronously (before any await): a line is either before the offset, in
  // the file, or after it, in the live stream of a subscriber registered just before.
  const committed = [...byWriter].map(([writer, entry]) => ({ entry, at: writer.committed() }));
  const files: LogFileInfo[] = [];
  for (const { entry, at } of committed) {
    const { ino, offset } = await at;
    files.push({
      ...entry.info,
      ino,
      offset,
      ids: [...entry.ids].sort((a, b) => a - b),
      streams: (['out', 'err'] as const).filter((s) => entry.streams.has(s)),
    });
  }
  return files;
}

export const handleLogsFiles: Handler<'logs.files'> = async ({ target, streams }, ctx) => ({
  files: await filesOf(ctx, unitsOf(ctx, target), streams),
});

export const handleLogsSubscribe: Handler<'logs.subscribe'> = async ({ target, streams }, ctx, conn) => {
  const units = unitsOf(ctx, target); // unknown targets fail before anything is subscribed
  const matches = (b: LiveBatch) =>
    streams.includes(b.stream) &&
    target.some((t) => t === 'all' || t === String(b.id) || t === b.name || t === b.namespace);
  let dropped = 0;
  // Subscribe before taking the offsets: lines after them are streamed, lines before are in the files.
  const off = ctx.logs.bus.subscribe({
    accepts: matches,
    deliver: (b) => {
      if (conn.backlog() > MAX_BACKLOG) {
        dropped += countLines(b.bytes);
        return;
      }
      if (dropped > 0) {
        conn.sendEvent({ event: 'log.dropped', data: { lines: dropped } });
        dropped = 0;
      }
      const text = b.bytes.toString('utf8');
      conn.sendEvent({
        event: 'log.lines',
        data: {
          id: b.id,
          name: b.name,
          stream: b.stream,
          at: b.at,
          path: b.path,
          ino: b.ino,
          offset: b.offset,
          lines: text.slice(0, text.endsWith('\n') ? -1 : undefined).split('\n'),
        },
      });
    },
  });
  conn.onClose(off);
  return { files: await filesOf(ctx, units, streams) };
};

export const handleLogsFlush: Handler<'logs.flush'> = async ({ target }, ctx) => {
  const units = unitsOf(ctx, target);
  return { files: await ctx.logs.flush(ctx.logs.writersOf(units.map((u) => u.id))) };
};

export const handleLogsReload: Handler<'logs.reload'> = async (_params, ctx) => ctx.logs.reopenAll();
