// The listener's connection bound (src/http/listener.ts, third audit): 128 connections that send nothing must
// not keep a probe out. Past the bound, the idle connection quiet the longest gives way; a connection serving
// a request (a stream) never does, and when every one is serving, the newcomer is the one closed.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http, { type ServerResponse } from 'node:http';
import net from 'node:net';
import { type TestContext, test } from 'node:test';
import { boundConnections, listen, MAX_CONNECTIONS, MAX_PIPELINED } from '../../../src/http/listener.js';
import { freePort } from '../../helpers/free-port.js';
import { get } from '../../helpers/http.js';

/** A health listener answering `ok`, and a list of client sockets destroyed after the test. */
async function okListener(t: TestContext): Promise<{ port: number; sockets: net.Socket[] }> {
  const port = await freePort();
  const l = await listen('health', { host: '127.0.0.1', port, family: 4 }, (_req, res) => res.end('ok\n'));
  const sockets: net.Socket[] = [];
  t.after(async () => {
    for (const s of sockets) s.destroy();
    await l.close();
  });
  return { port, sockets };
}

/** A connection that has been accepted (the server saw it), sending nothing. */
async function idle(port: number): Promise<net.Socket> {
  const s = net.connect(port, '127.0.0.1');
  await once(s, 'connect');
  return s;
}

test(`${MAX_CONNECTIONS} idle connections: a request still gets its answer, the quietest idle one gives way`, async (t) => {
  const { port, sockets } = await okListener(t);
  const closed: number[] = [];
  for (let i = 0; i < MAX_CONNECTIONS; i++) {
    const s = await idle(port);
    s.on('close', () => closed.push(i));
    sockets.push(s);
  }
  // The server has seen them all: an answered request proves the accept queue is drained up to it.
  const r = await get(port, '/livez');
  assert.deepEqual(r, { status: 200, body: 'ok\n' });
  // The first idle connection was closed to make room, and only it.
  await closedSoon(sockets[0] as net.Socket);
  assert.deepEqual(closed, [0]);
  // The request's connection is gone with its answer (agent: false): full again with one more idle one,
  // and the next request evicts the next quietest.
  sockets.push(await idle(port));
  assert.equal((await get(port, '/livez')).status, 200);
  await closedSoon(sockets[1] as net.Socket);
  assert.deepEqual(closed, [0, 1]);
});

/** Resolves once `s` is closed; a safety net fails the test after 10 s instead of hanging it. */
async function closedSoon(s: net.Socket): Promise<void> {
  if (s.closed) return;
  await once(s, 'close', { signal: AbortSignal.timeout(10_000) });
}

test('connections serving a request are never evicted: when all are, the newcomer is closed', async (t) => {
  const held: ServerResponse[] = [];
  const server = http.createServer((req, res) => {
    if (req.url === '/hold') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('streaming\n');
      held.push(res);
      return;
    }
    res.end('ok\n');
  });
  boundConnections(server, 2);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  const streams: http.ClientRequest[] = [];
  t.after(() => {
    for (const r of streams) r.destroy();
    server.closeAllConnections();
    server.close();
  });
  for (let i = 0; i < 2; i++) {
    const req = http.get({ host: '127.0.0.1', port, path: '/hold', agent: false });
    streams.push(req);
    const [res] = (await once(req, 'response')) as [http.IncomingMessage];
    await once(res, 'data');
  }
  // Both connections are serving: a third is closed without an answer, the streams go on.
  await assert.rejects(get(port, '/x'), /socket hang up|ECONNRESET/);
  assert.equal(held.length, 2);
  for (const res of held) assert.ok(!res.destroyed && res.writable);
  // One stream ends: its connection is idle, and the next newcomer is served.
  held[0]?.end();
  await once(streams[0] as http.ClientRequest, 'close');
  assert.equal((await get(port, '/x')).status, 200);
});

test(`more than ${MAX_PIPELINED} pipelined requests waiting on one connection: it is closed, the rest is not worked on (fourth audit)`, async (t) => {
  const port = await freePort();
  const paths: string[] = [];
  const l = await listen('health', { host: '127.0.0.1', port, family: 4 }, (req, res) => {
    paths.push(req.url ?? '');
    res.end('ok\n');
  });
  t.after(() => l.close());
  const s = net.connect(port, '127.0.0.1');
  t.after(() => s.destroy());
  await once(s, 'connect');
  // 500 requests in one write, and the answers never read: each would be worked on and held.
  s.pause();
  s.write('GET /pipelined HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(500));
  // Another client is served meanwhile; by its answer the server has read the 500 (one write, one read).
  await until(() => paths.length > 0);
  assert.equal((await get(port, '/livez')).status, 200);
  const pipelined = paths.filter((p) => p === '/pipelined').length;
  assert.ok(pipelined <= MAX_PIPELINED, `${pipelined} of the 500 were worked on`);
});

/** Resolves once `ok()` holds, checked at each turn of the loop; fails after 10 s. */
async function until(ok: () => boolean): Promise<void> {
  const end = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > end) assert.fail('not within 10 s');
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

test('past the bound, the address holding the most connections gives one up, not a client with one (fourth audit)', async (t) => {
  const { port, sockets } = await okListener(t);
  const from = async (localAddress: string) => {
    const s = net.connect({ port, host: '127.0.0.1', localAddress });
    await once(s, 'connect');
    sockets.push(s);
    return s;
  };
  // The quietest connection of all is the lone client's (127.0.0.1), opened first; the flood comes from
  // 127.0.0.2 (loopback too).
  const lone = await from('127.0.0.1');
  const flood: net.Socket[] = [];
  for (let i = 1; i < MAX_CONNECTIONS; i++) flood.push(await from('127.0.0.2'));
  // One more from the flood: its own oldest gives way, the lone client keeps its connection.
  await from('127.0.0.2');
  assert.equal((await get(port, '/livez')).status, 200);
  await closedSoon(flood[0] as net.Socket);
  assert.equal(lone.closed, false);
});
