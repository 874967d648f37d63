// Issue 17: the process list in PM2's shape, built here where the code is warm (src/pm2/daemon-entries.ts),
// and sent as text for jlist and prettylist (src/pm2/render.ts keeps each entry's prettylist text).
// Loaded on the first call (tend-pm2 and `jlist --format pm2` only): a plain daemon never evaluates it.
import type { Pm2Renderer } from '../../pm2/render.js';
import type { Handler } from './types.js';

let renderer: Pm2Renderer | null = null;

export const handlePm2List: Handler<'pm2.list'> = async ({ format }, ctx) => {
  const [{ liveEntries }, { pm2Renderer }] = await Promise.all([
    import('../../pm2/daemon-entries.js'),
    import('../../pm2/render.js'),
  ]);
  const entries = await liveEntries(ctx.supervisor, ctx.paths.home, ctx.layout === 'pm2');
  if (format === 'entries') return { entries };
  renderer ??= pm2Renderer();
  return { text: renderer.render(entries, format === 'inspect') };
};
