// One request on the API listener, from its first byte to its answer: Host and Origin first (guard.ts), then
// the route, the caller and their scope, the body, the route's handler; anything else is a dashboard file (no
// token: the page holds no data). The health listener is serve-health.ts. Every answer carries the security
// headers; every failure is `{ error: { code, message, data } }` (serve-health.ts's fail()).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isTendError, TendError } from '../protocol/errors.js';
import { loadAsset } from '../web/assets.js';
import { readJsonBody } from './body.js';
import { authenticate, authorize, checkHostAndOrigin } from './guard.js';
import { setSecurityHeaders } from './headers.js';
import { matchRoute } from './route-match.js';
import { ROUTES } from './routes.js';
import { fail, type HealthServeOptions, pathOf } from './serve-health.js';
import type { RouteRequest } from './types.js';

export interface ServeOptions extends HealthServeOptions {
  /** The Host values this listener answers to (API listener only). */
  allowedHosts: () => ReadonlySet<string>;
}

export function serveApi(opts: ServeOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    setSecurityHeaders(res);
    void handleApi(req, res, opts).catch((err) => fail(res, err, opts.log));
  };
}

async function handleApi(req: IncomingMessage, res: ServerResponse, opts: ServeOptions): Promise<void> {
  const refused = checkHostAndOrigin(req, opts.allowedHosts());
  if (refused) throw refused;
  const url = pathOf(req);
  const method = req.method ?? '';
  const m = matchRoute(ROUTES, method, url.pathname);
  if (m === undefined) {
    if (url.pathname.startsWith('/api/'))
      throw new TendError('TEND_ERR_ROUTE_NOT_FOUND', { method, path: url.pathname });
    return serveAsset(req, res, url.pathname);
  }
  if (isTendError(m)) throw m;
  const { route, params } = m;
  let auth = authenticate(req, opts.api.tokens(), opts.api.sessions);
  if (isTendError(auth)) {
    // A stale cookie must not stop a browser from logging in again (POST /api/v1/session).
    if (route.scope !== 'none') throw auth;
    auth = null;
  }
  if (route.scope !== 'none') {
    const denied = authorize(req, auth, route.scope);
    if (denied) throw denied;
  }
  let body: unknown;
  if (route.method === 'GET' || method === 'HEAD') req.resume();
  else body = await readJsonBody(req);
  const r: RouteRequest = { req, res, params, query: url.searchParams, body, auth, api: opts.api };
  await route.handle(r);
}

function serveAsset(req: IncomingMessage, res: ServerResponse, pathname: string): void {
  req.resume();
  if (req.method !== 'GET' && req.method !== 'HEAD')
    throw new TendError('TEND_ERR_ROUTE_NOT_FOUND', {
      method: req.method ?? '',
      path: pathname,
      allow: ['GET'],
    });
  const asset = loadAsset(pathname);
  if (!asset) throw new TendError('TEND_ERR_ROUTE_NOT_FOUND', { method: req.method, path: pathname });
  res.writeHead(200, {
    'Content-Type': asset.contentType,
    'Content-Length': asset.body.length,
    'Cache-Control': asset.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  res.end(req.method === 'HEAD' ? undefined : asset.body);
}
