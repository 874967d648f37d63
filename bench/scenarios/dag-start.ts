// 12. DAG start: `tend start dag.config.js` of six apps in a dependency graph, db → {cache, queue} → api →
// {web, worker}, each waiting for its dependencies to be ready (depends_on, condition process_healthy). Each
// app (apps/ready-after.cjs) is ready a known delay after its code runs, and says so by process.send('ready')
// (wait_ready). The clock runs from launching the command until it has returned and every app has said
// "ready", whichever is later. The floor is the critical path: each app's own start-to-ready, spawned alone by
// a minimal spawner (apps/spawner.cjs) and timed from the request to its "ready", summed along the longest
// path of the graph. A second row starts the same six apps with no depends_on (all at once), in tend and in
// PM2, against the six spawned at once by hand: what a start costs without any ordering.
import { app, tagOf } from '../lib/apps.js';
import { nowMs } from '../lib/child.js';
import { type BenchContext, interleave, type Scenario } from '../lib/context.js';
import type { Note } from '../lib/notify.js';
import { cell, type Row } from '../lib/rows.js';
import { Spawner } from '../lib/spawner.js';
import { median } from '../lib/stats.js';
import type { Tool } from '../lib/tools.js';

/** The graph: each app's dependencies, and its delay to ready in ms (full run; --quick divides by 10). */
const DAG: readonly { name: string; after: readonly string[]; delayMs: number }[] = [
  { name: 'db', after: [], delayMs: 1000 },
  { name: 'cache', after: ['db'], delayMs: 300 },
  { name: 'queue', after: ['db'], delayMs: 600 },
  { name: 'api', after: ['cache', 'queue'], delayMs: 800 },
  { name: 'web', after: ['api'], delayMs: 400 },
  { name: 'worker', after: ['api'], delayMs: 200 },
];

type Subject = 'tend' | 'PM2' | 'floor';

export const scenario: Scenario = {
  number: 12,
  id: 'dag-start',
  title: 'a 6-app depends_on graph from start to all ready, against its critical path',
  async run(ctx) {
    const delay = (ms: number) => String(ctx.size(ms, ms / 10));
    const runs = ctx.runs(3, 1);
    const own: Record<string, number>[] = [];
    /** ms from a dependency's "ready" to its dependent's first line (tend), and from a request to it (by hand). */
    const hops: number[] = [];
    const boots: number[] = [];

    // One daemon per tool for the whole scenario, emptied after each run (`delete all`).
    const [tend, pm2] = await Promise.all([ctx.tend(), ctx.pm2()]);
    const startFile = async (tool: Tool, stem: string, run: number, ordered: boolean) => {
      const file = ctx.ecosystem(
        tagOf(tool, `${stem}${run}`),
        DAG.map((a) => ({
          name: a.name,
          script: app('ready-after.cjs'),
          args: [tagOf(tool, `${stem}-${a.name}${run}`), delay(a.delayMs)],
          wait_ready: true,
          ...(ordered && a.after.length > 0
            ? { depends_on: Object.fromEntries(a.after.map((d) => [d, { condition: 'process_healthy' }])) }
            : {}),
        })),
      );
      const since = ctx.notify.mark();
      try {
        const seconds = await timeUntilReady(ctx, tool, `${stem}-`, run, () => tool.run(['start', file]));
        if (ordered) hops.push(...hopsOf(ctx.notify.notes.slice(since), tool, `${stem}-`, run));
        return seconds;
      } finally {
        await tool.run(['delete', 'all']);
      }
    };

    const dag = await interleave(runs, ['tend', 'floor'] as const, async (who, run) => {
      if (who === 'tend') return startFile(tend, 'dag', run, true);
      const times = await eachAlone(ctx, run, delay, boots);
      own.push(times);
      return criticalPath(times) / 1000;
    });

    // The unordered start is a reference (what ordering costs): not in --quick.
    const subjects: Subject[] = pm2 ? ['tend', 'PM2', 'floor'] : ['tend', 'floor'];
    const flat = await interleave(ctx.quick ? 0 : runs, subjects, async (who, run) => {
      if (who === 'floor') return allAtOnce(ctx, run, delay);
      const tool = who === 'tend' ? tend : pm2;
      if (!tool) throw new Error('PM2 is not available');
      return startFile(tool, 'flat', run, false);
    });

    const ownMedian = (name: string) => median(own.map((t) => t[name] ?? 0));
    const base = { number: scenario.number, scenario: scenario.id, unit: 's' as const };
    const skipped = { na: 'skipped (--quick)' };
    const rows: Row[] = [
      {
        ...base,
        label: '6-app DAG, db → cache, queue → api → web, worker; start to all ready',
        tend: cell(dag.tend),
        pm2: { na: 'n/a (PM2 has no depends_on)' },
        floor: cell(dag.floor),
        targets: [{ kind: 'ratio', against: 'floor', op: '<=', value: 1.1 }],
        note:
          `each app ready ${DAG.map((a) => `${a.name} ${delay(a.delayMs)}`).join(', ')} ms after its code ` +
          'runs (wait_ready, process.send); depends_on condition process_healthy; floor: the critical path ' +
          `(${pathOf(Object.fromEntries(DAG.map((a) => [a.name, ownMedian(a.name)]))).join(' → ')}) of each ` +
          'app started alone by apps/spawner.cjs, request to "ready", summed (medians, ms: ' +
          `${DAG.map((a) => `${a.name} ${ownMedian(a.name).toFixed(0)}`).join(', ')}); from a dependency's ` +
          `"ready" to its dependent's first line, tend: median ${median(hops).toFixed(0)} ms; from the request ` +
          `to an app's first line, by hand: median ${median(boots).toFixed(0)} ms`,
      },
      {
        ...base,
        label: 'the same 6 apps, no depends_on; start to all ready',
        tend: ctx.quick ? skipped : cell(flat.tend),
        pm2: pm2 ? cell(flat.PM2) : skipped,
        floor: ctx.quick ? skipped : cell(flat.floor),
        targets: [],
        note: 'all six at once, wait_ready in both tools; floor: the six spawned at once by apps/spawner.cjs',
      },
    ];
    return { rows };
  },
};

/** Seconds from act() until it has returned and every app of the graph has said "ready". */
async function timeUntilReady(
  ctx: BenchContext,
  tool: Tool,
  prefix: string,
  run: number,
  act: () => Promise<unknown>,
): Promise<number> {
  const since = ctx.notify.mark();
  const t0 = nowMs();
  await act();
  const returned = nowMs();
  const notes = await ctx.notify.waitForAll(
    'ready',
    DAG.map((a) => tagOf(tool, `${prefix}${a.name}${run}`)),
    { since, timeoutMs: 60_000 },
  );
  const lastReady = Math.max(...[...notes.values()].map((x) => x.at));
  await tool.waitOnline(
    DAG.map((a) => a.name),
    30_000,
  );
  return (Math.max(returned, lastReady) - t0) / 1000;
}

/**
 * For each app with dependencies, ms from its last dependency's "ready" to its own first line. A time that
 * does not respect the graph is no figure: an app that started before its dependencies were ready fails it.
 */
function hopsOf(notes: readonly Note[], tool: Tool, prefix: string, run: number): number[] {
  const at = (kind: string, name: string) =>
    notes.find((x) => x.kind === kind && x.tag === tagOf(tool, `${prefix}${name}${run}`))?.at ?? Number.NaN;
  const hops: number[] = [];
  for (const a of DAG) {
    if (a.after.length === 0) continue;
    const readyAt = Math.max(...a.after.map((dep) => at('ready', dep)));
    const hop = at('started', a.name) - readyAt;
    if (!(hop > 0)) throw new Error(`${tool.label}: ${a.name} started before its dependencies were ready`);
    hops.push(hop);
  }
  return hops;
}

/** The longest path through the graph (DAG is in topological order), each app weighted by its own time. */
function longest(times: Record<string, number>): Map<string, { ms: number; path: string[] }> {
  const done = new Map<string, { ms: number; path: string[] }>();
  for (const a of DAG) {
    const before = a.after
      .map((d) => done.get(d) ?? { ms: 0, path: [] })
      .reduce((x, y) => (y.ms > x.ms ? y : x), { ms: 0, path: [] as string[] });
    done.set(a.name, { ms: before.ms + (times[a.name] ?? 0), path: [...before.path, a.name] });
  }
  return done;
}

const last = (times: Record<string, number>) =>
  [...longest(times).values()].reduce((x, y) => (y.ms > x.ms ? y : x));

function criticalPath(times: Record<string, number>): number {
  return last(times).ms;
}

function pathOf(times: Record<string, number>): string[] {
  return last(times).path;
}

/** Each app started alone by a minimal spawner, one after the other: ms from the request to its "ready". */
async function eachAlone(
  ctx: BenchContext,
  run: number,
  delay: (ms: number) => string,
  boots: number[],
): Promise<Record<string, number>> {
  const spawner = await Spawner.start(ctx, `spawner-dag${run}`);
  try {
    const times: Record<string, number> = {};
    for (const a of DAG) {
      const tag = `h-${a.name}${run}`;
      const since = ctx.notify.mark();
      const t0 = nowMs();
      spawner.spawn(1, 'ready-after.cjs', [tag, delay(a.delayMs)]);
      const note = await ctx.notify.waitFor((x) => x.kind === 'ready' && x.tag === tag, {
        since,
        what: `${a.name} ready`,
      });
      times[a.name] = note.at - t0;
      const started = ctx.notify.notes.slice(since).find((x) => x.kind === 'started' && x.tag === tag);
      if (started) boots.push(started.at - t0);
      spawner.kill([note.pid]);
    }
    return times;
  } finally {
    await spawner.close();
  }
}

/** The six spawned at once by a minimal spawner: seconds from the request until every one has said "ready". */
async function allAtOnce(ctx: BenchContext, run: number, delay: (ms: number) => string): Promise<number> {
  const spawner = await Spawner.start(ctx, `spawner-flat${run}`);
  try {
    const tags = DAG.map((a) => `h-flat-${a.name}${run}`);
    const since = ctx.notify.mark();
    const t0 = nowMs();
    DAG.forEach((a, i) => {
      spawner.spawn(1, 'ready-after.cjs', [tags[i] ?? '', delay(a.delayMs)]);
    });
    const notes = await ctx.notify.waitForAll('ready', tags, { since, timeoutMs: 60_000 });
    spawner.kill([...notes.values()].map((x) => x.pid));
    return (Math.max(...[...notes.values()].map((x) => x.at)) - t0) / 1000;
  } finally {
    await spawner.close();
  }
}
