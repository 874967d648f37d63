// The listeners as the settings file and `tend web` make them: the health listener (no token, four paths),
// an address in use (the daemon runs on without that listener and says why), the choice kept in web.json
// for the next daemon, the settings file winning over it, and turning the API off.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { connect } from '../../../src/client/client.js';
import { freePort } from '../../helpers/free-port.js';
import { request, startHttpDaemon } from './support.js';

test('the health listener: /livez /readyz /startupz /metrics without a token, nothing else', async (t) => {
  const healthPort = await freePort();
  const d = await startHttpDaemon({
    settings: (port) => ({
      http: { listen: `127.0.0.1:${port}` },
      health: { listen: `127.0.0.1:${healthPort}` },
    }),
  });
  t.after(() => d.stop());
  for (const path of ['/livez', '/readyz', '/startupz', '/metrics']) {
    const r = await request(healthPort, path, { headers: { host: `anything:${healthPort}` } });
    assert.notEqual(r.status, 404, path);
    assert.notEqual(r.status, 401, path);
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    // Written by listener.ts (runtime/utc-time.ts), not node:http: one Date header, IMF-fixdate, now.
    const date = String(r.headers.date);
    assert.match(
      date,
      /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/,
      path,
    );
    assert.ok(Math.abs(Date.parse(date) - Date.now()) < 60_000, `${path}: Date ${date}`);
  }
  for (const path of ['/api/v1/processes', '/', '/metrics/apps', '/api/v1/openapi.json']) {
    const r = await request(healthPort, path, { token: d.admin });
    assert.equal(r.status, 404, path);
    assert.equal(r.json.error.code, 'TEND_ERR_ROUTE_NOT_FOUND');
    // It names what this listener serves, not the OpenAPI document (the API listener's, not served here).
    assert.equal(
      r.json.error.message,
      `no route GET ${path} (this listener serves only /livez /readyz /startupz /metrics)`,
    );
    assert.deepEqual(r.json.error.data.serves, ['/livez', '/readyz', '/startupz', '/metrics']);
  }
  assert.equal((await request(healthPort, '/livez', { method: 'POST', body: {} })).status, 405);
  // The API listener from the same file, with its token.
  assert.equal((await d.get('/api/v1/processes')).status, 200);
  const { listeners } = (await d.get('/api/v1/daemon')).json;
  assert.deepEqual(listeners, [
    { kind: 'api', url: `http://127.0.0.1:${d.port}/` },
    { kind: 'health', url: `http://127.0.0.1:${healthPort}/` },
  ]);
  // The settings file wins: `tend web` elsewhere is refused, `tend web` alone gives a login link.
  await assert.rejects(
    d.client.call('daemon.web', { port: d.port + 1 }),
    /http\.listen in .*tend\.config\.json/,
  );
  await assert.rejects(d.client.call('daemon.web', { off: true }), /remove the http section/);
  const web = await d.client.call('daemon.web', {});
  assert.equal(web.source, 'settings');
  assert.match(web.login_url ?? '', /#login=[\w-]{43}$/);
  assert.ok(!existsSync(join(d.home, 'web.json')), 'nothing kept: the file says it');
});

test('an address in use: the daemon starts without that listener, logs it, and daemon.web reports it', async (t) => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  t.after(() => blocker.close());
  const busy = (blocker.address() as net.AddressInfo).port;
  const d = await startHttpDaemon({ settings: () => ({ health: { listen: `127.0.0.1:${busy}` } }) });
  t.after(() => d.stop());
  assert.deepEqual((await d.client.call('process.list')).processes, [], 'the daemon serves');
  assert.match(
    readFileSync(join(d.home, 'daemon.log'), 'utf8'),
    new RegExp(
      `HTTP health listener not started: cannot listen on 127\\.0\\.0\\.1:${busy} \\(health listener\\): the address is already in use`,
    ),
  );
  // `tend web` on a port in use: the error names the address; the health problem is reported alongside.
  await assert.rejects(d.client.call('daemon.web', { port: busy }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'TEND_ERR_HTTP_LISTEN');
    assert.match(
      err.message,
      new RegExp(
        `cannot listen on 127\\.0\\.0\\.1:${busy} \\(api listener\\): the address is already in use.*tend web --port N`,
      ),
    );
    return true;
  });
  assert.ok(!existsSync(join(d.home, 'web.json')), 'a failed start is not kept');
  const ok = await d.client.call('daemon.web', { port: d.port });
  assert.equal(ok.url, `http://127.0.0.1:${d.port}/`);
  assert.deepEqual(
    ok.problems.map((p) => `${p.kind} ${p.address}`),
    [`health 127.0.0.1:${busy}`],
  );
});

test('tend web is kept in web.json for the next daemon; a move keeps serving; off forgets it', async (t) => {
  const d = await startHttpDaemon();
  t.after(() => d.stop());
  const file = join(d.home, 'web.json');
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { listen: `127.0.0.1:${d.port}` });
  assert.equal(statSync(file).mode & 0o777, 0o600);
  // Moving: the new port serves, the old one is closed.
  const other = await freePort();
  const moved = await d.client.call('daemon.web', { port: other });
  assert.equal(moved.url, `http://127.0.0.1:${other}/`);
  assert.equal((await request(other, '/api/v1/processes', { token: d.admin })).status, 200);
  await assert.rejects(request(d.port, '/api/v1/processes', { token: d.admin }), /ECONNREFUSED/);
  // A non-loopback host is refused without the settings file.
  await assert.rejects(
    d.client.call('daemon.web', { host: '0.0.0.0' }),
    /not a loopback address.*allow_remote: true/,
  );
  await assert.rejects(d.client.call('daemon.web', { port: 70000 }), /port/);

  // The next daemon listens where web.json says, with the same tokens.
  const closed = d.client.closed;
  await d.client.call('daemon.kill');
  await closed;
  const next = await connect({ home: d.home });
  t.after(() =>
    next
      .call('daemon.kill')
      .catch(() => {})
      .then(() => next.close()),
  );
  const again = await request(other, '/api/v1/daemon', {
    token: d.admin,
    headers: { host: `127.0.0.1:${other}` },
  });
  assert.equal(again.status, 200);
  assert.equal(again.json.pid, (await next.daemon()).pid);
  const off = await next.call('daemon.web', { off: true });
  assert.equal(off.url, null);
  assert.ok(!existsSync(file));
  await assert.rejects(request(other, '/api/v1/processes', { token: d.admin }), /ECONNREFUSED/);
  // Before the home goes (d.stop, registered first, runs first): the second daemon ends here.
  const nextClosed = next.closed;
  await next.call('daemon.kill');
  await nextClosed;
});

test('rotating a token: remove its file and run tend web; the old token and its sessions stop working', async (t) => {
  const d = await startHttpDaemon();
  t.after(() => d.stop());
  const login = await request(d.port, '/api/v1/session', { method: 'POST', body: { token: d.admin } });
  const cookie = String(login.headers['set-cookie']).split(';')[0] as string;
  rmSync(join(d.home, 'http.token'));
  await d.client.call('daemon.web', {});
  const fresh = readFileSync(join(d.home, 'http.token'), 'utf8').trim();
  assert.notEqual(fresh, d.admin);
  assert.equal((await d.get('/api/v1/processes')).status, 401);
  assert.equal((await request(d.port, '/api/v1/processes', { headers: { cookie } })).status, 401);
  assert.equal((await d.get('/api/v1/processes', { token: fresh })).status, 200);
});
