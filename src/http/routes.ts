// Every route of the API listener, in one table (the OpenAPI document lists the same); route-match.ts matches
// a request against it.
import { apiRoutes } from './api-routes.js';
import { healthRoutes, metricsRoutes } from './observe-routes.js';
import { openApiDocument } from './openapi.js';
import { sendJson } from './reply.js';
import { sessionRoutes } from './session-routes.js';
import { streamRoutes } from './stream-routes.js';
import type { Route } from './types.js';

const openapiRoute: Route = {
  method: 'GET',
  path: '/api/v1/openapi.json',
  scope: 'none',
  summary: "This document: OpenAPI 3.1, generated from the protocol's definitions.",
  result: { type: 'object' },
  handle: (r) => sendJson(r.res, 200, openApiDocument(ROUTES)),
};

export const ROUTES: readonly Route[] = [
  ...sessionRoutes,
  ...apiRoutes,
  ...streamRoutes,
  openapiRoute,
  ...metricsRoutes,
  ...healthRoutes,
];
