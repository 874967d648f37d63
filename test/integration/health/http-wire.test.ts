// The plain-http probe client (src/health/http-wire.ts) against scripted servers on 127.0.0.1: what it sends,
// how it reads the status line (whole, in pieces, garbage, nothing), when it gives up, and that it closes its
// connection at the verdict. Through the real runner, so the verdict is what `describe` shows.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { after, describe, test } from 'node:test';
import type { ProbeHandler } from '../../../src/config/spec.js';
import { ExecSlots } from '../../../src/health/exec-slots.js';
import { requestHead, STATUS_LINE_LIMIT, statusVerdict } from '../../../src/health/http-wire.js';
import { createProbeRunner } from '../../../src/health/probe-runner.js';
import type { ProbeTarget } from '../../../src/health/probe-types.js';
import { freePort, SAFETY_TIMEOUT_MS } from './health-support.js';

const run = createProbeRunner({ execSlots: new ExecSlots(1) });
const target: ProbeTarget = { instance: 0, env: {}, cwd: '/' };
const get = (port: number, path = '/', headers: Record<string, string> = {}): ProbeHandler => ({
  http_get: { host: '127.0.0.1', port, path, scheme: 'http', headers },
});

/** A server whose every connection is handed to `answer` once the request's head has arrived. */
class Scripted {
  readonly server: net.Server;
  readonly requests: string[] = [];
  readonly sockets = new Set<net.Socket>();
  connections = 0;
  /** Resolves when a connection closes (the client destroyed it, or the server ended it). */
  private closes: (() => void)[] = [];
  closed = 0;

  constructor(answer: (socket: net.Socket, request: string) => void) {
    this.server = net.createServer((socket) => {
      this.connections++;
      this.sockets.add(socket);
      let request = '';
      let answered = false;
      socket.on('data', (chunk) => {
        request += chunk.toString('latin1');
        if (!answered && request.includes('\r\n\r\n')) {
          answered = true;
          this.requests.push(request);
          answer(socket, request);
        }
      });
      socket.on('error', () => {});
      socket.on('close', () => {
        this.closed++;
        this.sockets.delete(socket);
        for (const c of this.closes.splice(0)) c();
      });
    });
  }

  async listen(): Promise<number> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    servers.push(this);
    return (this.server.address() as net.AddressInfo).port;
  }

  /** Resolves once `n` connections have closed in total. */
  closedCount(n: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.closed} of ${n} closed`)), SAFETY_TIMEOUT_MS);
      const check = (): void => {
        if (this.closed < n) {
          this.closes.push(check);
          return;
        }
        clearTimeout(timer);
        resolve();
      };
      check();
    });
  }
}
const servers: Scripted[] = [];
after(() => {
  for (const s of servers) {
    s.server.close();
    for (const socket of s.sockets) socket.destroy();
  }
});

const verdict = (r: { ok: boolean; output: string; error: string | null }) => [r.ok, r.output, r.error];

describe('http_get over a bare socket', () => {
  test('2xx and 3xx succeed, 4xx, 5xx and 101 fail; the reason phrase is optional', async () => {
    let status = '';
    const s = new Scripted((socket) => socket.end(`HTTP/1.1 ${status}\r\ncontent-length: 0\r\n\r\n`));
    const port = await s.listen();
    const cases: [string, boolean, string][] = [
      ['200 OK', true, 'HTTP 200'],
      ['204 No Content', true, 'HTTP 204'],
      ['301 Moved Permanently', true, 'HTTP 301'],
      ['399', true, 'HTTP 399'],
      ['400 Bad Request', false, 'HTTP 400'],
      ['404 Not Found', false, 'HTTP 404'],
      ['503 Service Unavailable', false, 'HTTP 503'],
      ['101 Switching Protocols', false, 'HTTP 101'],
    ];
    for (const [line, ok, output] of cases) {
      status = line;
      assert.deepEqual(verdict(await run(get(port), target, 2000)), [ok, output, null], line);
    }
    // HTTP/1.0 answers count as well.
    const s10 = new Scripted((socket) => socket.end('HTTP/1.0 200 OK\r\n\r\n'));
    assert.deepEqual(verdict(await run(get(await s10.listen()), target, 2000)), [true, 'HTTP 200', null]);
  });

  test('interim answers (100 Continue, 103 Early Hints) are skipped: the final status decides', async () => {
    let answer = '';
    const s = new Scripted((socket) => socket.end(answer));
    const port = await s.listen();
    answer = 'HTTP/1.1 103 Early Hints\r\nLink: </app.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\n\r\n';
    assert.deepEqual(verdict(await run(get(port), target, 2000)), [true, 'HTTP 200', null]);
    answer = 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 503 Service Unavailable\r\n\r\n';
    assert.deepEqual(verdict(await run(get(port), target, 2000)), [false, 'HTTP 503', null]);
    answer = 'HTTP/1.1 103 Early Hints\r\nLink: </app.css>\r\n\r\n';
    const cut = await run(get(port), target, 2000);
    assert.deepEqual(
      [cut.ok, cut.error],
      [false, 'the server closed the connection without a final answer (after HTTP 103)'],
    );
  });

  test('a redirect is a success and is not followed', async () => {
    const elsewhere = new Scripted((socket) => socket.end('HTTP/1.1 500 Oops\r\n\r\n'));
    const other = await elsewhere.listen();
    const s = new Scripted((socket) =>
      socket.end(`HTTP/1.1 302 Found\r\nlocation: http://127.0.0.1:${other}/login\r\n\r\n`),
    );
    const r = await run(get(await s.listen()), target, 2000);
    assert.deepEqual(verdict(r), [true, 'HTTP 302', null]);
    assert.equal(elsewhere.connections, 0, 'the redirect was not followed');
  });

  test('sends one GET with Host, User-Agent, Accept, the probe headers and Connection: close', async () => {
    const s = new Scripted((socket) => socket.end('HTTP/1.1 200 OK\r\n\r\n'));
    const port = await s.listen();
    await run(
      get(port, '/healthz?deep=1', { Authorization: 'Bearer probe', 'X-Probe': 'a b' }),
      target,
      2000,
    );
    assert.equal(
      s.requests[0],
      'GET /healthz?deep=1 HTTP/1.1\r\n' +
        `Host: 127.0.0.1:${port}\r\n` +
        'User-Agent: tend-probe\r\n' +
        'Accept: */*\r\n' +
        'Authorization: Bearer probe\r\n' +
        'X-Probe: a b\r\n' +
        'Connection: close\r\n\r\n',
    );
    // The user's Host and User-Agent replace tend's, whatever their case; Connection stays tend's.
    await run(
      get(port, '/', { host: 'api.local', 'USER-AGENT': 'kube-probe/1.30', connection: 'keep-alive' }),
      target,
      2000,
    );
    assert.equal(
      s.requests[1],
      'GET / HTTP/1.1\r\nAccept: */*\r\nhost: api.local\r\nUSER-AGENT: kube-probe/1.30\r\nConnection: close\r\n\r\n',
    );
  });

  test('the status line read in pieces, byte by byte, gives the same verdict', async () => {
    const answer = 'HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n';
    const s = new Scripted((socket) => {
      socket.setNoDelay(true);
      let i = 0;
      const next = (): void => {
        if (socket.destroyed) return;
        if (i >= answer.length) return void socket.end();
        socket.write(answer[i++] ?? '');
        setImmediate(next);
      };
      next();
    });
    assert.deepEqual(verdict(await run(get(await s.listen()), target, 2000)), [false, 'HTTP 503', null]);
  });

  test('the connection is closed as soon as the status line is in, the rest unread', async () => {
    // Sends the status line and headers, then holds the connection open with a body that never ends.
    const s = new Scripted((socket) =>
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 1000000\r\n\r\npartial'),
    );
    const r = await run(get(await s.listen()), target, 5000);
    assert.deepEqual(verdict(r), [true, 'HTTP 200', null]);
    await s.closedCount(1);
  });

  test('a server that never answers: the timeout, and the connection is closed', async () => {
    const s = new Scripted(() => {});
    const r = await run(get(await s.listen()), target, 300);
    assert.deepEqual(verdict(r), [false, 'timeout after 300 ms', 'timeout after 300 ms']);
    assert.ok(r.duration_ms >= 290, `duration ${r.duration_ms}`);
    await s.closedCount(1);
  });

  test('nobody listening: refused, with the reason', async () => {
    const port = await freePort();
    const r = await run(get(port), target, 2000);
    const refused = `connect ECONNREFUSED 127.0.0.1:${port}`;
    assert.deepEqual(verdict(r), [false, refused, refused]);
  });

  test('garbage, an endless first line, or no answer at all: a failure saying which', async () => {
    const ssh = new Scripted((socket) => socket.write('SSH-2.0-OpenSSH_9.6\r\n'));
    const r1 = await run(get(await ssh.listen()), target, 2000);
    assert.deepEqual(verdict(r1), [
      false,
      'not an HTTP status line: "SSH-2.0-OpenSSH_9.6"',
      'not an HTTP status line: "SSH-2.0-OpenSSH_9.6"',
    ]);
    const endless = new Scripted((socket) => socket.write('x'.repeat(STATUS_LINE_LIMIT + 10)));
    const r2 = await run(get(await endless.listen()), target, 5000);
    assert.equal(r2.ok, false);
    assert.match(r2.error ?? '', /^not an HTTP status line: "x+…"$/);
    const bad = new Scripted((socket) => socket.end('HTTP/1.1 2OO OK\r\n\r\n'));
    assert.equal(
      (await run(get(await bad.listen()), target, 2000)).error,
      'not an HTTP status line: "HTTP/1.1 2OO OK"',
    );
    const mute = new Scripted((socket) => socket.end());
    const r3 = await run(get(await mute.listen()), target, 2000);
    assert.deepEqual(verdict(r3), [
      false,
      'the server closed the connection without an answer',
      'the server closed the connection without an answer',
    ]);
  });

  test('a header or path that would break its line is refused before connecting', async () => {
    const s = new Scripted((socket) => socket.end('HTTP/1.1 200 OK\r\n\r\n'));
    const port = await s.listen();
    const smuggled = await run(get(port, '/', { 'X-A': 'v\r\nX-Injected: 1' }), target, 2000);
    assert.deepEqual([smuggled.ok, smuggled.error], [false, 'Invalid character in header content ["X-A"]']);
    const badName = await run(get(port, '/', { 'X A': 'v' }), target, 2000);
    assert.deepEqual([badName.ok, badName.error], [false, 'Header name must be a valid HTTP token ["X A"]']);
    const badPath = await run(get(port, '/a b HTTP/1.1\r\nX: y'), target, 2000);
    assert.deepEqual([badPath.ok, badPath.error], [false, 'Request path contains unescaped characters']);
    assert.equal(s.connections, 0, 'nothing was sent');
  });
});

describe('the status line parser and the request head', () => {
  test('needs the line end (or the end of the answer, or the limit) before it judges', () => {
    const pieces = ['H', 'TTP/1.1 2', '00', ' OK\r', '\n'];
    let head = '';
    const seen = pieces.map((p) => {
      head += p;
      return statusVerdict(head, false)?.output;
    });
    assert.deepEqual(seen, [undefined, undefined, undefined, undefined, 'HTTP 200']);
    assert.equal(statusVerdict('HTTP/1.1 200', true)?.output, 'HTTP 200');
    assert.equal(
      statusVerdict('HTTP/1.1 200 OK\n', false)?.output,
      'HTTP 200',
      'a bare LF ends the line too',
    );
    assert.equal(statusVerdict('', true)?.error, 'the server closed the connection without an answer');
    assert.equal(statusVerdict('HTTP/1.1 20', true)?.error, 'not an HTTP status line: "HTTP/1.1 20"');
    // An interim answer in pieces: nothing until the final status line is whole.
    const interim = 'HTTP/1.1 103 Early Hints\nLink: </a>\n\nHTTP/1.1 204 No Content\n';
    const judged = [...interim].map((_, i) => statusVerdict(interim.slice(0, i + 1), false)?.output);
    assert.deepEqual(
      judged.filter((x) => x !== undefined),
      ['HTTP 204'],
    );
    assert.equal(judged.at(-1), 'HTTP 204');
    const endless = `HTTP/1.1 103 Early Hints\r\n${'Link: </a>\r\n'.repeat(2000)}`;
    assert.match(
      statusVerdict(endless, false)?.error ?? '',
      /^no final status line after HTTP 103 in the first \d+ bytes$/,
    );
  });

  test('an IPv6 host is bracketed in Host', () => {
    const head = requestHead({ host: '::1', path: '/', headers: {} }, 8080);
    assert.match(head, /\r\nHost: \[::1\]:8080\r\n/);
  });
});
