// 11. Probe CPU: the daemon's CPU with 50 apps (apps/probed-http.cjs, one app per port), each probed by an
// HTTP readiness probe every second (50 probes/s), against the same 50 apps with no probe in a second tend
// (the floor: what probing adds) and in PM2 (no probes: PM2 has none; its row is the no-probe one). Beside
// them, a bare Node process makes the same 50 GETs a second (apps/get-loop.cjs, with the daemon's V8 flags):
// what the probes' HTTP requests cost on this machine with nothing of tend around them. All run side by side
// and are measured over the same window, in slices, from /proc/<pid>/stat (utime + stime), as a percentage
// of one core. Each probed app counts the probes it answers, so the row says the rate they really ran at.
import { DAEMON_NODE_FLAGS } from '../../src/client/ensure-daemon.js';
import { app, tagOf } from '../lib/apps.js';
import { nowMs, spawnTracked } from '../lib/child.js';
import type { BenchContext, Scenario } from '../lib/context.js';
import { get } from '../lib/http.js';
import { mustCpuSeconds } from '../lib/proc.js';
import { cell, type Row } from '../lib/rows.js';
import type { Tool } from '../lib/tools.js';

/** The probe every app of the probed tend gets: what a user writes for "GET /healthz every second". */
const probe = { http_get: { port: '$PORT', path: '/healthz' }, period_seconds: 1 };

interface Fleet {
  tool: Tool;
  ports: number[];
  tags: string[];
}

export const scenario: Scenario = {
  number: 11,
  id: 'probe-cpu',
  title: 'daemon CPU with 50 apps each probed by HTTP every second, against the same 50 apps unprobed',
  async run(ctx) {
    const n = ctx.size(50, 3);
    const sliceS = ctx.size(5, 1);
    const slices = ctx.size(6, 1);
    const [plain, probed, pm2] = await Promise.all([ctx.tend(), ctx.tend('tend, probed', 'tp'), ctx.pm2()]);

    // Started together (the starts are not what is measured here), on ports drawn in one go: distinct.
    const ports = await ctx.freePorts(3 * n);
    const [fPlain, fProbed, fPm2] = await Promise.all([
      startFleet(ctx, plain, ports.slice(0, n), false),
      startFleet(ctx, probed, ports.slice(n, 2 * n), true),
      pm2 ? startFleet(ctx, pm2, ports.slice(2 * n), false) : undefined,
    ]);
    const fleets = fPm2 ? [fPlain, fProbed, fPm2] : [fPlain, fProbed];

    // The floor of the GETs themselves, against the unprobed apps (on a path they do not count).
    const since = ctx.notify.mark();
    const loop = spawnTracked(
      process.execPath,
      [...DAEMON_NODE_FLAGS, app('get-loop.cjs'), 'get-loop', '1000', '/', ...fPlain.ports.map(String)],
      { env: ctx.env },
    );
    const loopPid = loop.pid ?? 0;
    await ctx.notify.waitFor((x) => x.kind === 'ready' && x.tag === 'get-loop', {
      since,
      what: 'the GET loop answered',
    });
    // Probing is in its steady state once every probed app has answered two probes.
    await ctx.notify.waitForAll('probed', fProbed.tags, { timeoutMs: 60_000 });

    // The window: this scenario *is* "time passes while the probes run", so here the bench sleeps.
    const count0 = await probeCount(fProbed);
    const t0 = nowMs();
    // Each subject's pid: the three daemons and the loop.
    const pids = new Map<Tool | 'loop', number>([
      ...fleets.map((f) => [f.tool, f.tool.daemonPid()] as const),
      ['loop', loopPid],
    ]);
    const samples = new Map<Tool | 'loop', number[]>([...pids.keys()].map((k) => [k, []]));
    const read = () => new Map([...pids].map(([k, pid]) => [k, mustCpuSeconds(pid)]));
    let cpu = read();
    for (let s = 0; s < slices; s++) {
      const from = nowMs();
      await new Promise((r) => setTimeout(r, sliceS * 1000));
      const now = read();
      const wallS = (nowMs() - from) / 1000;
      for (const k of pids.keys())
        samples.get(k)?.push((((now.get(k) ?? 0) - (cpu.get(k) ?? 0)) / wallS) * 100);
      cpu = now;
    }
    const windowS = (nowMs() - t0) / 1000;
    const rate = ((await probeCount(fProbed)) - count0) / windowS;
    // A probe that does not run measures nothing: a failure of the scenario, not a good figure.
    if (rate < n * 0.8)
      throw new Error(`the probes ran at ${rate.toFixed(1)}/s over ${windowS.toFixed(0)} s, not ~${n}/s`);
    const unprobed = await probeCount(fPlain);
    if (unprobed !== 0) throw new Error(`the unprobed apps answered ${unprobed} probes`);

    const plainS = samples.get(plain) ?? [];
    const probesOnly = (samples.get(probed) ?? []).map((v, i) => v - (plainS[i] ?? 0));
    const base = { number: scenario.number, scenario: scenario.id, unit: '% core' as const };
    const over = `${slices} slices of ${sliceS} s (median)`;
    const rows: Row[] = [
      {
        ...base,
        label: `daemon CPU, ${n} apps, no probes`,
        tend: cell(plainS),
        pm2: fPm2 ? cell(samples.get(fPm2.tool) ?? []) : { na: 'skipped (--quick)' },
        floor: { na: '' },
        targets: [],
        note: `${n} HTTP apps, one port each, side by side in ${fleets.length} daemons; CPU over ${over}`,
      },
      {
        ...base,
        label: `daemon CPU, ${n} apps, HTTP readiness probe every 1 s`,
        tend: cell(samples.get(probed) ?? []),
        pm2: { na: 'n/a (PM2 has no probes)' },
        floor: cell(plainS),
        targets: [{ kind: 'abs', op: '<=', value: 2 }],
        note:
          `readiness_probe ${JSON.stringify(probe)} on each app (no liveness probe), ` +
          `measured ${rate.toFixed(1)} probes/s; floor: the same ${n} apps in a tend with no probe, same window`,
      },
      {
        ...base,
        label: 'the probes alone; floor: a bare Node loop making the same GETs',
        tend: cell(probesOnly),
        pm2: { na: 'n/a (PM2 has no probes)' },
        floor: cell(samples.get('loop') ?? []),
        targets: [],
        note:
          'tend: the probed daemon minus the unprobed one, slice by slice; floor: apps/get-loop.cjs, node:http ' +
          "with a new connection per GET as the probe makes, the daemon's V8 flags, same window",
      },
    ];
    return { rows };
  },
};

/** Starts probed-http apps under `tool` from one file, one on each port; waits until all listen. */
async function startFleet(
  ctx: BenchContext,
  tool: Tool,
  ports: number[],
  withProbe: boolean,
): Promise<Fleet> {
  const names = ports.map((_, i) => `h${i}`);
  const tags = names.map((name) => tagOf(tool, name));
  const file = ctx.ecosystem(
    tagOf(tool, 'probed'),
    names.map((name, i) => ({
      name,
      script: app('probed-http.cjs'),
      args: [tagOf(tool, name), String(ports[i])],
      // tend reads `port` as env.PORT, which '$PORT' in the probe expands to; PM2 is given the same apps.
      ...(tool.kind === 'tend' ? { port: ports[i] } : {}),
      ...(withProbe ? { readiness_probe: probe } : {}),
    })),
  );
  const since = ctx.notify.mark();
  await tool.run(['start', file]);
  await ctx.notify.waitForAll('listening', tags, { since, timeoutMs: 120_000 });
  await tool.waitOnline(names, 60_000);
  return { tool, ports, tags };
}

/** The probes the fleet's apps have answered so far, summed (each app counts its own). */
async function probeCount(f: Fleet): Promise<number> {
  const counts = await Promise.all(f.ports.map((port) => get(port, '/count')));
  return counts.reduce((sum, r) => sum + Number(r.body.trim()), 0);
}
