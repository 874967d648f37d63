// 4. Crash to serving: an HTTP app exits when it receives GET /crash; the clock runs from sending that request
// until the first successful answer from the new process (the app says "listening" once it accepts
// connections; the bench then asks it once). Floor: a bare `node http-crash.cjs`, from spawn (by a lean
// spawner process, apps/spawner.cjs) to its first successful answer. The three are interleaved.
import { app, tagOf } from '../lib/apps.js';
import { nowMs } from '../lib/child.js';
import { type BenchContext, interleave, type Scenario } from '../lib/context.js';
import { fire, get } from '../lib/http.js';
import { cell, type Row } from '../lib/rows.js';
import { Spawner } from '../lib/spawner.js';
import type { Tool } from '../lib/tools.js';

const FLOOR = 'floor';

export const scenario: Scenario = {
  number: 4,
  id: 'crash-to-serving',
  title:
    'HTTP app exits on a request: time from the crash to the first answer of the new process (floor: bare start)',
  async run(ctx) {
    const runs = ctx.runs(10, 3);
    const tools = await ctx.both();
    const served = new Map<Tool, { port: number; pid: number }>();
    for (const t of tools) {
      const port = await ctx.freePort();
      const since = ctx.notify.mark();
      // Many quick crashes in a row are "unstable" restarts: raise max_restarts so none ends in errored.
      await t.run([
        'start',
        app('http-crash.cjs'),
        '--name',
        'crash',
        '--max-restarts',
        '1000',
        '--',
        tagOf(t, 'crash'),
        String(port),
      ]);
      const note = await ctx.notify.waitFor((x) => x.kind === 'listening' && x.tag === tagOf(t, 'crash'), {
        since,
      });
      served.set(t, { port, pid: note.pid });
    }
    const spawner = await Spawner.start(ctx, 'spawner-crash');

    const s = await interleave(runs, [...tools.map((t) => t.label), FLOOR], async (who, run) => {
      if (who === FLOOR) return bareStart(ctx, spawner, run);
      const tool = tools.find((t) => t.label === who) as Tool;
      const state = served.get(tool) as { port: number; pid: number };
      const since = ctx.notify.mark();
      const t0 = nowMs();
      fire(state.port, '/crash');
      const note = await ctx.notify.waitFor(
        (x) => x.kind === 'listening' && x.tag === tagOf(tool, 'crash') && x.pid !== state.pid,
        { since, what: `${who}: the restarted app listening` },
      );
      const reply = await firstAnswer(state.port);
      const ms = nowMs() - t0;
      if (reply !== String(note.pid))
        throw new Error(`${who}: answer from pid ${reply}, expected the new ${note.pid}`);
      state.pid = note.pid;
      return ms;
    });

    await spawner.close();
    const pm2 = tools.find((t) => t.kind === 'pm2');
    const row: Row = {
      number: scenario.number,
      scenario: scenario.id,
      label: 'crash → first answer of the new process',
      unit: 'ms',
      tend: cell(s.tend ?? []),
      pm2: pm2 ? cell(s[pm2.label] ?? []) : { na: 'skipped (--quick)' },
      floor: cell(s[FLOOR] ?? []),
      targets: [
        { kind: 'ratio', against: 'pm2', op: '<=', value: 0.8 },
        { kind: 'ratio', against: 'floor', op: '<=', value: 1.3 },
      ],
      note: 'floor: a bare `node http-crash.cjs` from spawn to its first answer',
    };
    return { rows: [row] };
  },
};

/** The new process said it listens; its first answer normally comes at once (retried only on refusal). */
async function firstAnswer(port: number): Promise<string> {
  for (let attempt = 0; ; attempt++) {
    try {
      const r = await get(port, '/');
      if (r.status === 200) return r.body;
      throw new Error(`status ${r.status}`);
    } catch (err) {
      if (attempt >= 20) throw err;
    }
  }
}

async function bareStart(ctx: BenchContext, spawner: Spawner, run: number): Promise<number> {
  // A new port each round: no waiting for the previous round's process to let go of its port.
  const port = await ctx.freePort();
  const tag = `floor-crash${run}`;
  const since = ctx.notify.mark();
  const t0 = nowMs();
  spawner.spawn(1, 'http-crash.cjs', [tag, String(port)]);
  const note = await ctx.notify.waitFor((x) => x.kind === 'listening' && x.tag === tag, {
    since,
    what: 'the bare app listening',
  });
  try {
    const reply = await firstAnswer(port);
    const ms = nowMs() - t0;
    if (reply !== String(note.pid)) throw new Error(`floor: answer from pid ${reply}, expected ${note.pid}`);
    return ms;
  } finally {
    spawner.kill([note.pid]);
  }
}
