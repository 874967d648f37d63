// The HTTP layer's pure parts: the status of each error code, env redaction, login tokens and sessions
// (on an injected clock), the Host/Origin rule and the route matching.
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { allowedHosts, authorize, checkHostAndOrigin, setCookieHeader } from '../../../src/http/guard.js';
import { redactEnv } from '../../../src/http/redact.js';
import { matchRoute } from '../../../src/http/route-match.js';
import { ROUTES } from '../../../src/http/routes.js';
import { csrfMatches, LOGIN_TOKEN_TTL_MS, SESSION_TTL_MS, Sessions } from '../../../src/http/sessions.js';
import { STATUS_BY_CODE, statusOf } from '../../../src/http/status.js';
import { errorCatalogue, isTendError } from '../../../src/protocol/errors.js';
import { FakeClock } from '../../helpers/fake-clock.js';

const req = (headers: Record<string, string>, method = 'GET') =>
  ({ headers, method }) as unknown as IncomingMessage;

test('error codes map to HTTP statuses by the table; the others by their kind', () => {
  const expected: Record<string, number> = {
    TEND_ERR_BAD_REQUEST: 400,
    TEND_ERR_CONFIG_INVALID: 400,
    TEND_ERR_UNAUTHORIZED: 401,
    TEND_ERR_FORBIDDEN: 403,
    TEND_ERR_TARGET_NOT_FOUND: 404,
    TEND_ERR_ROUTE_NOT_FOUND: 404,
    TEND_ERR_ALREADY_RUNNING: 409,
    TEND_ERR_NOT_RUNNING: 409,
    TEND_ERR_FRAME_TOO_LARGE: 413,
    TEND_ERR_SHUTTING_DOWN: 503,
    TEND_ERR_INTERNAL: 500,
  };
  for (const [code, status] of Object.entries(expected)) assert.equal(statusOf(code), status, code);
  // A code outside the table: a user's mistake (exit 2) is 400, the rest 500; unknown strings 500.
  assert.equal(statusOf('TEND_ERR_HOME_UNSAFE'), 400);
  assert.equal(statusOf('TEND_ERR_LOCK_HELD'), 500);
  assert.equal(statusOf('NOPE'), 500);
  for (const code of Object.keys(STATUS_BY_CODE)) assert.ok(code in errorCatalogue, `${code} is a real code`);
  for (const s of Object.values(STATUS_BY_CODE)) assert.ok(s !== undefined && s >= 400 && s < 600);
});

test('env values are masked wherever an env object appears; names stay', () => {
  const out = redactEnv({
    details: [
      {
        config: {
          env: { DB: 'postgres://u:p@h', PORT: '3000' },
          app_env: { A: '1' },
          stored: { env_production: { SECRET: 'x' } },
          readiness_probe: { handler: { exec: { command: 'probe.sh', env: { T: 'y' } } } },
          name: 'api',
        },
      },
    ],
    processes: [{ env: { A: '1', B: '2' }, masked: [] }],
  });
  const text = JSON.stringify(out);
  for (const secret of ['postgres://', '3000', '"1"', '"x"', '"y"', '"2"'])
    assert.ok(!text.includes(secret), secret);
  assert.match(text, /"DB":"\*{8}"/);
  assert.match(text, /"name":"api"/);
  assert.deepEqual((out as { processes: { masked: string[] }[] }).processes[0]?.masked, ['A', 'B']);
});

test("credentials in a probe's headers, command, path and in an app's arguments are masked; the rest stays", () => {
  const out = redactEnv({
    config: {
      args: ['--port', '3000', '--token=abc123secret'],
      readiness_probe: {
        handler: {
          http_get: {
            path: '/health?token=probetok',
            headers: { Authorization: 'Bearer probeheader', Accept: 'text/plain' },
          },
        },
      },
      liveness_probe: { handler: { exec: { command: ['curl', '-f', 'http://admin:execpw@127.0.0.1/'] } } },
      startup_probe: { handler: { exec: { command: 'test -f /tmp/ready' } } },
    },
  });
  const text = JSON.stringify(out);
  for (const secret of ['abc123secret', 'probetok', 'probeheader', 'execpw'])
    assert.ok(!text.includes(secret), secret);
  for (const kept of ['"--port"', '"3000"', '"text/plain"', '"curl"', '"-f"', 'test -f /tmp/ready'])
    assert.ok(text.includes(kept), kept);
});

test('a login token works once, and not after its lifetime', () => {
  const clock = new FakeClock();
  const s = new Sessions(clock);
  const t = s.loginToken();
  assert.match(t, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(s.redeem(t), true);
  assert.equal(s.redeem(t), false, 'single use');
  const late = s.loginToken();
  clock.advance(LOGIN_TOKEN_TTL_MS);
  assert.equal(s.redeem(late), false, 'expired');
  assert.equal(s.redeem('made-up'), false);
});

test('sessions: a CSRF value of their own, an end by logout, clear() or age', () => {
  const clock = new FakeClock();
  const s = new Sessions(clock);
  const a = s.open('admin');
  const b = s.open('read');
  assert.notEqual(a.session.csrf, b.session.csrf);
  assert.equal(s.get(a.id)?.scope, 'admin');
  assert.ok(csrfMatches(a.session, a.session.csrf));
  assert.ok(!csrfMatches(a.session, b.session.csrf), "another session's CSRF value does not do");
  assert.ok(!csrfMatches(a.session, undefined));
  s.close(a.id);
  assert.equal(s.get(a.id), undefined);
  clock.advance(SESSION_TTL_MS);
  assert.equal(s.get(b.id), undefined, 'expired');
  const c = s.open('admin');
  s.clear();
  assert.equal(s.get(c.id), undefined);
});

test('the session cookie: HttpOnly, SameSite=Strict, Path=/; logout clears it', () => {
  assert.equal(setCookieHeader('abc'), 'tend_session=abc; HttpOnly; SameSite=Strict; Path=/');
  assert.match(setCookieHeader(null), /^tend_session=; HttpOnly; SameSite=Strict; Path=\/; Max-Age=0$/);
});

test("Host must be the listener's own; Origin, when present, the same origin", () => {
  const loop = allowedHosts({ host: '127.0.0.1', port: 9615, hosts: [] });
  assert.deepEqual([...loop].sort(), ['127.0.0.1:9615', 'localhost:9615']);
  assert.equal(checkHostAndOrigin(req({ host: '127.0.0.1:9615' }), loop), null);
  assert.equal(
    checkHostAndOrigin(req({ host: 'LOCALHOST:9615', origin: 'http://localhost:9615' }), loop),
    null,
  );
  for (const headers of [
    { host: 'evil.example:9615' },
    { host: '127.0.0.1:80' },
    {},
    { host: '127.0.0.1:9615', origin: 'http://evil.example' },
    { host: '127.0.0.1:9615', origin: 'null' },
    { host: '127.0.0.1:9615', origin: 'http://localhost:9615' },
  ]) {
    const e = checkHostAndOrigin(req(headers as Record<string, string>), loop);
    assert.ok(e && e.code === 'TEND_ERR_FORBIDDEN', JSON.stringify(headers));
  }
  const v6 = allowedHosts({ host: '::1', port: 1, hosts: ['proxy.example'] });
  assert.ok(
    v6.has('[::1]:1') && v6.has('localhost:1') && v6.has('proxy.example') && v6.has('proxy.example:1'),
  );
  const any = allowedHosts({ host: '0.0.0.0', port: 7, hosts: [] });
  assert.ok(any.has('127.0.0.1:7'), "a wildcard bind answers to the machine's addresses");
});

test('scopes: nothing, read, admin; a cookie POST needs its CSRF value', () => {
  const s = new Sessions(new FakeClock());
  const { id, session } = s.open('admin');
  assert.equal(authorize(req({}), null, 'read')?.code, 'TEND_ERR_UNAUTHORIZED');
  assert.equal(
    authorize(req({}, 'POST'), { scope: 'read', via: 'bearer' }, 'admin')?.code,
    'TEND_ERR_FORBIDDEN',
  );
  assert.equal(authorize(req({}, 'POST'), { scope: 'admin', via: 'bearer' }, 'admin'), null);
  const cookie = { scope: 'admin' as const, via: 'cookie' as const, sessionId: id, session };
  assert.equal(authorize(req({}, 'GET'), cookie, 'read'), null);
  assert.equal(authorize(req({}, 'POST'), cookie, 'admin')?.code, 'TEND_ERR_FORBIDDEN');
  assert.equal(
    authorize(req({ 'x-tend-csrf': 'wrong' }, 'DELETE'), cookie, 'admin')?.code,
    'TEND_ERR_FORBIDDEN',
  );
  assert.equal(authorize(req({ 'x-tend-csrf': session.csrf }, 'POST'), cookie, 'admin'), null);
});

test('routes: GET never reaches an action; a known path with another verb is a 405 with Allow', () => {
  for (const r of ROUTES)
    if (r.method === 'GET' && r.protocol)
      assert.ok(['process.list', 'process.describe', 'app.graph', 'logs.files'].includes(r.protocol), r.path);
  const m = matchRoute(ROUTES, 'GET', '/api/v1/processes/api%2Cweb');
  assert.ok(m && !isTendError(m) && m.params.target === 'api,web');
  const wrong = matchRoute(ROUTES, 'GET', '/api/v1/processes/api/stop');
  assert.ok(isTendError(wrong));
  assert.deepEqual(wrong.data.allow, ['POST']);
  assert.equal(matchRoute(ROUTES, 'GET', '/app.js'), undefined, 'not a route: a dashboard file');
});
