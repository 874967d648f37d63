// The socket is the trust boundary: bad frames get an error or a closed connection, never a dead daemon.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { MAX_REQUEST_FRAME } from '../../src/protocol/framing.js';
import { PROTOCOL_VERSION } from '../../src/protocol/version.js';
import { startTestDaemon, type TestDaemon } from '../helpers/daemon.js';
import { errorCodeOf, helloFrame, rawConnection } from '../helpers/raw-socket.js';

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
after(() => d.stop());

const raw = () => rawConnection(d.home);

const hello = helloFrame('test');
const errorCode = errorCodeOf;

async function stillServing(): Promise<void> {
  const c = await d.connect();
  const { processes } = await c.call('process.list');
  assert.ok(Array.isArray(processes));
  await c.close();
}

describe('protocol and bad frames', () => {
  test('garbage gets an error reply and the connection keeps working', async () => {
    const c = await raw();
    c.socket.write('this is not json\n');
    assert.equal(errorCode(await c.next()), 'TEND_ERR_BAD_REQUEST');
    c.socket.write('{"no":"id"}\n');
    assert.equal(errorCode(await c.next()), 'TEND_ERR_BAD_REQUEST');
    c.socket.write('[1,2,3]\n');
    assert.equal(errorCode(await c.next()), 'TEND_ERR_BAD_REQUEST');
    c.socket.write(hello);
    const reply = await c.next();
    assert.equal((reply!.result as { protocol: number }).protocol, PROTOCOL_VERSION);
    c.socket.end();
    await stillServing();
  });

  test('the handshake comes first, and a protocol mismatch is refused', async () => {
    const c = await raw();
    c.socket.write(`${JSON.stringify({ id: 5, method: 'process.list', params: {} })}\n`);
    const r = await c.next();
    assert.equal(r?.id, 5);
    assert.equal(errorCode(r), 'TEND_ERR_BAD_REQUEST');
    c.socket.write(
      `${JSON.stringify({ id: 6, method: 'daemon.hello', params: { protocol: 999, client: 'x' } })}\n`,
    );
    const m = await c.next();
    assert.equal(errorCode(m), 'TEND_ERR_PROTOCOL_MISMATCH');
    assert.match(String((m!.error as { message: string }).message), /protocol 1, this client speaks 999/);
    c.socket.end();
  });

  test('unknown methods and invalid params are errors that name the problem', async () => {
    const c = await raw();
    c.socket.write(hello);
    await c.next();
    c.socket.write(`${JSON.stringify({ id: 2, method: 'process.explode', params: {} })}\n`);
    assert.equal(errorCode(await c.next()), 'TEND_ERR_UNKNOWN_METHOD');
    c.socket.write(`${JSON.stringify({ id: 3, method: 'process.stop', params: { target: 'api' } })}\n`);
    const bad = await c.next();
    assert.equal(errorCode(bad), 'TEND_ERR_BAD_REQUEST');
    assert.match(String((bad!.error as { message: string }).message), /target/);
    c.socket.write(`${JSON.stringify({ id: 4, method: 'process.list', params: { extra: 1 } })}\n`);
    assert.equal(errorCode(await c.next()), 'TEND_ERR_BAD_REQUEST');
    c.socket.write(`${JSON.stringify({ id: 5, method: 'process.stop', params: { target: ['nope'] } })}\n`);
    assert.equal(errorCode(await c.next()), 'TEND_ERR_TARGET_NOT_FOUND');
    c.socket.end();
  });

  test('an oversized frame gets an error and a closed connection; others are unaffected', async () => {
    const other = await d.connect();
    const c = await raw();
    c.socket.write(hello);
    await c.next();
    const big = 'x'.repeat(MAX_REQUEST_FRAME + 1024);
    c.socket.write(`{"id":2,"method":"process.list","params":{"pad":"${big}`);
    const r = await c.next();
    assert.equal(errorCode(r), 'TEND_ERR_FRAME_TOO_LARGE');
    await c.closed;
    const { processes } = await other.call('process.list');
    assert.ok(Array.isArray(processes));
    await other.close();
  });

  test('a half-written frame followed by a hang-up is dropped quietly', async () => {
    const c = await raw();
    c.socket.write(hello);
    await c.next();
    c.socket.end('{"id":2,"method":"process.li');
    await c.closed;
    await stillServing();
  });

  test('many abrupt connections do not disturb the daemon', async () => {
    await Promise.all(
      Array.from({ length: 30 }, async (_, i) => {
        const c = await raw();
        c.socket.write(i % 2 ? '\u0000\u0001garbage\n' : hello);
        c.socket.destroy();
      }),
    );
    await stillServing();
  });
});
