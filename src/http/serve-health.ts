// One request on the health listener (/livez /readyz /startupz /metrics, no token), from its first byte to its
// answer, and what both listeners share: the request target as a URL, and the answer to a failure (`{ error:
// { code, message, data } }`, 405 with Allow). Apart from serve.ts (the API listener) so that the health
// listener's bundle, tend-runtime's (health-layer.ts), holds no API route, token or session code.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isTendError, TendError, type WireError } from '../protocol/errors.js';
import { CallError } from './call.js';
import { setSecurityHeaders } from './headers.js';
import { healthRoutes, metricsRoutes } from './observe-routes.js';
import { sendError, sendJson } from './reply.js';
import { matchRoute } from './route-match.js';
import type { ApiServices, Route } from './types.js';

const HEALTH_ROUTES: readonly Route[] = [
  ...healthRoutes,
  ...metricsRoutes.filter((r) => r.path === '/metrics'),
];
/** Named by the health listener's 404: the OpenAPI document is the API listener's, not served here. */
const HEALTH_PATHS: readonly string[] = HEALTH_ROUTES.map((r) => r.path);

export interface HealthServeOptions {
  api: ApiServices;
  log(line: string): void;
}

export function serveHealth(opts: HealthServeOptions) {
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

export function pathOf(req: IncomingMessage): URL {
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

export function fail(res: ServerResponse, err: unknown, log: (line: string) => void): void {
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
