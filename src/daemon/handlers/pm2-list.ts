// Issue 17: the process list in PM2's shape, built here where the code is warm (src/pm2/daemon-entries.ts),
// and sent as text for jlist and prettylist (src/pm2/render.ts keeps each entry's prettylist text).
import { liveEntries } from '../../pm2/daemon-entries.js';
import { pm2Renderer } from '../../pm2/render.js';
import type { Handler } from './types.js';

const renderer = pm2Renderer();

export const handlePm2List: Handler<'pm2.list'> = async ({ format }, ctx) => {
  const entries = await liveEntries(ctx.supervisor, ctx.paths.home, ctx.layout === 'pm2');
  if (format === 'entries') return { entries };
  return { text: renderer.render(entries, format === 'inspect') };
};
