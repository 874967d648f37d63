// 2. Footprint: the daemon's RSS with 0 and with 20 idle apps, its CPU seconds over 10 s of idling with 20
// apps, and the RSS of an app under the tool against the same app started by hand (what the tool adds to
// every app it runs: PM2 loads a wrapper into each; tend's fork mode runs the script as is).
import { app, startIdleApps } from '../lib/apps.js';
import { spawnTracked } from '../lib/child.js';
import type { Scenario } from '../lib/context.js';
import { mustCpuSeconds, rssMiB } from '../lib/proc.js';
import { type Cell, cell, NONE, type Row } from '../lib/rows.js';
import { median } from '../lib/stats.js';
import type { Tool } from '../lib/tools.js';

export const scenario: Scenario = {
  number: 2,
  id: 'footprint',
  title:
    'daemon RSS (0 and 20 apps), daemon CPU over 10 s idle with 20 apps, app RSS under the tool vs by hand',
  async run(ctx) {
    const apps = ctx.size(20, 3);
    const idleSeconds = ctx.size(10, 1);
    const tools = await ctx.both();
    const byKind = (rowFor: (t: Tool) => Cell) => ({
      tend: rowFor(tools[0] as Tool),
      pm2: tools[1] ? rowFor(tools[1]) : { na: 'skipped (--quick)' },
    });
    const base = { number: scenario.number, scenario: scenario.id };

    // Idle with 0 apps: after one `list`, as a user would have it.
    for (const t of tools) await t.run(['list']);
    const rss0 = new Map(tools.map((t) => [t, rssMiB(t.daemonPid())]));

    // 20 apps under each tool, and 20 of the same app started by hand, at the same time.
    const since = ctx.notify.mark();
    const hand = Array.from({ length: apps }, (_, i) =>
      spawnTracked(process.execPath, [app('idle.cjs'), `h-idle${i}`], {
        env: ctx.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const appPids = await Promise.all(tools.map((t) => startIdleApps(ctx, t, apps)));
    await ctx.notify.waitForAll(
      'ready',
      hand.map((_, i) => `h-idle${i}`),
      { since },
    );
    // Every app has said "ready": read all RSS now, at one moment, so no side is older than another.
    const appRss = new Map<Tool | 'hand', number[]>();
    tools.forEach((t, i) => {
      appRss.set(t, [...(appPids[i] ?? new Map<string, number>()).values()].map(rssMiB));
    });
    appRss.set(
      'hand',
      hand.map((c) => rssMiB(c.pid ?? 0)),
    );

    // Idle: this scenario *is* "nothing happens for 10 s", so here the bench sleeps, sampling RSS each second.
    const cpu0 = new Map(tools.map((t) => [t, mustCpuSeconds(t.daemonPid())]));
    const rss20 = new Map<Tool, number[]>(tools.map((t) => [t, []]));
    for (let s = 0; s < idleSeconds; s++) {
      await new Promise((r) => setTimeout(r, 1000));
      for (const t of tools) rss20.get(t)?.push(rssMiB(t.daemonPid()));
    }
    const cpu = new Map(tools.map((t) => [t, mustCpuSeconds(t.daemonPid()) - (cpu0.get(t) ?? 0)]));

    const handMedian = median(appRss.get('hand') ?? []);
    const idleNode = cell(appRss.get('hand') ?? []);
    const rows: Row[] = [
      {
        ...base,
        label: 'daemon RSS, 0 apps',
        unit: 'MiB',
        ...byKind((t) => cell([rss0.get(t) ?? Number.NaN])),
        floor: idleNode,
        targets: [],
        note: 'floor: an idle Node process (the apps started by hand below)',
      },
      {
        ...base,
        label: `daemon RSS, ${apps} apps`,
        unit: 'MiB',
        ...byKind((t) => cell(rss20.get(t) ?? [])),
        floor: idleNode,
        targets: [{ kind: 'abs', op: '<=', value: 45 }],
        note: `sampled once a second over ${idleSeconds} s`,
      },
      {
        ...base,
        label: `daemon CPU, ${idleSeconds} s idle, ${apps} apps`,
        unit: 'CPU s',
        ...byKind((t) => cell([cpu.get(t) ?? Number.NaN])),
        floor: NONE,
        targets: [],
      },
      {
        ...base,
        label: `app RSS (median of ${apps}); floor: by hand`,
        unit: 'MiB',
        ...byKind((t) => cell(appRss.get(t) ?? [])),
        floor: cell(appRss.get('hand') ?? []),
        targets: [],
      },
      {
        ...base,
        label: 'app RSS overhead vs by hand',
        unit: 'MiB',
        ...byKind((t) => cell([median(appRss.get(t) ?? []) - handMedian])),
        floor: NONE,
        targets: [{ kind: 'abs', op: '<=', value: 0.5 }],
        note: 'median RSS of the apps under the tool minus the median of the same apps started by hand',
      },
    ];
    return { rows };
  },
};
