// 10. Recovery: the daemon is killed (SIGKILL) with 5 idle apps running; then the next command (`list`).
// Measured: how many apps run again under a daemon (listed online, new pids), the time from that command
// until all have said "ready" again and are listed online, and how many of the old processes are still
// alive afterwards (orphans: nobody supervises them, and they may hold ports). Then `update` (tend update,
// pm2 update) with 5 apps: the time from the command until every app has said "ready" again and is online.
import { startIdleApps, tagOf } from '../lib/apps.js';
import { nowMs } from '../lib/child.js';
import type { BenchContext, Scenario } from '../lib/context.js';
import { isAlive, killPid } from '../lib/proc.js';
import { type Cell, cell, na, type Row } from '../lib/rows.js';
import type { Tool } from '../lib/tools.js';

interface Crash {
  restored: number;
  /** ms from the first command after the crash until all apps run again; null: not restored. */
  ms: number | null;
  orphans: number;
}

export const scenario: Scenario = {
  number: 10,
  id: 'recovery',
  title: 'daemon killed with 5 apps: apps restored by the next command, time, orphans; `update` down time',
  async run(ctx) {
    const n = ctx.size(5, 2);
    const runs = ctx.runs(3, 1);
    const subjects: ('tend' | 'pm2')[] = ctx.withPm2 ? ['tend', 'pm2'] : ['tend'];
    const crash: Record<string, Crash[]> = { tend: [], pm2: [] };
    const update: Record<string, number[]> = { tend: [], pm2: [] };
    for (let run = 0; run < runs; run++) {
      for (const who of subjects) {
        const tool = await fresh(ctx, who);
        try {
          crash[who]?.push(await afterKill(ctx, tool, n, `k${run}x`));
        } finally {
          await ctx.release(tool);
        }
        const again = await fresh(ctx, who);
        try {
          update[who]?.push(await updateDownTime(ctx, again, n, `u${run}x`));
        } finally {
          await ctx.release(again);
        }
      }
    }

    const base = { number: scenario.number, scenario: scenario.id };
    const pm2 = (c: Cell): Cell => (ctx.withPm2 ? c : na('skipped (--quick)'));
    const times = (list: Crash[]): Cell => {
      const ms = list.map((c) => c.ms);
      return ms.every((x) => x !== null) ? cell(ms as number[]) : na('not restored');
    };
    const rows: Row[] = [
      {
        ...base,
        label: `kill -9 of the daemon, ${n} apps: apps running again after the next command`,
        unit: 'apps',
        tend: cell((crash.tend ?? []).map((c) => c.restored)),
        pm2: pm2(cell((crash.pm2 ?? []).map((c) => c.restored))),
        floor: na(''),
        targets: [{ kind: 'abs', op: '>=', value: n }],
      },
      {
        ...base,
        label: 'kill -9 of the daemon: from the next command until all run again',
        unit: 'ms',
        tend: times(crash.tend ?? []),
        pm2: pm2(times(crash.pm2 ?? [])),
        floor: na(''),
        targets: [],
      },
      {
        ...base,
        label: 'kill -9 of the daemon: old processes left running (orphans)',
        unit: 'apps',
        tend: cell((crash.tend ?? []).map((c) => c.orphans)),
        pm2: pm2(cell((crash.pm2 ?? []).map((c) => c.orphans))),
        floor: na(''),
        targets: [{ kind: 'abs', op: '<=', value: 0 }],
      },
      {
        ...base,
        label: `update with ${n} apps: from the command until all run again`,
        unit: 'ms',
        tend: cell(update.tend ?? []),
        pm2: pm2(cell(update.pm2 ?? [])),
        floor: na(''),
        targets: [],
        note: 'tend update / pm2 update: the daemon restarts in place and brings the apps back',
      },
    ];
    return { rows };
  },
};

async function fresh(ctx: BenchContext, who: 'tend' | 'pm2'): Promise<Tool> {
  const t = who === 'tend' ? await ctx.tend() : await ctx.pm2();
  if (!t) throw new Error('PM2 is not available');
  return t;
}

async function afterKill(ctx: BenchContext, tool: Tool, n: number, prefix: string): Promise<Crash> {
  const old = await startIdleApps(ctx, tool, n, prefix);
  const names = [...old.keys()];
  const oldPids = new Set(old.values());
  const daemon = tool.daemonPid();
  killPid(daemon);
  await until(() => !isAlive(daemon), 5000, `${tool.label}: the killed daemon gone`);
  const since = ctx.notify.mark();
  const t0 = nowMs();
  await tool.run(['list']);
  // tend restores before it answers: every app is listed now. PM2's new daemon starts empty.
  const listed = (await tool.apps()).filter((a) => names.includes(a.name));
  let ms: number | null = null;
  if (listed.length === n) {
    await ctx.notify.waitForAll(
      'ready',
      names.map((name) => tagOf(tool, name)),
      { since, timeoutMs: 15_000 },
    );
    await tool.waitOnline(names, 15_000);
    ms = nowMs() - t0;
  }
  const now = await tool.apps();
  const restored = now.filter(
    (a) => names.includes(a.name) && a.status === 'online' && a.pid !== null && !oldPids.has(a.pid),
  ).length;
  const orphans = [...oldPids].filter(isAlive);
  for (const pid of orphans) killPid(pid); // the bench started them: it ends what the tool left behind
  return { restored, ms, orphans: orphans.length };
}

async function updateDownTime(ctx: BenchContext, tool: Tool, n: number, prefix: string): Promise<number> {
  const old = await startIdleApps(ctx, tool, n, prefix);
  const names = [...old.keys()];
  const since = ctx.notify.mark();
  const t0 = nowMs();
  await tool.run(['update']);
  const notes = await ctx.notify.waitForAll(
    'ready',
    names.map((name) => tagOf(tool, name)),
    { since, timeoutMs: 30_000 },
  );
  await tool.waitOnline(names, 30_000);
  const lastReady = Math.max(...[...notes.values()].map((x) => x.at));
  return Math.max(nowMs(), lastReady) - t0;
}

/** Polls a condition the bench cannot be told about (a process it did not start exiting). */
async function until(ok: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
