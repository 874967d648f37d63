// Log and persistence methods through dispatch, in-process (test/helpers/inject.ts): logs.*, daemon.save,
// daemon.resurrect, daemon.update and daemon.kill (shutdown is recorded, not performed).
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { events as eventDefs } from '../../../src/protocol/events.js';
import { FIXTURES } from '../../helpers/daemon.js';
import { createInjector, type InjectConnection, type Injector } from '../../helpers/inject.js';

let inj: Injector;
let c: InjectConnection;
before(async () => {
  inj = createInjector();
  c = inj.connection();
  await c.call('app.start', {
    apps: [{ name: 'talker', script: `${FIXTURES}/say.cjs`, args: ['talker'] }],
    base_dir: FIXTURES,
  });
});
after(() => inj.close());

describe('dispatch: logs', () => {
  test('logs.subscribe: the files with offsets, then log.lines events; onClose stops them', async () => {
    const follower = inj.connection();
    const { files } = await follower.call('logs.subscribe', { target: ['talker'], streams: ['out'] });
    assert.equal(files.length, 1);
    assert.ok(files[0]?.path.endsWith('talker-out.log'), files[0]?.path);
    const e = await follower.until((x) => x.event === 'log.lines', 'a log.lines event');
    eventDefs['log.lines'].data().parse(e.data);
    assert.ok(e.event === 'log.lines' && e.data.lines.some((l) => l.includes('talker says')));
    follower.close();
    await assert.rejects(follower.call('logs.subscribe', { target: ['ghost'] }), {
      code: 'TEND_ERR_TARGET_NOT_FOUND',
    });
  });

  test('logs.files, logs.flush, logs.reload', async () => {
    const { files } = await c.call('logs.files', { target: ['talker'] });
    assert.equal(files.length, 2);
    const out = files.find((f) => f.streams.includes('out'));
    assert.ok(out && out.offset !== null && out.offset > 0, JSON.stringify(out));
    const flushed = await c.call('logs.flush', { target: ['talker'] });
    assert.ok(flushed.files.includes(out.path));
    assert.ok(statSync(out.path).size < (out.offset ?? 0) || statSync(out.path).size < 4096);
    const reloaded = await c.call('logs.reload');
    assert.ok(reloaded.files.includes(out.path), JSON.stringify(reloaded));
    await assert.rejects(c.call('logs.files', { target: ['ghost'] }), { code: 'TEND_ERR_TARGET_NOT_FOUND' });
  });
});

describe('dispatch: persistence and the daemon', () => {
  test('daemon.resurrect without a dump: TEND_ERR_DUMP_NOT_FOUND', async () => {
    await assert.rejects(c.call('daemon.resurrect'), { code: 'TEND_ERR_DUMP_NOT_FOUND' });
  });

  test('daemon.save writes dump.json; resurrect after delete brings the app back', async () => {
    const saved = await c.call('daemon.save', {});
    assert.deepEqual(
      saved.apps.map((a) => a.name),
      ['talker'],
    );
    assert.ok(existsSync(saved.file));
    assert.match(readFileSync(saved.file, 'utf8'), /say\.cjs/);
    await c.call('process.delete', { target: ['talker'] });
    await assert.rejects(c.call('daemon.save', {}), { code: 'TEND_ERR_SAVE_EMPTY' });
    const r = await c.call('daemon.resurrect');
    assert.deepEqual(
      r.processes.map((p) => [p.name, p.status]),
      [['talker', 'online']],
    );
  });

  test('daemon.update: hands the list over, stops the apps, asks for shutdown; a second is refused', async () => {
    const r = await c.call('daemon.update');
    assert.equal(r.processes, 1);
    assert.equal(inj.successors, 1);
    const { processes } = await c.call('process.list').catch(() => ({ processes: [] }));
    assert.ok(processes.every((p) => p.status === 'stopped'));
    // The reply is sent before the daemon goes: shutdown is asked right after.
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(inj.shutdowns.at(-1)?.reason.includes('update'), true, JSON.stringify(inj.shutdowns));
    await assert.rejects(c.call('daemon.update'), { code: 'TEND_ERR_SHUTTING_DOWN' });
    inj.shuttingDown = false;
  });

  test('daemon.kill: stops every process, replies, then asks for shutdown', async () => {
    await c.call('process.start', { target: ['talker'] });
    const r = await c.call('daemon.kill');
    assert.ok(r.processes.every((p) => p.status === 'stopped'));
    await new Promise<void>((resolve) => setImmediate(resolve));
    assert.equal(inj.shutdowns.at(-1)?.reason, 'daemon.kill');
  });
});
