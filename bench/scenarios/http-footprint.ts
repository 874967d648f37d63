// 15. HTTP footprint (issue 14): the daemon's RSS with 20 idle apps and HTTP off (scenario 2's method: sampled
// once a second over 10 s; the guard that issue 14 loads nothing while off), against a second tend, side by
// side, whose settings file turns the API and health listeners on, after one GET /metrics (health listener)
// and one GET /api/v1/processes (API, read token): what the HTTP layer, prom-client and the routes cost once
// used. PM2 has no HTTP API of its own (scenario 2 has its RSS).
import { startIdleApps } from '../lib/apps.js';
import type { Scenario } from '../lib/context.js';
import { get } from '../lib/http.js';
import { rssMiB } from '../lib/proc.js';
import { cell, med, NONE, type Row } from '../lib/rows.js';
import { listenSettings, readAuth } from '../lib/tend-http.js';

export const scenario: Scenario = {
  number: 15,
  id: 'http-footprint',
  title: 'daemon RSS with 20 idle apps: HTTP off, and API + health listeners on after a scrape and a list',
  async run(ctx) {
    const apps = ctx.size(20, 3);
    const idleSeconds = ctx.size(10, 2);
    const [api, health] = await ctx.freePorts(2);
    const off = await ctx.tend('tend', 't');
    const on = await ctx.tend('tend+http', 'h', listenSettings({ api, health }));
    await Promise.all([off, on].map((t) => startIdleApps(ctx, t, apps)));

    // As a user would have them: one `list` on each, then the two HTTP calls on the one with listeners.
    for (const t of [off, on]) await t.run(['list']);
    const scrape = await get(health ?? 0, '/metrics');
    if (scrape.status !== 200) throw new Error(`GET /metrics: status ${scrape.status}`);
    const list = await get(api ?? 0, '/api/v1/processes', 5000, readAuth(on));
    if (list.status !== 200) throw new Error(`GET /api/v1/processes: status ${list.status}`);
    const listed = (JSON.parse(list.body) as { processes: unknown[] }).processes.length;
    if (listed !== apps) throw new Error(`GET /api/v1/processes listed ${listed} processes, not ${apps}`);

    // Idle, as in scenario 2: the bench sleeps, sampling both daemons each second.
    const rssOff: number[] = [];
    const rssOn: number[] = [];
    for (let s = 0; s < idleSeconds; s++) {
      await new Promise((r) => setTimeout(r, 1000));
      rssOff.push(rssMiB(off.daemonPid()));
      rssOn.push(rssMiB(on.daemonPid()));
    }
    const base = { number: scenario.number, scenario: scenario.id, pm2: { na: 'see 2 footprint' } };
    const rows: Row[] = [
      {
        ...base,
        label: `daemon RSS, ${apps} apps, HTTP off`,
        unit: 'MiB',
        tend: cell(rssOff),
        floor: NONE,
        targets: [{ kind: 'abs', op: '<=', value: 45 }],
        note: `sampled once a second over ${idleSeconds} s (as 2 footprint); no settings file`,
      },
      {
        ...base,
        label: `daemon RSS, ${apps} apps, API + health on; floor: HTTP off`,
        unit: 'MiB',
        tend: cell(rssOn),
        floor: cell(rssOff),
        targets: [],
        note:
          `same window, a second daemon side by side with http.listen and health.listen in tend.config.yaml, ` +
          `after one GET /metrics (${Math.round(scrape.body.length / 1024)} KiB) and one GET /api/v1/processes`,
      },
      {
        ...base,
        label: 'what the listeners add, once used',
        unit: 'MiB',
        tend: cell([(med(cell(rssOn)) ?? Number.NaN) - (med(cell(rssOff)) ?? Number.NaN)]),
        floor: NONE,
        targets: [],
      },
    ];
    return { rows };
  },
};
