// 18. PM2 compatibility (issue 17): `tend-pm2 jlist` and `tend-pm2 prettylist` with 20 apps, wall time as a
// script pays it, against the Node+socket floor (target ≤ 1.2×, like `tend jlist`) and PM2's own `pm2 jlist`
// / `prettylist`; and the migration of a real PM2 dump: PM2 runs 20 apps and `pm2 save`s them, then
// `tend import pm2 <dump> --start` in a fresh tend home, from spawn until every app has said "ready"
// (against `pm2 resurrect` of the same dump in a fresh PM2 home). The dump needs PM2: not in --quick.
import { copyFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { app, startIdleApps, tagOf } from '../lib/apps.js';
import { nowMs, type TimedRun, timedRun } from '../lib/child.js';
import { type BenchContext, interleave, type Scenario } from '../lib/context.js';
import { cell, na, type Row } from '../lib/rows.js';
import type { Tool } from '../lib/tools.js';

const FLOOR = 'floor';
const TEND_PM2 = 'tend-pm2';

export const scenario: Scenario = {
  number: 20,
  id: 'pm2-compat',
  title:
    '`tend-pm2 jlist` / `prettylist` with 20 apps against a fresh Node doing one socket round trip; `tend import pm2 --start` of a 20-app PM2 dump until every app runs',
  async run(ctx) {
    const count = ctx.size(20, 3);
    const rows: Row[] = [];
    const [tend, pm2] = [await ctx.tend(), await ctx.pm2()];
    await startIdleApps(ctx, tend, count);
    if (pm2) await startIdleApps(ctx, pm2, count);
    for (const verb of ['jlist', 'prettylist']) rows.push(await listRow(ctx, verb, count, tend, pm2));
    if (!pm2) {
      rows.push(
        importRow(count, { tend: na('needs a PM2 dump (not in --quick)'), pm2: na('skipped (--quick)') }),
      );
      return { rows };
    }
    // PM2's own dump of its 20 running apps, kept outside the home the tool removes.
    await pm2.run(['save']);
    const dump = join(ctx.work, `pm2-${count}.dump.pm2`);
    copyFileSync(join(pm2.home, 'dump.pm2'), dump);
    // PM2's apps stop (no load during the runs), its home stays: the apps' cwd is there.
    await pm2.run(['kill']);
    await ctx.release(tend);
    const tags = Array.from({ length: count }, (_, i) => tagOf(pm2, `idle${i}`));
    const s = await interleave(ctx.runs(5, 1), ['tend', 'pm2'] as const, async (who) =>
      who === 'tend' ? importOnce(ctx, dump, tags) : resurrectOnce(ctx, dump, tags),
    );
    rows.push(importRow(count, { tend: cell(s.tend), pm2: cell(s.pm2) }));
    return { rows };
  },
};

/** One timed CLI call of `tend-pm2`, against the tend tool's daemon (its home as PM2_HOME). */
function tendPm2(ctx: BenchContext, tend: Tool, verb: string): Promise<TimedRun> {
  const bin = join(dirname(ctx.tendCli), 'tend-pm2.js');
  return timedRun(process.execPath, [bin, verb], {
    env: { ...tend.env, PM2_HOME: tend.home },
    cwd: tend.home,
    timeoutMs: 60_000,
  });
}

async function listRow(ctx: BenchContext, verb: string, count: number, tend: Tool, pm2: Tool | null) {
  const label = `tend-pm2 ${verb}, ${count} apps`;
  const base = { number: scenario.number, scenario: scenario.id, unit: 'ms' as const, label };
  // Until tend-pm2 implements the verb (it lands with issue 17's CLI), the row says so.
  const probe = await tendPm2(ctx, tend, verb);
  if (probe.code !== 0 || !probe.stdout.includes('pm2_env'))
    return {
      ...base,
      tend: na(`tend-pm2 ${verb} not available (exit ${probe.code}: ${probe.stderr.trim().split('\n')[0]})`),
      pm2: na(''),
      floor: na(''),
      targets: [],
    };
  const socketFloor = () => timedRun(process.execPath, [app('socket-roundtrip.cjs'), ctx.notify.path]);
  if (pm2) await pm2.run([verb]);
  await socketFloor();
  const subjects = [TEND_PM2, ...(pm2 ? [pm2.label] : []), FLOOR];
  const s = await interleave(ctx.runs(15, 3), subjects, async (who) => {
    const r =
      who === TEND_PM2
        ? await tendPm2(ctx, tend, verb)
        : who === FLOOR
          ? await socketFloor()
          : await (pm2 as Tool).cli([verb]);
    if (r.code !== 0) throw new Error(`${who} ${verb} exited with ${r.code}: ${r.stderr.trim()}`);
    return r.ms;
  });
  return {
    ...base,
    tend: cell(s[TEND_PM2] ?? []),
    pm2: pm2 ? cell(s[pm2.label] ?? []) : na(ctx.quick ? 'skipped (--quick)' : 'n/a'),
    floor: cell(s[FLOOR] ?? []),
    targets: [{ kind: 'ratio' as const, against: 'floor' as const, op: '<=' as const, value: 1.2 }],
    note: 'tend column: bin/tend-pm2.js; floor: a fresh Node process doing one Unix-socket round trip',
  };
}

function importRow(count: number, cells: Pick<Row, 'tend' | 'pm2'>): Row {
  return {
    number: scenario.number,
    scenario: scenario.id,
    unit: 'ms',
    label: `import of a ${count}-app PM2 dump, until all run`,
    ...cells,
    floor: na(''),
    targets: [],
    note: 'tend: `tend import pm2 <dump> --start` in a fresh home; PM2: `pm2 resurrect` of the same dump; until every app said "ready"',
  };
}

/** A fresh tend home: `tend import pm2 <dump> --start`, until every app has said "ready". */
async function importOnce(ctx: BenchContext, dump: string, tags: readonly string[]): Promise<number> {
  const t = await ctx.tend('tend', 'ti');
  try {
    const since = ctx.notify.mark();
    const t0 = nowMs();
    await t.run(['import', 'pm2', dump, '--start']);
    const notes = await ctx.notify.waitForAll('ready', tags, { since });
    return Math.max(...[...notes.values()].map((n) => n.at)) - t0;
  } finally {
    await ctx.release(t);
  }
}

/** A fresh PM2 home holding the dump: `pm2 resurrect`, until every app has said "ready". */
async function resurrectOnce(ctx: BenchContext, dump: string, tags: readonly string[]): Promise<number> {
  const p = await ctx.pm2();
  if (!p) throw new Error('PM2 is needed');
  try {
    copyFileSync(dump, join(p.home, 'dump.pm2'));
    if (!existsSync(join(p.home, 'dump.pm2'))) throw new Error('no dump.pm2 in the fresh PM2 home');
    const since = ctx.notify.mark();
    const t0 = nowMs();
    await p.run(['resurrect']);
    const notes = await ctx.notify.waitForAll('ready', tags, { since });
    return Math.max(...[...notes.values()].map((n) => n.at)) - t0;
  } finally {
    await ctx.release(p);
  }
}
