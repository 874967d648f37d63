// 6. Log throughput: 200,000 numbered lines written to stdout (one write per line) by one app, and by 10
// apps (20,000 each), until every line is in the log files. Every app says "begin" once started and waits;
// when all have, the bench says "go" to all at once and starts the clock, which stops when the last file
// holds its last line (inotify wakes the bench). Then the files are read whole: lost, duplicated and reordered lines are counted. Also the daemon's
// CPU seconds over the same span. Floor: the same apps started by a minimal Node supervisor
// (apps/spawner.cjs) that streams each app's stdout pipe into its file as is, with no line handling: the
// least a Node process manager can do with the output. PM2 also runs with timestamps on (`time: true`), the target; tend's
// timestamps are issue 4.
import { join } from 'node:path';
import { app, tagOf } from '../lib/apps.js';
import { nowMs } from '../lib/child.js';
import { type BenchContext, interleave, type Scenario } from '../lib/context.js';
import { type Expect, type Tally, tallyLines, waitForLastLines } from '../lib/log-watch.js';
import type { Note } from '../lib/notify.js';
import { mustCpuSeconds } from '../lib/proc.js';
import { type Cell, cell, NONE, type Row } from '../lib/rows.js';
import { Spawner } from '../lib/spawner.js';
import type { Tool } from '../lib/tools.js';

interface Outcome {
  ms: number;
  /** The daemon's CPU seconds over the same span (null for the floor: no daemon). */
  cpu: number | null;
  tally: Tally;
}

const bad = (o: Outcome) => o.tally.lost + o.tally.duplicated + o.tally.reordered;

/** What went wrong, summed over runs, for the row's note. */
function breakdown(out: Map<string, Outcome[]>): string {
  return [...out]
    .map(([who, os]) => {
      const sum = (k: keyof Tally) => os.reduce((n, o) => n + o.tally[k], 0);
      return `${who}: ${sum('lost')} lost or cut, ${sum('duplicated')} duplicated, ${sum('reordered')} reordered, ${sum('fragments')} fragments`;
    })
    .join('; ');
}

export const scenario: Scenario = {
  number: 6,
  id: 'log-throughput',
  title:
    '200,000 numbered lines from 1 app and from 10 apps: time until in the files, lines lost, daemon CPU',
  async run(ctx) {
    const total = ctx.size(200_000, 2_000);
    const runs = ctx.runs(3, 1);
    const tools = await ctx.both();
    const pm2 = tools.find((t) => t.kind === 'pm2');
    const spawner = await Spawner.start(ctx, 'spawner-log');
    let seq = 0;
    const rows: Row[] = [];
    const base = { number: scenario.number, scenario: scenario.id };

    for (const apps of [1, ctx.size(10, 2)]) {
      const per = Math.floor(total / apps);
      const lines = `${(per * apps).toLocaleString('en-US')} lines, ${apps} app${apps > 1 ? 's' : ''}`;
      const subjects = [...tools.map((t) => t.label), 'floor'];
      const out = new Map<string, Outcome[]>(subjects.map((s) => [s, []]));
      await interleave(runs, subjects, async (who) => {
        const tool = tools.find((t) => t.label === who);
        const o = tool
          ? await underTool(ctx, tool, `r${++seq}`, apps, per, false)
          : await byHand(ctx, spawner, `f${++seq}`, apps, per);
        out.get(who)?.push(o);
        return o.ms;
      });
      const pick = (who: string | undefined, f: (o: Outcome) => number | null): Cell =>
        who === undefined
          ? { na: 'skipped (--quick)' }
          : cell((out.get(who) ?? []).map(f).filter((x): x is number => x !== null));
      rows.push(
        {
          ...base,
          label: `${lines}: until in the files`,
          unit: 'ms',
          tend: pick('tend', (o) => o.ms),
          pm2: pick(pm2?.label, (o) => o.ms),
          floor: pick('floor', (o) => o.ms),
          targets: [{ kind: 'ratio', against: 'pm2', op: '<=', value: 0.6 }],
          note: 'both without timestamps; the issue sets the target with timestamps on (see the timestamp row)',
        },
        {
          ...base,
          label: `${lines}: lost or cut + duplicated + reordered`,
          unit: 'lines',
          tend: pick('tend', bad),
          pm2: pick(pm2?.label, bad),
          floor: pick('floor', bad),
          targets: [{ kind: 'abs', op: '<=', value: 0 }],
          note: breakdown(out),
        },
        {
          ...base,
          label: `${lines}: daemon CPU`,
          unit: 'CPU s',
          tend: pick('tend', (o) => o.cpu),
          pm2: pick(pm2?.label, (o) => o.cpu),
          floor: NONE,
          targets: [],
        },
      );
    }

    // Timestamps on (`time: true`), the target: both tools, interleaved, one app, against the same floor.
    const tend = tools.find((t) => t.kind === 'tend');
    const stamped = new Map<string, Outcome[]>();
    const floor: Outcome[] = [];
    for (let r = 0; r < runs; r++) {
      for (const tool of tools) {
        const list = stamped.get(tool.label) ?? [];
        list.push(await underTool(ctx, tool, `ts${++seq}`, 1, total, true));
        stamped.set(tool.label, list);
      }
      floor.push(await byHand(ctx, spawner, `tf${++seq}`, 1, total));
    }
    const of = (tool: Tool | undefined) => (tool ? (stamped.get(tool.label) ?? []) : []);
    const skip: Cell = { na: 'skipped (--quick)' };
    rows.push(
      {
        ...base,
        label: `${total.toLocaleString('en-US')} lines, 1 app, timestamps: until in the files`,
        unit: 'ms',
        tend: tend ? cell(of(tend).map((o) => o.ms)) : skip,
        pm2: pm2 ? cell(of(pm2).map((o) => o.ms)) : skip,
        floor: cell(floor.map((o) => o.ms)),
        targets: [{ kind: 'ratio', against: 'pm2', op: '<=', value: 0.6 }],
      },
      {
        ...base,
        label: `${total.toLocaleString('en-US')} lines, 1 app, timestamps: lost or cut + dup + reordered`,
        unit: 'lines',
        tend: tend ? cell(of(tend).map(bad)) : skip,
        pm2: pm2 ? cell(of(pm2).map(bad)) : skip,
        floor: NONE,
        targets: [{ kind: 'abs', op: '<=', value: 0 }],
        note: breakdown(stamped),
      },
    );
    await spawner.close();
    return { rows };
  },
};

async function underTool(
  ctx: BenchContext,
  tool: Tool,
  run: string,
  apps: number,
  per: number,
  time: boolean,
): Promise<Outcome> {
  const names = Array.from({ length: apps }, (_, i) => `${run}l${i}`);
  const expect: Expect[] = names.map((n) => ({ path: tool.outLogPath(n), tag: tagOf(tool, n), count: per }));
  const file = ctx.ecosystem(
    tagOf(tool, run),
    names.map((name) => ({
      name,
      script: app('log-lines.cjs'),
      args: [tagOf(tool, name), String(per)],
      autorestart: false,
      ...(time ? { time: true } : {}),
    })),
  );
  const since = ctx.notify.mark();
  const watch = waitForLastLines(expect, 120_000);
  let t0: number;
  let end: number;
  let cpu0: number;
  try {
    await tool.run(['start', file]);
    const begun = await ctx.notify.waitForAll(
      'begin',
      expect.map((e) => e.tag),
      { since, timeoutMs: 60_000 },
    );
    cpu0 = mustCpuSeconds(tool.daemonPid());
    t0 = nowMs();
    ctx.notify.go(begun.values());
    end = await watch.done;
  } finally {
    watch.cancel();
  }
  const cpuEnd = mustCpuSeconds(tool.daemonPid());
  // The apps' paths as the tool reports them must be the files that were watched.
  const listed = await tool.apps();
  for (const e of expect) {
    if (!listed.some((a) => a.outLog === e.path)) throw new Error(`${tool.label}: no app logs to ${e.path}`);
  }
  const t = tallyLines(expect);
  await tool.run(['delete', 'all']);
  return { ms: end - t0, cpu: cpuEnd - cpu0, tally: t };
}

async function byHand(
  ctx: BenchContext,
  spawner: Spawner,
  run: string,
  apps: number,
  per: number,
): Promise<Outcome> {
  const tags = Array.from({ length: apps }, (_, i) => `${run}h${i}`);
  const expect: Expect[] = tags.map((tag) => ({ path: join(ctx.work, `${tag}.log`), tag, count: per }));
  const since = ctx.notify.mark();
  const watch = waitForLastLines(expect, 120_000);
  let t0: number;
  let end: number;
  let begun: Map<string, Note> | undefined;
  try {
    spawner.spawn(apps, 'log-lines.cjs', [`${run}h{i}`, String(per)], join(ctx.work, `${run}h{i}.log`));
    begun = await ctx.notify.waitForAll('begin', tags, { since, timeoutMs: 60_000 });
    t0 = nowMs();
    ctx.notify.go(begun.values());
    end = await watch.done;
  } finally {
    watch.cancel();
    if (begun) spawner.kill([...begun.values()].map((n) => n.pid));
  }
  return { ms: end - t0, cpu: null, tally: tallyLines(expect) };
}
