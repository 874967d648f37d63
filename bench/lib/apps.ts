// Starting the bench's apps under a tool and waiting until each one has said it runs.
import { join } from 'node:path';
import type { BenchContext } from './context.js';
import { APPS, type Tool } from './tools.js';

export const app = (file: string) => join(APPS, file);

/** A tag unique to a tool and app, so notes from different tools never mix. */
export const tagOf = (tool: Tool, name: string) => `${tool.slug}-${name}`;

/**
 * Starts `count` idle apps named `${prefix}${i}` from one ecosystem file and waits until every one has said
 * "ready" (its code runs). Returns each app's pid by name.
 */
export async function startIdleApps(
  ctx: BenchContext,
  tool: Tool,
  count: number,
  prefix = 'idle',
): Promise<Map<string, number>> {
  const names = Array.from({ length: count }, (_, i) => `${prefix}${i}`);
  const file = ctx.ecosystem(
    `${tagOf(tool, prefix)}-${count}`,
    names.map((name) => ({ name, script: app('idle.cjs'), args: [tagOf(tool, name)] })),
  );
  const since = ctx.notify.mark();
  await tool.run(['start', file]);
  const notes = await ctx.notify.waitForAll(
    'ready',
    names.map((n) => tagOf(tool, n)),
    { since },
  );
  return new Map(names.map((n) => [n, notes.get(tagOf(tool, n))?.pid ?? 0]));
}
