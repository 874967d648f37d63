// One request on a listener, from its first byte to its answer. The API listener: Host and Origin first
// (guard.ts), then the route, the caller and their scope, the body, the route's handler; anything else is a
// dashboard file (no token: the page holds no data). The health listener: its four read-only paths, no token.
// Every answer carries the security headers; every failure is `{ error: { code, message, data } }`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isTendError, TendError, type WireError } from '../protocol/errors.js';
import { loadAsset } from '../web/assets.js';
import { readJsonBody } from './body.js';
import { CallError } from './call.js';
import { authenticate, authorize, checkHostAndOrigin } from './guard.js';
import { setSecurityHeaders } from './headers.js';
import { healthRoutes, metricsRoutes } from './observe-routes.js';
import { sendError, sendJson } from './reply.js';
import { matchRoute, ROUTES } from './routes.js';
import type { ApiServices, Route, RouteRequest } from './types.js';

const HEALTH_ROUTES: readonly Route[] = [
  ...healthRoutes,
  ...metricsRoutes.filter((r) => r.path === '/metrics'),
];
/** Named by the health listener's 404: the OpenAPI document is the API listener's, not served here. */
const HEALTH_PATHS: readonly string[] = HEALTH_ROUTES.map((r) => r.path);

export interface ServeOptions {
  api: ApiServices;
  /** The Host values this listener answers to (API listener only). */
  allowedHosts: () => ReadonlySet<string>;
  log(line: string): void;
}

export function serveApi(opts: ServeOptions) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    setSecurityHeaders(res);
    void handleApi(req, res, opts).catch((err) => fail(res, err, opts.log));
  };
}

export function serveHealth(opts: Omit<ServeOptions, 'allowedHosts'>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    setSecurityHeaders(res);
    void (async () => {
      const path = pathOf(req);
      const m = matchRoute(HEALTH_ROUTES, req.method ?? '', path.pathname);
      if (m === undefined)
        throw new TendError('TEND_ERR_ROUTE_NOT_FOUND', {
          method: req.method ?? '',
          path: path.pathname,
          serves: HEALTH_PATHS,
        });
      if (isTendError(m)) throw m;
      req.resume();
      await m.route.handle({
        req,
        res,
        params: m.params,
        query: path.searchParams,
        body: undefined,
        auth: null,
        api: opts.api,
      });
    })().catch((err) => fail(res, err, opts.log));
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

function pathOf(req: IncomingMessage): URL {
  const raw = req.url ?? '/';
  // Only origin-form targets (`/path?query`): an absolute URL or `*` is not for this server.
  if (!raw.startsWith('/'))
    throw new TendError('TEND_ERR_BAD_REQUEST', { detail: 'the request target must be a path' });
  try {
    return new URL(raw, 'http://localhost');
  } catch {
    throw new TendError('TEND_ERR_BAD_REQUEST', { detail: 'the request target is not a valid path' });
  }
}

function fail(res: ServerResponse, err: unknown, log: (line: string) => void): void {
  let wire: WireError;
  if (err instanceof CallError) wire = err.wire;
  else if (isTendError(err)) wire = err.toWire();
  else {
    log(`HTTP: internal error: ${err instanceof Error ? err.stack : String(err)}`);
    wire = new TendError('TEND_ERR_INTERNAL', {
      detail: err instanceof Error ? err.message : String(err),
    }).toWire();
  }
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const allow =
    wire.code === 'TEND_ERR_ROUTE_NOT_FOUND' ? (wire.data?.allow as string[] | undefined) : undefined;
  if (allow) {
    res.setHeader('Allow', allow.join(', '));
    sendJson(res, 405, { error: { code: wire.code, message: wire.message, data: wire.data ?? {} } });
  } else if (wire.code === 'TEND_ERR_FRAME_TOO_LARGE') {
    // The rest of an oversized body is not read: answer, then close the connection.
    res.setHeader('Connection', 'close');
    sendError(res, wire);
    res.once('finish', () => res.socket?.destroy());
  } else sendError(res, wire);
}
