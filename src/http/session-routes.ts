// Logging in from a browser: POST /api/v1/session exchanges a one-time login token (`tend web` prints it in
// the dashboard URL's fragment) or a bearer token for the session cookie (HttpOnly, SameSite=Strict) and
// the session's CSRF value; GET tells the page its scope and CSRF value again; DELETE logs out.
import { TendError } from '../protocol/errors.js';
import { setCookieHeader } from './guard.js';
import { sendJson } from './reply.js';
import type { Scope } from './tokens.js';
import type { Route } from './types.js';

const SESSION_SCHEMA = {
  type: 'object',
  properties: { scope: { type: 'string', enum: ['read', 'admin'] }, csrf: { type: 'string' } },
  required: ['scope', 'csrf'],
};

export const sessionRoutes: readonly Route[] = [
  {
    method: 'GET',
    path: '/api/v1/session',
    scope: 'read',
    summary: "The session's scope and CSRF value (cookie only).",
    result: SESSION_SCHEMA,
    handle: (r) => {
      if (r.auth?.via !== 'cookie')
        throw new TendError('TEND_ERR_UNAUTHORIZED', { detail: 'no session: POST /api/v1/session first' });
      sendJson(r.res, 200, { scope: r.auth.scope, csrf: r.auth.session.csrf });
    },
  },
  {
    method: 'POST',
    path: '/api/v1/session',
    scope: 'none',
    summary:
      'Log in: `{"token": …}` (a one-time login token from `tend web`, or a bearer token) → the session cookie.',
    body: {
      description: 'the token',
      schema: {
        type: 'object',
        properties: { token: { type: 'string' } },
        required: ['token'],
        additionalProperties: false,
      },
    },
    result: SESSION_SCHEMA,
    handle: (r) => {
      const token = (r.body as { token?: unknown } | null)?.token;
      if (typeof token !== 'string' || token.length === 0 || token.length > 512)
        throw new TendError('TEND_ERR_BAD_REQUEST', {
          detail: 'the body is {"token": "<login or bearer token>"}',
        });
      let scope: Scope | null = r.api.sessions.redeem(token) ? 'admin' : null;
      scope ??= r.api.tokens().scopeOf(token);
      if (scope === null)
        throw new TendError('TEND_ERR_UNAUTHORIZED', {
          detail: 'the token is wrong, used already or expired (run "tend web" for a new link)',
        });
      // A session already in the request ends: one browser, one session.
      if (r.auth?.via === 'cookie') r.api.sessions.close(r.auth.sessionId);
      const { id, session } = r.api.sessions.open(scope);
      r.res.setHeader('Set-Cookie', setCookieHeader(id));
      sendJson(r.res, 200, { scope, csrf: session.csrf });
    },
  },
  {
    method: 'DELETE',
    path: '/api/v1/session',
    scope: 'read',
    summary: 'Log out: the session ends and its cookie is cleared.',
    handle: (r) => {
      if (r.auth?.via === 'cookie') r.api.sessions.close(r.auth.sessionId);
      r.res.setHeader('Set-Cookie', setCookieHeader(null));
      r.res.writeHead(204, { 'Cache-Control': 'no-store' }).end();
    },
  },
];
