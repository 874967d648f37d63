// 1. CLI latency: wall time of `list` and `jlist` (spawn to exit, output read through a pipe as a script
// would) with the daemon up, with 0 and 20 apps. Floors: a fresh Node process doing one round trip on a
// Unix socket served by the bench (what a CLI asking a daemon must at least cost), and `node -e 0`.
import { app, startIdleApps } from '../lib/apps.js';
import { timedRun } from '../lib/child.js';
import { type BenchContext, interleave, type Scenario } from '../lib/context.js';
import { cell, NONE, type Row } from '../lib/rows.js';
import type { Tool } from '../lib/tools.js';

const FLOOR = 'floor';
const BARE = 'node -e 0';

export const scenario: Scenario = {
  number: 1,
  id: 'cli-latency',
  title:
    '`list` / `jlist` wall time with the daemon up, 0 and 20 apps, against a fresh Node doing one socket round trip',
  async run(ctx) {
    const runs = ctx.runs(15, 3);
    const apps = ctx.size(20, 3);
    const tools = await ctx.both();
    const node = process.execPath;
    const socketFloor = () => timedRun(node, [app('socket-roundtrip.cjs'), ctx.notify.path]);

    const bare = () => timedRun(node, ['-e', '0']);
    const bareSamples: number[] = [];

    const measure = async (verb: string, label: string, withBare = false): Promise<Row> => {
      // One unrecorded call each first: the first run of a binary pays for a cold page cache.
      for (const t of tools) await t.run([verb]);
      await socketFloor();
      const subjects = [...tools.map((t) => t.label), FLOOR, ...(withBare ? [BARE] : [])];
      const s = await interleave(runs, subjects, async (who) => {
        const r =
          who === FLOOR
            ? await socketFloor()
            : who === BARE
              ? await bare()
              : await byLabel(tools, who).cli([verb]);
        if (r.code !== 0) throw new Error(`${who} ${verb} exited with ${r.code}: ${r.stderr.trim()}`);
        return r.ms;
      });
      bareSamples.push(...(s[BARE] ?? []));
      return row(ctx, label, s, tools);
    };

    const rows: Row[] = [];
    rows.push(await measure('list', 'list, 0 apps', true));
    rows.push(await measure('jlist', 'jlist, 0 apps'));
    await Promise.all(tools.map((t) => startIdleApps(ctx, t, apps)));
    rows.push(await measure('list', `list, ${apps} apps`));
    rows.push(await measure('jlist', `jlist, ${apps} apps`));
    rows.push({
      ...base(),
      label: 'floor only: node -e 0',
      tend: NONE,
      pm2: NONE,
      floor: cell(bareSamples),
      targets: [],
      note: 'interleaved with `list, 0 apps`',
    });
    return { rows };
  },
};

function byLabel(tools: readonly Tool[], label: string): Tool {
  const t = tools.find((x) => x.label === label);
  if (!t) throw new Error(`no tool ${label}`);
  return t;
}

const base = () => ({ number: scenario.number, scenario: scenario.id, unit: 'ms' as const });

function row(ctx: BenchContext, label: string, s: Record<string, number[]>, tools: readonly Tool[]): Row {
  const pm2 = tools.find((t) => t.kind === 'pm2');
  return {
    ...base(),
    label,
    tend: cell(s.tend ?? []),
    pm2: pm2 ? cell(s[pm2.label] ?? []) : { na: ctx.quick ? 'skipped (--quick)' : 'n/a' },
    floor: cell(s[FLOOR] ?? []),
    targets: [{ kind: 'ratio', against: 'floor', op: '<=', value: 1.2 }],
    note: 'floor: a fresh Node process doing one Unix-socket round trip',
  };
}
