// Process methods through dispatch, in-process, with real processes (test/helpers/inject.ts). Events that a
// subscription receives are checked against their schemas in protocol/events.ts.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { events as eventDefs } from '../../../src/protocol/events.js';
import { FIXTURES } from '../../helpers/daemon.js';
import { createInjector, type InjectConnection, type Injector } from '../../helpers/inject.js';

let inj: Injector;
let c: InjectConnection;
before(() => {
  inj = createInjector();
  c = inj.connection();
});
after(() => inj.close());

const app = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  script: `${FIXTURES}/idle.cjs`,
  ...extra,
});

describe('dispatch: process methods', () => {
  test('events.subscribe: a snapshot, then events that match their schemas; onClose unsubscribes', async () => {
    const sub = inj.connection();
    const { processes } = await sub.call('events.subscribe', {});
    assert.deepEqual(processes, []);
    await c.call('app.start', { apps: [app('sub-a')], base_dir: FIXTURES });
    const states = sub.events.filter((e) => e.event === 'process.state');
    assert.ok(
      states.some((e) => e.data.name === 'sub-a' && e.data.to === 'online'),
      JSON.stringify(states),
    );
    for (const e of sub.events) eventDefs[e.event].data().parse(e.data);
    const listeners = inj.ctx.bus.size;
    sub.close();
    assert.equal(inj.ctx.bus.size, listeners - 1);
    await c.call('process.delete', { target: ['sub-a'] });
  });

  test('app.start: started and online; again: already running', async () => {
    const r = await c.call('app.start', {
      apps: [app('api', { instances: 2, exec_mode: 'fork' })],
      base_dir: FIXTURES,
    });
    assert.deepEqual(
      r.processes.map((p) => [p.name, p.status]),
      [
        ['api', 'online'],
        ['api', 'online'],
      ],
    );
    await assert.rejects(c.call('app.start', { apps: [app('api')], base_dir: FIXTURES }), {
      code: 'TEND_ERR_ALREADY_RUNNING',
    });
    await assert.rejects(
      c.call('app.start', { apps: [{ name: 'x', script: 'no-such.js' }], base_dir: FIXTURES }),
      {
        code: 'TEND_ERR_SCRIPT_NOT_FOUND',
      },
    );
  });

  test('process.list and process.describe', async () => {
    const { processes } = await c.call('process.list');
    assert.equal(processes.filter((p) => p.name === 'api').length, 2);
    const { details } = await c.call('process.describe', { target: ['api'] });
    assert.equal(details.length, 2);
    assert.equal(details[0]?.process.name, 'api');
    await assert.rejects(c.call('process.describe', { target: ['ghost'] }), {
      code: 'TEND_ERR_TARGET_NOT_FOUND',
    });
  });

  test('process.stop, process.start, process.restart', async () => {
    const stopped = await c.call('process.stop', { target: ['api'] });
    assert.ok(stopped.processes.every((p) => p.status === 'stopped'));
    await assert.rejects(c.call('process.env', { target: ['api'] }), { code: 'TEND_ERR_NOT_RUNNING' });
    const started = await c.call('process.start', { target: ['api'] });
    assert.ok(started.processes.every((p) => p.status === 'online'));
    const pids = started.processes.map((p) => p.pid);
    const restarted = await c.call('process.restart', { target: ['api'] });
    assert.ok(restarted.processes.every((p) => p.status === 'online' && !pids.includes(p.pid)));
    await assert.rejects(c.call('process.restart', { target: ['ghost'] }), {
      code: 'TEND_ERR_TARGET_NOT_FOUND',
    });
    await assert.rejects(c.call('process.start', { target: ['ghost'] }), {
      code: 'TEND_ERR_TARGET_NOT_FOUND',
    });
  });

  test('process.reload: fork instances are restarted', async () => {
    const before = (await c.call('process.list')).processes.filter((p) => p.name === 'api').map((p) => p.pid);
    const r = await c.call('process.reload', { target: ['api'] });
    const now = r.processes.filter((p) => p.name === 'api');
    assert.ok(
      now.every((p) => p.status === 'online' && !before.includes(p.pid)),
      JSON.stringify(now),
    );
    await assert.rejects(c.call('process.reload', { target: ['ghost'] }), {
      code: 'TEND_ERR_TARGET_NOT_FOUND',
    });
  });

  test('app.scale up and down', async () => {
    const up = await c.call('app.scale', { name: 'api', instances: 3 });
    assert.equal(up.processes.filter((p) => p.status === 'online').length, 3);
    const down = await c.call('app.scale', { name: 'api', instances: 1 });
    assert.equal(down.processes.length, 1);
    await assert.rejects(c.call('app.scale', { name: 'ghost', instances: 1 }), {
      code: 'TEND_ERR_TARGET_NOT_FOUND',
    });
    await assert.rejects(c.call('app.scale', { name: 'api', instances: 0 }), {
      code: 'TEND_ERR_BAD_REQUEST',
    });
  });

  test('process.env reads the environment of the process, masking secrets', async () => {
    await c.call('app.start', {
      apps: [
        app('envy', {
          env: { PLAIN: 'yes', API_TOKEN: 'hush', DATABASE_URL: 'postgres://u:p4ss@db/x', PWD_HINT: 'x' },
        }),
      ],
      base_dir: FIXTURES,
      env: {},
    });
    const { processes } = await c.call('process.env', { target: ['envy'] });
    assert.equal(processes[0]?.env.PLAIN, 'yes');
    assert.notEqual(processes[0]?.env.API_TOKEN, 'hush');
    // By value too (protocol/secrets.ts): a URL with a password, whatever its name.
    assert.equal(processes[0]?.env.DATABASE_URL, '********');
    assert.deepEqual(processes[0]?.masked.sort(), ['API_TOKEN', 'DATABASE_URL', 'PWD_HINT']);
    const shown = await c.call('process.env', { target: ['envy'], show_secrets: true });
    assert.equal(shown.processes[0]?.env.API_TOKEN, 'hush');
    assert.equal(shown.processes[0]?.env.DATABASE_URL, 'postgres://u:p4ss@db/x');
  });

  test('process.signal: sent to the process; a bad signal is an error', async () => {
    const r = await c.call('process.signal', { target: ['envy'], signal: 'usr2' });
    assert.equal(r.signal, 'SIGUSR2');
    assert.equal(r.processes.length, 1);
    await assert.rejects(c.call('process.signal', { target: ['envy'], signal: 'SIGNOPE' }), {
      code: 'TEND_ERR_INVALID_SIGNAL',
    });
  });

  test('process.delete: gone from the list', async () => {
    const r = await c.call('process.delete', { target: ['envy'] });
    assert.equal(r.processes.length, 1);
    const { processes } = await c.call('process.list');
    assert.ok(!processes.some((p) => p.name === 'envy'));
    await assert.rejects(c.call('process.delete', { target: ['envy'] }), {
      code: 'TEND_ERR_TARGET_NOT_FOUND',
    });
  });
});
