// Bounded attacks on the socket (issue 16, fault 1 and the protocol part of the fault suite): oversized and
// garbage frames, idle and half-sent connections, a subscriber that never reads, a flood of connections.
// Each must cost its sender only: the daemon answers others throughout, and `tend kill` always ends it.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TendClient } from '../../src/client/client.js';
import { MAX_REQUEST_FRAME } from '../../src/protocol/framing.js';
import { FIXTURES, runCli, startTestDaemon, type TestDaemon } from '../helpers/daemon.js';
import { errorCodeOf, helloFrame, rawConnection } from '../helpers/raw-socket.js';
import { reached, watch } from '../helpers/until.js';
import { waitGone } from '../helpers/wait-gone.js';

// The daemon this file starts inherits it: idle and half-sent connections are cut after 2 s, not 10 s. Not
// shorter: on a loaded machine (CI's Node 24 pass with other suites beside it) a daemon starved for 400 ms cut
// a connection whose hello was already sent, and the garbage and oversized-frame tests failed.
const TIMEOUT_MS = 2000;
process.env.TEND_REQUEST_TIMEOUT_MS = String(TIMEOUT_MS);

let d: TestDaemon;
before(async () => {
  d = await startTestDaemon();
});
// The last tests kill the first daemon and start others by the CLI: `tend kill` ends whichever runs now
// (it starts none), then the helper cleans up what is left of the first one and removes the home.
after(async () => {
  await runCli(['kill'], { home: d.home });
  await d.stop();
});

const raw = (home = d.home) => rawConnection(home);

const hello = helloFrame('faults');
const codeOf = errorCodeOf;

async function listOnce(client: TendClient): Promise<number> {
  const t0 = performance.now();
  await client.call('process.list');
  return performance.now() - t0;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1]);
}

describe('faults: the protocol', { timeout: 120_000 }, () => {
  test('an oversized frame gets its error and a closed connection, even from a peer that never reads', async () => {
    const big = 'x'.repeat(MAX_REQUEST_FRAME + 1024);
    // A reader: it gets the error, then the close.
    const a = await raw();
    a.socket.write(hello);
    assert.ok((await a.next())?.result);
    a.socket.write(`{"id":2,"method":"process.list","params":{"pad":"${big}"}}\n`);
    const f = await a.next();
    assert.equal(codeOf(f), 'TEND_ERR_FRAME_TOO_LARGE');
    assert.equal(f?.id, null);
    await a.closed;
    // A writer that never reads, and one that sends and hangs up at once.
    const b = await raw();
    b.socket.pause();
    b.socket.write(big);
    const c = await raw();
    c.socket.end(big);
    await c.closed;
    // The daemon closed b's connection though b read nothing: once b reads, it finds the error and the end
    // (a daemon that kept the connection, as it once did, leaves b open and this test times out).
    b.socket.resume();
    assert.equal(codeOf(await b.next()), 'TEND_ERR_FRAME_TOO_LARGE');
    await b.closed;
    const other = await d.connect();
    assert.ok(Array.isArray((await other.call('process.list')).processes));
    await other.close();
  });

  test('a flood of lines before daemon.hello: hung up with its error, its queue dropped; new clients served (tenth audit)', async () => {
    // 3 MB of "{}" and no hello locked every new connection out for minutes (each line answered in turn,
    // the queue shifted one by one), and the daemon kept the lines after the peer left.
    const f = await raw();
    f.socket.on('error', () => {});
    f.socket.write('{}\n'.repeat(1 << 20));
    // The lines the daemon answered before the queue grew past its limit, if any, come first.
    let frame: Record<string, unknown> | null;
    do frame = await f.next();
    while (frame && frame.id !== null);
    assert.equal(codeOf(frame), 'TEND_ERR_BAD_REQUEST');
    assert.match(
      JSON.stringify(frame),
      /before daemon\.hello was answered|the first request must be daemon\.hello/,
    );
    await f.closed;
    const other = await d.connect();
    assert.ok(Array.isArray((await other.call('process.list')).processes));
    await other.close();
  });

  test('connections that send no hello: a few answers and a hang-up each, the rest they queued not served (verification of the tenth audit)', async () => {
    // 300 connections of 1000 lines each, under the per-connection bound: every line was answered in turn
    // and `tend ls` waited 10 s and more.
    const floods = await Promise.all(Array.from({ length: 300 }, () => raw()));
    for (const f of floods) {
      f.socket.on('error', () => {});
      f.socket.write('1\n'.repeat(1000));
    }
    const other = await d.connect();
    assert.ok(Array.isArray((await other.call('process.list')).processes));
    await other.close();
    for (const f of floods) {
      const frames: (Record<string, unknown> | null)[] = [];
      for (let frame = await f.next(); frame; frame = await f.next()) frames.push(frame);
      await f.closed;
      // At most 16 lines answered (not a request), then the hang-up saying why.
      assert.ok(frames.length <= 17, `${frames.length} frames: ${JSON.stringify(frames.slice(0, 3))}`);
      assert.match(
        JSON.stringify(frames.at(-1)),
        /the first request must be daemon\.hello|before daemon\.hello/,
      );
    }
  });

  test('garbage frames: each an error reply, the connection and the daemon keep serving', async () => {
    const g = await raw();
    g.socket.write(hello);
    assert.ok((await g.next())?.result);
    const garbage = [
      'not json',
      '\u0000\u0001\u0002',
      Buffer.from([0xff, 0xfe, 0xfd]).toString('latin1'),
      '[]',
      '"a string"',
      '{"id":-0.5,"method":"process.list"}',
      '{"id":3,"method":{"toString":1}}',
      `${'['.repeat(200_000)}${']'.repeat(200_000)}`,
      '{"id":4,"method":"__proto__"}',
      '{"id":5,"method":"process.stop","params":{"target":[""]}}',
      // A value nested 100 000 deep overflowed the stack of tend's own walkers: TEND_ERR_INTERNAL and a
      // stack trace in daemon.log (tenth audit).
      `{"id":6,"method":"app.start","params":{"apps":[{"name":"a","script":"/bin/true","env":{"A":${'['.repeat(100_000)}1${']'.repeat(100_000)}}}]}}`,
    ];
    for (const line of garbage) {
      g.socket.write(`${line}\n`);
      const reply = await g.next();
      assert.ok(
        ['TEND_ERR_BAD_REQUEST', 'TEND_ERR_UNKNOWN_METHOD'].includes(codeOf(reply) ?? ''),
        `${line.slice(0, 40)} → ${JSON.stringify(reply).slice(0, 200)}`,
      );
    }
    g.socket.write(`${JSON.stringify({ id: 9, method: 'process.list' })}\n`);
    assert.equal((await g.next())?.id, 9);
    g.socket.end();
  });

  test('a connection without hello, and a frame left unfinished, are closed after the bound', async () => {
    const greeted = await raw();
    greeted.socket.write(hello);
    assert.ok((await greeted.next())?.result);
    const silent = await raw();
    const half = await raw();
    half.socket.write(hello);
    assert.ok((await half.next())?.result);
    half.socket.write('{"id":2,"method":"process.li');
    const t0 = performance.now();
    const s = await silent.next();
    assert.equal(codeOf(s), 'TEND_ERR_CONNECTION_TIMEOUT');
    assert.match(JSON.stringify(s), /daemon\.hello/);
    await silent.closed;
    const h = await half.next();
    assert.equal(codeOf(h), 'TEND_ERR_CONNECTION_TIMEOUT');
    assert.match(JSON.stringify(h), /end of a frame/);
    await half.closed;
    console.log(
      `# idle connections closed after ${Math.round(performance.now() - t0)} ms (bound ${TIMEOUT_MS} ms)`,
    );
    // A greeted connection that merely waits is not idle-closed: it still answers after both were cut.
    greeted.socket.write(`${JSON.stringify({ id: 3, method: 'process.list' })}\n`);
    assert.equal((await greeted.next())?.id, 3);
    greeted.socket.end();
  });

  test('a subscriber that never reads neither grows the daemon nor slows the others', async () => {
    const w = await watch(d.home);
    const lurker = await raw();
    lurker.socket.write(hello);
    assert.ok((await lurker.next())?.result);
    lurker.socket.write(
      `${JSON.stringify({ id: 2, method: 'logs.subscribe', params: { target: ['all'] } })}\n`,
    );
    assert.ok((await lurker.next())?.result);
    lurker.socket.pause();
    const probe = await d.connect();
    const idle: number[] = [];
    for (let i = 0; i < 10; i++) idle.push(await listOnce(probe));
    const rss0 = rssKiB(d.daemonPid);
    // ~84 MB of log lines while the lurker reads nothing.
    const lines = 1_200_000;
    await d.client.call('app.start', {
      apps: [
        {
          name: 'flood',
          script: join(FIXTURES, 'log-lines.cjs'),
          args: [String(lines), 'f'],
          autorestart: false,
        },
      ],
      base_dir: FIXTURES,
      wait: false,
    });
    const busy: number[] = [];
    const done = w.until(reached('flood', 'stopped'), { timeoutMs: 60_000, what: 'the flood to end' });
    let finished = false;
    void done.then(
      () => (finished = true),
      () => (finished = true),
    );
    while (!finished) busy.push(await listOnce(probe));
    await done;
    const rss1 = rssKiB(d.daemonPid);
    const { files } = await probe.call('logs.files', { target: ['flood'], streams: ['out'] });
    const written = files[0]?.offset ?? 0;
    console.log(
      `# slow reader: ${(written / 1048576).toFixed(0)} MiB logged, daemon RSS ${(rss0 / 1024).toFixed(1)} → ${(rss1 / 1024).toFixed(1)} MiB; list idle ${median(idle).toFixed(2)} ms, during the flood ${median(busy).toFixed(2)} ms (median of ${busy.length})`,
    );
    assert.ok(written > 64 * 1048576, `only ${written} bytes logged`);
    // Queued for the lurker: at most the 8 MiB follower bound (plus what the kernel holds), not the 80 MB.
    assert.ok(rss1 - rss0 < 48 * 1024, `daemon RSS grew by ${((rss1 - rss0) / 1024).toFixed(1)} MiB`);
    lurker.socket.destroy();
    await probe.close();
    await w.close();
    await d.client.call('process.delete', { target: ['flood'] });
  });

  test('a flood of 500 concurrent connections: the daemon still answers list', async () => {
    const probe = await d.connect();
    const idle: number[] = [];
    for (let i = 0; i < 20; i++) idle.push(await listOnce(probe));
    const flood = Array.from({ length: 500 }, (_, i) =>
      raw().then(async (r) => {
        // Half greet and ask for the list; half just hold a connection open.
        if (i % 2 === 0) {
          r.socket.write(`${hello}${JSON.stringify({ id: 2, method: 'process.list' })}\n`);
          await r.next();
          await r.next();
        }
        return r;
      }),
    );
    const during: number[] = [];
    let settled = false;
    const all = Promise.all(flood).finally(() => (settled = true));
    while (!settled) during.push(await listOnce(probe));
    const conns = await all;
    // With the 500 connections open (half greeted, half waiting for their hello timeout).
    const held: number[] = [];
    for (let i = 0; i < 20; i++) held.push(await listOnce(probe));
    const ms = (xs: number[]) => `${median(xs).toFixed(2)} ms`;
    console.log(
      `# flood of 500 connections: list idle ${ms(idle)}; while they connect ${ms(during)} (median of ${during.length}, ratio ${(median(during) / median(idle)).toFixed(1)}); with them open ${ms(held)} (ratio ${(median(held) / median(idle)).toFixed(1)})`,
    );
    for (const r of conns) r.socket.destroy();
    await probe.close();
  });

  test('after all that, tend kill ends the daemon (with a connection stuck mid-frame) and a new one starts', async () => {
    const stuck = await raw();
    stuck.socket.pause();
    stuck.socket.write(`${hello}{"id":2,"method":"process.list","params":{"pad":"${'y'.repeat(1 << 20)}`);
    const killed = await runCli(['kill'], { home: d.home });
    assert.equal(killed.code, 0, killed.stderr);
    await waitGone(d.daemonPid, { timeoutMs: 10_000, what: 'the daemon' });
    stuck.socket.destroy();
    const again = await runCli(['ls'], { home: d.home });
    assert.equal(again.code, 0, again.stderr);
  });

  test('the CLI refuses a 10 MB ecosystem file with a clear error, without hanging', async () => {
    const file = join(d.home, 'huge.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        apps: [{ name: 'huge', script: join(FIXTURES, 'idle.cjs'), env: { BLOB: 'z'.repeat(10_000_000) } }],
      }),
    );
    const r = await runCli(['start', file], { home: d.home });
    assert.notEqual(r.code, 0);
    assert.match(
      r.stderr,
      /^error: .*huge\.config\.json is too large to send to the daemon.* \(TEND_ERR_FRAME_TOO_LARGE\)$/m,
    );
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    const ls = await runCli(['jlist'], { home: d.home });
    assert.equal(ls.code, 0, ls.stderr);
    assert.deepEqual(JSON.parse(ls.stdout), []);
  });
});
