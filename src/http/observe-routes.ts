// Routes whose bodies other modules make: the SSE streams, the timeline and stats (src/http/streams), the
// Prometheus expositions (src/metrics) and the health endpoints. The router has authenticated the caller.
import type { HealthEndpoint } from '../metrics/health-endpoints.js';
import { healthEndpoint } from '../metrics/health-endpoints.js';
import type { Exposition } from '../metrics/index.js';
import { type EventName, events } from '../protocol/events.js';
import { sendJson, sendText } from './reply.js';
import type { StreamRequest } from './streams/index.js';
import type { Route, RouteRequest } from './types.js';

function streamRequest(r: RouteRequest): StreamRequest {
  const header = r.req.headers['last-event-id'];
  const lastEventId =
    (typeof header === 'string' ? header : undefined) ?? r.query.get('last_event_id') ?? undefined;
  return { req: r.req, res: r.res, query: r.query, lastEventId };
}

export function sendExposition(r: Pick<RouteRequest, 'res'>, e: Exposition): void {
  sendText(r.res, e.status, e.contentType, e.body);
}

const healthRoute = (which: HealthEndpoint): Route => ({
  method: 'GET',
  path: `/${which}`,
  scope: 'read',
  summary: `${which}: 200 or 503, plain text (\`?verbose\` lists apps).`,
  query: [
    { name: 'verbose', description: 'present: one line per app' },
    { name: 'app', description: "only this app's check (404 when there is no such app)" },
  ],
  handle: (r) =>
    sendExposition(r, healthEndpoint(r.api.daemon, which, r.query.has('verbose'), r.query.get('app'))),
});

export const healthRoutes: readonly Route[] = [
  healthRoute('livez'),
  healthRoute('readyz'),
  healthRoute('startupz'),
];

export const metricsRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/metrics',
    scope: 'read',
    summary: 'Prometheus metrics of the daemon and its apps (text 0.0.4, or OpenMetrics on Accept).',
    handle: async (r) => sendExposition(r, await r.api.metrics().scrape(r.req.headers.accept)),
  },
  {
    method: 'GET',
    path: '/metrics/apps',
    scope: 'read',
    summary: "The apps' own metrics (tend/metrics), labelled app and instance_id.",
    handle: async (r) => sendExposition(r, await r.api.metrics().scrapeApps(r.req.headers.accept)),
  },
];

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
