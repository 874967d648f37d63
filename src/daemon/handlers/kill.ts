import type { Handler } from './types.js';

export const handleKill: Handler<'daemon.kill'> = async (_params, ctx) => {
  const units = ctx.supervisor.all();
  await ctx.supervisor.stop(units, true);
  const processes = ctx.supervisor.list();
  // Reply first: the daemon exits once the reply is on its way.
  setImmediate(() => ctx.shutdown('daemon.kill'));
  return { processes };
};
