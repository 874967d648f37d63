// An address bound ahead of the HTTP layer (src/http/bind.ts), as tend-runtime binds its health address
// before it spawns the apps, then taken over by node:http (listener.ts): a request sent in between is
// answered once the layer is there, and an address in use fails the bind with TEND_ERR_HTTP_LISTEN.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { bindAddress } from '../../../src/http/bind.js';
import { listen } from '../../../src/http/listener.js';
import { isTendError } from '../../../src/protocol/errors.js';
import { freePort } from '../../helpers/free-port.js';
import { get } from '../../helpers/http.js';

const handler = (_req: unknown, res: import('node:http').ServerResponse) => {
  res.writeHead(503, { 'content-type': 'text/plain' });
  res.end('not ready\n');
};

test('a request on the bound address before the take-over is answered after it; later ones too', async () => {
  const port = await freePort();
  const address = { host: '127.0.0.1', port, family: 4 as const };
  const bound = await bindAddress('health', address);
  const early = connect(port, '127.0.0.1');
  let answer = '';
  early.setEncoding('utf8');
  early.on('data', (d: string) => {
    answer += d;
  });
  // A safety net only: the early request is held, never lost.
  const ended = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer to the early request: ${answer}`)), 10_000);
    early.on('end', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  // Accepted by the bound server (held, unread), then the request is sent: nothing answers it yet.
  await new Promise<void>((resolve) => bound.server.once('connection', () => resolve()));
  early.write('GET /readyz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const listener = await listen('health', address, handler, bound);
  try {
    await ended;
    assert.match(answer, /^HTTP\/1\.1 503 /);
    assert.ok(answer.includes('\r\n\r\na\r\nnot ready\n\r\n0\r\n\r\n'), answer);
    const later = await get(port, '/livez');
    assert.equal(later.status, 503);
    assert.equal(listener.url, `http://127.0.0.1:${port}/`);
  } finally {
    await listener.close();
  }
  // Closing the listener frees the address (the bound server's handle was its own).
  const again = await bindAddress('health', address);
  again.close();
});

test('an address in use: TEND_ERR_HTTP_LISTEN naming it; close() of a bound address frees it', async () => {
  const port = await freePort();
  const address = { host: '127.0.0.1', port, family: 4 as const };
  const bound = await bindAddress('health', address);
  await assert.rejects(bindAddress('health', address), (err: unknown) => {
    assert.ok(isTendError(err));
    assert.equal(err.code, 'TEND_ERR_HTTP_LISTEN');
    assert.match(err.message, new RegExp(`127\\.0\\.0\\.1:${port}.*EADDRINUSE`));
    return true;
  });
  // An early connection is dropped with it.
  const early = connect(port, '127.0.0.1');
  const closed = new Promise<void>((resolve) => early.on('close', () => resolve()));
  early.on('error', () => {});
  await new Promise<void>((resolve) => bound.server.once('connection', () => resolve()));
  bound.close();
  await closed;
  const again = await bindAddress('health', address);
  again.close();
});
