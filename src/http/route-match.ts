// The matching of a method and path against a table of routes (routes.ts has the API listener's, serve-health.ts
// the health listener's): a path that exists with another verb is 405 with Allow, none is 404. HEAD answers as
// GET does, without the body (not for the SSE streams, which never end). Apart from the tables, so that the
// health listener's bundle (tend-runtime's) carries no API route.
import { TendError } from '../protocol/errors.js';
import type { Route } from './types.js';

export interface Match {
  route: Route;
  params: Record<string, string>;
}

/** The route for `method path`, or undefined when no route has the path (static files then). */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  path: string,
): Match | TendError | undefined {
  const segments = path.split('/');
  const allow: string[] = [];
  for (const route of routes) {
    const params = matchPath(route.path, segments);
    if (params === null) continue;
    // HEAD is a GET without the body (Node's response drops it), for every GET but the event streams.
    if (route.method === method || (method === 'HEAD' && route.method === 'GET' && !route.sse))
      return { route, params };
    allow.push(route.method);
    if (route.method === 'GET' && !route.sse) allow.push('HEAD');
  }
  if (allow.length > 0) return new TendError('TEND_ERR_ROUTE_NOT_FOUND', { method, path, allow });
  return undefined;
}

function matchPath(pattern: string, segments: readonly string[]): Record<string, string> | null {
  const parts = pattern.split('/');
  if (parts.length !== segments.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as string;
    const s = segments[i] as string;
    if (p.startsWith(':')) {
      if (s === '') return null;
      try {
        params[p.slice(1)] = decodeURIComponent(s);
      } catch {
        return null;
      }
    } else if (p !== s) return null;
  }
  return params;
}
