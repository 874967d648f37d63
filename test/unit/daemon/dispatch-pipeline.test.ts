// The request pipeline in-process: every gate between a frame and a handler, and the mapping of what a
// handler throws, without a socket (test/helpers/inject.ts).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dispatchLine } from '../../../src/daemon/dispatch.js';
import { errorCatalogue, TendError } from '../../../src/protocol/errors.js';
import type { ResponseFrame } from '../../../src/protocol/frames.js';
import { FIXTURES } from '../../helpers/daemon.js';
import { createInjector, helloParams, type Injector } from '../../helpers/inject.js';

let inj: Injector;
before(() => {
  inj = createInjector();
});
after(() => inj.close());

const code = (r: ResponseFrame) => ('error' in r ? r.error.code : null);
const idOf = (r: ResponseFrame) => r.id;

describe('dispatch: the gates', () => {
  test('a line that is not JSON: TEND_ERR_BAD_REQUEST with id null', async () => {
    const c = inj.connection();
    const r = await dispatchLine({ daemon: inj.ctx, connection: c.context }, '{nope');
    assert.equal(code(r), 'TEND_ERR_BAD_REQUEST');
    assert.equal(idOf(r), null);
  });

  test('JSON that is not a request: TEND_ERR_BAD_REQUEST with id null', async () => {
    const c = inj.connection();
    for (const body of [
      null,
      [],
      'x',
      { id: 'a', method: 'process.list' },
      { id: 1 },
      { id: 1.5, method: 'x' },
    ]) {
      const r = await c.inject(body);
      assert.equal(code(r), 'TEND_ERR_BAD_REQUEST', JSON.stringify(body));
      assert.equal(idOf(r), null);
    }
  });

  test('an unknown method, including inherited names', async () => {
    const c = inj.connection();
    for (const method of ['process.nope', 'toString', '__proto__', 'constructor']) {
      const r = await c.inject({ id: 7, method });
      assert.equal(code(r), 'TEND_ERR_UNKNOWN_METHOD', method);
      assert.equal(idOf(r), 7);
    }
  });

  test('bad params name the field', async () => {
    const c = inj.connection();
    const r = await c.inject({ id: 2, method: 'process.stop', params: { target: 'api' } });
    assert.equal(code(r), 'TEND_ERR_BAD_REQUEST');
    assert.ok('error' in r && /process\.stop: target:/.test(r.error.message), JSON.stringify(r));
    const extra = await c.inject({ id: 3, method: 'process.list', params: { surprise: 1 } });
    assert.equal(code(extra), 'TEND_ERR_BAD_REQUEST');
  });

  test('the hello gate: nothing before daemon.hello; a failed hello (bad params) keeps it shut', async () => {
    const c = inj.connection({ greeted: false });
    assert.equal(code(await c.inject({ id: 1, method: 'process.list' })), 'TEND_ERR_BAD_REQUEST');
    assert.equal(code(await c.inject({ id: 2, method: 'daemon.hello', params: {} })), 'TEND_ERR_BAD_REQUEST');
    assert.equal(code(await c.inject({ id: 3, method: 'process.list' })), 'TEND_ERR_BAD_REQUEST');
    const hello = await c.inject({ id: 4, method: 'daemon.hello', params: helloParams });
    assert.ok('result' in hello, JSON.stringify(hello));
    assert.equal(c.context.greeted, true);
    assert.ok('result' in (await c.inject({ id: 5, method: 'process.list' })));
  });

  test('a pipelined request right behind the hello passes the gate', async () => {
    const c = inj.connection({ greeted: false });
    const [h, l] = await Promise.all([
      c.inject({ id: 1, method: 'daemon.hello', params: helloParams }),
      c.inject({ id: 2, method: 'process.list' }),
    ]);
    assert.ok('result' in h && 'result' in l, JSON.stringify([h, l]));
  });

  test('a transport without the hello gate (HTTP) dispatches at once', async () => {
    const c = inj.connection({ greeted: false, helloGate: false });
    assert.ok('result' in (await c.inject({ id: 1, method: 'process.list' })));
  });

  test('daemon.hello: identity, and a protocol mismatch', async () => {
    const c = inj.connection({ greeted: false });
    const r = await c.call('daemon.hello', helloParams);
    assert.equal(r.pid, process.pid);
    assert.equal(r.home, inj.home);
    await assert.rejects(c.call('daemon.hello', { ...helloParams, protocol: 999 }), {
      code: 'TEND_ERR_PROTOCOL_MISMATCH',
    });
  });

  test('a handler that throws a plain Error: TEND_ERR_INTERNAL, the stack in daemon.log only', async () => {
    const c = inj.connection();
    const list = inj.ctx.supervisor.list;
    inj.ctx.supervisor.list = () => {
      throw new Error('boom in list');
    };
    try {
      const r = await c.inject({ id: 9, method: 'process.list' });
      assert.equal(code(r), 'TEND_ERR_INTERNAL');
      assert.equal(idOf(r), 9);
      const wire = JSON.stringify(r);
      assert.match(wire, /boom in list/);
      assert.doesNotMatch(wire, /\bat \S+ \(|\.ts:\d+/, 'no stack frames in the reply');
      assert.ok(inj.logLines.some((l) => l.includes('internal error in process.list') && /\.ts:\d+/.test(l)));
    } finally {
      inj.ctx.supervisor.list = list;
    }
  });

  test('target not found and config invalid keep their code and data', async () => {
    const c = inj.connection();
    const r = await c.inject({ id: 1, method: 'process.stop', params: { target: ['ghost'] } });
    assert.ok('error' in r);
    assert.equal(r.error.code, 'TEND_ERR_TARGET_NOT_FOUND');
    assert.deepEqual(r.error.data, { target: ['ghost'] });
    const bad = await c.inject({
      id: 2,
      method: 'app.start',
      params: { apps: [{ name: 'x', script: `${FIXTURES}/idle.cjs`, max_restarts: -1 }], base_dir: FIXTURES },
    });
    assert.equal(code(bad), 'TEND_ERR_CONFIG_INVALID');
    assert.match(JSON.stringify(bad), /max_restarts/);
  });

  test('shutting down: every method but hello is refused', async () => {
    const c = inj.connection();
    inj.shuttingDown = true;
    try {
      assert.equal(code(await c.inject({ id: 1, method: 'process.list' })), 'TEND_ERR_SHUTTING_DOWN');
      assert.ok('result' in (await c.inject({ id: 2, method: 'daemon.hello', params: helloParams })));
    } finally {
      inj.shuttingDown = false;
    }
  });
});

describe('the error catalogue is typed', () => {
  test('data per code: checked by the compiler, carried at run time', () => {
    const e = new TendError('TEND_ERR_TARGET_NOT_FOUND', { target: ['api'] });
    assert.deepEqual(e.data.target, ['api']);
    // Compiled (npm run typecheck fails if an expected error is missing), never run.
    const typeOnly = () => [
      // @ts-expect-error wrong data for the code
      new TendError('TEND_ERR_TARGET_NOT_FOUND', { name: 'api' }),
      // @ts-expect-error data required
      new TendError('TEND_ERR_TARGET_NOT_FOUND'),
      // @ts-expect-error not a code
      new TendError('TEND_ERR_NOPE', {}),
      // @ts-expect-error a field of the wrong type
      new TendError('TEND_ERR_SAVE_EMPTY', { file: 'f', apps: 'two' }),
    ];
    void typeOnly;
    assert.equal(new TendError('TEND_ERR_SHUTTING_DOWN').exitCode, 3);
    const any: TendError = e;
    assert.ok(any.is('TEND_ERR_TARGET_NOT_FOUND'));
    assert.ok(!any.is('TEND_ERR_INTERNAL'));
    assert.ok(Object.keys(errorCatalogue).length > 20);
  });
});
