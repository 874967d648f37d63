// Events the daemon sends to subscribers, each defined once like a method: name, meaning and data schema.
// The types (`TendEvent`, `EventData<'process.exit'>`) are derived from the schemas, so the bus, the
// handlers and the client's subscribe agree by construction. Schemas are builders (protocol/define.ts);
// nothing validates events at run time in the daemon (it produces them), tests do. The CLI imports the
// types only (`import type`), which loads no zod.
import { defineEvent } from './define.js';
import { ExitInfo, Health, ProcessInfo, Status } from './process-info.js';
import * as z from './zod.js';

const int = () => z.number().check(z.int());
const Id = () => ({ id: int(), name: z.string() });

export const events = {
  'process.state': defineEvent({
    name: 'process.state',
    summary: 'An instance changed state; `process` is the full ProcessInfo after the change.',
    stream: 'events',
    data: () =>
      z.strictObject({ ...Id(), from: Status(), to: Status(), at: z.number(), process: ProcessInfo() }),
  }),
  'process.ready': defineEvent({
    name: 'process.ready',
    summary:
      "An instance's readiness or health changed (its first ready of an incarnation, a readiness probe turning, a liveness verdict).",
    stream: 'events',
    data: () =>
      z.strictObject({
        ...Id(),
        ready: z.boolean(),
        health: Health(),
        at: z.number(),
        /** What decided it: `ipc`, `notify`, `log-line`, `listening`, `spawn`, a probe (`readiness`…), `ready_timeout` with assume_ready. */
        source: z.string(),
      }),
  }),
  'process.exit': defineEvent({
    name: 'process.exit',
    summary: "An instance's process exited.",
    stream: 'events',
    data: () => z.strictObject({ ...Id(), exit: ExitInfo() }),
  }),
  'process.restart-scheduled': defineEvent({
    name: 'process.restart-scheduled',
    summary: 'The restart policy scheduled a restart.',
    stream: 'events',
    data: () =>
      z.strictObject({ ...Id(), delay_ms: z.number(), next_start_at: z.number(), reason: z.string() }),
  }),
  'process.deleted': defineEvent({
    name: 'process.deleted',
    summary: 'An instance was deleted.',
    stream: 'events',
    data: () => z.strictObject(Id()),
  }),
  'process.killed': defineEvent({
    name: 'process.killed',
    summary:
      'A process did not stop within kill_timeout of its kill signal and was killed (SIGKILL to its tree).',
    stream: 'events',
    data: () =>
      z.strictObject({ ...Id(), pid: z.nullable(int()), signal: z.string(), timeout_ms: z.number() }),
  }),
  'process.listening': defineEvent({
    name: 'process.listening',
    summary:
      "A cluster worker (the instance's process, or its replacement during a reload) listens on a server.",
    stream: 'events',
    data: () =>
      z.strictObject({
        ...Id(),
        pid: z.nullable(int()),
        address: z.nullable(z.string()),
        port: z.nullable(int()),
      }),
  }),
  'process.reload': defineEvent({
    name: 'process.reload',
    summary:
      'A rolling reload of one instance: `replaced` (the replacement is ready and serves; the old process is being stopped), `retired` (the old process is gone), `failed` (the replacement was not ready in time, or exited; the old process keeps serving). `process` is the full ProcessInfo after it (with `replaced`: the new pid, the restart counted).',
    stream: 'events',
    data: () =>
      z.strictObject({
        ...Id(),
        outcome: z.enum(['replaced', 'retired', 'failed']),
        /** The replacement's pid. */
        pid: z.nullable(int()),
        /** The pid being replaced. */
        old_pid: z.nullable(int()),
        reason: z.nullable(z.string()),
        process: ProcessInfo(),
      }),
  }),
  'process.triggered': defineEvent({
    name: 'process.triggered',
    summary:
      'A restart trigger (watch, memory limit, cron) is restarting (or, cron, starting) this instance.',
    stream: 'events',
    data: () => z.strictObject({ ...Id(), reason: z.enum(['watch', 'memory', 'cron']), detail: z.string() }),
  }),
  'process.log-dropped': defineEvent({
    name: 'process.log-dropped',
    summary:
      'Lines of an instance never reached its log file (full disk, write error, unopenable file): `lines` since the previous event of this instance (at most one a second), `total` so far.',
    stream: 'events',
    data: () => z.strictObject({ ...Id(), path: z.string(), lines: int(), total: int() }),
  }),
  'app.watch': defineEvent({
    name: 'app.watch',
    summary: "An app's file watcher is ready (`watching: true`) or closed (`watching: false`).",
    stream: 'events',
    data: () => z.strictObject({ name: z.string(), watching: z.boolean(), paths: z.array(z.string()) }),
  }),
  'log.rotated': defineEvent({
    name: 'log.rotated',
    summary: 'A log rotation of an app is complete: files renamed, old ones deleted, new ones compressed.',
    stream: 'events',
    data: () =>
      z.strictObject({
        name: z.string(),
        reason: z.enum(['size', 'interval']),
        at: z.number(),
        files: z.array(z.strictObject({ path: z.string(), rotated_to: z.string() })),
        deleted: z.array(z.string()),
      }),
  }),
  'log.lines': defineEvent({
    name: 'log.lines',
    summary: 'Lines of one process as written to its log file.',
    stream: 'logs',
    data: () =>
      z.strictObject({
        ...Id(),
        stream: z.enum(['out', 'err']),
        at: z.number(),
        /** The file, its inode and the byte offset of the first line; null for /dev/null. */
        path: z.nullable(z.string()),
        ino: z.nullable(z.number()),
        offset: z.nullable(z.number()),
        lines: z.array(z.string()),
      }),
  }),
  'log.dropped': defineEvent({
    name: 'log.dropped',
    summary: 'Lines this subscriber did not get because it read too slowly.',
    stream: 'logs',
    data: () => z.strictObject({ lines: int() }),
  }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventData<E extends EventName> = z.output<ReturnType<Events[E]['data']>>;
/** One event frame, discriminated by `event`. */
export type TendEvent = { [E in EventName]: { event: E; data: EventData<E> } }[EventName];
/** The events of one stream: `events` (events.subscribe, the bus) or `logs` (logs.subscribe). */
export type StreamEvent<S extends 'events' | 'logs'> = Extract<
  TendEvent,
  { event: { [E in EventName]: Events[E]['stream'] extends S ? E : never }[EventName] }
>;
