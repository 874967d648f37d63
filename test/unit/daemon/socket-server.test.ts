// The socket server's order of service (src/daemon/server.ts), in-process: a real DaemonContext
// (test/helpers/inject.ts) behind createSocketServer on a socket in a temporary home, and clients in the same
// process. One process means the server cannot act while the test writes: a burst written in one synchronous
// block is all there when the server next polls, so the order of the answers is the server's choice alone.
import assert from 'node:assert/strict';
import { connect as netConnect, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSocketServer, listenPrivately, type SocketServer } from '../../../src/daemon/server.js';
import { PROTOCOL_VERSION } from '../../../src/protocol/version.js';
import { createInjector, type Injector } from '../../helpers/inject.js';

let inj: Injector;
let srv: SocketServer;
let path: string;
before(async () => {
  inj = createInjector();
  srv = createSocketServer(inj.ctx, { requestTimeoutMs: 30_000 });
  path = join(inj.home, 'test.sock');
  await listenPrivately(srv.server, path);
});
after(async () => {
  await srv.close();
  await inj.close();
});

const frame = (v: unknown) => `${JSON.stringify(v)}\n`;
const hello = frame({
  id: 1,
  method: 'daemon.hello',
  params: { protocol: PROTOCOL_VERSION, client: 'order' },
});

/** A connected socket whose reply lines go to onLine. */
function open(onLine: (line: { id: number | null }) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = netConnect(path);
    let buf = '';
    s.setEncoding('utf8');
    s.on('data', (chunk: string) => {
      buf += chunk;
      for (let i = buf.indexOf('\n'); i !== -1; i = buf.indexOf('\n')) {
        onLine(JSON.parse(buf.slice(0, i)));
        buf = buf.slice(i + 1);
      }
    });
    s.on('error', () => {});
    s.once('error', reject);
    s.once('connect', () => resolve(s));
  });
}

describe('socket server: who is served first', () => {
  test('a greeted client is answered before a burst of new connections that arrived first', async () => {
    const order: string[] = [];
    let answered = 0;
    const N = 100;
    let allDone = () => {};
    const done = new Promise<void>((r) => (allDone = r));
    const count = (who: string) => {
      order.push(who);
      if (++answered === N + 1) allDone();
    };
    let greeted = () => {};
    const isGreeted = new Promise<void>((r) => (greeted = r));
    const probe = await open((l) => (l.id === 1 ? greeted() : count('probe')));
    probe.write(hello);
    await isGreeted;
    // The server must have accepted them all (not only the kernel), so that their bytes are its to read.
    let accepted = 0;
    let allAccepted = () => {};
    const inServer = new Promise<void>((r) => (allAccepted = r));
    const onConnection = () => ++accepted === N && allAccepted();
    srv.server.on('connection', onConnection);
    const flood = await Promise.all(
      Array.from({ length: N }, (_, i) => open((l) => l.id === 2 && count(`flood ${i}`))),
    );
    await inServer;
    srv.server.off('connection', onConnection);
    // One synchronous block: every new connection's hello and list first, the greeted client's list last.
    const list = frame({ id: 2, method: 'process.list' });
    for (const s of flood) s.write(`${hello}${list}`);
    probe.write(frame({ id: 7, method: 'process.list' }));
    await done;
    const rank = order.indexOf('probe');
    // Served in arrival order, the probe would come last; it may follow a flood list already under way.
    assert.ok(
      rank <= 1,
      `the greeted client's list was answer ${rank + 1} of ${N + 1}: ${order.slice(0, 5)}`,
    );
    for (const s of [probe, ...flood]) s.destroy();
  });

  test('a hello and the request pipelined behind it are answered in one write, in order', async () => {
    // The server's side of the connection, to count its writes.
    const writes: string[] = [];
    const seen = new Promise<Socket>((r) => srv.server.once('connection', r));
    const lines: { id: number | null }[] = [];
    let both = () => {};
    const answered = new Promise<void>((r) => (both = r));
    const client = await open((l) => {
      lines.push(l);
      if (lines.length === 2) both();
    });
    const server = await seen;
    const write = server.write.bind(server) as (chunk: string) => boolean;
    (server as unknown as { write: (chunk: string) => boolean }).write = (chunk: string) => {
      writes.push(chunk);
      return write(chunk);
    };
    client.write(`${hello}${frame({ id: 2, method: 'process.list' })}`);
    await answered;
    assert.deepEqual(
      lines.map((l) => l.id),
      [1, 2],
    );
    assert.equal(writes.length, 1, `${writes.length} writes: ${JSON.stringify(writes)}`);
    assert.equal(writes[0]?.split('\n').length, 3, 'both replies, each on its line');
    client.destroy();
  });

  test('a subscription asked by a connection that hung up before its turn is dropped, not kept', async () => {
    const subscribers = inj.ctx.bus.size;
    const subscribe = frame({ id: 2, method: 'events.subscribe' });
    // Each says hello, subscribes and hangs up at once: the lines are handled after the close is seen.
    for (let i = 0; i < 20; i++) {
      const s = await open(() => {});
      s.end(`${hello}${subscribe}`);
    }
    // Connections are served in the order they came: once a later one is answered, the 20 were handled.
    let answered = () => {};
    const last = new Promise<void>((r) => (answered = r));
    const later = await open((l) => l.id === 2 && answered());
    later.write(`${hello}${frame({ id: 2, method: 'process.list' })}`);
    await last;
    later.destroy();
    assert.equal(inj.ctx.bus.size, subscribers, 'subscriptions of closed connections are still on the bus');
  });
});
