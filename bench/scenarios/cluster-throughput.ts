// 5. Cluster throughput: hello-world requests per second from a closed-loop load generator (autocannon,
// 50 connections), for an app under the tool with `-i 2`, a plain Node cluster of 2 workers (the floor) and a
// single process (for reference).
import { app, tagOf } from '../lib/apps.js';
import { spawnTracked } from '../lib/child.js';
import { interleave, type Scenario } from '../lib/context.js';
import { load } from '../lib/load.js';
import { type Cell, cell, NONE, type Row } from '../lib/rows.js';

export const scenario: Scenario = {
  number: 5,
  id: 'cluster-throughput',
  title: 'hello-world req/s with -i 2 under the tool, a plain Node cluster of 2, and one process',
  async run(ctx) {
    const base = { number: scenario.number, scenario: scenario.id, unit: 'req/s' as const };
    const targets = [
      { kind: 'ratio', against: 'pm2', op: '>=', value: 1 },
      { kind: 'ratio', against: 'floor', op: '>=', value: 0.97 },
    ] as const;
    const pm2 = await ctx.pm2();
    if (!pm2 || !ctx.peers) {
      const skip: Cell = { na: 'skipped (--quick)' };
      return {
        rows: [
          {
            ...base,
            label: 'req/s, 2 workers',
            tend: skip,
            pm2: skip,
            floor: skip,
            targets: [...targets],
          },
        ],
      };
    }
    const peers = ctx.peers;
    const seconds = 3;
    const tend = await ctx.tend();
    const ports = {
      tend: await ctx.freePort(),
      pm2: await ctx.freePort(),
      plain: await ctx.freePort(),
      single: await ctx.freePort(),
    };

    const since = ctx.notify.mark();
    await pm2.run([
      'start',
      app('hello-http.cjs'),
      '--name',
      'hello',
      '-i',
      '2',
      '--',
      tagOf(pm2, 'hello'),
      String(ports.pm2),
    ]);
    await tend.run([
      'start',
      app('hello-http.cjs'),
      '--name',
      'hello',
      '-i',
      '2',
      '--',
      tagOf(tend, 'hello'),
      String(ports.tend),
    ]);
    spawnTracked(process.execPath, [app('plain-cluster.cjs'), 'plain', String(ports.plain), '2'], {
      env: ctx.env,
    });
    spawnTracked(process.execPath, [app('hello-http.cjs'), 'single', String(ports.single)], { env: ctx.env });
    // Each worker says "listening" for itself: wait for both of each cluster.
    const listening = (tag: string, count: number) =>
      ctx.notify.waitFor(
        () =>
          ctx.notify.notes.slice(since).filter((x) => x.kind === 'listening' && x.tag === tag).length >=
          count,
        {
          since,
          what: `${count} × "listening" from ${tag}`,
        },
      );
    await Promise.all([
      listening(tagOf(tend, 'hello'), 2),
      listening(tagOf(pm2, 'hello'), 2),
      listening('plain', 2),
      listening('single', 1),
    ]);

    const errors: Record<string, number> = {};
    const s = await interleave(ctx.runs(3), ['tend', 'pm2', 'plain', 'single'] as const, async (who, run) => {
      // A short unrecorded warm-up before the first run of each: connections, JIT.
      if (run === 0) await load(peers, ports[who], { connections: 50, seconds: 1 }).done;
      const r = await load(peers, ports[who], { connections: 50, seconds }).done;
      errors[who] = (errors[who] ?? 0) + r.errors + r.non2xx + r.timeouts;
      return r.rps;
    });
    const note = `autocannon, 50 connections, ${seconds} s per run; failed requests: ${JSON.stringify(errors)}`;
    const rows: Row[] = [
      {
        ...base,
        label: 'req/s, 2 workers (floor: plain cluster)',
        tend: cell(s.tend),
        pm2: cell(s.pm2),
        floor: cell(s.plain),
        targets: [...targets],
        note,
      },
      {
        ...base,
        label: 'req/s, one process (reference)',
        tend: NONE,
        pm2: NONE,
        floor: cell(s.single),
        targets: [],
      },
    ];
    return { rows };
  },
};
