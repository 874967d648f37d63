// Who may talk to the API listener, checked before any route: the Host header must name this listener (its
// ip:port, `localhost:port` on loopback, the machine's addresses on a wildcard bind, or a name listed in
// http.hosts), so a DNS-rebinding page cannot reach it through a name of its own; an Origin, when present,
// must be the same origin, bearer token or not. Then the caller: a bearer token, or the session cookie.
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import { TendError } from '../protocol/errors.js';
import { formatAddress, isLoopback, isWildcard } from '../settings/address.js';
import { csrfMatches, type Session, type Sessions } from './sessions.js';
import type { Scope, TokenPair } from './tokens.js';

export const SESSION_COOKIE = 'tend_session';
export const CSRF_HEADER = 'x-tend-csrf';

export interface ListenerIdentity {
  readonly host: string;
  readonly port: number;
  /** http.hosts: extra names (a reverse proxy's), accepted with or without a port. */
  readonly hosts: readonly string[];
}

/** Every Host header value this listener answers to, lower case. */
export function allowedHosts(id: ListenerIdentity): Set<string> {
  const out = new Set<string>([formatAddress(id).toLowerCase()]);
  const add = (host: string) => out.add(formatAddress({ host, port: id.port }).toLowerCase());
  if (isLoopback(id.host) || isWildcard(id.host)) out.add(`localhost:${id.port}`);
  if (isWildcard(id.host)) {
    for (const list of Object.values(networkInterfaces()))
      for (const a of list ?? []) if (id.host === '::' || a.family === 'IPv4') add(a.address);
  }
  for (const h of id.hosts) {
    out.add(h.toLowerCase());
    if (!/:\d+$/.test(h)) out.add(`${h.toLowerCase()}:${id.port}`);
  }
  return out;
}

/** The refusal for a foreign Host or Origin, or null. */
export function checkHostAndOrigin(req: IncomingMessage, allowed: ReadonlySet<string>): TendError | null {
  const host = (req.headers.host ?? '').toLowerCase();
  if (!allowed.has(host)) {
    return new TendError('TEND_ERR_FORBIDDEN', {
      detail: `Host "${host}" is not this listener's (expected ${[...allowed][0]}): refused, as a DNS-rebinding page would be`,
    });
  }
  const origin = req.headers.origin;
  if (
    origin !== undefined &&
    origin.toLowerCase() !== `http://${host}` &&
    origin.toLowerCase() !== `https://${host}`
  ) {
    return new TendError('TEND_ERR_FORBIDDEN', {
      detail: `Origin "${origin}" is not this listener's (http://${host}): cross-origin requests are refused`,
    });
  }
  return null;
}

export type Auth =
  | { readonly scope: Scope; readonly via: 'bearer' }
  | { readonly scope: Scope; readonly via: 'cookie'; readonly sessionId: string; readonly session: Session };

/** The caller, or null (no credentials), or the refusal of wrong ones. */
export function authenticate(
  req: IncomingMessage,
  tokens: TokenPair,
  sessions: Sessions,
): Auth | null | TendError {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const scope = m ? tokens.scopeOf(m[1] as string) : null;
    if (scope === null)
      return new TendError('TEND_ERR_UNAUTHORIZED', {
        detail: 'the bearer token is wrong (see $TEND_HOME/http.token)',
      });
    return { scope, via: 'bearer' };
  }
  const id = sessionCookie(req);
  if (id === undefined) return null;
  const session = sessions.get(id);
  if (!session)
    return new TendError('TEND_ERR_UNAUTHORIZED', { detail: 'the session has ended: log in again' });
  return { scope: session.scope, via: 'cookie', sessionId: id, session };
}

/** Whether `auth` may do what needs `needed`; cookie POST/DELETE also need the session's CSRF value. */
export function authorize(req: IncomingMessage, auth: Auth | null, needed: Scope): TendError | null {
  if (auth === null)
    return new TendError('TEND_ERR_UNAUTHORIZED', {
      detail:
        'no credentials: send "Authorization: Bearer <token>" ($TEND_HOME/http.token) or log in with "tend web"',
    });
  if (needed === 'admin' && auth.scope !== 'admin')
    return new TendError('TEND_ERR_FORBIDDEN', {
      detail: 'this needs the admin token; the read token may only read',
    });
  if (auth.via === 'cookie' && req.method !== 'GET' && req.method !== 'HEAD') {
    const presented = req.headers[CSRF_HEADER];
    if (!csrfMatches(auth.session, typeof presented === 'string' ? presented : undefined))
      return new TendError('TEND_ERR_FORBIDDEN', {
        detail: `missing or wrong ${CSRF_HEADER} header (its value comes with the session: GET /api/v1/session)`,
      });
  }
  return null;
}

export function sessionCookie(req: IncomingMessage): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === SESSION_COOKIE) return part.slice(eq + 1).trim();
  }
  return undefined;
}

export function setCookieHeader(id: string | null): string {
  return id === null
    ? `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0`
    : `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/`;
}
