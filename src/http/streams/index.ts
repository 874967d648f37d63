// Server-sent events for the HTTP API (issue 14): state events and live logs, snapshot first then live,
// with Last-Event-ID resume. CONTRACT STUB written by the lead: the streams helper replaces the
// implementation, keeping these names. The router (src/http) authenticates first, then hands over.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DaemonContext } from '../../daemon/context.js';

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
  timeline(): unknown;
  stats(): unknown;
  /** Ends every open stream (the listener is closing). */
  close(): void;
}

export function openStreams(_daemon: DaemonContext): Streams {
  const refuse = ({ res }: StreamRequest): void => {
    res.writeHead(501, { 'content-type': 'text/plain; charset=utf-8' }).end('not built yet\n');
  };
  return { events: refuse, logs: refuse, timeline: () => [], stats: () => ({}), close() {} };
}
