// The API listener's routes whose bodies src/http/streams makes: the SSE streams (events, logs), the timeline
// and the stats. Apart from observe-routes.ts so that the health listener's bundle carries none of them (nor
// the protocol's event definitions and zod). The router has authenticated the caller.
import { type EventName, events } from '../protocol/events.js';
import { sendJson } from './reply.js';
import type { StreamRequest } from './streams/index.js';
import type { Route, RouteRequest } from './types.js';

function streamRequest(r: RouteRequest): StreamRequest {
  const header = r.req.headers['last-event-id'];
  const lastEventId =
    (typeof header === 'string' ? header : undefined) ?? r.query.get('last_event_id') ?? undefined;
  return { req: r.req, res: r.res, query: r.query, lastEventId };
}

/** What GET /api/v1/events relays from the bus: every protocol event of the `events` stream. */
const busEvents = (Object.keys(events) as EventName[]).filter((n) => events[n].stream === 'events');

export const streamRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/events',
    scope: 'read',
    sse: true,
    events: busEvents,
    summary:
      'Server-sent events: a `snapshot`, then every state event and `stats` samples (Last-Event-ID resumes).',
    handle: (r) => r.api.streams().events(streamRequest(r)),
  },
  {
    method: 'GET',
    path: '/api/v1/logs/stream',
    scope: 'read',
    sse: true,
    summary: 'Server-sent events: log lines (`line`), recent ones first, then live (Last-Event-ID resumes).',
    query: [
      { name: 'app', description: 'app names or ids, separated by commas' },
      { name: 'instance', description: 'the instance number within the app', type: 'integer' },
      { name: 'stream', description: 'out or err' },
      { name: 'grep', description: 'only lines containing this text' },
      { name: 'lines', description: 'recent lines first', type: 'integer' },
    ],
    handle: (r) => r.api.streams().logs(streamRequest(r)),
  },
  {
    method: 'GET',
    path: '/api/v1/timeline',
    scope: 'read',
    summary: 'Recent crashes, restarts, probe flips and reloads.',
    handle: (r) => sendJson(r.res, 200, r.api.streams().timeline()),
  },
  {
    method: 'GET',
    path: '/api/v1/stats',
    scope: 'read',
    summary: 'CPU and memory of each instance over the last 15 minutes.',
    handle: (r) => sendJson(r.res, 200, r.api.streams().stats()),
  },
];
