// The /api/v1 routes against a real daemon and real processes: each does what the same protocol method does
// over the socket (the same handlers through dispatch), with the same error codes.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { connect } from '../../../src/client/client.js';
import type { AppInput } from '../../../src/config/input-types.js';
import type { TendEvent } from '../../../src/protocol/events.js';
import { VERSION } from '../../../src/version.js';
import { FIXTURES } from '../../helpers/daemon.js';
import { type HttpDaemon, request, startHttpDaemon } from './support.js';

let d: HttpDaemon;
before(async () => {
  d = await startHttpDaemon();
});
after(() => d.stop());

const pidOf = async (name: string) =>
  (await d.client.call('process.list')).processes.find((p) => p.name === name)?.pid;

test('POST /api/v1/apps starts an ecosystem object; GET lists and describes it', async () => {
  const r = await d.post('/api/v1/apps', {
    apps: [{ name: 'web', script: join(FIXTURES, 'idle.cjs'), instances: 2, exec_mode: 'fork' }],
  });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(
    r.json.processes.map((p: { name: string; status: string }) => `${p.name}:${p.status}`),
    ['web:online', 'web:online'],
  );
  const list = await d.get('/api/v1/processes');
  assert.equal(list.json.processes.length, 2);
  const one = await d.get('/api/v1/processes/web');
  assert.equal(one.json.details.length, 2);
  const two = await d.get(`/api/v1/processes/${list.json.processes[0].id},${list.json.processes[1].id}`);
  assert.equal(two.json.details.length, 2, 'a comma-separated target');
  // The same validation and codes as the socket.
  const missing = await d.get('/api/v1/processes/nope');
  assert.equal(missing.status, 404);
  assert.equal(missing.json.error.code, 'TEND_ERR_TARGET_NOT_FOUND');
  const invalid = await d.post('/api/v1/apps', {
    apps: [{ name: 'x', script: join(FIXTURES, 'idle.cjs'), max_restarts: -1 }],
  });
  assert.equal(invalid.status, 400);
  assert.equal(invalid.json.error.code, 'TEND_ERR_CONFIG_INVALID');
  const dup = await d.post('/api/v1/apps', { apps: [] });
  assert.equal(dup.json.error.code, 'TEND_ERR_BAD_REQUEST');
});

test('POST /api/v1/apps: a bad field is named in the request body, with the code the CLI gets for the same file', async () => {
  const apps = [{ name: 'bad', script: join(FIXTURES, 'idle.cjs'), instances: 'many' }];
  const r = await d.post('/api/v1/apps', { apps });
  assert.equal(r.status, 400, r.text);
  assert.equal(r.json.error.code, 'TEND_ERR_CONFIG_INVALID');
  const m = /^request body: (apps\[0\] \(bad\)\.instances: expected .*)$/s.exec(r.json.error.message);
  assert.ok(m, r.json.error.message);
  assert.equal(r.json.error.data.where, 'request body');
  // The same apps as the CLI sends them from an ecosystem file (`tend start eco.json`): the file is named.
  const unchecked = apps as unknown as AppInput[]; // unchecked data from a file, as the CLI sends it
  const file = join(d.home, 'eco.json');
  await assert.rejects(
    d.client.call('app.start', { apps: unchecked, source: file, base_dir: d.home }),
    (e: Error & { code?: string }) => {
      assert.equal(e.code, r.json.error.code);
      assert.equal(e.message, `${file}: ${m[1]}`);
      return true;
    },
  );
  // One app from the command line (no source, no origin) is still named so.
  await assert.rejects(
    d.client.call('app.start', { apps: unchecked, base_dir: d.home }),
    (e: Error) => e.message === `command line: ${m[1]}`,
  );
  assert.equal((await d.client.call('process.list')).processes.filter((p) => p.name === 'bad').length, 0);
});

test('restart changes the pid; stop and start; signal; scale; delete', async () => {
  const before = await pidOf('web');
  const r = await d.post('/api/v1/processes/web/restart');
  assert.equal(r.status, 200, r.text);
  assert.notEqual(await pidOf('web'), before);
  assert.equal((await d.post('/api/v1/processes/web/stop')).json.processes[0].status, 'stopped');
  assert.equal((await d.post('/api/v1/processes/web/start')).json.processes[0].status, 'online');
  const sig = await d.post('/api/v1/processes/web/signal', { signal: 'SIGUSR9' });
  assert.equal(sig.status, 400);
  assert.equal(sig.json.error.code, 'TEND_ERR_INVALID_SIGNAL');
  assert.equal((await d.post('/api/v1/processes/web/signal', { signal: 'SIGCONT' })).status, 200);
  const scaled = await d.post('/api/v1/apps/web/scale', { instances: 1 });
  assert.equal(scaled.status, 200, scaled.text);
  assert.equal((await d.client.call('process.list')).processes.length, 1);
  const bad = await d.post('/api/v1/apps/web/scale', { instances: 0 });
  assert.equal(bad.json.error.code, 'TEND_ERR_BAD_REQUEST');
  const del = await request(d.port, '/api/v1/processes/web', { method: 'DELETE', token: d.admin });
  assert.equal(del.status, 200, del.text);
  assert.equal((await d.client.call('process.list')).processes.length, 0);
});

test('POST /api/v1/save writes dump.json (TEND_ERR_SAVE_EMPTY is a 409)', async () => {
  await d.post('/api/v1/apps', { apps: [{ name: 'keep', script: join(FIXTURES, 'idle.cjs') }] });
  const r = await d.post('/api/v1/save');
  assert.equal(r.status, 200, r.text);
  assert.ok(existsSync(join(d.home, 'dump.json')));
  await request(d.port, '/api/v1/processes/keep', { method: 'DELETE', token: d.admin });
  const empty = await d.post('/api/v1/save');
  assert.equal(empty.status, 409);
  assert.equal(empty.json.error.code, 'TEND_ERR_SAVE_EMPTY');
});

test('GET /api/v1/logs: the last lines, with filters', async () => {
  const follower = await connect({ home: d.home, spawn: false });
  const seen = new Promise<void>((resolve) => {
    const lines: string[] = [];
    follower.listen((e: TendEvent) => {
      if (e.event !== 'log.lines') return;
      lines.push(...(e.data as { lines: string[] }).lines);
      if (lines.some((l) => l.startsWith('out from')) && lines.some((l) => l.startsWith('err from')))
        resolve();
    });
  });
  await follower.call('logs.subscribe', { target: ['all'], streams: ['out', 'err'] });
  await d.post('/api/v1/apps', {
    apps: [{ name: 'talk', script: join(FIXTURES, 'ready.cjs'), wait_ready: true }],
  });
  await seen;
  await follower.close();
  const all = await d.get('/api/v1/logs?app=talk');
  assert.equal(all.status, 200, all.text);
  const pid = await pidOf('talk');
  assert.deepEqual(
    all.json.lines.map((l: { stream: string; line: string }) => `${l.stream}:${l.line}`).sort(),
    [`err:err from ${pid}`, `out:out from ${pid}`],
  );
  assert.equal(all.json.lines[0].app, 'talk');
  assert.equal(all.json.lines[0].instance_id, 0);
  assert.deepEqual(
    (await d.get('/api/v1/logs?app=talk&stream=err')).json.lines.map((l: { line: string }) => l.line),
    [`err from ${pid}`],
  );
  assert.deepEqual((await d.get('/api/v1/logs?grep=out%20from')).json.lines.length, 1);
  assert.deepEqual((await d.get('/api/v1/logs?app=talk&instance=3')).json.lines, []);
  assert.equal((await d.get('/api/v1/logs?lines=0')).json.error.code, 'TEND_ERR_BAD_REQUEST');
  assert.equal((await d.get('/api/v1/logs?stream=both')).status, 400);
});

test('GET /api/v1/graph, with and without a target filter', async () => {
  await d.post('/api/v1/apps', {
    apps: [
      { name: 'db', script: join(FIXTURES, 'idle.cjs') },
      { name: 'api', script: join(FIXTURES, 'idle.cjs'), depends_on: ['db'] },
    ],
  });
  const g = await d.get('/api/v1/graph');
  assert.ok(g.json.apps.some((a: { name: string }) => a.name === 'api'));
  const only = await d.get('/api/v1/graph?target=db');
  assert.deepEqual(
    only.json.apps.map((a: { name: string }) => a.name),
    ['db'],
  );
  assert.deepEqual(only.json.order, [['db']]);
});

test('POST /api/v1/call/:method: any method, scope by method, subscriptions and daemon.web excluded', async () => {
  const r = await d.post('/api/v1/call/process.list', { params: {} });
  assert.equal(r.status, 200);
  assert.ok(Array.isArray(r.json.processes));
  const hello = await d.post('/api/v1/call/daemon.hello', { params: { protocol: 999, client: 'x' } });
  assert.equal(hello.json.error.code, 'TEND_ERR_PROTOCOL_MISMATCH');
  for (const m of ['events.subscribe', 'logs.subscribe', 'daemon.web']) {
    const x = await d.post(`/api/v1/call/${m}`, { params: {} });
    assert.equal(x.status, 404, m);
  }
  const unknown = await d.post('/api/v1/call/no.such', { params: {} });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.error.code, 'TEND_ERR_UNKNOWN_METHOD');
  const badParams = await d.post('/api/v1/call/process.stop', { params: { target: 'db' } });
  assert.equal(badParams.status, 400);
  assert.match(badParams.json.error.message, /process\.stop: target/);
  assert.equal((await d.post('/api/v1/call/process.list', { nope: 1 })).status, 400);
});

test('GET /api/v1/daemon: identity, use of the machine, listeners', async () => {
  const r = await d.get('/api/v1/daemon');
  assert.equal(r.status, 200);
  assert.equal(r.json.version, VERSION);
  assert.equal(r.json.pid, d.daemonPid);
  assert.match(r.json.node, /^v\d+\./);
  assert.ok(
    r.json.started_at <= Date.now() &&
      r.json.uptime_s > 0 &&
      r.json.cpu_seconds > 0 &&
      r.json.rss_bytes > 1e6,
  );
  assert.deepEqual(r.json.listeners, [{ kind: 'api', url: `http://127.0.0.1:${d.port}/` }]);
});

test('the served OpenAPI document describes the real answers', async () => {
  await d.post('/api/v1/apps', { apps: [{ name: 'described', script: join(FIXTURES, 'idle.cjs') }] });
  const doc = (await request(d.port, '/api/v1/openapi.json')).json;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  ajv.addSchema({ $id: 'tend-openapi', $defs: doc.components.schemas });
  const check = (name: string, value: unknown) => {
    const validate = ajv.getSchema(`tend-openapi#/$defs/${name}`);
    assert.ok(validate, name);
    assert.ok(validate(value), `${name}: ${ajv.errorsText(validate.errors)}`);
  };
  check('process.list.result', (await d.get('/api/v1/processes')).json);
  check('process.describe.result', (await d.get('/api/v1/processes/all')).json);
  check('app.graph.result', (await d.get('/api/v1/graph')).json);
  check('Error', (await d.get('/api/v1/processes/nope')).json);
});

test('unknown API paths are 404 with the error shape; the stubs of other modules are mounted', async () => {
  const r = await d.get('/api/v1/nothing');
  assert.equal(r.status, 404);
  assert.equal(r.json.error.code, 'TEND_ERR_ROUTE_NOT_FOUND');
  // The API listener's 404 points to its OpenAPI document, which it serves (without a token) and which
  // lists every route it has; a missing dashboard file says the same.
  assert.equal(r.json.error.message, 'no route GET /api/v1/nothing (see /api/v1/openapi.json)');
  const noFile = await request(d.port, '/nothing.js');
  assert.equal(noFile.status, 404);
  assert.equal(noFile.json.error.message, 'no route GET /nothing.js (see /api/v1/openapi.json)');
  const openapi = await request(d.port, '/api/v1/openapi.json');
  assert.equal(openapi.status, 200);
  assert.ok(openapi.json.paths['/api/v1/processes'] && openapi.json.paths['/metrics']);
  for (const path of [
    '/api/v1/timeline',
    '/api/v1/stats',
    '/metrics',
    '/metrics/apps',
    '/livez',
    '/readyz',
    '/startupz',
  ])
    assert.notEqual((await d.get(path)).status, 404, path);
});
