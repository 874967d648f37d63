// 13. Reload with a readiness gate: `reload` of a `-i 2` cluster app (apps/ready-http.cjs) under load, as
// reload-under-load does (a closed-loop generator, autocannon with 10 connections, and an open-loop client at
// 200 requests/s on new connections; --quick: the open loop alone), with a readiness gate on each
// replacement. tend with an exec readiness probe, "the service answers" with curl: what a user writes for a
// cluster app, where an HTTP probe on the shared port is refused (it reaches any worker) and tend's docs
// offer an exec probe, wait_ready or a per-instance port; a replacement is then promoted once it has passed
// its own exec probe and listens. tend again with wait_ready (process.send('ready')), and PM2 with its only
// equivalent, wait_ready with listen_timeout. Counts failed requests.
import { app, tagOf } from '../lib/apps.js';
import type { TimedRun } from '../lib/child.js';
import type { BenchContext, Scenario } from '../lib/context.js';
import { openLoop } from '../lib/http.js';
import { load } from '../lib/load.js';
import { cell, type Row } from '../lib/rows.js';
import type { Tool } from '../lib/tools.js';

/** The readiness probe of the tend app: "the service answers", as a user writes it with curl. */
const EXEC_PROBE = {
  exec: { command: 'curl -fsS -o /dev/null --max-time 1 http://127.0.0.1:$PORT/' },
  period_seconds: 1,
};

type Gate = 'exec-probe' | 'wait-ready';

export const scenario: Scenario = {
  number: 13,
  id: 'reload-probe',
  title: 'failed requests during `reload` of a -i 2 app with a readiness gate, under constant load',
  async run(ctx) {
    // --quick: the probe alone (the wait_ready path is the same code with another gate).
    const [tendProbe, tendReady, pm2] = await Promise.all([
      ctx.tend('tend, exec probe', 'te'),
      ctx.quick ? null : ctx.tend('tend, wait_ready', 'tw'),
      ctx.pm2(),
    ]);
    const e = await measure(ctx, tendProbe, 'exec-probe');
    const w = tendReady ? await measure(ctx, tendReady, 'wait-ready') : null;
    const p = pm2 ? await measure(ctx, pm2, 'wait-ready') : null;
    const skipped = { na: 'skipped (--quick)' };
    const base = {
      number: scenario.number,
      scenario: scenario.id,
      unit: 'requests' as const,
      floor: { na: '' },
      targets: [{ kind: 'abs' as const, op: '<=' as const, value: 0 }],
    };
    const rows: Row[] = [
      {
        ...base,
        label: 'failed requests; tend: exec readiness probe, PM2: wait_ready',
        tend: cell(e.failed),
        pm2: p ? cell(p.failed) : skipped,
        note:
          `tend: readiness_probe ${JSON.stringify(EXEC_PROBE)}; both: listen_timeout 10 s; ` +
          `failed = closed-loop errors, timeouts and non-2xx + open-loop failures. ${[...e.details, ...(p?.details ?? [])].join('; ')}`,
      },
      {
        ...base,
        label: 'failed requests; both: wait_ready, process.send("ready")',
        tend: w ? cell(w.failed) : skipped,
        pm2: p ? cell(p.failed) : skipped,
        ...(w ? { note: w.details.join('; ') } : {}),
      },
    ];
    return { rows };
  },
};

/** Starts a -i 2 app under `tool` behind `gate`, then reloads it under load, counting failed requests. */
async function measure(ctx: BenchContext, tool: Tool, gate: Gate) {
  const port = await ctx.freePort();
  const tag = tagOf(tool, 'reload');
  const file = ctx.ecosystem(tagOf(tool, 'reload'), [
    {
      name: 'reload',
      script: app('ready-http.cjs'),
      args: [tag, String(port)],
      instances: 2,
      exec_mode: 'cluster',
      listen_timeout: 10_000,
      ...(gate === 'exec-probe' ? { port, readiness_probe: EXEC_PROBE } : { wait_ready: true }),
    },
  ]);
  const listeningCount = (from: number) =>
    ctx.notify.notes.slice(from).filter((x) => x.kind === 'listening' && x.tag === tag).length;
  let since = ctx.notify.mark();
  await tool.run(['start', file]);
  await ctx.notify.waitFor(() => listeningCount(since) >= 2, {
    since,
    what: `two ${tool.label} workers listening`,
  });
  await tool.waitOnline(['reload']);
  const failed: number[] = [];
  const details: string[] = [];
  for (let run = 0; run < ctx.runs(3, 1); run++) {
    const loop = openLoop(port, 200);
    const ac = ctx.peers ? load(ctx.peers, port, { connections: 10, seconds: 60 }) : null;
    let r: TimedRun;
    try {
      // Load is flowing once the open-loop client has seen answers; then reload, then let it run on a while.
      await loop.okAfter(100);
      since = ctx.notify.mark();
      // A reload that fails (a replacement that missed its gate) is an outcome to report, not a bench error.
      r = await tool.cli(['reload', 'reload']);
      if (r.code === 0)
        await ctx.notify.waitFor(() => listeningCount(since) >= 2, {
          since,
          what: `two new ${tool.label} workers listening`,
        });
      await tool.waitOnline(['reload']);
      await loop.okAfter(200);
    } catch (err) {
      // Nothing may keep sending (or keep the bench alive) after a failure.
      await loop.stop();
      throw err;
    } finally {
      ac?.stop();
    }
    const [tally, acr] = await Promise.all([loop.stop(), ac?.done ?? null]);
    failed.push(tally.failed + (acr ? acr.errors + acr.timeouts + acr.non2xx : 0));
    const said = (r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? '';
    details.push(
      `${tool.label} run ${run + 1}: reload took ${r.ms.toFixed(0)} ms` +
        (r.code === 0 ? '; ' : ` and FAILED (exit ${r.code}: ${said}); `) +
        (acr
          ? `closed loop ${acr.total} requests, ${acr.errors} errors, ${acr.timeouts} timeouts, ${acr.non2xx} non-2xx; `
          : '') +
        `open loop ${tally.sent} sent, failures ${JSON.stringify(tally.reasons)}`,
    );
  }
  await tool.run(['delete', 'all']);
  return { failed, details };
}
