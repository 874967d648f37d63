// Server-sent events and the history behind the dashboard (issue 14): GET /api/v1/events (a snapshot, then
// every bus event and stats points), /api/v1/logs/stream (recent lines, then live lines), /api/v1/timeline
// and /api/v1/stats. Opened when HTTP is turned on and closed with its listener: only then is anything
// kept (the timeline, the event ring, the CPU/memory samples every 10 s); the log bus is listened to only
// while a log stream is open. The router (src/http) authenticates first, then hands the response over.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DaemonContext } from '../../daemon/context.js';
import { realClock } from '../../runtime/clock.js';
import type { Clock, Timer } from '../../supervisor/ports.js';
import { EventFeed } from './event-feed.js';
import { InstanceIndex } from './instances.js';
import { LogFeed } from './log-feed.js';
import { Sequence } from './seq-ring.js';
import { STATS_INTERVAL_MS, StatsHistory, type StatsSnapshot } from './stats.js';
import { Timeline, type TimelineEntry } from './timeline.js';

export interface StreamRequest {
  req: IncomingMessage;
  res: ServerResponse;
  /** The query string of the request (filters). */
  query: URLSearchParams;
  /** The `Last-Event-ID` header (or `last_event_id` query parameter), if any. */
  lastEventId: string | undefined;
}

export interface Streams {
  /** GET /api/v1/events: a `snapshot` event, then every bus event (and `stats` samples) live. */
  events(r: StreamRequest): void;
  /** GET /api/v1/logs/stream?app=&instance=&stream=&grep=&lines=: recent lines, then live lines. */
  logs(r: StreamRequest): void;
  /** GET /api/v1/timeline and /api/v1/stats (JSON): recent events, and CPU/memory history per instance. */
  timeline(): { events: TimelineEntry[] };
  stats(): StatsSnapshot;
  /** Open streams, and whether the log bus is listened to (tests, the daemon panel). */
  readonly open: { events: number; logs: number; logBus: boolean };
  /** Ends every open stream (the listener is closing). */
  close(): void;
}

export interface StreamsOptions {
  /** Timers (keep-alive, sampling, linger) and times; the daemon's real clock by default. */
  clock?: Clock;
  statsIntervalMs?: number;
}

export function openStreams(daemon: DaemonContext, opts: StreamsOptions = {}): Streams {
  const clock = opts.clock ?? realClock;
  const seq = new Sequence(clock.now());
  const index = new InstanceIndex(daemon.supervisor);
  const timeline = new Timeline(index, () => clock.now());
  const history = new StatsHistory(opts.statsIntervalMs ?? STATS_INTERVAL_MS);
  const snapshot = () => ({
    processes: daemon.supervisor.list(),
    timeline: timeline.list(),
    stats: history.snapshot(),
  });
  const events = new EventFeed(daemon.bus, seq, clock, timeline, snapshot);
  const logs = new LogFeed(daemon, index, seq, clock);

  let timer: Timer | null = null;
  const sample = () => {
    try {
      events.stats(history.add(daemon.supervisor.list(), clock.now()));
    } catch (err) {
      daemon.log(`http streams: stats sample failed: ${String(err)}`);
    }
    timer = clock.setTimer(history.intervalMs, sample);
  };
  sample();

  return {
    events: (r) => events.open(r),
    logs: (r) => logs.open(r),
    timeline: () => ({ events: timeline.list() }),
    stats: () => history.snapshot(),
    get open() {
      return { events: events.size, logs: logs.size, logBus: logs.subscribed };
    },
    close() {
      timer?.cancel();
      timer = null;
      events.close();
      logs.close();
    },
  };
}
