import type { Handler } from './types.js';

export const handleKill: Handler<'daemon.kill'> = async (_params, ctx) => {
  // tend-runtime (its control socket): `tend kill` is its SIGTERM, the apps stopped by its own shutdown, with
  // --shutdown-delay, --grace-period and the exit code that says whether anything had to be SIGKILLed (third
  // audit: stopped here, they took their kill_timeout, and the runtime exited 0 after a SIGKILL).
  if (ctx.role === 'runtime') {
    setImmediate(() => ctx.shutdown('tend kill'));
    return { processes: ctx.supervisor.list() };
  }
  await ctx.supervisor.stopAll();
  const processes = ctx.supervisor.list();
  // Reply first: the daemon exits once the reply is on its way.
  setImmediate(() => ctx.shutdown('daemon.kill'));
  return { processes };
};
