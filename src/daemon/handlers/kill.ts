import type { Handler } from './types.js';

export const handleKill: Handler<'daemon.kill'> = async (_params, ctx) => {
  await ctx.supervisor.stopAll();
  const processes = ctx.supervisor.list();
  // Reply first: the daemon exits once the reply is on its way.
  setImmediate(() => ctx.shutdown('daemon.kill'));
  return { processes };
};
