// GET /api/v1/events through openStreams with a real supervisor, real processes and a real HTTP socket on
// 127.0.0.1: the snapshot first, live bus events (a crash as process.exit plus a timeline entry, with the
// latency from the exit to the event), Last-Event-ID resume and its fallback, keep-alive and stats sampling
// on an injected clock, a slow reader cut off at the bound, and no listener left behind.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { openApiDocument } from '../../../src/http/openapi.js';
import { ROUTES } from '../../../src/http/routes.js';
import { type OpenStreams, openStreams } from '../../../src/http/streams/index.js';
import { type EventData, events } from '../../../src/protocol/events.js';
import type { ProcessInfo } from '../../../src/protocol/process-info.js';
import { FIXTURES } from '../../helpers/daemon.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { createInjector, type InjectConnection, type Injector } from '../../helpers/inject.js';
import { data, type Frame, getJson, openSse, type Served, serve } from './sse-harness.js';

let inj: Injector;
let c: InjectConnection;
let clock: FakeClock;
let streams: OpenStreams;
let srv: Served;
let baseListeners: number;

before(async () => {
  inj = createInjector();
  c = inj.connection();
  baseListeners = inj.ctx.bus.size;
  await c.call('app.start', { apps: [{ name: 'idle', script: `${FIXTURES}/idle.cjs` }], base_dir: FIXTURES });
  clock = new FakeClock(Date.now());
  streams = openStreams(inj.ctx, { clock });
  srv = await serve(streams);
});
after(async () => {
  streams.close();
  await srv.close();
  await inj.close();
});

const isEvent =
  (name: string, pred: (d: Record<string, unknown>) => boolean = () => true) =>
  (f: Frame) =>
    f.event === name && pred(data(f));

describe('GET /api/v1/events', () => {
  test('headers, retry first, then a snapshot with the processes, the timeline and the stats', async () => {
    const s = await openSse(srv.port, '/events');
    try {
      assert.equal(s.status, 200);
      assert.match(String(s.headers['content-type']), /^text\/event-stream/);
      assert.equal(s.headers['cache-control'], 'no-store');
      assert.equal(s.headers['x-accel-buffering'], 'no');
      const snap = await s.next((f) => f.event === 'snapshot', 'the snapshot');
      assert.equal(s.frames[0]?.retry, '2000', 'the retry field comes first');
      assert.equal(s.frames[1], snap, 'the snapshot comes right after');
      assert.match(snap.id ?? '', /^\d+$/);
      const d = data<{ processes: ProcessInfo[]; timeline: unknown[]; stats: { instances: object } }>(snap);
      assert.deepEqual(
        d.processes.map((p) => [p.name, p.status]),
        [['idle', 'online']],
      );
      assert.ok(Array.isArray(d.timeline));
      assert.ok('idle:0' in d.stats.instances, JSON.stringify(d.stats));
    } finally {
      s.close();
    }
  });

  test('a crash arrives as process.exit (latency measured) and is in the timeline; a stop is a wanted exit', async () => {
    const s = await openSse(srv.port, '/events');
    try {
      await s.next((f) => f.event === 'snapshot', 'the snapshot');
      const [p] = (await c.call('process.list')).processes;
      const pid = p?.pid as number;
      process.kill(pid, 'SIGKILL');
      const exit = await s.next(
        isEvent('process.exit', (d) => d.name === 'idle'),
        'process.exit',
      );
      assert.deepEqual((data(exit).exit as { signal: string }).signal, 'SIGKILL');
      await s.next(isEvent('process.restart-scheduled'), 'the restart');
      await s.next(
        isEvent('process.state', (d) => d.to === 'online'),
        'online again',
      );

      const { body } = await getJson<{
        events: { kind: string; seq: number; detail: Record<string, unknown> }[];
      }>(srv.port, '/timeline');
      const crash = body.events.find((e) => e.kind === 'crash');
      assert.ok(crash, JSON.stringify(body));
      assert.equal(crash.seq, Number(exit.id), 'the entry keeps the id of its event');
      assert.deepEqual(
        { ...crash, seq: 0, at: 0, detail: { ...crash.detail, uptime_ms: 0 } },
        {
          seq: 0,
          at: 0,
          app: 'idle',
          instance_id: 0,
          id: p?.id,
          kind: 'crash',
          detail: { code: null, signal: 'SIGKILL', uptime_ms: 0, wanted: false },
        },
      );
      const restart = body.events.find((e) => e.kind === 'restart');
      assert.match(String(restart?.detail.reason), /SIGKILL/);

      await c.call('process.restart', { target: ['idle'] });
      const after = (
        await getJson<{ events: { kind: string; detail: Record<string, unknown> }[] }>(srv.port, '/timeline')
      ).body.events;
      assert.ok(
        after.some((e) => e.kind === 'exit' && e.detail.wanted === true),
        'a restart ends the process as asked',
      );
      assert.ok(
        after.some((e) => e.kind === 'restart' && e.detail.reason === 'requested'),
        JSON.stringify(after),
      );
    } finally {
      s.close();
    }
  });

  test('process.reload events carry the full ProcessInfo after the outcome, as the protocol defines them', async () => {
    const behaviour = join(inj.home, 'clr.behaviour');
    writeFileSync(behaviour, 'ok');
    const [old] = (
      await c.call('app.start', {
        apps: [
          {
            name: 'clr',
            script: `${FIXTURES}/cl-server.cjs`,
            instances: 1,
            listen_timeout: 3000,
            env: { CL_BEHAVIOUR: behaviour },
          },
        ],
        base_dir: FIXTURES,
        env: { PATH: process.env.PATH ?? '' },
      })
    ).processes;
    const s = await openSse(srv.port, '/events');
    const reloadOf = (outcome: string) =>
      isEvent('process.reload', (d) => d.name === 'clr' && d.outcome === outcome);
    type Reload = EventData<'process.reload'>;
    // Checked against the protocol's schema and against the OpenAPI document's, which is derived from it.
    const ajv = new Ajv2020({ strict: false });
    const doc = openApiDocument(ROUTES) as { components: { schemas: Record<string, object> } };
    ajv.addSchema({ $id: 'tend-openapi', $defs: doc.components.schemas });
    const validate = ajv.getSchema('tend-openapi#/$defs/event.process.reload');
    const checked = (f: Frame): Reload => {
      assert.ok(validate?.(data(f)), `OpenAPI event.process.reload: ${ajv.errorsText(validate?.errors)}`);
      return events['process.reload'].data().parse(data(f));
    };
    try {
      await s.next((f) => f.event === 'snapshot', 'the snapshot');
      await c.call('process.reload', { target: ['clr'] });
      const retired = checked(await s.next(reloadOf('retired'), 'the old worker retired'));
      const replaced = checked(s.frames.find(reloadOf('replaced')) as Frame);
      // `replaced`: the instance as it is now, the new pid and the counted restart (not the old worker's).
      assert.equal(replaced.old_pid, old?.pid);
      assert.notEqual(replaced.pid, old?.pid);
      assert.deepEqual(
        [replaced.process.id, replaced.process.pid, replaced.process.status, replaced.process.restarts],
        [old?.id, replaced.pid, 'online', (old?.restarts ?? 0) + 1],
      );
      assert.equal(retired.process.pid, replaced.pid);
      // A replacement that never listens: `failed`, the old worker keeps serving and says why.
      writeFileSync(behaviour, 'never-listen');
      await assert.rejects(
        c.call('process.reload', { target: ['clr'] }),
        /TEND_ERR_RELOAD_FAILED|reload failed/,
      );
      const failed = checked(await s.next(reloadOf('failed'), 'the failed reload'));
      assert.equal(failed.old_pid, replaced.pid);
      assert.equal(failed.process.pid, replaced.pid);
      assert.equal(failed.process.status, 'online');
      assert.match(failed.process.last_error ?? '', /^reload failed: /);
    } finally {
      s.close();
      await c.call('process.delete', { target: ['clr'] });
    }
  });

  test('latency from an app exit to its SSE frame (the issue asks under 50 ms)', async () => {
    const s = await openSse(srv.port, '/events');
    let busAt = 0;
    const off = inj.ctx.bus.subscribe((e) => {
      if (e.event === 'process.exit') busAt = performance.now();
    });
    try {
      await s.next((f) => f.event === 'snapshot', 'the snapshot');
      // Its own app, restarted 300 ms after a crash: the test's reader shares the daemon's event loop, and a
      // respawn in the same turn as the exit would delay the reading, not the sending.
      await c.call('app.start', {
        apps: [{ name: 'lat', script: `${FIXTURES}/idle.cjs`, restart_delay: 300 }],
        base_dir: FIXTURES,
      });
      const total: number[] = [];
      const fromBus: number[] = [];
      for (let round = 0; round < 5; round++) {
        const pid = (await c.call('process.list')).processes.find((p) => p.name === 'lat')?.pid as number;
        const seen = s.frames.length;
        const killedAt = performance.now();
        process.kill(pid, 'SIGKILL');
        const exit = await s.next(
          (f) => s.frames.indexOf(f) >= seen && f.event === 'process.exit' && data(f).name === 'lat',
          `process.exit ${round}`,
        );
        total.push(exit.receivedAt - killedAt);
        fromBus.push(exit.receivedAt - busAt);
        const exitIndex = s.frames.indexOf(exit);
        await s.next(
          (f) =>
            s.frames.indexOf(f) > exitIndex &&
            f.event === 'process.state' &&
            data(f).to === 'online' &&
            data(f).name === 'lat',
          `online again ${round}`,
        );
      }
      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
      const m = median(total);
      const b = median(fromBus);
      // Printed for docs/performance.md. The supervisor's part (reaping the tree: one /proc scan) dominates;
      // the streams' part is a synchronous write. Asserted loosely: the machine running the suite is loaded.
      console.log(
        `# event latency, app exit (SIGKILL) to SSE frame: median ${m.toFixed(1)} ms of ${total.map((x) => x.toFixed(1)).join(', ')}; ` +
          `of which bus event to SSE frame read: median ${b.toFixed(1)} ms`,
      );
      assert.ok(m < 2000, `${m} ms`);
    } finally {
      off();
      s.close();
      await c.call('process.delete', { target: ['lat'] });
    }
  });

  test('Last-Event-ID replays the newer events; an id older than the ring, or not an id, gets a snapshot', async () => {
    const s = await openSse(srv.port, '/events');
    await s.next((f) => f.event === 'snapshot', 'the snapshot');
    await c.call('process.restart', { target: ['idle'] });
    await s.next(
      isEvent('process.state', (d) => d.to === 'online'),
      'online again',
    );
    s.close();
    const live = s.frames.filter((f) => f.id !== undefined && f.event !== 'snapshot');
    assert.ok(live.length >= 3, 'stopping, exit, launching, online…');
    const from = live[0] as Frame;

    const again = await openSse(srv.port, '/events', { 'Last-Event-ID': from.id as string });
    try {
      const last = live.at(-1) as Frame;
      await again.next((f) => f.id === last.id, 'the last event again');
      const replayed = again.frames.filter((f) => f.id !== undefined);
      assert.deepEqual(
        replayed.map((f) => [f.id, f.event, f.data]),
        live.slice(1).map((f) => [f.id, f.event, f.data]),
        'exactly the events after that id, in order',
      );
      assert.ok(!again.frames.some((f) => f.event === 'snapshot'));
    } finally {
      again.close();
    }

    for (const id of ['1', 'nonsense', '99999999999999999']) {
      const old = await openSse(srv.port, '/events', { 'Last-Event-ID': id });
      try {
        await old.next((f) => f.event === 'snapshot', `a snapshot for Last-Event-ID ${id}`);
      } finally {
        old.close();
      }
    }
  });

  test('keep-alive comment after 25 s of silence; a stats point every 10 s; removed instances disappear', async () => {
    const s = await openSse(srv.port, '/events');
    try {
      await s.next((f) => f.event === 'snapshot', 'the snapshot');
      clock.advance(20_000); // two samples, no keep-alive yet (the stats frames are traffic)
      const points = await s.next((f) => f.event === 'stats', 'a stats point');
      const p = data<{ interval_ms: number; instances: Record<string, { cpu: number; memory: number }> }>(
        points,
      );
      assert.equal(p.interval_ms, 10_000);
      // More than 0, not more than some MiB: the previous test restarted idle, and on a loaded machine the
      // sample can come right after its exec, before Node has touched its heap (CI saw that once).
      assert.ok((p.instances['idle:0']?.memory ?? 0) > 0, JSON.stringify(p));
      assert.ok((p.instances['idle:0']?.cpu ?? -1) >= 0);
      assert.equal(points.id, undefined, 'stats points carry no id');
      const stats = (
        await getJson<{ instances: Record<string, { cpu: number[]; memory: number[] }> }>(srv.port, '/stats')
      ).body;
      assert.ok((stats.instances['idle:0']?.memory.length ?? 0) >= 3);

      const quiet = new FakeClock(clock.now());
      const other = openStreams(inj.ctx, { clock: quiet, statsIntervalMs: 3_600_000 });
      const srv2 = await serve(other);
      try {
        const k = await openSse(srv2.port, '/events');
        await k.next((f) => f.event === 'snapshot', 'the snapshot');
        quiet.advance(24_000);
        quiet.advance(1_000);
        const ka = await k.next((f) => f.comments.includes('keepalive'), 'a keep-alive comment');
        assert.equal(k.frames.filter((f) => f.comments.length > 0).length, 1);
        assert.equal(ka.event, undefined);
        k.close();
      } finally {
        other.close();
        await srv2.close();
      }

      await c.call('app.start', {
        apps: [{ name: 'brief', script: `${FIXTURES}/idle.cjs` }],
        base_dir: FIXTURES,
      });
      clock.advance(10_000);
      assert.ok('brief:0' in streams.stats().instances);
      await c.call('process.delete', { target: ['brief'] });
      clock.advance(10_000);
      assert.ok(!('brief:0' in streams.stats().instances), 'a deleted instance is gone from the history');
    } finally {
      s.close();
    }
  });

  test('a reader that does not read is cut off past the bound; the others get everything; nothing leaks', async () => {
    const fast = await openSse(srv.port, '/events');
    const slow = await openSse(srv.port, '/events', {}, { paused: true });
    await fast.next((f) => f.event === 'snapshot', 'the snapshot');
    const open = streams.open.events;
    assert.ok(open >= 2);
    const path = 'x'.repeat(64 * 1024);
    // Up to 32 MiB of frames, 1 MiB at a time (the fast reader reads each): more than the 4 MiB bound plus
    // what the kernel's socket buffers hold for the reader that reads nothing.
    let cut = false;
    const slowGone = srv.nextClose().then(() => {
      cut = true;
    });
    let sent = 0;
    for (let burst = 0; burst < 32 && !cut; burst++) {
      for (let i = 0; i < 16; i++, sent++)
        inj.ctx.bus.publish('process.log-dropped', {
          id: 999,
          name: 'flood',
          path,
          lines: sent,
          total: sent,
        });
      const last = sent - 1;
      await fast.next(
        isEvent('process.log-dropped', (d) => d.lines === last),
        `flood event ${last}`,
      );
    }
    await slowGone;
    assert.equal(streams.open.events, open - 1, 'the slow reader is gone');
    // A paused socket does not see its peer's close: reading again, the reader finds its stream cut short.
    slow.res.resume();
    await slow.ended;
    assert.ok(!slow.res.complete, 'cut off, not ended');
    assert.equal(fast.frames.filter((f) => f.event === 'process.log-dropped').length, sent);
    const fastGone = srv.nextClose();
    fast.close();
    await fastGone;
    assert.equal(streams.open.events, open - 2, 'a closed stream is let go');
    assert.equal(inj.ctx.bus.size, baseListeners + 1, 'one bus listener for all streams');
  });

  test('close() ends every stream and leaves no listener on the bus', async () => {
    const other = openStreams(inj.ctx, { clock: new FakeClock() });
    const srv2 = await serve(other);
    const s = await openSse(srv2.port, '/events');
    await s.next((f) => f.event === 'snapshot', 'the snapshot');
    assert.equal(inj.ctx.bus.size, baseListeners + 2);
    other.close();
    await s.ended;
    assert.equal(inj.ctx.bus.size, baseListeners + 1);
    assert.equal(other.open.events, 0);
    await srv2.close();
  });
});
