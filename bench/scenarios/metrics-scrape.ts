// 14. Metrics scrape: the work of one GET /metrics (tend's families built from the supervisor and written as
// text by src/metrics/text-format.ts, two /proc reads per live instance, the daemon's process_* and nodejs_*
// rendered by prom-client) with 20 and with 200 live instances, one app each (the worst case: an app has
// more series than an instance), with real processes (`sleep`, so 200 of them fit on a small machine).
// Twice: in the bench's own process on the daemon's code (src/metrics, no listener: the work alone, and its
// CPU time), then as a user gets it, a GET /metrics on a real daemon's health listener (settings file), from
// request to the last byte of the answer, with the daemon's own CPU time per scrape beside it (on a loaded
// machine the wall time is mostly waiting for a core). PM2 has no Prometheus endpoint (its exporters are separate processes): its cell is n/a.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppSpec } from '../../src/config/spec.js';
import type { DaemonContext } from '../../src/daemon/context.js';
import { createFileSinks } from '../../src/logs/log-service.js';
import { openMetrics } from '../../src/metrics/index.js';
import { referenceSpec } from '../../src/persist/reference-spec.js';
import { realClock } from '../../src/runtime/clock.js';
import { createInspector } from '../../src/runtime/inspector.js';
import { createSpawner } from '../../src/runtime/spawner.js';
import { EventBus } from '../../src/supervisor/event-bus.js';
import { Supervisor } from '../../src/supervisor/supervisor.js';
import { nowMs } from '../lib/child.js';
import type { BenchContext, Scenario } from '../lib/context.js';
import { get } from '../lib/http.js';
import { mustCpuSeconds } from '../lib/proc.js';
import { cell, type Row } from '../lib/rows.js';
import { listenSettings } from '../lib/tend-http.js';

const PM2_NA = { na: 'n/a (no built-in Prometheus endpoint)' };

export const scenario: Scenario = {
  number: 14,
  id: 'metrics-scrape',
  title: 'one /metrics scrape (text format) with 20 and with 200 live instances, in-process and over HTTP',
  async run(ctx) {
    const sizes = ctx.size([20, 200], [3, 20]);
    const targets = ctx.size([20, 100], [20, 100]);
    const runs = ctx.runs(20, 3);
    const home = join(ctx.work, 'metrics-scrape');
    mkdirSync(join(home, 'logs'), { recursive: true, mode: 0o700 });
    const sinks = createFileSinks();
    const supervisor = new Supervisor({
      clock: realClock,
      spawner: createSpawner(),
      sinks,
      inspector: createInspector(),
      bus: new EventBus(),
      home,
      log: () => {},
    });
    const base = referenceSpec(join(home, 'logs'));
    const spec = (i: number): AppSpec => ({
      ...base,
      name: `m${i}`,
      script: '/usr/bin/sleep',
      args: ['3600'],
      interpreter: null,
      interpreter_args: [],
      is_node: false,
      out_file: '/dev/null',
      err_file: '/dev/null',
      log_file: null,
    });
    // Only what openMetrics reads of a daemon: its supervisor and bus. What is measured is a render: no reuse.
    const metrics = openMetrics({ supervisor, bus: new EventBus() } as unknown as DaemonContext, {
      rollupOnly: false,
      reuseMs: 0,
    });
    const rows: Row[] = [];
    try {
      let started = 0;
      for (const [k, n] of sizes.entries()) {
        const units = [];
        for (; started < n; started++) units.push(...supervisor.add(spec(started)));
        await supervisor.start(units, true);
        const down = supervisor.instances().filter((u) => u.status !== 'online').length;
        if (down > 0) throw new Error(`${down} of ${n} instances are not online`);
        // Two scrapes first: the first compiles the code paths, as a daemon's first scrape would.
        let body = '';
        for (let i = 0; i < 2; i++) body = (await metrics.scrape(undefined)).body;
        const samples: number[] = [];
        const cpu: number[] = [];
        for (let i = 0; i < runs; i++) {
          const c0 = process.cpuUsage();
          const t0 = nowMs();
          await metrics.scrape(undefined);
          samples.push(nowMs() - t0);
          const c = process.cpuUsage(c0);
          cpu.push((c.user + c.system) / 1000);
        }
        const series = body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
        rows.push({
          number: scenario.number,
          scenario: scenario.id,
          label: `one /metrics scrape, ${n} live instances`,
          unit: 'ms',
          tend: cell(samples),
          pm2: PM2_NA,
          floor: { na: '' },
          targets: [{ kind: 'abs', op: '<=', value: targets[k] ?? 100 }],
          note: `${n} apps of 1 instance (sleep 3600); ${series} series, ${Math.round(body.length / 1024)} KiB; in-process: openMetrics().scrape() under the bench's V8 (with its JIT; the daemon runs --lite-mode), ${runs} runs after 2 warm-up scrapes`,
        });
        // On a loaded machine the wall time counts the time the bench waited for a core; CPU time does not.
        rows.push({
          number: scenario.number,
          scenario: scenario.id,
          label: `CPU time of that scrape, ${n} live instances`,
          unit: 'ms',
          tend: cell(cpu),
          pm2: PM2_NA,
          floor: { na: '' },
          targets: [],
          note: 'process.cpuUsage() over the same scrapes (user + system, every thread of the bench process)',
        });
      }
    } finally {
      metrics.close();
      await supervisor.close();
      await sinks.close();
    }
    rows.push(...(await overHttp(ctx, sizes, targets, runs)));
    return { rows };
  },
};

/** GET /metrics on a daemon's health listener (no token), with the same numbers of `sleep` apps. */
async function overHttp(ctx: BenchContext, sizes: number[], targets: number[], runs: number): Promise<Row[]> {
  const port = await ctx.freePort();
  const t = await ctx.tend('tend', 't', listenSettings({ health: port }));
  const rows: Row[] = [];
  let started = 0;
  for (const [k, n] of sizes.entries()) {
    const names = Array.from({ length: n - started }, (_, i) => `m${started + i}`);
    const file = ctx.ecosystem(
      `metrics-${n}`,
      names.map((name) => ({ name, script: '/usr/bin/sleep', args: ['3600'], interpreter: 'none' })),
    );
    await t.run(['start', file]);
    await t.waitOnline(names, 120_000);
    started = n;
    const scrape = async () => {
      const r = await get(port, '/metrics');
      if (r.status !== 200) throw new Error(`GET /metrics: status ${r.status}`);
      return r.body;
    };
    let body = '';
    for (let i = 0; i < 2; i++) body = await scrape(); // the daemon's first scrapes compile the code paths
    const samples: number[] = [];
    const cpu0 = mustCpuSeconds(t.daemonPid());
    for (let i = 0; i < runs; i++) {
      const t0 = nowMs();
      await scrape();
      samples.push(nowMs() - t0);
    }
    // The daemon's own CPU over those scrapes: what one costs it, whatever else the machine is doing.
    const daemonCpuMs = ((mustCpuSeconds(t.daemonPid()) - cpu0) * 1000) / runs;
    const series = body.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
    rows.push({
      number: scenario.number,
      scenario: scenario.id,
      label: `GET /metrics over HTTP, ${n} live instances`,
      unit: 'ms',
      tend: cell(samples),
      pm2: PM2_NA,
      floor: { na: '' },
      targets: [{ kind: 'abs', op: '<=', value: targets[k] ?? 100 }],
      note: `a daemon with health.listen in tend.config.yaml, ${n} apps (sleep 3600); ${series} series, ${Math.round(body.length / 1024)} KiB; request to last byte on a new connection, ${runs} runs after 2 warm-up scrapes`,
    });
    rows.push({
      number: scenario.number,
      scenario: scenario.id,
      label: `daemon CPU time per GET /metrics, ${n} live instances`,
      unit: 'ms',
      tend: cell([daemonCpuMs]),
      pm2: PM2_NA,
      floor: { na: '' },
      targets: [],
      note: `/proc/<daemon pid>/stat (user + system, every thread, 10 ms ticks) over the ${runs} scrapes above, divided by ${runs}: the daemon's cost, which a loaded machine does not inflate as it does the wall time`,
    });
  }
  return rows;
}
