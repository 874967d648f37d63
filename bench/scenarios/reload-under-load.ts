// 7. Reload under load: `reload` of a `-i 2` hello-world app while a closed-loop generator (autocannon, 10
// connections) and an open-loop client (200 requests/s, each on a new connection, so refused and reset
// connections are counted, not only non-2xx answers) run. Counts failed requests.
import { app, tagOf } from '../lib/apps.js';
import type { Scenario } from '../lib/context.js';
import { openLoop } from '../lib/http.js';
import { load } from '../lib/load.js';
import { cell, type Row } from '../lib/rows.js';
import type { Tool } from '../lib/tools.js';

export const scenario: Scenario = {
  number: 7,
  id: 'reload-under-load',
  title: 'failed requests during `reload` of a -i 2 app under constant load (closed and open loop)',
  async run(ctx) {
    const base = {
      number: scenario.number,
      scenario: scenario.id,
      unit: 'requests' as const,
      floor: { na: '' },
    };
    const target = [{ kind: 'abs', op: '<=', value: 0 }] as const;
    const pm2 = await ctx.pm2();
    if (!pm2 || !ctx.peers) {
      return {
        rows: [
          {
            ...base,
            label: 'failed requests during reload',
            tend: { na: 'skipped (--quick)' },
            pm2: { na: 'skipped (--quick)' },
            targets: [...target],
          },
        ],
      };
    }
    const peers = ctx.peers;
    const tend = await ctx.tend();

    /** Starts a -i 2 app under `tool`, then reloads it under load `runs` times, counting failures. */
    const measure = async (tool: Tool) => {
      const port = await ctx.freePort();
      const tag = tagOf(tool, 'reload');
      let since = ctx.notify.mark();
      await tool.run([
        'start',
        app('hello-http.cjs'),
        '--name',
        'reload',
        '-i',
        '2',
        '--',
        tag,
        String(port),
      ]);
      const listeningCount = (from: number) =>
        ctx.notify.notes.slice(from).filter((x) => x.kind === 'listening' && x.tag === tag).length;
      await ctx.notify.waitFor(() => listeningCount(since) >= 2, {
        since,
        what: `two ${tool.label} workers listening`,
      });
      const closed: number[] = [];
      const open: number[] = [];
      const details: string[] = [];
      for (let run = 0; run < ctx.runs(2); run++) {
        const loop = openLoop(port, 200);
        const ac = load(peers, port, { connections: 10, seconds: 60 });
        // Load is flowing once the open-loop client has seen answers; then reload, then let it run on a while.
        await loop.okAfter(100);
        since = ctx.notify.mark();
        const r = await tool.run(['reload', 'reload']);
        await ctx.notify.waitFor(() => listeningCount(since) >= 2, {
          since,
          what: `two new ${tool.label} workers listening`,
        });
        await loop.okAfter(200);
        ac.stop();
        const [tally, acr] = await Promise.all([loop.stop(), ac.done]);
        closed.push(acr.errors + acr.timeouts + acr.non2xx);
        open.push(tally.failed);
        details.push(
          `${tool.label} run ${run + 1}: reload took ${r.ms.toFixed(0)} ms; closed loop ${acr.total} requests, ${acr.errors} errors, ` +
            `${acr.timeouts} timeouts, ${acr.non2xx} non-2xx; open loop ${tally.sent} sent, failures ${JSON.stringify(tally.reasons)}`,
        );
      }
      return { closed, open, details };
    };
    const t = await measure(tend);
    const p = await measure(pm2);
    const rows: Row[] = [
      {
        ...base,
        label: 'failed requests, closed loop (autocannon)',
        tend: cell(t.closed),
        pm2: cell(p.closed),
        targets: [...target],
        note: [...t.details, ...p.details].join('; '),
      },
      {
        ...base,
        label: 'failed requests, open loop (200/s, new connections)',
        tend: cell(t.open),
        pm2: cell(p.open),
        targets: [...target],
      },
    ];
    return { rows };
  },
};
