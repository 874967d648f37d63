// 3. Start many: 50 idle apps from one ecosystem file, and 50 separate `start` commands, each time in a fresh
// home with the daemon already up. The clock runs from launching the (first) command until the (last)
// command has returned and every app has said "ready" (its code runs), whichever is later; afterwards, and
// untimed, the tool must list every app as online. Floor: the 50 apps spawned all at once by hand,
// until each has said "ready" (what starting 50 Node processes costs on this machine): a minimal supervisor
// (apps/spawner.cjs), not the bench itself, whose large process makes each fork slower.
import { app, tagOf } from '../lib/apps.js';
import { nowMs } from '../lib/child.js';
import { type BenchContext, interleave, type Scenario } from '../lib/context.js';
import { cell, NONE, type Row } from '../lib/rows.js';
import { Spawner } from '../lib/spawner.js';
import type { Tool } from '../lib/tools.js';

type Subject = 'tend' | 'PM2' | 'floor';

export const scenario: Scenario = {
  number: 3,
  id: 'start-many',
  title: '50 apps from one ecosystem file until all online; 50 separate `start` commands',
  async run(ctx) {
    const n = ctx.size(50, 3);
    const subjects: Subject[] = ctx.withPm2 ? ['tend', 'PM2'] : ['tend'];
    const fresh = async (who: Subject): Promise<Tool> => {
      const t = who === 'tend' ? await ctx.tend() : await ctx.pm2();
      if (!t) throw new Error('PM2 is not available');
      return t;
    };

    const eco = await interleave(ctx.runs(3, 1), [...subjects, 'floor'], async (who, run) => {
      if (who === 'floor') return byHand(ctx, n, run);
      const tool = await fresh(who);
      try {
        const names = Array.from({ length: n }, (_, i) => `e${run}x${i}`);
        const file = ctx.ecosystem(
          tagOf(tool, `eco${run}`),
          names.map((name) => ({ name, script: app('idle.cjs'), args: [tagOf(tool, name)] })),
        );
        return await timeUntilReady(ctx, tool, names, async () => {
          await tool.run(['start', file]);
        });
      } finally {
        await ctx.release(tool);
      }
    });

    const separate = await interleave(ctx.runs(1, 1), subjects, async (who, run) => {
      const tool = await fresh(who);
      try {
        const names = Array.from({ length: n }, (_, i) => `s${run}x${i}`);
        return await timeUntilReady(ctx, tool, names, async () => {
          for (const name of names)
            await tool.run(['start', app('idle.cjs'), '--name', name, '--', tagOf(tool, name)]);
        });
      } finally {
        await ctx.release(tool);
      }
    });

    const base = { number: scenario.number, scenario: scenario.id, unit: 's' as const };
    const pm2 = (s: Record<Subject, number[]>) => (ctx.withPm2 ? cell(s.PM2) : { na: 'skipped (--quick)' });
    const rows: Row[] = [
      {
        ...base,
        label: `${n} apps, one ecosystem file`,
        tend: cell(eco.tend),
        pm2: pm2(eco),
        floor: cell(eco.floor),
        targets: [{ kind: 'ratio', against: 'pm2', op: '<=', value: 0.4 }],
        note: `floor: ${n} apps spawned at once by a minimal spawner (apps/spawner.cjs)`,
      },
      {
        ...base,
        label: `${n} apps, ${n} start commands`,
        tend: cell(separate.tend),
        pm2: pm2(separate),
        floor: NONE,
        targets: [],
      },
    ];
    return { rows };
  },
};

/** Seconds from act() until it has returned and all apps have said "ready"; then checks they are online. */
async function timeUntilReady(
  ctx: BenchContext,
  tool: Tool,
  names: string[],
  act: () => Promise<void>,
): Promise<number> {
  const since = ctx.notify.mark();
  const t0 = nowMs();
  await act();
  const returned = nowMs();
  const notes = await ctx.notify.waitForAll(
    'ready',
    names.map((name) => tagOf(tool, name)),
    { since, timeoutMs: 120_000 },
  );
  const lastReady = Math.max(...[...notes.values()].map((x) => x.at));
  await tool.waitOnline(names, 30_000);
  return (Math.max(returned, lastReady) - t0) / 1000;
}

/** The floor: a lean spawner process starts the n apps at once; until every one has said "ready". */
async function byHand(ctx: BenchContext, n: number, run: number): Promise<number> {
  const spawner = await Spawner.start(ctx, `spawner-e${run}`);
  try {
    const tags = Array.from({ length: n }, (_, i) => `h-e${run}x${i}`);
    const since = ctx.notify.mark();
    const t0 = nowMs();
    spawner.spawn(n, 'idle.cjs', [`h-e${run}x{i}`]);
    const notes = await ctx.notify.waitForAll('ready', tags, { since, timeoutMs: 120_000 });
    const ms = Math.max(...[...notes.values()].map((x) => x.at)) - t0;
    spawner.kill([...notes.values()].map((x) => x.pid));
    return ms / 1000;
  } finally {
    await spawner.close();
  }
}
