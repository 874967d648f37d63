// The API's security, each rule against a real daemon over real HTTP: credentials, scopes, Host and Origin
// (DNS rebinding), GET without side effects, the cookie and its CSRF value, headers, redaction, bounds.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES } from '../../helpers/daemon.js';
import { type Answer, type HttpDaemon, request, startHttpDaemon } from './support.js';

let d: HttpDaemon;
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

before(async () => {
  d = await startHttpDaemon();
  const r = await d.post('/api/v1/apps', {
    apps: [
      {
        name: 'idle',
        script: join(FIXTURES, 'idle.cjs'),
        env: { DB_PASSWORD: 'hunter2', PLAIN: 'visible?' },
      },
    ],
  });
  assert.equal(r.status, 200, r.text);
});
after(() => d.stop());

function assertError(r: Answer, status: number, code: string, pattern?: RegExp): void {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.equal(typeof r.json.error.message, 'string');
  assert.equal(typeof r.json.error.data, 'object');
  if (pattern) assert.match(r.json.error.message, pattern);
}

async function status(): Promise<string> {
  const { processes } = await d.client.call('process.list');
  return processes.map((p) => `${p.name}:${p.status}:${p.pid}`).join(',');
}

test('token files: 0600, 32 random bytes in base64url, admin and read differ', () => {
  for (const name of ['http.token', 'http.read-token']) {
    assert.equal(statSync(join(d.home, name)).mode & 0o777, 0o600, name);
  }
  assert.match(d.admin, /^[A-Za-z0-9_-]{43}$/);
  assert.match(d.read, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(d.admin, d.read);
});

test('no token: 401', async () => {
  assertError(await request(d.port, '/api/v1/processes'), 401, 'TEND_ERR_UNAUTHORIZED', /no credentials/);
  assertError(await request(d.port, '/metrics'), 401, 'TEND_ERR_UNAUTHORIZED');
  assertError(await request(d.port, '/api/v1/events'), 401, 'TEND_ERR_UNAUTHORIZED');
});

test('a wrong token: 401, and nothing else is tried', async () => {
  assertError(
    await d.get('/api/v1/processes', { token: `${d.admin.slice(0, -1)}x` }),
    401,
    'TEND_ERR_UNAUTHORIZED',
  );
  assertError(
    await d.get('/api/v1/processes', { headers: { authorization: `Basic ${d.admin}` }, token: '' }),
    401,
    'TEND_ERR_UNAUTHORIZED',
  );
});

test('the read token reads, and any action is 403 with the process untouched', async () => {
  const before = await status();
  assert.equal((await d.get('/api/v1/processes', { token: d.read })).status, 200);
  assert.equal((await d.get('/api/v1/processes/idle', { token: d.read })).status, 200);
  assertError(
    await d.post('/api/v1/processes/idle/stop', {}, { token: d.read }),
    403,
    'TEND_ERR_FORBIDDEN',
    /admin token/,
  );
  assertError(
    await request(d.port, '/api/v1/processes/idle', { method: 'DELETE', token: d.read }),
    403,
    'TEND_ERR_FORBIDDEN',
  );
  assertError(
    await d.post('/api/v1/call/daemon.kill', { params: {} }, { token: d.read }),
    403,
    'TEND_ERR_FORBIDDEN',
  );
  assertError(await d.post('/api/v1/save', {}, { token: d.read }), 403, 'TEND_ERR_FORBIDDEN');
  // A read method through /call is fine with the read token.
  assert.equal((await d.post('/api/v1/call/process.list', { params: {} }, { token: d.read })).status, 200);
  assert.equal(await status(), before);
});

test('a foreign Host is refused, bearer or not (DNS rebinding)', async () => {
  for (const host of [`evil.example:${d.port}`, `127.0.0.1.nip.io:${d.port}`, '127.0.0.1']) {
    assertError(await d.get('/api/v1/processes', { headers: { host } }), 403, 'TEND_ERR_FORBIDDEN', /Host/);
  }
  // Even the dashboard's files.
  assertError(await request(d.port, '/', { headers: { host: 'evil.example' } }), 403, 'TEND_ERR_FORBIDDEN');
  assert.equal((await d.get('/api/v1/processes', { headers: { host: `localhost:${d.port}` } })).status, 200);
});

test('a foreign Origin is refused, bearer or not', async () => {
  const before = await status();
  for (const origin of ['http://evil.example', 'null', `http://localhost:${d.port}`]) {
    assertError(
      await d.get('/api/v1/processes', { headers: { origin } }),
      403,
      'TEND_ERR_FORBIDDEN',
      /Origin/,
    );
    assertError(
      await d.post('/api/v1/processes/idle/stop', {}, { headers: { origin } }),
      403,
      'TEND_ERR_FORBIDDEN',
    );
  }
  assert.equal(await status(), before);
  assert.equal(
    (await d.get('/api/v1/processes', { headers: { origin: `http://127.0.0.1:${d.port}` } })).status,
    200,
  );
});

test('GET cannot change state: action paths answer 405, query parameters do nothing', async () => {
  const before = await status();
  for (const verb of ['stop', 'restart', 'reload', 'start', 'signal']) {
    const r = await d.get(`/api/v1/processes/idle/${verb}?signal=SIGKILL`);
    assertError(r, 405, 'TEND_ERR_ROUTE_NOT_FOUND');
    assert.equal(r.headers.allow, 'POST');
  }
  assertError(await d.get('/api/v1/call/daemon.kill'), 405, 'TEND_ERR_ROUTE_NOT_FOUND');
  assertError(await d.get('/api/v1/save'), 405, 'TEND_ERR_ROUTE_NOT_FOUND');
  assertError(await d.get('/api/v1/apps'), 405, 'TEND_ERR_ROUTE_NOT_FOUND');
  assert.equal((await d.get('/api/v1/processes/idle?wait=false&target=all')).status, 200);
  assert.equal(await status(), before);
});

test('HEAD answers as GET without a body; it is refused where GET is, and never opens an event stream', async () => {
  const get = await d.get('/api/v1/processes');
  const head = await d.get('/api/v1/processes', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.equal(head.text, '');
  assert.equal(head.headers['content-type'], get.headers['content-type']);
  assert.equal(head.headers['x-content-type-options'], 'nosniff');
  assert.equal((await request(d.port, '/api/v1/processes', { method: 'HEAD' })).status, 401);
  const stream = await d.get('/api/v1/events', { method: 'HEAD' });
  assert.equal(stream.status, 405);
  assert.equal(stream.headers.allow, 'GET');
  const action = await d.get('/api/v1/processes/idle/stop', { method: 'HEAD' });
  assert.equal(action.status, 405);
  assert.equal(action.headers.allow, 'POST');
  assert.equal((await request(d.port, '/', { method: 'HEAD' })).status, 200);
});

test('login: a one-time token gives an HttpOnly SameSite=Strict cookie; POST needs the CSRF value', async () => {
  const { login_url } = await d.client.call('daemon.web', {});
  const token = /#login=([\w-]+)$/.exec(login_url ?? '')?.[1] as string;
  assert.ok(token, login_url ?? 'no login_url');
  const login = await request(d.port, '/api/v1/session', { method: 'POST', body: { token } });
  assert.equal(login.status, 200, login.text);
  assert.equal(login.json.scope, 'admin');
  const setCookie = String(login.headers['set-cookie']);
  assert.match(setCookie, /^tend_session=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
  assert.doesNotMatch(setCookie, /Domain|Expires/);
  const cookie = setCookie.split(';')[0] as string;
  const csrf = login.json.csrf as string;
  // Single use.
  assertError(
    await request(d.port, '/api/v1/session', { method: 'POST', body: { token } }),
    401,
    'TEND_ERR_UNAUTHORIZED',
    /used already/,
  );

  const session = await request(d.port, '/api/v1/session', { headers: { cookie } });
  assert.deepEqual(session.json, { scope: 'admin', csrf });
  assert.equal((await request(d.port, '/api/v1/processes', { headers: { cookie } })).status, 200);

  const before = await status();
  assertError(
    await request(d.port, '/api/v1/processes/idle/restart', {
      method: 'POST',
      body: {},
      headers: { cookie },
    }),
    403,
    'TEND_ERR_FORBIDDEN',
    /X-Tend-CSRF/i,
  );
  assertError(
    await request(d.port, '/api/v1/processes/idle/restart', {
      method: 'POST',
      body: {},
      headers: { cookie, 'x-tend-csrf': 'x'.repeat(43) },
    }),
    403,
    'TEND_ERR_FORBIDDEN',
  );
  assertError(
    await request(d.port, '/api/v1/processes/idle', { method: 'DELETE', headers: { cookie } }),
    403,
    'TEND_ERR_FORBIDDEN',
  );
  assert.equal(await status(), before);
  const restarted = await request(d.port, '/api/v1/processes/idle/restart', {
    method: 'POST',
    body: {},
    headers: { cookie, 'x-tend-csrf': csrf },
  });
  assert.equal(restarted.status, 200, restarted.text);
  assert.notEqual(await status(), before, 'the restart happened');

  // Logout: the cookie is cleared and the session is over.
  const out = await request(d.port, '/api/v1/session', {
    method: 'DELETE',
    headers: { cookie, 'x-tend-csrf': csrf },
  });
  assert.equal(out.status, 204);
  assert.match(String(out.headers['set-cookie']), /Max-Age=0/);
  assertError(
    await request(d.port, '/api/v1/processes', { headers: { cookie } }),
    401,
    'TEND_ERR_UNAUTHORIZED',
  );
  // A stale cookie does not stop a new login.
  const again = await request(d.port, '/api/v1/session', {
    method: 'POST',
    body: { token: d.read },
    headers: { cookie },
  });
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.scope, 'read');
});

test('a bearer token exchanged at /api/v1/session keeps its scope; wrong ones are 401', async () => {
  const r = await request(d.port, '/api/v1/session', { method: 'POST', body: { token: d.read } });
  assert.equal(r.json.scope, 'read');
  const cookie = String(r.headers['set-cookie']).split(';')[0] as string;
  assertError(
    await request(d.port, '/api/v1/processes/idle/stop', {
      method: 'POST',
      body: {},
      headers: { cookie, 'x-tend-csrf': r.json.csrf },
    }),
    403,
    'TEND_ERR_FORBIDDEN',
  );
  assertError(
    await request(d.port, '/api/v1/session', { method: 'POST', body: { token: 'nope' } }),
    401,
    'TEND_ERR_UNAUTHORIZED',
  );
  assertError(await request(d.port, '/api/v1/session'), 401, 'TEND_ERR_UNAUTHORIZED');
});

test('security headers on every answer: JSON, errors, files, 404s; no-store on API answers', async () => {
  const answers = [
    await d.get('/api/v1/processes'),
    await request(d.port, '/api/v1/processes'),
    await request(d.port, '/api/v1/nope'),
    await request(d.port, '/no-such-file.js'),
    await request(d.port, '/api/v1/openapi.json'),
    await request(d.port, '/', { headers: { host: 'evil.example' } }),
  ];
  for (const r of answers) {
    assert.equal(r.headers['content-security-policy'], CSP);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
    assert.equal(r.headers['x-frame-options'], 'DENY');
  }
  for (const r of answers.slice(0, 3)) assert.equal(r.headers['cache-control'], 'no-store');
});

test('env values are redacted, unless the admin token asks with reveal_env=1', async () => {
  const redacted = await d.get('/api/v1/processes/idle');
  assert.equal(redacted.status, 200);
  assert.ok(!redacted.text.includes('hunter2') && !redacted.text.includes('visible?'), 'no value leaks');
  assert.equal(redacted.json.details[0].config.env.DB_PASSWORD, '********');
  const viaCall = await d.post('/api/v1/call/process.describe', { params: { target: ['idle'] } });
  assert.ok(!viaCall.text.includes('hunter2'));
  const env = await d.post('/api/v1/call/process.env', { params: { target: ['idle'], show_secrets: true } });
  assert.equal(env.status, 200, env.text);
  assert.ok(!env.text.includes('hunter2') && !env.text.includes('visible?'));
  assertError(
    await d.get('/api/v1/processes/idle?reveal_env=1', { token: d.read }),
    403,
    'TEND_ERR_FORBIDDEN',
    /reveal_env/,
  );
  const shown = await d.get('/api/v1/processes/idle?reveal_env=1');
  assert.equal(shown.json.details[0].config.env.DB_PASSWORD, 'hunter2');
});

test('bodies: invalid JSON 400, not JSON 400, over 4 MiB 413; the daemon serves on', async () => {
  assertError(
    await d.post('/api/v1/save', undefined, {
      raw: '{"force":',
      headers: { 'content-type': 'application/json' },
    }),
    400,
    'TEND_ERR_BAD_REQUEST',
    /not valid JSON/,
  );
  assertError(
    await d.post('/api/v1/save', undefined, {
      raw: 'force=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
    400,
    'TEND_ERR_BAD_REQUEST',
    /Content-Type: application\/json/,
  );
  // Declared too large: refused before a byte of it is read.
  const declared = await d.post('/api/v1/save', undefined, {
    raw: '{}',
    headers: { 'content-type': 'application/json', 'content-length': String(5 * 1024 * 1024) },
  });
  assertError(declared, 413, 'TEND_ERR_FRAME_TOO_LARGE');
  assert.equal(declared.headers.connection, 'close');
  // Sent chunked, without a length: refused once 4 MiB went by. The daemon answers 413 and closes; a
  // client still writing may see the reset before the answer.
  const big = Buffer.alloc(4 * 1024 * 1024 + 10, 0x20);
  const r = await d
    .post('/api/v1/save', undefined, {
      raw: big,
      headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
    })
    .catch((e: Error) => e);
  if (!(r instanceof Error)) assertError(r, 413, 'TEND_ERR_FRAME_TOO_LARGE');
  else assert.match(r.message, /ECONNRESET|EPIPE|socket hang up/);
  assert.equal((await d.get('/api/v1/processes')).status, 200);
});
