// Routes whose bodies other modules make: the Prometheus expositions (src/metrics) and the health endpoints,
// which both listeners serve (stream-routes.ts has the API's streams). The router has authenticated the caller.

import type { HealthEndpoint } from '../metrics/health-endpoints.js';
import { healthEndpoint } from '../metrics/health-endpoints.js';
import type { Exposition } from '../metrics/index.js';
import { TendError } from '../protocol/errors.js';
import { sendText } from './reply.js';
import type { Route, RouteRequest } from './types.js';

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
  handle: (r) => {
    // One app a request (third audit: `?app=api&app=slow` asked about api alone and said 200).
    if (r.query.getAll('app').length > 1)
      throw new TendError('TEND_ERR_BAD_REQUEST', {
        detail: `?app= names one app; ask about each in its own request, or none for all of them`,
      });
    sendExposition(r, healthEndpoint(r.api.daemon, which, r.query.has('verbose'), r.query.get('app')));
  },
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
