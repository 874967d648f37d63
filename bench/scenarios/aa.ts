// 9. A/A: tend against a second tend, each in its own home, interleaved exactly as tend and PM2 are. The
// ratio between two identical subjects shows how large a difference the machine's noise alone produces.
import { app, tagOf } from '../lib/apps.js';
import { interleave, type Scenario } from '../lib/context.js';
import type { AaRow } from '../lib/rows.js';
import type { Tool } from '../lib/tools.js';

export const scenario: Scenario = {
  number: 9,
  id: 'aa',
  title: 'A/A: tend against tend (list; start of 10 apps from one file), to show the noise',
  async run(ctx) {
    const runs = ctx.runs(10, 2);
    const apps = ctx.size(10, 2);
    const a = await ctx.tend('tend A', 'ta');
    const b = await ctx.tend("tend A'", 'tb');
    const tools: Record<string, Tool> = { a, b };
    const aaRow = (label: string, unit: AaRow['unit'], s: Record<'a' | 'b', number[]>): AaRow => ({
      number: scenario.number,
      scenario: scenario.id,
      label,
      unit,
      a: s.a,
      b: s.b,
    });

    for (const t of [a, b]) await t.run(['list']);
    const list = await interleave(
      runs,
      ['a', 'b'] as const,
      async (k) => (await (tools[k] as Tool).run(['list'])).ms,
    );

    let seq = 0;
    const start = await interleave(runs, ['a', 'b'] as const, async (k) => {
      const t = tools[k] as Tool;
      const names = Array.from({ length: apps }, (_, i) => `aa${++seq}x${i}`);
      const file = ctx.ecosystem(
        tagOf(t, `aa${seq}`),
        names.map((name) => ({ name, script: app('idle.cjs'), args: [tagOf(t, name)] })),
      );
      const ms = (await t.run(['start', file])).ms;
      await t.run(['delete', 'all']);
      return ms;
    });
    return {
      rows: [],
      aa: [
        aaRow('list, 0 apps', 'ms', list),
        aaRow(`start ${apps} apps from one file (command time)`, 'ms', start),
      ],
    };
  },
};
