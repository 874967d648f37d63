// GET /api/v1/logs/stream through openStreams with real apps writing real log files: recent lines from the
// files then live lines with no gap and no repeat at the seam, the filters (app, instance, stream, grep),
// Last-Event-ID resume and its fallback, a bad query, the timestamp split from the text, and the log bus
// listened to only while someone watches (plus the linger, on an injected clock).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type OpenStreams, openStreams } from '../../../src/http/streams/index.js';
import { FIXTURES } from '../../helpers/daemon.js';
import { FakeClock } from '../../helpers/fake-clock.js';
import { createInjector, type InjectConnection, type Injector } from '../../helpers/inject.js';
import { data, type Frame, openSse, type Served, serve } from './sse-harness.js';

interface Line {
  app: string;
  instance_id: number | null;
  id: number | null;
  stream: 'out' | 'err' | null;
  line: string;
  at: number | null;
}

let inj: Injector;
let c: InjectConnection;
let clock: FakeClock;
let streams: OpenStreams;
let srv: Served;

const say = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  script: `${FIXTURES}/say.cjs`,
  args: [name],
  ...extra,
});

before(async () => {
  inj = createInjector();
  c = inj.connection();
  clock = new FakeClock(Date.now());
  streams = openStreams(inj.ctx, { clock });
  srv = await serve(streams);
});
after(async () => {
  streams.close();
  await srv.close();
  await inj.close();
});

const lines = (frames: readonly Frame[]): (Line & { seq: string | undefined })[] =>
  frames.filter((f) => f.event === 'line').map((f) => ({ ...data<Line>(f), seq: f.id }));
const isLine = (pred: (l: Line) => boolean) => (f: Frame) => f.event === 'line' && pred(data<Line>(f));
/** The number in "<label> says <n>". */
const nOf = (l: Line) => Number(/says (\d+)$/.exec(l.line)?.[1] ?? Number.NaN);

describe('GET /api/v1/logs/stream', () => {
  test('no log stream, no log bus subscriber; one opens it, and it closes LINGER_MS after the last one', async () => {
    assert.equal(inj.ctx.logs.bus.active, false);
    assert.equal(streams.open.logBus, false);
    const s = await openSse(srv.port, '/logs?app=nobody');
    await s.next((f) => f.retry !== undefined, 'the retry field');
    assert.equal(inj.ctx.logs.bus.active, true);
    const gone = srv.nextClose();
    s.close();
    await gone;
    assert.equal(streams.open.logs, 0);
    assert.equal(inj.ctx.logs.bus.active, true, 'kept a while for a reconnect');
    clock.advance(30_000);
    assert.equal(inj.ctx.logs.bus.active, false, 'unsubscribed after the linger');
  });

  test('recent lines from the files first, then live lines: consecutive, no gap, no repeat', async () => {
    await c.call('app.start', { apps: [say('talker')], base_dir: FIXTURES });
    // Let it write some lines before anyone watches (they are in the file, not in any ring).
    const early = await openSse(srv.port, '/logs?app=talker&lines=0');
    await early.next(
      isLine((l) => nOf(l) >= 8),
      'the 8th line',
    );
    early.close();

    const s = await openSse(srv.port, '/logs?app=talker&stream=out&lines=5');
    try {
      await s.next(
        isLine((l) => nOf(l) >= 20),
        'line 20',
        15_000,
      );
      const got = lines(s.frames);
      const ns = got.map(nOf);
      assert.equal(ns.length, ns.at(-1)! - ns[0]! + 1, `consecutive: ${ns.join(' ')}`);
      assert.ok(
        ns.every((n, i) => i === 0 || n === ns[i - 1]! + 1),
        `no gap, no repeat: ${ns.join(' ')}`,
      );
      const recent = got.slice(0, 5);
      // Every line has its own id, ascending: the recent ones end at the seam, the live ones are above it.
      const ids = got.map((l) => Number(l.seq));
      assert.ok(
        ids.every((id, i) => Number.isSafeInteger(id) && (i === 0 || id > ids[i - 1]!)),
        `ids ascend, none shared: ${ids.join(' ')}`,
      );
      assert.equal(ids[4]! - ids[0]!, 4, 'the recent lines have consecutive ids');
      assert.deepEqual(
        { ...got[0], line: '', at: 0, seq: '' },
        { app: 'talker', instance_id: 0, id: got[0]?.id, stream: 'out', line: '', at: 0, seq: '' },
      );
      assert.ok(got.every((l) => l.stream === 'out'));
      // Without `time`, the file's lines carry no time; the live ones have when the daemon read them.
      assert.ok(recent.every((l) => l.at === null));
      assert.ok(got.slice(5).every((l) => typeof l.at === 'number'));
    } finally {
      s.close();
    }
  });

  test('filters: app, stream (err), grep (substring), instance', async () => {
    await c.call('app.start', {
      apps: [say('duo', { instances: 2, exec_mode: 'fork' })],
      base_dir: FIXTURES,
    });
    const err = await openSse(srv.port, '/logs?app=talker&stream=err&lines=3');
    const grep = await openSse(srv.port, '/logs?app=talker,duo&grep=says%201&lines=0');
    const inst = await openSse(srv.port, '/logs?app=duo&instance=1&lines=0');
    try {
      await err.next(
        isLine((l) => l.line.includes('complains')),
        'a stderr line',
      );
      await grep.next(
        isLine((l) => l.app === 'duo'),
        'a duo line with "says 1"',
      );
      await grep.next(
        isLine((l) => l.app === 'talker'),
        'a talker line with "says 1"',
      );
      await inst.next(
        isLine((l) => nOf(l) >= 3),
        'the 3rd line of duo 1',
      );
      for (const l of lines(err.frames)) {
        assert.equal(l.stream, 'err');
        assert.match(l.line, /^talker complains \d+$/);
      }
      for (const l of lines(grep.frames)) assert.ok(l.line.includes('says 1'), l.line);
      assert.ok(lines(inst.frames).every((l) => l.app === 'duo' && l.instance_id === 1));
    } finally {
      err.close();
      grep.close();
      inst.close();
    }
    await c.call('process.delete', { target: ['duo'] });
  });

  test('Last-Event-ID resumes after the last line seen; too old: a reset, then recent lines again', async () => {
    const s = await openSse(srv.port, '/logs?app=talker&stream=out&lines=0');
    await s.next(
      isLine(() => true),
      'a live line',
    );
    s.close();
    const [last] = lines(s.frames).slice(-1);
    const again = await openSse(srv.port, '/logs?app=talker&stream=out&lines=50', {
      'Last-Event-ID': String(last?.seq),
    });
    try {
      await again.next(
        isLine((l) => nOf(l) >= nOf(last as Line) + 3),
        'three lines later',
      );
      const ns = lines(again.frames).map(nOf);
      assert.equal(ns[0], nOf(last as Line) + 1, `resumed right after it: ${ns.join(' ')}`);
      assert.ok(
        ns.every((n, i) => i === 0 || n === ns[i - 1]! + 1),
        ns.join(' '),
      );
    } finally {
      again.close();
    }
    const old = await openSse(srv.port, '/logs?app=talker&stream=out&lines=2', { 'Last-Event-ID': '12' });
    try {
      await old.next((f) => f.event === 'line', 'a line');
      const events = old.frames.filter((f) => f.event !== undefined).map((f) => f.event);
      assert.deepEqual(events.slice(0, 3), ['reset', 'line', 'line']);
    } finally {
      old.close();
    }
  });

  test('cut off inside the recent lines, Last-Event-ID resumes with exactly the rest, then live lines', async () => {
    // talker has written more than 20 lines by now (it prints every 100 ms and earlier tests waited on it).
    const s = await openSse(srv.port, '/logs?app=talker&stream=out&lines=20');
    await s.next(() => lines(s.frames).length >= 20, 'the 20 recent lines');
    s.close();
    const first = lines(s.frames).slice(0, 20);
    // The reader processed 7 of them when the connection broke: it resumes with the 7th line's id.
    const seen = first.slice(0, 7);
    const rest = first.slice(7);
    const again = await openSse(srv.port, '/logs?app=talker&stream=out&lines=20', {
      'Last-Event-ID': String(seen.at(-1)?.seq),
    });
    try {
      const lastRecent = nOf(first.at(-1) as Line);
      await again.next(
        isLine((l) => nOf(l) >= lastRecent + 3),
        'three live lines after the recent ones',
        15_000,
      );
      assert.ok(!again.frames.some((f) => f.event === 'reset'), 'no reset: the recent lines were kept');
      const got = lines(again.frames);
      // Exactly the 13 recent lines not seen yet, with the same ids and text: nothing repeated, none skipped.
      assert.deepEqual(
        got.slice(0, rest.length).map((l) => `${l.seq} ${l.line}`),
        rest.map((l) => `${l.seq} ${l.line}`),
      );
      const ns = [...seen, ...got].map(nOf);
      assert.ok(
        ns.every((n, i) => i === 0 || n === ns[i - 1]! + 1),
        `the lines seen before and after the cut are consecutive: ${ns.join(' ')}`,
      );
      const ids = [...seen, ...got].map((l) => Number(l.seq));
      assert.ok(
        ids.every((id, i) => i === 0 || id > ids[i - 1]!),
        `ids ascend: ${ids.join(' ')}`,
      );
    } finally {
      again.close();
    }
  });

  test('a timestamped app: the line without its timestamp, the time in `at`', async () => {
    await c.call('app.start', { apps: [say('stamped', { time: true })], base_dir: FIXTURES });
    const live = await openSse(srv.port, '/logs?app=stamped&stream=out&lines=0');
    const l1 = data<Line>(
      await live.next(
        isLine((l) => nOf(l) >= 2),
        'a live line',
      ),
    );
    live.close();
    // The lines before are in the file now (the live stream shows what was handed to the file).
    const s = await openSse(srv.port, '/logs?app=stamped&stream=out&lines=2');
    try {
      const f = await s.next((x) => x.event === 'line', 'a recent line');
      const recent = data<Line>(f);
      assert.match(recent.line, /^stamped says \d+$/);
      assert.ok(
        typeof recent.at === 'number' && Math.abs(recent.at - Date.now()) < 60_000,
        String(recent.at),
      );
      assert.match(l1.line, /^stamped says \d+$/, 'a live line has no timestamp either');
    } finally {
      s.close();
    }
    await c.call('process.delete', { target: ['stamped'] });
  });

  test('a bad query is a 400 with TEND_ERR_BAD_REQUEST naming the parameter', async () => {
    for (const [query, field] of [
      ['stream=both', 'stream'],
      ['lines=-1', 'lines'],
      ['instance=x', 'instance'],
    ] as const) {
      const res = await fetch(`http://127.0.0.1:${srv.port}/logs?${query}`);
      assert.equal(res.status, 400, query);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.code, 'TEND_ERR_BAD_REQUEST');
      assert.match(body.error.message, new RegExp(`^bad request: ${field}: expected`));
    }
  });

  test('close() ends the log streams and lets go of the log bus', async () => {
    const other = openStreams(inj.ctx, { clock: new FakeClock() });
    const srv2 = await serve(other);
    const s = await openSse(srv2.port, '/logs?app=talker&lines=0');
    await s.next((f) => f.event === 'line', 'a line');
    other.close();
    await s.ended;
    assert.equal(other.open.logs, 0);
    assert.equal(other.open.logBus, false);
    await srv2.close();
  });
});
