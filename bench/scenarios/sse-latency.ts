// 17. SSE latency (issue 14): an app's exit → its `process.exit` event on GET /api/v1/events. The bench holds
// the stream open (read token), SIGKILLs the app by pid and times until the frame is parsed: the kernel,
// the daemon's child handling, the event bus, the SSE write and the loopback read, across processes. Then it
// waits for the restarted app's "ready" and goes again. Floor, in the same rounds: the same app as the
// bench's own child, SIGKILLed, until the bench's 'exit' event (what the kernel and Node's child handling
// cost at least). PM2 has no event stream over HTTP.
import { app } from '../lib/apps.js';
import { nowMs, spawnTracked } from '../lib/child.js';
import type { Scenario } from '../lib/context.js';
import { cell, type Row } from '../lib/rows.js';
import { type Frame, listenSettings, openEvents, readAuth } from '../lib/tend-http.js';

export const scenario: Scenario = {
  number: 17,
  id: 'sse-latency',
  title: 'app exit (SIGKILL) → process.exit frame on GET /api/v1/events',
  async run(ctx) {
    const runs = ctx.runs(10, 3);
    const api = await ctx.freePort();
    const t = await ctx.tend('tend', 't', listenSettings({ api }));
    const tag = `${t.slug}-lat`;
    // max_restarts: ten crashes in a row within min_uptime must not leave it "errored"; the delay is the default (0).
    const file = ctx.ecosystem('sse-lat', [
      { name: 'lat', script: app('idle.cjs'), args: [tag], max_restarts: 1000 },
    ]);
    let since = ctx.notify.mark();
    await t.run(['start', file]);
    let pid = (await ctx.notify.waitFor((n) => n.kind === 'ready' && n.tag === tag, { since })).pid;

    const stream = await openEvents(api, '/api/v1/events', readAuth(t));
    const total: number[] = [];
    const floor: number[] = [];
    try {
      await stream.next((f) => f.event === 'snapshot', 'snapshot');
      const isExit = (f: Frame) => f.event === 'process.exit' && /"name":"lat"/.test(f.data ?? '');
      for (let round = 0; round < runs; round++) {
        const from = stream.frames.length;
        since = ctx.notify.mark();
        const killedAt = nowMs();
        process.kill(pid, 'SIGKILL');
        const exit = await stream.next(isExit, `process.exit of round ${round}`, from);
        total.push(exit.receivedAt - killedAt);
        pid = (await ctx.notify.waitFor((n) => n.kind === 'ready' && n.tag === tag, { since })).pid;

        // The floor: the same app, the bench's own child.
        const fsince = ctx.notify.mark();
        const child = spawnTracked(process.execPath, [app('idle.cjs'), 'f-lat'], {
          env: ctx.env,
          stdio: 'ignore',
        });
        await ctx.notify.waitFor((n) => n.kind === 'ready' && n.tag === 'f-lat', { since: fsince });
        const gone = new Promise<number>((resolve) => child.once('exit', () => resolve(nowMs())));
        const t0 = nowMs();
        child.kill('SIGKILL');
        floor.push((await gone) - t0);
      }
    } finally {
      stream.close();
    }
    const rows: Row[] = [
      {
        number: scenario.number,
        scenario: scenario.id,
        label: 'app exit (SIGKILL by pid) → process.exit SSE frame',
        unit: 'ms',
        tend: cell(total),
        pm2: { na: 'n/a (no HTTP event stream)' },
        floor: cell(floor),
        targets: [{ kind: 'abs', op: '<=', value: 50 }],
        note:
          `${runs} rounds; the bench reads /api/v1/events with the read token in its own process; ` +
          "floor: the same app as the bench's child, SIGKILL → its 'exit' event",
      },
    ];
    return { rows };
  },
};
