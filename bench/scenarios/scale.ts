// 8. Scale: how the cost grows with the number of apps. `list` wall time and daemon RSS with 0 apps, then
// with 200 idle apps (`sleep` processes, so 400 apps across both tools fit in memory; the daemon's per-app
// cost is what is measured). Target: `list` with 200 apps ≤ 1.5× `list` with 0 apps, in the same run.
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { interleave, type Scenario } from '../lib/context.js';
import { rssMiB } from '../lib/proc.js';
import { type Cell, cell, med, NONE, type Row } from '../lib/rows.js';
import type { Tool } from '../lib/tools.js';

export const scenario: Scenario = {
  number: 8,
  id: 'scale',
  title: '`list` latency and daemon RSS with 200 idle apps against 0 apps',
  async run(ctx) {
    const n = ctx.size(200, 5);
    const runs = ctx.runs(10, 2);
    const sleep = findOnPath('sleep');
    const tools = await ctx.both();
    const pm2 = tools.find((t) => t.kind === 'pm2');
    const side = (s: Record<string, number[]>, t: Tool | undefined): Cell =>
      t ? cell(s[t.label] ?? []) : { na: 'skipped (--quick)' };

    const listTimes = async () => {
      for (const t of tools) await t.run(['list']); // unrecorded warm-up
      return interleave(
        runs,
        tools.map((t) => t.label),
        async (who) => (await (tools.find((t) => t.label === who) as Tool).run(['list'])).ms,
      );
    };
    const rss = () => Object.fromEntries(tools.map((t) => [t.label, [rssMiB(t.daemonPid())]]));

    const list0 = await listTimes();
    const rss0 = rss();
    const names = Array.from({ length: n }, (_, i) => `z${i}`);
    // `sleep` says nothing: wait on the tool's own view (tend's events; PM2's jlist, polled).
    const file = ctx.ecosystem(
      `scale-${n}`,
      names.map((name) => ({ name, script: sleep, args: ['86400'], interpreter: 'none' })),
    );
    await Promise.all(
      tools.map(async (t) => {
        await t.run(['start', file]);
        await t.waitOnline(names, 120_000);
      }),
    );
    const listN = await listTimes();
    const rssN = rss();

    const tendRatio =
      (med(cell(listN.tend ?? [])) ?? Number.NaN) / (med(cell(list0.tend ?? [])) ?? Number.NaN);
    const pm2Ratio = pm2
      ? (med(cell(listN[pm2.label] ?? [])) ?? Number.NaN) / (med(cell(list0[pm2.label] ?? [])) ?? Number.NaN)
      : null;
    const base = { number: scenario.number, scenario: scenario.id, floor: NONE };
    const perApp = (label: string) => {
      const a = rssN[label]?.[0];
      const b = rss0[label]?.[0];
      return a === undefined || b === undefined ? [] : [((a - b) * 1024) / n];
    };
    const rows: Row[] = [
      {
        ...base,
        label: 'list, 0 apps',
        unit: 'ms',
        tend: cell(list0.tend ?? []),
        pm2: side(list0, pm2),
        targets: [],
      },
      {
        ...base,
        label: `list, ${n} apps`,
        unit: 'ms',
        tend: cell(listN.tend ?? []),
        pm2: side(listN, pm2),
        targets: [
          {
            kind: 'custom',
            text: `≤ 1.5× list with 0 apps (tend ${tendRatio.toFixed(2)}×${pm2Ratio === null ? '' : `, PM2 ${pm2Ratio.toFixed(2)}×`})`,
            pass: Number.isFinite(tendRatio) ? tendRatio <= 1.5 : null,
          },
        ],
      },
      {
        ...base,
        label: 'daemon RSS, 0 apps',
        unit: 'MiB',
        tend: cell(rss0.tend ?? []),
        pm2: side(rss0, pm2),
        targets: [],
      },
      {
        ...base,
        label: `daemon RSS, ${n} apps`,
        unit: 'MiB',
        tend: cell(rssN.tend ?? []),
        pm2: side(rssN, pm2),
        targets: [],
      },
      {
        ...base,
        label: 'daemon RSS per app',
        unit: 'KiB',
        tend: cell(perApp('tend')),
        pm2: pm2 ? cell(perApp(pm2.label)) : { na: 'skipped (--quick)' },
        targets: [],
      },
    ];
    return { rows };
  },
};

function findOnPath(cmd: string): string {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const p = join(dir, cmd);
    if (existsSync(p)) return p;
  }
  throw new Error(`${cmd} not found on PATH`);
}
